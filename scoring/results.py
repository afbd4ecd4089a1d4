"""The result run of a round (lần tính kết quả): compute it, freeze it for a proposal list, unfreeze it.

``compute_results`` replaces the round's working run with a new one, written by the SQL of
``scoring.ranking`` in a fixed number of statements (one per award form and candidate kind). A run
from which a proposal list was made is frozen (``freeze_run``): recomputing the round is refused
(``RunFrozen``) until home affairs withdraws the list (``unfreeze_run``, with the reason); a run once
frozen is kept for good, so a decision always shows the results it was based on.

The actor is keyword-only and must manage the plan's results (``scoring.manage_results``: home
affairs of the issuer, or the administrator); ``actor=None`` is the system (a command, the demo).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.rules import has_perm
from campaigns.models import Campaign, Round
from common.audit import record
from common.errors import PortalError

from .models import CandidateResult, ResultRun
from .queries import default_round
from .ranking import insert_candidates, ordered_forms
from .rules import MANAGE


class ResultsError(PortalError):
    """Computing, freezing or unfreezing a result run was refused."""


class RunFrozen(ResultsError):
    """compute_results refused: a proposal list was made from the round's results."""


def _require_manager(campaign: Campaign, actor) -> None:
    if actor is not None and not has_perm(actor, MANAGE, campaign):
        raise ResultsError(_("Chỉ cán bộ Nội vụ của cơ quan ban hành kế hoạch được làm việc này."))


def compute_results(campaign: Campaign, round: Round | None = None, *, actor=None) -> ResultRun:
    """Compute (or recompute) the results of ``round`` (default: the latest) for every award form.

    The number of SQL statements depends on the number of award forms, never on the candidates.
    """
    _require_manager(campaign, actor)
    round = round or default_round(campaign)
    if round is None:
        raise ResultsError(_("Kế hoạch chưa có đợt thi đua nào."))
    forms = ordered_forms(campaign)
    with transaction.atomic():
        frozen = ResultRun.objects.select_for_update().filter(round=round, frozen_at__isnull=False).first()
        if frozen is not None:
            raise RunFrozen(
                _(
                    "Không thể tính lại kết quả đợt %(round)s: danh sách đề nghị khen thưởng đã được lập "
                    "từ kết quả tính lúc %(at)s. Phòng Nội vụ phải rút danh sách (ghi rõ lý do) trước khi "
                    "tính lại."
                )
                % {"round": round, "at": timezone.localtime(frozen.computed_at).strftime("%d/%m/%Y %H:%M")}
            )
        previous = ResultRun.objects.filter(round=round, kept=False).first()
        if previous is not None:
            # Nothing refers to a result row, and nothing but its results to a run: two plain DELETEs,
            # without the collector's cascade that would look for the deleted rows again.
            CandidateResult.objects.filter(run=previous)._raw_delete(CandidateResult.objects.db)
            ResultRun.objects.filter(pk=previous.pk)._raw_delete(ResultRun.objects.db)
        run = ResultRun.objects.create(campaign=campaign, round=round, computed_by=actor)
        counts = []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Room for the per-reviewer aggregation of a large plan to hash in memory. The snapshot is
                # derived data (recomputed from the inputs at will), so the commit does not wait for the
                # WAL flush: a server crash within a fraction of a second after it can at worst undo the
                # whole recompute (previous run and audit trail as they were), never leave it half done.
                cursor.execute("SET LOCAL work_mem = '64MB'")
                cursor.execute("SET LOCAL synchronous_commit = off")
            for form in forms:
                counts += insert_candidates(campaign, round, run, form, cursor)
        if min(counts, default=0) >= 0:
            run.candidate_count = sum(counts)
        else:  # sqlite3 reports no row count for an INSERT that starts with WITH
            run.candidate_count = CandidateResult.objects.filter(run=run).count()
        run.save(update_fields=["candidate_count"])
        record(
            run,
            actor=actor,
            changes={
                "candidate_count": (previous.candidate_count if previous else None, run.candidate_count)
            },
            note=_("Tính kết quả xét khen thưởng"),
        )
    return run


def freeze_run(run: ResultRun, *, actor) -> ResultRun:
    """Freeze ``run``: a proposal list is made from it (idempotent)."""
    _require_manager(run.campaign, actor)
    with transaction.atomic():
        run = ResultRun.objects.select_for_update().get(pk=run.pk)
        if run.frozen_at is None:
            run.frozen_at, run.frozen_by, run.kept = timezone.now(), actor, True
            run.save(update_fields=["frozen_at", "frozen_by", "kept"])
            record(run, actor=actor, changes={"frozen_at": (None, run.frozen_at)},
                   note=_("Khóa kết quả để lập danh sách đề nghị khen thưởng"))  # fmt: skip
    return run


def unfreeze_run(run: ResultRun, *, actor, reason: str) -> ResultRun:
    """Unfreeze ``run`` (home affairs withdrew the list made from it, with ``reason``): the round can
    be recomputed; the run itself stays (kept) and readable."""
    _require_manager(run.campaign, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ResultsError(_("Phải ghi lý do rút danh sách đề nghị."))
    with transaction.atomic():
        run = ResultRun.objects.select_for_update().get(pk=run.pk)
        if run.frozen_at is not None:
            before = run.frozen_at
            run.frozen_at = None
            run.save(update_fields=["frozen_at"])
            record(run, actor=actor, changes={"frozen_at": (before, None)}, note=reason)
    return run
