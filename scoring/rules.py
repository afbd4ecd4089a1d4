"""Permissions of the scoring app (django-rules), declared once here, and the access helpers every
scoring view starts with.

Results of a plan are managed by home affairs of the plan's issuer
(``campaigns.rules.is_issuer_home_affairs``) and read by its council and leadership; a reviewer scores
only the assignments given to them; a score sheet is the reviewer's for their own assignments, and
home affairs' of the plan for any of its reviewers. Every helper answers 404 for an object that is
missing or out of the user's reach; a plan is ``campaigns.rules.get_campaign_for_user(user, code,
perm=VIEW or MANAGE)``.
"""

from __future__ import annotations

import rules
from django.http import Http404

from agencies.models import Role
from agencies.rules import get_for_user_or_404, has_perm, has_role_for, is_home_affairs, is_system_admin
from campaigns.models import Campaign
from campaigns.rules import is_issuer_home_affairs

from .models import CandidateResult, ReviewAssignment
from .queries import RunHead, latest_run_head, reviewers_for

IMPORT, MANAGE, VIEW, SCORE, SHEETS = (
    "scoring.import_results",
    "scoring.manage_results",
    "scoring.view_results",
    "scoring.score_assignment",
    "scoring.use_score_sheets",
)


@rules.predicate
def oversees_plan(user, campaign) -> bool:
    """Home affairs, council or leadership of the plan's issuer (or of a body above it)."""
    return campaign is not None and has_role_for(
        user, campaign.issuer, Role.HOME_AFFAIRS, Role.COUNCIL, Role.LEADERSHIP
    )


@rules.predicate
def is_assigned_reviewer(user, assignment) -> bool:
    return assignment is not None and assignment.reviewer_id == user.pk


@rules.predicate
def reviews_in_plan(user, campaign) -> bool:
    """The user has review assignments in the plan (a score sheet of their own)."""
    return (
        campaign is not None
        and getattr(user, "is_authenticated", False)
        and ReviewAssignment.objects.filter(reviewer=user, registration__campaign=campaign).exists()
    )


rules.add_perm(IMPORT, is_home_affairs | is_system_admin)
rules.add_perm(MANAGE, is_issuer_home_affairs | is_system_admin)
rules.add_perm(VIEW, oversees_plan | is_system_admin)
rules.add_perm(SCORE, is_assigned_reviewer)
rules.add_perm(SHEETS, reviews_in_plan | is_issuer_home_affairs | is_system_admin)


# --- access helpers --------------------------------------------------------------------------------


def get_assignment_for_user(user, pk, *, perm: str = SCORE) -> ReviewAssignment:
    """A review assignment the user may score (their own), else 404."""
    qs = ReviewAssignment.objects.select_related(
        "registration__agency", "registration__campaign", "individual__person", "initiative", "target_group"
    )
    return get_for_user_or_404(user, perm, qs, pk=pk)


def get_result_for_user(user, pk, *, perm: str = VIEW) -> CandidateResult:
    """A result row whose plan the user may see, else 404 (the permission is the plan's)."""
    result = (
        CandidateResult.objects.select_related("run__campaign__issuer", "award_form", "agency", "person")
        .filter(pk=pk)
        .first()
    )
    if result is None or not has_perm(user, perm, result.run.campaign):
        raise Http404
    return result


def get_candidate_for_user(user, code, form: str, kind: str, agency: str, person: str | None = None):
    """A candidate of the plan's latest result run by its stable address (plan, award form, kind,
    agency and person codes) if the user may see the plan's results; 404 otherwise."""
    head = get_latest_run_for_user(user, code)
    found = CandidateResult.objects.select_related(
        "run__campaign__issuer", "run__round", "award_form__min_par_band", "bloc", "agency", "person"
    ).filter(run_id=head.run_id, award_form__code=form, kind=kind, agency__code=agency)
    found = found.filter(person__code=person) if person is not None else found.filter(person__isnull=True)
    result = found.first()
    if result is None:
        raise Http404
    return result


def get_latest_run_for_user(user, code, *, perm: str = VIEW) -> RunHead:
    """The plan's latest result run (``queries.RunHead``: one short query) if the user may see the
    plan's results; 404 when the plan, its results or the permission is missing."""
    head = latest_run_head(code)
    if head is None or not has_perm(user, perm, head.campaign):
        raise Http404
    return head


def get_sheet_reviewer_for_user(
    user, campaign: Campaign, wanted: int | None, *, manages: bool, required: bool = False
):
    """Whose score sheet the page shows: the user's own, or (home affairs of the plan) the chosen
    reviewer's. None: home affairs has not chosen yet (404 with ``required``: a sheet to download or
    save). Another reviewer's sheet for anyone else, or a reviewer who is not the plan's, is 404."""
    if wanted is not None and wanted != user.pk:
        if not manages:
            raise Http404
        reviewer = (
            reviewers_for(campaign)
            .filter(pk=wanted, review_assignments__registration__campaign=campaign)
            .distinct()
            .first()
        )
        if reviewer is None:
            raise Http404
        return reviewer
    if reviews_in_plan(user, campaign):
        return user
    if required:
        raise Http404
    return None  # home affairs chooses a reviewer first (the permission admitted no one else)
