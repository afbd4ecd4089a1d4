"""Review pages: the reviewer's list and scoring page, the initiatives' assessments and the choice of
exemplary ones. Thin: every check is in ``scoring.reviews`` and ``scoring.rules``."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agencies.rules import has_perm
from campaigns.rules import get_campaign_for_user
from common.actions import perform
from common.display import number
from common.parsing import id_param
from registrations.models import Initiative, SelfAssessment

from . import reviews
from .models import CriterionScore, ReviewAssignment
from .queries import aggregate_initiative_scores, criteria_of
from .rules import MANAGE, VIEW, get_assignment_for_user


@login_required
def my_reviews(request):
    assignments = (
        ReviewAssignment.objects.filter(reviewer=request.user)
        .select_related("registration__agency", "registration__campaign", "individual__person", "initiative")
        .annotate(total=Sum(F("scores__points") * F("scores__criterion__weight")))
        .order_by("completed_at", "registration__campaign__code", "registration__agency__code", "pk")
    )
    assignments = list(assignments)
    plans = {}
    for assignment in assignments:
        assignment.total_text = number(assignment.total)  # "" until a score is saved
        plans.setdefault(assignment.registration.campaign.code, assignment.registration.campaign)
    return render(
        request,
        "scoring/my_reviews.html",
        {"assignments": assignments, "plans": sorted(plans.values(), key=lambda c: c.code)},
    )


def _save_scores(request, assignment: ReviewAssignment, criteria) -> tuple[int, dict[int, str]]:
    """Save each criterion the reviewer filled in; a refused one keeps its error beside its field."""
    saved, errors = 0, {}
    for criterion in criteria:
        raw = request.POST.get(f"points-{criterion.pk}", "").strip()
        if raw == "":
            continue
        comment = request.POST.get(f"comment-{criterion.pk}", "")
        version = id_param(request.POST.get(f"version-{criterion.pk}", ""))
        try:
            reviews.save_score(assignment, criterion, raw, comment, version, actor=request.user)
            saved += 1
        except reviews.ReviewError as exc:
            errors[criterion.pk] = exc.messages[0]
    return saved, errors


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """Score each criterion (save and come back later); the agency's self-assessment beside it."""
    assignment = get_assignment_for_user(request.user, pk)
    criteria = list(criteria_of(assignment))
    here = reverse("scoring:review", args=[assignment.pk])
    errors: dict[int, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "conflict":
            return perform(
                request,
                lambda: reviews.declare_conflict(
                    assignment, request.POST.get("conflict_reason", ""), actor=request.user
                ),
                redirect_to=here,
                success=_("Đã ghi nhận xung đột lợi ích; bạn không chấm hồ sơ này."),
            )
        saved, errors = _save_scores(request, assignment, criteria)

        def saved_and_back(_result=None):
            messages.success(
                request, _("Đã lưu %(n)s tiêu chí. Bạn có thể quay lại chấm tiếp.") % {"n": saved}
            )
            return redirect(here)

        if not errors and action == "complete":
            return perform(
                request,
                lambda: reviews.complete_assignment(assignment, actor=request.user),
                redirect_to="scoring:my_reviews",
                success=_("Đã hoàn thành chấm điểm."),
                on_error=saved_and_back,
            )
        if not errors:
            return saved_and_back()
        messages.error(request, _("Một số điểm chưa được lưu; xem thông báo ở từng tiêu chí."))
    scores = {s.criterion_id: s for s in CriterionScore.objects.filter(assignment=assignment)}
    own = {}
    report = getattr(assignment.registration, "final_report", None)
    if report is not None and assignment.individual_id is None and assignment.initiative_id is None:
        own = {
            a.criterion_id: a
            for a in SelfAssessment.objects.filter(report=report).prefetch_related("evidence_files")
        }
    rows = [
        {
            "criterion": c,
            "score": scores.get(c.pk),
            "own": own.get(c.pk),
            "error": errors.get(c.pk, ""),
            "posted": request.POST.get(f"points-{c.pk}") if errors else None,
        }
        for c in criteria
    ]
    registration = assignment.registration
    can_view_dossier = has_perm(request.user, "registrations.view_registration", registration)
    return render(
        request,
        "scoring/review.html",
        {
            "assignment": assignment,
            "rows": rows,
            "total": _running_total(criteria, scores),
            "can_view_dossier": can_view_dossier,
            "report": report if can_view_dossier else None,
        },
    )


def _running_total(criteria, scores) -> dict:
    """The reviewer's weighted total so far (điểm x hệ số over the saved scores), out of the most the
    criteria allow, and how many criteria are scored: the same sum the results use."""
    total = sum((scores[c.pk].points * c.weight for c in criteria if c.pk in scores), Decimal(0))
    most = sum((c.max_points * c.weight for c in criteria), Decimal(0))
    return {
        "value": number(total),
        "max": number(most),
        "scored": sum(1 for c in criteria if c.pk in scores),
        "count": len(criteria),
    }


@login_required
@require_http_methods(["GET"])
def initiatives(request, code):
    campaign = get_campaign_for_user(request.user, code, perm=VIEW)
    return render(
        request,
        "scoring/initiatives.html",
        {
            "campaign": campaign,
            "initiatives": aggregate_initiative_scores(campaign),
            "can_manage": has_perm(request.user, MANAGE, campaign),
        },
    )


@login_required
@require_POST
def select_initiative(request, code, pk):
    campaign = get_campaign_for_user(request.user, code, perm=MANAGE)
    initiative = get_object_or_404(Initiative, pk=pk, registration__campaign=campaign)
    return perform(
        request,
        lambda: reviews.select_exemplary(initiative, actor=request.user, note=request.POST.get("note", "")),
        redirect_to=reverse("scoring:initiatives", args=[campaign.code]),
        success=_("Đã chọn “%(title)s” để nhân rộng.") % {"title": initiative.title},
    )
