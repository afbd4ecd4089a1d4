"""Scoring pages: results per bloc (ranked bar chart, quota line), candidate explanation,
exports, warnings. Thin: parse, call one service, render."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.shortcuts import get_list_or_404, get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.rules import has_perm, reach_q
from campaigns.models import Campaign
from campaigns.rules import get_campaign_for_user, visible_campaigns
from campaigns.sentences import warning_sentence
from common.actions import perform
from common.audit import history_for
from common.parsing import page_param, year_param
from common.spreadsheets import spreadsheet_response

from .charts import ranked_chart
from .explain import exclusion, explain
from .exports import export_csv, export_xlsx
from .models import CandidateKind, CandidateResult, ParIndexResult, ResultRun, StaffRatingRecord
from .queries import bloc_candidates, latest_run, results_summary
from .results import compute_results
from .rules import MANAGE, VIEW, get_candidate_for_user, get_latest_run_for_user, get_result_for_user
from .warnings import default_year as default_warning_year
from .warnings import export_csv as export_warnings_csv
from .warnings import export_xlsx as export_warnings_xlsx
from .warnings import warnings_for

PAGE_SIZE = 100


@login_required
def index(request):
    """Plans whose results the user may see, with the latest computation."""
    plans = [
        c
        for c in visible_campaigns(request.user).select_related("issuer").order_by("-period_start", "code")
        if has_perm(request.user, VIEW, c)
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
    campaign = get_campaign_for_user(request.user, code, perm=VIEW)
    run = latest_run(campaign)
    context = {
        "campaign": campaign,
        "run": run,
        "summary": results_summary(run) if run is not None else [],
        "can_manage": has_perm(request.user, MANAGE, campaign),
    }
    return render(request, "scoring/results.html", context)


@login_required
@require_POST
def compute(request, code):
    campaign = get_campaign_for_user(request.user, code, perm=MANAGE)
    return perform(
        request,
        lambda: compute_results(campaign, actor=request.user),
        redirect_to=reverse("scoring:results", args=[campaign.code]),
        success=lambda run: _("Đã tính kết quả: %(n)s ứng viên.") % {"n": run.candidate_count},
    )


class _BlocPage(Page):
    """A page of a bloc's candidates as ``includes/pagination.html`` reads it. The rows are read (and
    cached) with the page's content; an odd page number past the end still links to the one before
    it, as any page does."""

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _bloc_page(number: int, count: int) -> Page:
    return _BlocPage([], number, Paginator(range(count), PAGE_SIZE))


def _bloc_content(run, campaign, bloc: str, form_code: str, kind: str, page: int) -> tuple[str, str, int]:
    """The page's title, its rendered content (header, chart, table) for one bloc of one run, and
    how many candidates the bloc has for the chosen form and kind (for the pagination)."""
    bloc_obj = None if bloc == "-" else get_object_or_404(campaign.blocs, code=bloc)
    forms = get_list_or_404(campaign.award_forms.select_related("min_par_band").order_by("order", "pk"))
    form = next((f for f in forms if f.code == form_code), forms[0])
    qs = bloc_candidates(run, form, kind, bloc_obj)
    start = (page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE])
    count = start + len(rows) if 0 < len(rows) < PAGE_SIZE else qs.count()
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
        },
    )
    return bloc_name, content, count


@login_required
def bloc_results(request, code, bloc):
    """One bloc, one award form, one candidate kind: ranked bar chart with the quota line, table.

    A result run is a snapshot, so the page's content is cached under the run (id and time of
    computation: a recompute makes a new key, never a stale page). The plan's latest run and the
    permission are checked on every request, with one query."""
    head = get_latest_run_for_user(request.user, code)
    form_code = request.GET.get("form", "")[:50]
    kind = request.GET.get("kind", "")
    if kind not in CandidateKind.values:  # an odd value shows the collectives
        kind = CandidateKind.COLLECTIVE.value
    page = page_param(request.GET.get("page"))
    parts = (head.run_id, head.computed_at, bloc, form_code, kind, page, get_language())
    # A safe key for any input; "v2": the cached value now carries the number of candidates.
    key = "scoring-bloc-v2:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        run = ResultRun.objects.select_related("campaign__issuer", "round").get(pk=head.run_id)
        cached = _bloc_content(run, run.campaign, bloc, form_code, kind, page)
        cache.set(key, cached, 3600)
    title, content, count = cached
    return render(
        request,
        "scoring/bloc_results.html",
        {
            "title": title,
            "content": mark_safe(content),  # rendered by our own template above
            "page": _bloc_page(page, count),
        },
    )


def candidate_url(plan_code: str, form_code: str, result: CandidateResult) -> str:
    """The stable address of a candidate: plan, award form, kind, agency and person codes. It stays
    valid across recomputations (a row id does not)."""
    args = [plan_code, form_code, result.kind, result.agency.code]
    try:
        if result.person is not None:
            return reverse("scoring:person_candidate", args=[*args, result.person.code])
        return reverse("scoring:candidate", args=args)
    except NoReverseMatch:  # a code the address cannot carry (a "/"): the row's own address
        return reverse("scoring:result", args=[result.pk])


@login_required
def result_by_id(request, pk):
    """The old address of a result row: sends to the candidate's stable address while the row
    exists (until the next recomputation), 404 after."""
    result = get_result_for_user(request.user, pk)
    url = candidate_url(result.run.campaign.code, result.award_form.code, result)
    if url == request.path:
        return _candidate_page(request, result)
    return redirect(url, permanent=False)


@login_required
def candidate(request, code, form, kind, agency, person=None):
    """A candidate of the plan's latest result run, by its stable address."""
    return _candidate_page(request, get_candidate_for_user(request.user, code, form, kind, agency, person))


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
    head = get_latest_run_for_user(request.user, code)
    run = ResultRun.objects.select_related("round").get(pk=head.run_id)
    data = export_csv(run) if fmt == "csv" else export_xlsx(run)
    return spreadsheet_response(data, f"ket-qua-{head.campaign.code}-{run.round.year}.{fmt}")


def _warnings_year(request, campaign: Campaign) -> int:
    """``?year=`` when it is a year (common.parsing), else the plan's latest round: never a 500."""
    year = year_param(request.GET.get("year"))
    return year if year is not None else default_warning_year(campaign)


@login_required
def warnings(request, code):
    campaign = get_campaign_for_user(request.user, code, perm=VIEW)
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
    campaign = get_campaign_for_user(request.user, code, perm=VIEW)
    year = _warnings_year(request, campaign)
    found = warnings_for(campaign, year)
    data = export_warnings_csv(found) if fmt == "csv" else export_warnings_xlsx(found)
    return spreadsheet_response(data, f"kien-nghi-{campaign.code}-{year}.{fmt}")
