"""The benchmark's measurements can fail: its query counter counts, its bare view is not a portal URL."""

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from agencies.models import Role
from scoring.results import compute_results
from tests.bench_scoring import QueryCounter, counted, timed_compute
from tests.factories import user_with_role

from .test_views import seed_002

pytestmark = pytest.mark.filterwarnings("ignore:Limit for query logging exceeded")


@pytest.fixture(autouse=True)
def _empty_debug_log():
    """The debug log outlives a test (same connection): start and end with it empty."""
    reset_queries()
    yield
    reset_queries()


def _fill_debug_log():
    """What the bench's build leaves behind on SQLite: a full debug log (9,000 entries)."""
    with CaptureQueriesContext(connection), connection.cursor() as cursor:
        for _ in range(connection.queries_limit + 1):
            cursor.execute("SELECT 1")


def test_compute_results_is_counted_after_a_full_debug_log(plan):
    seed_002(plan, 4)
    compute_results(plan.campaign)
    with CaptureQueriesContext(connection) as reference:  # a recompute, on an empty log
        compute_results(plan.campaign)
    expected = len(reference)  # now: the captured list is read lazily from the log
    assert expected > 0
    _fill_debug_log()
    _, queries, _ = timed_compute(plan.campaign)
    assert queries == expected


def test_counter_refuses_zero():
    with QueryCounter() as queries:
        pass
    with pytest.raises(AssertionError):
        counted("nothing", queries)


def test_page_is_counted_after_a_full_debug_log(client, plan):
    seed_002(plan, 2)
    client.force_login(user_with_role(Role.HOME_AFFAIRS, plan.province))
    url = reverse("scoring:results", args=[plan.campaign.code])
    client.get(url)
    with CaptureQueriesContext(connection) as reference:
        assert client.get(url).status_code == 200
    expected = len(reference)  # now: the captured list is read lazily from the log
    assert expected > 0
    _fill_debug_log()
    with QueryCounter() as queries:
        assert client.get(url).status_code == 200
    assert counted("results page", queries) == expected


def test_bare_view_is_not_served_by_the_portal(client, plan):
    client.force_login(user_with_role(Role.HOME_AFFAIRS, plan.province))
    assert client.get("/scoring/bench/bare/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("scoring:bare")


@pytest.mark.urls("tests.urls_bench")
def test_bench_urlconf_serves_the_bare_view_and_the_portal(client, plan):
    client.force_login(user_with_role(Role.HOME_AFFAIRS, plan.province))
    assert reverse("bench_bare") == "/bench/bare/"
    response = client.get(reverse("bench_bare"))
    assert response.status_code == 200
    assert "<p>Bench</p>" in response.content.decode()
    assert client.get(reverse("scoring:index")).status_code == 200


def test_make_bench_finds_only_benchmarks():
    """`make bench` runs every tests/bench_*.py: each must be a benchmark with a run()."""
    import importlib
    import pkgutil
    from pathlib import Path

    here = Path(__file__).resolve().parents[1]
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    assert names == [
        "bench_accounts", "bench_awards", "bench_documents", "bench_dossier", "bench_people",
        "bench_reminders", "bench_score_sheets", "bench_scoring",
    ]  # fmt: skip
    assert all(callable(importlib.import_module(f"tests.{n}").run) for n in names)
