import pytest

from campaign_portal.celery import app as celery_app


@pytest.fixture
def eager_celery():
    """Run tasks in-process even when REDIS_URL is set (these tests need no worker)."""
    before = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield celery_app
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = before


@pytest.fixture
def flaky_smtp(settings):
    from .backends import FlakyBackend

    settings.EMAIL_BACKEND = "tests.common.notifications.backends.FlakyBackend"
    settings.NOTIFY_EMAIL_RETRY_BASE_SECONDS = 0
    FlakyBackend.failures = 0
    FlakyBackend.refused = []
    yield FlakyBackend
    FlakyBackend.failures = 0


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
