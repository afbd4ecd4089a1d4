"""Benchmark of the dossier documents (``make bench`` or ``python -m tests.bench documents``).

In a throw-away test database: an approved decision for 50 agencies (Giấy khen, council of 5);
then, per kind of document, the time to make one PDF (load the facts, fill the template, WeasyPrint)
and its ratio to WeasyPrint alone on the same finished HTML (target: within 1.5x), the time of the
Word copy, and the queries per document (fixed, whatever the number of awardees). Renders the 50
certificates and the 50 reports of the decision.
"""

from __future__ import annotations

import datetime as dt
import time

AWARDEES = 50
MEMBERS = 5
TARGET_RATIO = 1.5


def decision(code: str, candidates: int):
    from awards.domain import council as councils
    from awards.domain import decision as decisions
    from awards.domain import proposal_list as lists
    from awards.models import Vote
    from tests.bench_awards import build

    campaign, form, officer, leader, council = build(code, candidates, MEMBERS)
    plist = lists.make_list(campaign, form, actor=officer)
    session = councils.open_session(
        plist,
        actor=officer,
        members=council,
        secretary=officer,
        chair=council[0],
        held_on=dt.date(2028, 1, 10),
    )
    members = list(session.members.all())
    ids = list(plist.proposals.values_list("pk", flat=True))
    Vote.objects.bulk_create(
        [Vote(session=session, member=m, proposal_id=p, choice="agree") for m in members for p in ids]
    )
    councils.close_session(session, actor=officer)
    return decisions.approve(
        plist, actor=leader, number=f"{candidates}/QĐ-UBND", decided_on=dt.date(2028, 1, 20),
        signer_capacity="TM.", signer_title="Chủ tịch", signer_name="Nguyễn Văn A",
    )  # fmt: skip


def measure(the_decision, specs) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from awards.dossier.documents import build, render_docx, render_pdf
    from awards.dossier.pdf import html_to_pdf, render_html

    full = weasy = word = 0.0
    queries = set()
    for spec in specs:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            render_pdf(the_decision, spec)
            full += time.perf_counter() - started
        queries.add(len(ctx.captured_queries))
        with translation.override("vi"):
            html = render_html(build(the_decision, spec))
        started = time.perf_counter()
        html_to_pdf(html)
        weasy += time.perf_counter() - started
        started = time.perf_counter()
        render_docx(the_decision, spec)
        word += time.perf_counter() - started
    n = len(specs)
    return {"n": n, "pdf": full / n, "weasy": weasy / n, "docx": word / n, "queries": queries}


def run() -> None:
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from awards.dossier.documents import DOCUMENT_KINDS, plan_documents

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        small = decision("vb-nho", 3)
        big = decision("vb-lon", AWARDEES)
        measure(small, plan_documents(small, kinds=["giay_khen"])[:1])  # warm-up: fonts, templates
        specs = plan_documents(big)
        small_specs = plan_documents(small)
        total = 0.0
        for kind in DOCUMENT_KINDS:
            of_kind = [s for s in specs if s.kind == kind]
            figures = measure(big, of_kind if len(of_kind) > 1 else of_kind * 5)  # one-off documents 5 times
            few = measure(small, [s for s in small_specs if s.kind == kind][:1])
            ratio = figures["pdf"] / figures["weasy"]
            verdict = "ok" if ratio <= TARGET_RATIO else "TOO SLOW"
            total += figures["pdf"] * len(of_kind)
            print(
                f"{kind}: {len(of_kind)} × PDF {figures['pdf'] * 1000:.0f} ms "
                f"(WeasyPrint alone {figures['weasy'] * 1000:.0f} ms, ratio {ratio:.2f}, {verdict}, target "
                f"{TARGET_RATIO}); Word {figures['docx'] * 1000:.0f} ms; "
                f"queries {sorted(figures['queries'])} "
                f"({len(small_specs)}-document dossier: {sorted(few['queries'])})"
            )
        print(f"dossier of {AWARDEES} agencies: {len(specs)} PDFs in {total:.1f} s, one process")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
