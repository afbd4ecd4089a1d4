"""The read API of scoring for the apps to its right (awards), and result-run freezing.

Awards never reads ``CandidateResult`` columns: it gets ``Candidate`` objects (plain, frozen) with
the values the gates saw, the verdicts, the rank, the quota, the tie flag and the explanation.

- ``candidates(run, award_form=None, bloc_id=..., ids=..., explained=True)``: one query, ordered by
  award form, bloc and rank; the number of queries never depends on the number of candidates.
- ``freeze_run(run, actor)``: a proposal list is made from ``run``; ``compute_results`` then
  refuses to recompute the round (``RunFrozen``) until ``unfreeze_run(run, actor, reason)``
  (home affairs withdrew the list). A run once frozen is kept: it stays readable for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import AwardForm
from common.audit import record

from .explain import exclusion, explain
from .models import CandidateKind, CandidateResult, ResultRun
from .results import RunFrozen, compute_results, default_round, latest_run

__all__ = [
    "Candidate",
    "RunFrozen",
    "candidate_rows",
    "candidates",
    "compute_results",
    "default_round",
    "failed_gates",
    "freeze_run",
    "latest_run",
    "quotas",
    "unfreeze_run",
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
    bloc_name = result.bloc.name if result.bloc_id else ""
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
        person_name=result.person.full_name if result.person_id else "",
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


def freeze_run(run: ResultRun, actor) -> ResultRun:
    """Freeze ``run``: a proposal list is made from it (idempotent)."""
    with transaction.atomic():
        run = ResultRun.objects.select_for_update().get(pk=run.pk)
        if run.frozen_at is None:
            run.frozen_at, run.frozen_by, run.kept = timezone.now(), actor, True
            run.save(update_fields=["frozen_at", "frozen_by", "kept"])
            record(run, actor=actor, changes={"frozen_at": (None, run.frozen_at)},
                   note=_("Khóa kết quả để lập danh sách đề nghị khen thưởng"))  # fmt: skip
    return run


def unfreeze_run(run: ResultRun, actor, reason: str) -> ResultRun:
    """Unfreeze ``run`` (home affairs withdrew the list made from it, with ``reason``): the round can
    be recomputed; the run itself stays (kept) and readable."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_("Phải ghi lý do rút danh sách đề nghị."))
    with transaction.atomic():
        run = ResultRun.objects.select_for_update().get(pk=run.pk)
        if run.frozen_at is not None:
            before = run.frozen_at
            run.frozen_at = None
            run.save(update_fields=["frozen_at"])
            record(run, actor=actor, changes={"frozen_at": (before, None)}, note=reason)
    return run


def candidate_rows(run: ResultRun, award_form: AwardForm):
    """The candidates of ``run`` for ``award_form`` as a values() queryset with stable names
    (result_id, kind, agency_id, person_id, bloc_id, rank_in_bloc, eligible, tie_at_cutoff, proposed):
    for set-based copies (INSERT ... SELECT) whose cost never depends on the number of candidates."""
    from django.db.models import F

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
    from django.db.models import Max

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
    from .models import ExemplaryModel

    qs = ExemplaryModel.objects.filter(initiative__registration__campaign=campaign).select_related(
        "initiative__registration__agency"
    )
    return [Exemplary(e.initiative.title, e.initiative.registration.agency.name, e.score) for e in qs]


def warnings(campaign, year: int) -> list:
    """Kiến nghị xử lý of ``year`` (seed 002), as ``scoring.warnings.Warning`` objects."""
    from .warnings import warnings_for

    return warnings_for(campaign, year)
