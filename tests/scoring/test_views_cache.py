"""The per-bloc results page is cached per result run: never stale, permission checked on every request."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Role
from scoring.models import ParIndexResult
from scoring.results import compute_results
from tests.factories import user_with_role

from .test_views import seed_002


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(plan):
    return user_with_role(Role.HOME_AFFAIRS, plan.province)


def _url(plan):
    return reverse("scoring:bloc", args=[plan.campaign.code, "so-nganh"]) + "?form=cchc&kind=collective"


def test_recompute_shows_the_new_result_not_the_cached_page(client, plan, officer):
    seed_002(plan, 4)
    client.force_login(officer)
    html = client.get(_url(plan)).content.decode()
    assert html.count('class="rank-bar proposed"') == 1
    assert ">1. Sở s000<" in html
    assert ">1. Sở s000<" in client.get(_url(plan)).content.decode()  # served from the cache
    ParIndexResult.objects.filter(agency__code="s003").update(score=Decimal("99.50"))
    compute_results(plan.campaign)
    html = client.get(_url(plan)).content.decode()
    assert ">1. Sở s003<" in html
    assert ">2. Sở s000<" in html
    assert html.count('class="rank-bar proposed"') == 1


def test_permission_is_checked_on_a_cached_page(client, plan, officer):
    seed_002(plan, 3)
    client.force_login(officer)
    assert client.get(_url(plan)).status_code == 200
    outsider = user_with_role(Role.STAFF, plan.agency("other", bloc=None))
    client.force_login(outsider)
    assert client.get(_url(plan)).status_code == 404
    assert client.get(reverse("scoring:bloc", args=["khong-co", "so-nganh"])).status_code == 404


def test_unknown_bloc_is_404_every_time(client, plan, officer):
    seed_002(plan, 3)
    client.force_login(officer)
    url = reverse("scoring:bloc", args=[plan.campaign.code, "khong-co"])
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404


@pytest.mark.urls("tests.urls_bench")
@pytest.mark.parametrize("n", [1, 30])
def test_cached_hit_query_count(client, plan, officer, django_assert_num_queries, n):
    seed_002(plan, n)
    client.force_login(officer)
    assert client.get(_url(plan)).status_code == 200
    # the bare page shell's queries (session, user, memberships, unread notifications) and one more:
    # the plan with its latest run. Nothing grows with the rows.
    with CaptureQueriesContext(connection) as bare:
        assert client.get(reverse("bench_bare")).status_code == 200
    assert len(bare) == 4
    with django_assert_num_queries(len(bare) + 1):
        response = client.get(_url(plan))
    assert response.status_code == 200
    assert response.content.decode().count('class="rank-bar ') == n
