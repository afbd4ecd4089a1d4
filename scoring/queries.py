"""Reads of the scoring app for its pages and services: rounds and runs, who may review a plan, the
subjects and criteria of a review, the initiatives' assessments, the results summary. Nothing here
writes; the state changes are in ``results`` (result runs) and ``reviews`` (assignments and scores).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils.text import Truncator

from agencies.models import Agency, Membership, Person, Role
from agencies.rules import holders
from campaigns.models import Campaign, Criterion, Round, TargetGroupKind
from registrations.models import IndividualRegistration, Initiative, Registration, RegistrationState

from .models import CandidateKind, CandidateResult, CriterionScore, ResultRun, ReviewAssignment

# --- rounds and result runs ------------------------------------------------------------------------


def default_round(campaign: Campaign) -> Round | None:
    """The latest round of the plan (the phase summary after the yearly round of the same year)."""
    return campaign.rounds.order_by("-year", "-is_final", "-starts_on").first()


def latest_run(campaign: Campaign, round: Round | None = None) -> ResultRun | None:
    qs = ResultRun.objects.filter(campaign=campaign)
    if round is not None:
        qs = qs.filter(round=round)
    return qs.select_related("round").order_by("-round__year", "-round__is_final", "-computed_at").first()


@dataclass(frozen=True)
class RunHead:
    """The plan's latest run, as ``latest_run`` orders them, read in one short query: its id, its time
    of computation, and the plan with its issuer (only what the permission reads; the plan's other
    fields are deferred, loaded on access, never wrong)."""

    run_id: int
    computed_at: str
    campaign: Campaign


def latest_run_head(code: str) -> RunHead | None:
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
    return RunHead(run_id, str(computed_at), campaign)


def results_summary(run: ResultRun) -> list[dict]:
    """Per bloc, award form and kind of candidate (the head and deputy who follow their agency
    included): how many candidates, eligible, proposed, tied at the cut-off, waiting for a head."""
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
    return summary


def bloc_candidates(run: ResultRun, award_form, kind: str, bloc) -> QuerySet[CandidateResult]:
    """The candidates of one bloc (None: outside any bloc), form and kind: ranked ones first, in rank
    order, the unranked after them (on every database)."""
    return (
        CandidateResult.objects.filter(run=run, award_form=award_form, kind=kind, bloc=bloc)
        .select_related("agency", "person")
        .order_by(F("rank_in_bloc").asc(nulls_last=True), "agency__code", "person__code", "pk")
    )


# --- who reviews ------------------------------------------------------------------------------------


def reviewers_for(campaign: Campaign) -> QuerySet:
    """Users who may review in this plan: home-affairs officers and council members of the issuing
    body or of a body above it; locked accounts are never among them (``agencies.rules.holders``)."""
    return holders(campaign.issuer, Role.HOME_AFFAIRS, Role.COUNCIL).order_by("username")


def belongs_to(user, agency) -> bool:
    """A reviewer belongs to an agency when they hold a role in it or are one of its people."""
    return (
        Membership.objects.filter(user=user, agency=agency).exists()
        or Person.objects.filter(user=user, agency=agency).exists()
    )


# --- what is reviewed ---------------------------------------------------------------------------------


class SubjectKind:
    """What a reviewer scores: an agency's registration, a person's registration, an initiative."""

    COLLECTIVE, INDIVIDUAL, INITIATIVE = "collective", "individual", "initiative"
    ALL = (COLLECTIVE, INDIVIDUAL, INITIATIVE)


@dataclass(frozen=True)
class Subject:
    registration: Registration
    individual: IndividualRegistration | None = None
    initiative: Initiative | None = None

    @property
    def name(self) -> str:
        if self.initiative is not None:
            return self.initiative.title
        if self.individual is not None:
            return f"{self.individual.person.full_name} ({self.registration.agency.name})"
        return self.registration.agency.name


def subjects_for(round: Round, kind: str, ids: list[int]) -> list[Subject]:
    """The accepted subjects of a round by kind and ids (ids of another round are ignored)."""
    accepted = {"state": RegistrationState.ACCEPTED, "round": round}
    if kind == SubjectKind.INDIVIDUAL:
        people = IndividualRegistration.objects.filter(
            pk__in=ids, **{f"registration__{k}": v for k, v in accepted.items()}
        ).select_related("person", "registration__agency", "registration__campaign", "registration__round")
        return [
            Subject(r.registration, individual=r) for r in people.order_by("registration__agency__code", "pk")
        ]
    if kind == SubjectKind.INITIATIVE:
        initiatives = Initiative.objects.filter(
            pk__in=ids, **{f"registration__{k}": v for k, v in accepted.items()}
        ).select_related("registration__agency", "registration__campaign", "registration__round")
        return [
            Subject(r.registration, initiative=r)
            for r in initiatives.order_by("registration__agency__code", "pk")
        ]
    rows = Registration.objects.filter(pk__in=ids, **accepted).select_related("agency", "campaign", "round")
    return [Subject(r) for r in rows.order_by("agency__code")]


def has_criteria(campaign: Campaign, kind: str) -> bool:
    """Whether the plan has a set of criteria for this kind of subject (agencies, people,
    initiatives): without one nobody can be assigned to score such a subject."""
    group_kind = {
        SubjectKind.INITIATIVE: TargetGroupKind.INITIATIVE,
        SubjectKind.INDIVIDUAL: TargetGroupKind.INDIVIDUAL,
    }.get(kind, TargetGroupKind.COLLECTIVE)
    return campaign.target_groups.filter(kind=group_kind).exists()


def criteria_of(assignment: ReviewAssignment) -> QuerySet[Criterion]:
    return assignment.target_group.criteria.filter(is_gate=False).order_by("order", "pk")


def criterion_label(criterion) -> str:
    """A criterion as a reviewer knows it: the beginning of its text (its code is for files only)."""
    return Truncator(criterion.text).chars(70)


def aggregate_initiative_scores(campaign: Campaign) -> QuerySet[Initiative]:
    """Initiatives of the plan with their reviewers' mean weighted total (seed 000's six criteria),
    computed in the database; conflicted and unfinished reviews do not count."""
    counted = {"conflict_declared": False, "completed_at__isnull": False}
    total = (
        CriterionScore.objects.filter(
            assignment__initiative=OuterRef("pk"), **{f"assignment__{k}": v for k, v in counted.items()}
        )
        .values("assignment__initiative")
        .annotate(s=Sum(F("points") * F("criterion__weight")))
        .values("s")
    )
    reviewers = (
        ReviewAssignment.objects.filter(initiative=OuterRef("pk"), **counted)
        .values("initiative")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Initiative.objects.filter(registration__campaign=campaign)
        .select_related("registration__agency", "exemplary")
        .annotate(
            reviewers=Subquery(reviewers),
            assessment=ExpressionWrapper(
                Subquery(total) / Subquery(reviewers),
                output_field=DecimalField(max_digits=9, decimal_places=2),
            ),
        )
        .order_by(F("assessment").desc(nulls_last=True), "pk")
    )
