"""Phân công chấm điểm: home affairs assigns reviewers to agencies' registrations, to people's
registrations and to initiatives (one at a time, in bulk, or spread evenly over a bloc), removes an
assignment, and sets final scores. Thin: every check is in ``scoring.reviews``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from agencies.rules import get_for_user_or_404
from common.display import user_display_name
from common.parsing import id_param, ids_param, parse_int
from registrations.models import IndividualRegistration, Initiative, Registration, RegistrationState

from . import reviews
from .models import ReviewAssignment, ScoreOverride
from .results import default_round
from .reviews import SubjectKind
from .views import MANAGE, PLANS

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


def _post(request, campaign, round, reviewers) -> None:
    """One action of the page; every refusal becomes a message."""
    action, kind = request.POST.get("action"), _kind(request.POST.get("kind"))
    # ``registration`` is the field's earlier name (agencies' registrations only).
    subject_id = request.POST.get("subject") or request.POST.get("registration")
    by_pk = {u.pk: u for u in reviewers}
    User = get_user_model()
    if action == "manual":
        subjects = reviews.subjects_for(round, kind, ids_param([subject_id]))
        reviewer = User.objects.filter(pk=id_param(request.POST.get("reviewer"))).first()
        if not subjects or reviewer is None:
            raise ValueError
        subject = subjects[0]
        reviews.assign_reviewer(
            subject.registration,
            reviewer,
            request.user,
            individual=subject.individual,
            initiative=subject.initiative,
        )
        messages.success(
            request,
            _("Đã phân công %(user)s chấm %(subject)s.")
            % {"user": user_display_name(reviewer), "subject": subject.name},
        )
    elif action == "bulk":
        subjects = reviews.subjects_for(round, kind, ids_param(request.POST.getlist("subjects")))
        chosen = [by_pk[i] for i in ids_param(request.POST.getlist("reviewers")) if i in by_pk]
        result = reviews.assign_many(subjects, chosen, request.user)
        messages.success(request, _("Đã tạo %(n)s phân công.") % {"n": result.created})
        for refusal in result.refused[:20]:
            messages.warning(request, refusal)
        if len(result.refused) > 20:
            messages.warning(
                request, _("… và %(n)s cặp khác không được phân công.") % {"n": len(result.refused) - 20}
            )
    elif action == "unassign":
        assignment = (
            ReviewAssignment.objects.filter(pk=id_param(request.POST.get("assignment")), round=round)
            .select_related("registration__campaign__issuer", "reviewer")
            .first()
        )
        if assignment is None:
            raise ValueError
        reviews.unassign_reviewer(assignment, request.user)
        messages.success(
            request, _("Đã gỡ phân công %(user)s.") % {"user": user_display_name(assignment.reviewer)}
        )
    elif action == "spread":
        bloc = campaign.blocs.filter(pk=id_param(request.POST.get("bloc"))).first()
        if bloc is None:
            raise ValueError
        chosen = [u for u in reviewers if str(u.pk) in request.POST.getlist("reviewers")]
        per = parse_int(request.POST.get("per_registration") or 0, minimum=0, maximum=100)
        n = reviews.spread_reviewers(bloc, round, chosen, per, request.user)
        messages.success(request, _("Đã tạo %(n)s phân công.") % {"n": n})
    elif action == "override":
        subjects = reviews.subjects_for(round, kind, ids_param([subject_id]))
        if not subjects or kind == SubjectKind.INITIATIVE:
            raise ValueError
        reviews.set_final_score(
            subjects[0].registration,
            request.POST.get("score", ""),
            request.POST.get("reason", ""),
            request.user,
            individual=subjects[0].individual,
        )
        messages.success(request, _("Đã ghi điểm cuối cùng."))
    else:
        raise ValueError


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, code):
    """Home affairs: who reviews which agency, person or initiative; final scores."""
    campaign = get_for_user_or_404(request.user, MANAGE, PLANS, code=code)
    try:
        round = default_round(campaign)
    except ValueError:
        raise Http404 from None
    reviewers = list(reviews.reviewers_for(campaign))
    if request.method == "POST":
        try:
            _post(request, campaign, round, reviewers)
        except reviews.ReviewError as exc:
            messages.error(request, exc.messages[0])
        except ValueError:
            messages.error(request, _("Lựa chọn không hợp lệ."))
        kind = _kind(request.POST.get("kind"))
        return redirect(reverse("scoring:assign", args=[campaign.code]) + f"?kind={kind}")
    kind = _kind(request.GET.get("kind"))
    counts = _counts(round)
    return render(
        request,
        "scoring/assign.html",
        {
            "campaign": campaign,
            "round": round,
            "kind": kind,
            "has_criteria": reviews.has_criteria(campaign, kind),
            "tabs": [(k, KIND_LABELS[k], counts[k]) for k in SubjectKind.ALL],
            "rows": _rows(round, kind),
            "reviewers": reviewers,
            "blocs": campaign.blocs.order_by("order", "code"),
        },
    )
