"""Phân công chấm điểm: home affairs assigns reviewers to agencies' registrations, to people's
registrations and to initiatives (one at a time, in bulk, or spread evenly over a bloc), removes an
assignment, and sets final scores. Thin: every check is in ``scoring.reviews``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from campaigns.rules import get_campaign_for_user
from common.actions import perform
from common.display import user_display_name
from common.errors import PortalError
from common.parsing import id_param, ids_param, int_param
from registrations.models import IndividualRegistration, Initiative, Registration, RegistrationState

from . import reviews
from .models import ReviewAssignment, ScoreOverride
from .queries import SubjectKind, default_round, has_criteria, reviewers_for, subjects_for
from .rules import MANAGE

KIND_LABELS = {
    SubjectKind.COLLECTIVE: gettext_lazy("Tập thể"),
    SubjectKind.INDIVIDUAL: gettext_lazy("Cá nhân"),
    SubjectKind.INITIATIVE: gettext_lazy("Sáng kiến"),
}


def _kind(value) -> str:
    return value if value in SubjectKind.ALL else SubjectKind.COLLECTIVE


def _assignments(**subject) -> Prefetch:
    return Prefetch(
        "review_assignments",
        queryset=ReviewAssignment.objects.filter(**subject)
        .select_related("reviewer")
        .order_by("reviewer__username"),
    )


def _rows(round, kind: str):
    accepted = {"registration__round": round, "registration__state": RegistrationState.ACCEPTED}
    if kind == SubjectKind.INDIVIDUAL:
        return (
            IndividualRegistration.objects.filter(**accepted)
            .select_related("person", "registration__agency")
            .prefetch_related(_assignments(), "score_overrides")
            .order_by("registration__agency__code", "person__full_name", "pk")
        )
    if kind == SubjectKind.INITIATIVE:
        return (
            Initiative.objects.filter(**accepted)
            .select_related("registration__agency")
            .prefetch_related(_assignments())
            .order_by("registration__agency__code", "pk")
        )
    return (
        Registration.objects.filter(round=round, state=RegistrationState.ACCEPTED)
        .select_related("agency")
        .prefetch_related(
            _assignments(individual__isnull=True, initiative__isnull=True),
            Prefetch("score_overrides", queryset=ScoreOverride.objects.filter(individual__isnull=True)),
        )
        .order_by("agency__code")
    )


def _counts(round) -> dict[str, int]:
    accepted = Q(registration__round=round, registration__state=RegistrationState.ACCEPTED)
    return {
        SubjectKind.COLLECTIVE: Registration.objects.filter(
            round=round, state=RegistrationState.ACCEPTED
        ).count(),
        SubjectKind.INDIVIDUAL: IndividualRegistration.objects.filter(accepted).count(),
        SubjectKind.INITIATIVE: Initiative.objects.filter(accepted).aggregate(n=Count("pk"))["n"],
    }


def _invalid() -> PortalError:
    return PortalError(_("Lựa chọn không hợp lệ."))


def _manual(request, round, kind: str, subject_id) -> str:
    subjects = subjects_for(round, kind, ids_param([subject_id]))
    reviewer = get_user_model().objects.filter(pk=id_param(request.POST.get("reviewer"))).first()
    if not subjects or reviewer is None:
        raise _invalid()
    subject = subjects[0]
    reviews.assign_reviewer(
        subject.registration,
        reviewer,
        actor=request.user,
        individual=subject.individual,
        initiative=subject.initiative,
    )
    return _("Đã phân công %(user)s chấm %(subject)s.") % {
        "user": user_display_name(reviewer),
        "subject": subject.name,
    }


def _bulk(request, round, kind: str, reviewers) -> tuple[str, list[str]]:
    by_pk = {u.pk: u for u in reviewers}
    subjects = subjects_for(round, kind, ids_param(request.POST.getlist("subjects")))
    chosen = [by_pk[i] for i in ids_param(request.POST.getlist("reviewers")) if i in by_pk]
    result = reviews.assign_many(subjects, chosen, actor=request.user)
    return _("Đã tạo %(n)s phân công.") % {"n": result.created}, result.refused


def _back(request, url: str, refused: list[str]):
    """Back to the page, with the pairs a bulk assignment refused (at most 20 named) as warnings."""
    for refusal in refused[:20]:
        messages.warning(request, refusal)
    if len(refused) > 20:
        messages.warning(request, _("… và %(n)s cặp khác không được phân công.") % {"n": len(refused) - 20})
    return redirect(url)


def _unassign(request, round) -> str:
    assignment = (
        ReviewAssignment.objects.filter(pk=id_param(request.POST.get("assignment")), round=round)
        .select_related("registration__campaign__issuer", "reviewer")
        .first()
    )
    if assignment is None:
        raise _invalid()
    reviews.unassign_reviewer(assignment, actor=request.user)
    return _("Đã gỡ phân công %(user)s.") % {"user": user_display_name(assignment.reviewer)}


def _spread(request, campaign, round, reviewers) -> str:
    bloc = campaign.blocs.filter(pk=id_param(request.POST.get("bloc"))).first()
    per = int_param(request.POST.get("per_registration") or 0, minimum=0, maximum=100)
    if bloc is None or per is None:
        raise _invalid()
    chosen = [u for u in reviewers if str(u.pk) in request.POST.getlist("reviewers")]
    n = reviews.spread_reviewers(bloc, round, chosen, per, actor=request.user)
    return _("Đã tạo %(n)s phân công.") % {"n": n}


def _override(request, round, kind: str, subject_id) -> str:
    subjects = subjects_for(round, kind, ids_param([subject_id]))
    if not subjects or kind == SubjectKind.INITIATIVE:
        raise _invalid()
    reviews.set_final_score(
        subjects[0].registration,
        request.POST.get("score", ""),
        request.POST.get("reason", ""),
        actor=request.user,
        individual=subjects[0].individual,
    )
    return _("Đã ghi điểm cuối cùng.")


def _act(request, campaign, round, reviewers) -> tuple[str, list[str]]:
    """One action of the page: its success message and the refused pairs of a bulk assignment, or a
    refusal (``PortalError``)."""
    action, kind = request.POST.get("action"), _kind(request.POST.get("kind"))
    # ``registration`` is the field's earlier name (agencies' registrations only).
    subject_id = request.POST.get("subject") or request.POST.get("registration")
    if action == "manual":
        return _manual(request, round, kind, subject_id), []
    if action == "bulk":
        return _bulk(request, round, kind, reviewers)
    if action == "unassign":
        return _unassign(request, round), []
    if action == "spread":
        return _spread(request, campaign, round, reviewers), []
    if action == "override":
        return _override(request, round, kind, subject_id), []
    raise _invalid()


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, code):
    """Home affairs: who reviews which agency, person or initiative; final scores."""
    campaign = get_campaign_for_user(request.user, code, perm=MANAGE)
    round = default_round(campaign)
    if round is None:
        messages.error(request, _("Kế hoạch chưa có đợt thi đua nào."))
        return redirect("scoring:results", code=campaign.code)
    reviewers = list(reviewers_for(campaign))
    if request.method == "POST":
        url = reverse("scoring:assign", args=[campaign.code]) + f"?kind={_kind(request.POST.get('kind'))}"
        return perform(
            request,
            lambda: _act(request, campaign, round, reviewers),
            success=lambda done: done[0],
            redirect_to=lambda done: _back(request, url, done[1] if done else []),
        )
    kind = _kind(request.GET.get("kind"))
    counts = _counts(round)
    return render(
        request,
        "scoring/assign.html",
        {
            "campaign": campaign,
            "round": round,
            "kind": kind,
            "has_criteria": has_criteria(campaign, kind),
            "tabs": [(k, KIND_LABELS[k], counts[k]) for k in SubjectKind.ALL],
            "rows": _rows(round, kind),
            "reviewers": reviewers,
            "blocs": campaign.blocs.order_by("order", "code"),
        },
    )
