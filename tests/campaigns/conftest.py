import pytest

from agencies import demo as agencies_demo
from agencies.models import Agency, Role
from tests.factories import user_with_role


@pytest.fixture
def directory(db):
    """The demo directory (agencies, accounts) the seed plans refer to."""
    agencies_demo.load()
    return {a.code: a for a in Agency.objects.all()}


@pytest.fixture
def home_affairs(directory):
    """A home-affairs officer of the city (issuer of most plans)."""
    return user_with_role(Role.HOME_AFFAIRS, directory["hcm"])
