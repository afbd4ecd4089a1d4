"""What scoring hands to the award step (outcomes of a round), as plain frozen objects: the one read
API of scoring for the apps to its right (awards).

Awards never reads ``CandidateResult`` columns: it gets ``Candidate`` objects with the values the
gates saw, the verdicts, the rank, the quota, the tie flag and the explanation.

- ``latest_run(campaign, round=None)``: the run a proposal list is made from;
- ``candidates(run, award_form=None, bloc_id=..., ids=..., explained=True)``: one query, ordered by
  award form, bloc and rank; the number of queries never depends on the number of candidates;
- ``candidate_rows`` and ``quotas``: set-based reads for copying candidates into a list;
- ``exemplary_initiatives(campaign)`` and ``warnings(campaign, year)`` for the public results page.

Freezing a run for a list (a state change) is ``scoring.results.freeze_run``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Max
from django.utils.translation import gettext as _

from campaigns.models import AwardForm

from .explain import exclusion, explain
from .models import CandidateKind, CandidateResult, ExemplaryModel, ResultRun
from .queries import latest_run
from .warnings import Warning, warnings_for

__all__ = [
    "Candidate",
    "Exemplary",
    "candidate_rows",
    "candidates",
    "exemplary_initiatives",
    "failed_gates",
    "latest_run",
    "quotas",
    "warnings",
]

COLLECTIVE = CandidateKind.COLLECTIVE.value


@dataclass(frozen=True)
class Candidate:
    """One candidate of a result run for one award form (ứng viên), as other apps see it."""

    result_id: int
    run_id: int
    award_form_id: int
    bloc_id: int | None
    bloc_name: str
    kind: str
    kind_label: str
    agency_id: int
    agency_name: str
    person_id: int | None
    person_name: str
    par_score: Decimal | None
    par_rating: str
    total_score: Decimal | None
    rank_value: Decimal | None
    rank_in_bloc: int | None
    eligible_rank: int | None
    quota_base: int | None
    quota: int | None
    tie_size: int | None
    tie_at_cutoff: bool
    eligible: bool
    proposed: bool
    failed_gates: tuple[str, ...]
    exclusion: str
    explanation: tuple[str, ...]

    @property
    def is_collective(self) -> bool:
        return self.kind == COLLECTIVE

    @property
    def name(self) -> str:
        return self.person_name or self.agency_name


_GATE_LABELS = (
    ("gate_par", "chỉ số CCHC"),
    ("gate_staff_rating", "xếp loại cán bộ"),
    ("gate_discipline", "kỷ luật"),
    ("gate_complaints", "khiếu nại"),
    ("gate_on_time", "đăng ký đúng hạn"),
    ("gate_head_tied", "tập thể không được khen"),
    ("gate_collective", "tập thể không được khen"),
)


def failed_gates(result: CandidateResult) -> list[str]:
    """Names of the gates ``result`` failed, in the plan's order (no duplicates)."""
    names: list[str] = []
    for column, label in _GATE_LABELS:
        if getattr(result, column) is False:
            name = _(label)
            if name not in names:
                names.append(name)
    return names


def _candidate(result: CandidateResult, form: AwardForm | None, year: int, explained: bool) -> Candidate:
    bloc_name = result.bloc.name if result.bloc else ""
    return Candidate(
        result_id=result.pk,
        run_id=result.run_id,
        award_form_id=result.award_form_id,
        bloc_id=result.bloc_id,
        bloc_name=bloc_name,
        kind=result.kind,
        kind_label=str(result.get_kind_display()),
        agency_id=result.agency_id,
        agency_name=result.agency.name,
        person_id=result.person_id,
        person_name=result.person.full_name if result.person else "",
        par_score=result.par_score,
        par_rating=result.par_rating,
        total_score=result.total_score,
        rank_value=result.rank_value,
        rank_in_bloc=result.rank_in_bloc,
        eligible_rank=result.eligible_rank,
        quota_base=result.quota_base,
        quota=result.quota,
        tie_size=result.tie_size,
        tie_at_cutoff=result.tie_at_cutoff,
        eligible=result.eligible,
        proposed=result.proposed,
        failed_gates=tuple(failed_gates(result)),
        exclusion=exclusion(result),
        explanation=tuple(explain(result, form, bloc_name, year)) if explained and form else (),
    )


def candidates(
    run: ResultRun,
    award_form: AwardForm | None = None,
    *,
    bloc_id: int | None = None,
    ids=None,
    explained: bool = True,
) -> list[Candidate]:
    """Candidates of ``run`` (optionally of one award form, one bloc, or the given result ids),
    ordered by award form, bloc and rank. One query (plus the award forms once when explained)."""
    qs = CandidateResult.objects.filter(run=run).select_related("bloc", "agency", "person")
    if award_form is not None:
        qs = qs.filter(award_form=award_form)
    if bloc_id is not None:
        qs = qs.filter(bloc_id=bloc_id)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    qs = qs.order_by("award_form_id", "bloc__order", "bloc_id", "kind", "rank_in_bloc", "agency__code", "pk")
    forms: dict[int, AwardForm] = {}
    if explained:
        if award_form is not None:
            forms[award_form.pk] = award_form
        else:
            forms = {f.pk: f for f in AwardForm.objects.filter(campaign_id=run.campaign_id)}
    year = run.round.year
    return [_candidate(r, forms.get(r.award_form_id), year, explained) for r in qs]


def candidate_rows(run: ResultRun, award_form: AwardForm):
    """The candidates of ``run`` for ``award_form`` as a values() queryset with stable names
    (result_id, kind, agency_id, person_id, bloc_id, rank_in_bloc, eligible, tie_at_cutoff, proposed):
    for set-based copies (INSERT ... SELECT) whose cost never depends on the number of candidates."""
    return (
        CandidateResult.objects.filter(run=run, award_form=award_form)
        .annotate(result_id=F("pk"))
        .values(
            "result_id", "kind", "agency_id", "person_id", "bloc_id", "rank_in_bloc", "eligible",
            "tie_at_cutoff", "proposed",
        )
    )  # fmt: skip


def quotas(run: ResultRun, award_form: AwardForm) -> dict[tuple[int | None, str], int | None]:
    """{(bloc id, kind): quota} of ``run`` for ``award_form`` (bloc id None for a plan-wide quota or
    a candidate outside any bloc). One aggregate query."""
    rows = (
        CandidateResult.objects.filter(run=run, award_form=award_form)
        .values("bloc_id", "kind")
        .annotate(q=Max("quota"))
        .order_by()
    )
    return {(r["bloc_id"], r["kind"]): r["q"] for r in rows}


@dataclass(frozen=True)
class Exemplary:
    """An initiative selected for replication (nhân rộng điển hình tiên tiến)."""

    title: str
    agency_name: str
    score: Decimal


def exemplary_initiatives(campaign) -> list[Exemplary]:
    qs = ExemplaryModel.objects.filter(initiative__registration__campaign=campaign).select_related(
        "initiative__registration__agency"
    )
    return [Exemplary(e.initiative.title, e.initiative.registration.agency.name, e.score) for e in qs]


def warnings(campaign, year: int) -> list[Warning]:
    """Kiến nghị xử lý of ``year`` (seed 002), as ``scoring.warnings.Warning`` objects."""
    return warnings_for(campaign, year)
