"""Making a list, closing a vote and approving take a number of queries that does not depend on
the number of candidates (the same code as ``make bench``, on small plans)."""

from tests.bench_awards import cycle


def test_query_counts_do_not_grow_with_candidates(db):
    cycle("khoi-dong", 2, 3)  # warm-up: first-use caches (content types) cost one query once
    small = cycle("nho", 4, 3)
    large = cycle("lon", 40, 3)
    assert {step: q for step, (_s, q) in large.items()} == {step: q for step, (_s, q) in small.items()}


def test_list_page_query_count_is_independent_of_rows(client, django_assert_max_num_queries, db):
    from awards.models import ProposalList

    for code, n in (("mot", 1), ("nhieu", 30)):
        cycle(code, n, 3)
        plist = ProposalList.objects.get(campaign__code=code)
        client.force_login(plist.created_by)
        with django_assert_max_num_queries(30):
            assert client.get(f"/awards/list/{plist.pk}/").status_code == 200
