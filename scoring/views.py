"""Scoring pages: results per bloc (ranked bar chart, quota line), candidate explanation,
exports, warnings. Thin: parse, call one service, render."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Agency
from agencies.rules import get_for_user_or_404, has_perm, reach_q
from campaigns.models import Campaign, Round
from campaigns.sentences import warning_sentence
from common.audit import history_for
from common.parsing import page_param, year_param
from common.spreadsheets import spreadsheet_response

from .charts import ranked_chart
from .explain import exclusion, explain
from .exports import export_csv, export_xlsx
from .models import CandidateKind, CandidateResult, ParIndexResult, ResultRun, StaffRatingRecord
from .results import compute_results, latest_run
from .warnings import default_year as default_warning_year
from .warnings import export_csv as export_warnings_csv
from .warnings import export_xlsx as export_warnings_xlsx
from .warnings import warnings_for

PAGE_SIZE = 100


PLANS = Campaign.objects.select_related("issuer")
VIEW, MANAGE = "scoring.view_results", "scoring.manage_results"


@login_required
def index(request):
    """Plans whose results the user may see, with the latest computation."""
    from campaigns.rules import visible_campaigns

    plans = [
        c
        for c in visible_campaigns(request.user).select_related("issuer").order_by("-period_start", "code")
        if has_perm(request.user, "scoring.view_results", c)
    ]
    return render(request, "scoring/index.html", {"plans": plans})


def _year_filter(request, qs):
    year = year_param(request.GET.get("year"))
    if year is not None:
        qs = qs.filter(year=year)
    return qs, year if year is not None else ""


@login_required
def par_list(request):
    if not has_perm(request.user, "scoring.import_results"):
        raise PermissionDenied
    results, year = _year_filter(
        request,
        ParIndexResult.objects.filter(reach_q(request.user, prefix="agency__")).select_related(
            "agency", "imported_by"
        ),
    )
    results = results.order_by("-year", "-score", "agency__code")[:1000]
    return render(request, "scoring/par_list.html", {"results": results, "year": year})


@login_required
def staff_list(request):
    if not has_perm(request.user, "scoring.import_results"):
        raise PermissionDenied
    records, year = _year_filter(
        request,
        StaffRatingRecord.objects.filter(reach_q(request.user, prefix="person__agency__")).select_related(
            "person", "person__agency"
        ),
    )
    records = records.order_by("-year", "person__agency__code", "person__code")[:1000]
    return render(request, "scoring/staff_list.html", {"records": records, "year": year})


@login_required
def par_history(request, pk):
    # A row out of the user's reach is not found, whatever their role.
    result = get_object_or_404(
        ParIndexResult.objects.filter(reach_q(request.user, prefix="agency__")).select_related("agency"),
        pk=pk,
    )
    return render(
        request, "scoring/par_history.html", {"result": result, "history": history_for(result)[:50]}
    )


@login_required
def results(request, code):
    """Overview: per bloc and award form, how many candidates, how many proposed."""
    campaign = get_for_user_or_404(request.user, VIEW, PLANS, code=code)
    run = latest_run(campaign)
    from django.db.models import Case, Count, Q, Value, When

    summary = []
    if run is not None:
        # Every kind of candidate, the head and deputy who follow their agency included.
        kind_order = Case(
            *(When(kind=k, then=Value(i)) for i, k in enumerate(CandidateKind.values)), default=Value(9)
        )
        summary = list(
            CandidateResult.objects.filter(run=run)
            .values("bloc__code", "bloc__name", "bloc__order", "award_form__code", "award_form__name", "kind")
            .annotate(
                total=Count("pk"),
                eligible=Count("pk", filter=Q(eligible=True)),
                proposed=Count("pk", filter=Q(proposed=True)),
                ties=Count("pk", filter=Q(tie_at_cutoff=True)),
                head_unknown=Count("pk", filter=Q(head_unknown=True)),
                kind_order=kind_order,
            )
            .order_by("bloc__order", "bloc__code", "award_form__code", "kind_order")
        )
        for row in summary:
            row["kind_label"] = CandidateKind(row["kind"]).label
    return render(
        request,
        "scoring/results.html",
        {
            "campaign": campaign,
            "run": run,
            "summary": summary,
            "can_manage": has_perm(request.user, "scoring.manage_results", campaign),
        },
    )


@login_required
@require_POST
def compute(request, code):
    campaign = get_for_user_or_404(request.user, MANAGE, PLANS, code=code)
    try:
        run = compute_results(campaign, actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã tính kết quả: %(n)s ứng viên.") % {"n": run.candidate_count})
    return redirect("scoring:results", code=campaign.code)


def _bloc_content(run, campaign, bloc: str, form_code: str, kind: str, page: int) -> tuple[str, str]:
    """The page's title and its rendered content (header, chart, table) for one bloc of one run."""
    bloc_obj = None if bloc == "-" else get_object_or_404(campaign.blocs, code=bloc)
    forms = list(campaign.award_forms.select_related("min_par_band").order_by("order", "pk"))
    if not forms:
        raise Http404
    form = next((f for f in forms if f.code == form_code), forms[0])
    qs = CandidateResult.objects.filter(run=run, award_form=form, kind=kind, bloc=bloc_obj)
    start = (page - 1) * PAGE_SIZE
    # Ranked candidates first, in rank order; the unranked after them (on every database).
    order = (F("rank_in_bloc").asc(nulls_last=True), "agency__code", "person__code", "pk")
    rows = list(qs.select_related("agency", "person").order_by(*order)[start : start + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    for row in rows:
        row.why = exclusion(row)
        row.url = candidate_url(campaign.code, form.code, row)
    bloc_name = bloc_obj.name if bloc_obj else _("Không thuộc khối")
    content = render_to_string(
        "scoring/_bloc_page.html",
        {
            "campaign": campaign,
            "run": run,
            "bloc_name": bloc_name,
            "forms": forms,
            "form": form,
            "kind": kind,
            "kinds": CandidateKind.choices,
            "rows": rows,
            "chart": ranked_chart(rows, form),
            "page": page,
            "has_next": has_next,
        },
    )
    return bloc_name, content


def _latest_run_head(code: str) -> tuple[int, str, Campaign] | None:
    """The plan's latest run (as ``latest_run`` orders them): its id, its time of computation and the
    plan with its issuer, in one short query. The plan carries only what the permission reads; its
    other fields are deferred (loaded on access), never wrong."""
    q = connection.ops.quote_name
    run_t, round_t = q(ResultRun._meta.db_table), q(Round._meta.db_table)
    plan_t, agency_t = q(Campaign._meta.db_table), q(Agency._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.id, r.computed_at, c.id, c.code, c.issuer_id, a.path FROM {run_t} r "
            f"JOIN {round_t} d ON d.id = r.round_id JOIN {plan_t} c ON c.id = r.campaign_id "
            f"JOIN {agency_t} a ON a.id = c.issuer_id WHERE c.code = %s "
            "ORDER BY d.year DESC, d.is_final DESC, r.computed_at DESC LIMIT 1",
            [code],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    run_id, computed_at, plan_id, plan_code, issuer_id, issuer_path = row
    campaign = Campaign.from_db(
        connection.alias, ["id", "code", "issuer_id"], [plan_id, plan_code, issuer_id]
    )
    campaign.issuer = Agency.from_db(connection.alias, ["id", "path"], [issuer_id, issuer_path])
    return run_id, str(computed_at), campaign


@login_required
def bloc_results(request, code, bloc):
    """One bloc, one award form, one candidate kind: ranked bar chart with the quota line, table.

    A result run is a snapshot, so the page's content is cached under the run (id and time of
    computation: a recompute makes a new key, never a stale page). The plan's latest run and the
    permission are checked on every request, with one query."""
    head = _latest_run_head(code)
    if head is None or not has_perm(request.user, "scoring.view_results", head[2]):
        raise Http404
    run_id, computed_at, _plan = head
    form_code = request.GET.get("form", "")[:50]
    kind = request.GET.get("kind", "")
    if kind not in CandidateKind.values:  # an odd value shows the collectives
        kind = CandidateKind.COLLECTIVE.value
    page = page_param(request.GET.get("page"))
    parts = (run_id, computed_at, bloc, form_code, kind, page, get_language())
    key = "scoring-bloc:" + hashlib.sha256(repr(parts).encode()).hexdigest()  # a safe key for any input
    cached = cache.get(key)
    if cached is None:
        run = ResultRun.objects.select_related("campaign__issuer", "round").get(pk=run_id)
        cached = _bloc_content(run, run.campaign, bloc, form_code, kind, page)
        cache.set(key, cached, 3600)
    title, content = cached
    return render(
        request,
        "scoring/bloc_results.html",
        {"title": title, "content": mark_safe(content)},  # rendered by our own template above
    )


def candidate_url(plan_code: str, form_code: str, result: CandidateResult) -> str:
    """The stable address of a candidate: plan, award form, kind, agency and person codes. It stays
    valid across recomputations (a row id does not)."""
    args = [plan_code, form_code, result.kind, result.agency.code]
    try:
        if result.person_id:
            return reverse("scoring:person_candidate", args=[*args, result.person.code])
        return reverse("scoring:candidate", args=args)
    except NoReverseMatch:  # a code the address cannot carry (a "/"): the row's own address
        return reverse("scoring:result", args=[result.pk])


@login_required
def result_by_id(request, pk):
    """The old address of a result row: sends to the candidate's stable address while the row
    exists (until the next recomputation), 404 after."""
    result = get_object_or_404(
        CandidateResult.objects.select_related("run__campaign__issuer", "award_form", "agency", "person"),
        pk=pk,
    )
    if not has_perm(request.user, "scoring.view_results", result.run.campaign):
        raise Http404
    url = candidate_url(result.run.campaign.code, result.award_form.code, result)
    if url == request.path:
        return _candidate_page(request, result)
    return redirect(url, permanent=False)


@login_required
def candidate(request, code, form, kind, agency, person=None):
    """A candidate of the plan's latest result run, by its stable address."""
    campaign = get_for_user_or_404(request.user, VIEW, PLANS, code=code)
    run = latest_run(campaign)
    if run is None or kind not in CandidateKind.values:
        raise Http404
    found = CandidateResult.objects.select_related(
        "run__campaign__issuer", "run__round", "award_form__min_par_band", "bloc", "agency", "person"
    ).filter(run=run, award_form__code=form, kind=kind, agency__code=agency)
    found = found.filter(person__code=person) if person is not None else found.filter(person__isnull=True)
    result = found.first()
    if result is None:
        raise Http404
    return _candidate_page(request, result)


def _candidate_page(request, result: CandidateResult):
    lines = explain(result, result.award_form, result.bloc.name if result.bloc else "", result.run.round.year)
    par = ParIndexResult.objects.filter(agency=result.agency, year=result.par_year).first()
    return render(
        request,
        "scoring/candidate.html",
        {"result": result, "lines": lines, "par": par, "history": history_for(par)[:20] if par else None},
    )


@login_required
def export(request, code, fmt):
    campaign = get_for_user_or_404(request.user, VIEW, PLANS, code=code)
    run = latest_run(campaign)
    if run is None:
        raise Http404
    data = export_csv(run) if fmt == "csv" else export_xlsx(run)
    return spreadsheet_response(data, f"ket-qua-{campaign.code}-{run.round.year}.{fmt}")


def _warnings_year(request, campaign: Campaign) -> int:
    """``?year=`` when it is a year (common.parsing), else the plan's latest round: never a 500."""
    year = year_param(request.GET.get("year"))
    return year if year is not None else default_warning_year(campaign)


@login_required
def warnings(request, code):
    campaign = get_for_user_or_404(request.user, VIEW, PLANS, code=code)
    year = _warnings_year(request, campaign)
    return render(
        request,
        "scoring/warnings.html",
        {
            "campaign": campaign,
            "year": year,
            "warnings": warnings_for(campaign, year),
            "rule": warning_sentence(campaign),
        },
    )


@login_required
def warnings_export(request, code, fmt):
    campaign = get_for_user_or_404(request.user, VIEW, PLANS, code=code)
    year = _warnings_year(request, campaign)
    found = warnings_for(campaign, year)
    data = export_warnings_csv(found) if fmt == "csv" else export_warnings_xlsx(found)
    return spreadsheet_response(data, f"kien-nghi-{campaign.code}-{year}.{fmt}")
