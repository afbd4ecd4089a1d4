"""Review services: assigning reviewers, conflicts of interest, scoring per criterion, final scores,
exemplary initiatives. Every function takes the actor keyword-only; the reads they use (who may review,
the subjects, the criteria) are in ``scoring.queries``.

Two people saving the same score never overwrite each other silently: every ``CriterionScore``
carries a ``version``; a save names the version it started from and is refused when the row has
moved on since (a conditional UPDATE ... WHERE version = the one read).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from agencies.models import Membership, Person
from agencies.rules import has_perm
from campaigns.models import Bloc, Campaign, Criterion, Round, TargetGroup, TargetGroupKind
from common.audit import audit_context, record_many
from common.display import number, user_display_name
from common.errors import PortalError
from common.notifications import notify
from common.parsing import ParseError, parse_decimal
from registrations.models import IndividualRegistration, Initiative, Registration, RegistrationState
from registrations.queries.targets import individual_group_for

from .models import CriterionScore, ExemplaryModel, ReviewAssignment, ScoreOverride
from .notices import ScoringNotice
from .queries import (
    Subject,
    aggregate_initiative_scores,
    belongs_to,
    criteria_of,
    criterion_label,
    reviewers_for,
)
from .rules import MANAGE


class ReviewError(PortalError):
    """A refused review action, with a Vietnamese message for the page."""


class StaleScore(ReviewError):
    """The score was changed by someone else since it was read."""


def _require_manager(campaign: Campaign, actor) -> None:
    """Assignments, final scores and exemplary models are home affairs' of the issuing body (or
    above), the rule ``scoring.manage_results`` of the pages: checked here too. The system
    (``actor=None``) may."""
    if actor is not None and not has_perm(actor, MANAGE, campaign):
        raise ReviewError(_("Chỉ cán bộ Nội vụ của cơ quan ban hành kế hoạch được làm việc này."))


def _require_reviewer(assignment: ReviewAssignment, actor) -> None:
    """Only the assigned reviewer scores their assignment (the administrator too is not one; the
    system, ``actor=None``, never scores: a score is its reviewer's judgment)."""
    if actor is None or assignment.reviewer_id != actor.pk:
        raise ReviewError(_("Bạn không được phân công chấm hồ sơ này."))


def _require_accepted(registration: Registration) -> None:
    if registration.state != RegistrationState.ACCEPTED:
        raise ReviewError(
            _("Đăng ký của %(agency)s đang ở trạng thái “%(state)s”: chỉ chấm hồ sơ đã được chấp nhận.")
            % {"agency": registration.agency, "state": registration.get_state_display()}
        )


def target_group_for(registration: Registration, individual=None, initiative=None) -> TargetGroup:
    """The criteria a subject is scored on: the registration's group, the plan's individual group
    matching the person's kind, or the plan's initiative group (seed 000's six criteria)."""
    groups = registration.campaign.target_groups.order_by("order", "pk")
    if initiative is not None:
        group = groups.filter(kind=TargetGroupKind.INITIATIVE).first()
    elif individual is not None:
        group = individual_group_for(registration.campaign, individual.person)
    else:
        group = registration.target_group or groups.filter(kind=TargetGroupKind.COLLECTIVE).first()
    if group is None:
        raise ReviewError(_("Kế hoạch chưa có bộ tiêu chí cho đối tượng này."))
    return group


def assign_reviewer(
    registration: Registration,
    reviewer,
    *,
    actor,
    individual: IndividualRegistration | None = None,
    initiative: Initiative | None = None,
    announce: bool = True,
) -> ReviewAssignment:
    """Phân công one reviewer. A reviewer who belongs to the agency under review is refused.
    ``announce=False``: the caller notifies the reviewer once for many assignments."""
    _require_manager(registration.campaign, actor)
    _require_accepted(registration)
    if individual is not None and individual.registration_id != registration.pk:
        raise ReviewError(_("Cá nhân không thuộc đăng ký này."))
    if initiative is not None and initiative.registration_id != registration.pk:
        raise ReviewError(_("Sáng kiến không thuộc đăng ký này."))
    if belongs_to(reviewer, registration.agency):
        raise ReviewError(
            _("%(user)s thuộc cơ quan %(agency)s nên không được chấm hồ sơ của cơ quan này.")
            % {"user": user_display_name(reviewer), "agency": registration.agency}
        )
    if not reviewers_for(registration.campaign).filter(pk=reviewer.pk).exists():
        raise ReviewError(
            _("%(user)s không phải cán bộ Nội vụ hay thành viên Hội đồng của kế hoạch này.")
            % {"user": user_display_name(reviewer)}
        )
    group = target_group_for(registration, individual, initiative)
    try:
        with transaction.atomic(), audit_context(actor, note=_("Phân công chấm điểm")):
            assignment = ReviewAssignment.objects.create(
                round=registration.round,
                registration=registration,
                individual=individual,
                initiative=initiative,
                target_group=group,
                reviewer=reviewer,
                assigned_by=actor,
            )
            if announce:
                notify(
                    [reviewer],
                    ScoringNotice.REVIEWER_ASSIGNED,
                    assignment,
                    title=_("Bạn được phân công chấm hồ sơ của %(agency)s") % {"agency": registration.agency},
                    url=reverse("scoring:review", args=[assignment.pk]),
                )
            return assignment
    except IntegrityError:
        raise ReviewError(
            _("%(user)s đã được phân công chấm hồ sơ này.") % {"user": user_display_name(reviewer)}
        ) from None


@dataclass
class AssignResult:
    created: int = 0
    refused: list[str] = field(default_factory=list)


def assign_many(subjects: list[Subject], reviewers: list, *, actor) -> AssignResult:
    """Phân công hàng loạt: every chosen reviewer to every chosen subject (agencies, people or
    initiatives). Each pair goes through ``assign_reviewer`` (same checks); a refused pair (a reviewer
    of the agency, one already assigned) is reported and the others are made. Each reviewer is
    notified once, with the number of new assignments."""
    result = AssignResult()
    if not subjects or not reviewers:
        raise ReviewError(_("Hãy chọn ít nhất một hồ sơ và một người chấm."))
    fresh: dict[int, int] = {}
    for subject in subjects:
        for reviewer in reviewers:
            try:
                assign_reviewer(
                    subject.registration,
                    reviewer,
                    actor=actor,
                    individual=subject.individual,
                    initiative=subject.initiative,
                    announce=False,
                )
            except ReviewError as exc:
                result.refused.append(f"{subject.name}: {exc.messages[0]}")
            else:
                result.created += 1
                fresh[reviewer.pk] = fresh.get(reviewer.pk, 0) + 1
    campaign = subjects[0].registration.campaign
    for reviewer in reviewers:
        if fresh.get(reviewer.pk):
            notify(
                [reviewer],
                ScoringNotice.REVIEWER_ASSIGNED,
                campaign,
                title=_("Bạn được phân công chấm %(n)s hồ sơ: %(campaign)s")
                % {"n": fresh[reviewer.pk], "campaign": Truncator(campaign.title).chars(80)},
                url=reverse("scoring:my_reviews"),
            )
    return result


def unassign_reviewer(assignment: ReviewAssignment, *, actor) -> None:
    """Gỡ phân công (home affairs of the plan). An assignment with saved scores is kept: removing it
    would delete the reviewer's scores; the reviewer declares a conflict instead, or home affairs
    sets the final score."""
    _require_manager(assignment.registration.campaign, actor)
    if assignment.scores.exists():
        raise ReviewError(
            _(
                "%(user)s đã chấm hồ sơ này nên không gỡ phân công được (điểm đã chấm được giữ lại). Nếu "
                "người chấm có xung đột lợi ích, họ tự khai trên trang chấm điểm."
            )
            % {"user": user_display_name(assignment.reviewer)}
        )
    with transaction.atomic(), audit_context(actor, note=_("Gỡ phân công chấm điểm")):
        assignment.delete()


def spread_reviewers(bloc: Bloc, round: Round, reviewers: list, per_registration: int, *, actor) -> int:
    """Spread reviewers evenly over the accepted registrations of a bloc: each registration gets
    ``per_registration`` reviewers, always the least loaded ones who do not belong to the agency
    (ties by username). Returns the number of new assignments."""
    _require_manager(bloc.campaign, actor)
    if per_registration < 1:
        raise ReviewError(_("Mỗi hồ sơ cần ít nhất một người chấm."))
    allowed = set(reviewers_for(bloc.campaign).values_list("pk", flat=True))
    if any(u.pk not in allowed for u in reviewers):
        raise ReviewError(_("Chỉ phân công cán bộ Nội vụ hay thành viên Hội đồng của kế hoạch này."))
    reviewers = sorted(reviewers, key=lambda u: u.get_username())
    registrations = list(
        Registration.objects.filter(
            round=round, state=RegistrationState.ACCEPTED, agency__bloc_memberships__bloc=bloc
        )
        .select_related("agency", "round", "campaign", "target_group")
        .order_by("agency__code")
    )
    existing = ReviewAssignment.objects.filter(
        registration__in=registrations, individual__isnull=True, initiative__isnull=True
    )
    assigned = {(a.registration_id, a.reviewer_id) for a in existing}
    load = Counter(
        dict(
            ReviewAssignment.objects.filter(round=round, reviewer__in=reviewers)
            .values_list("reviewer")
            .annotate(n=Count("pk"))
        )
    )
    members = set(
        Membership.objects.filter(
            user__in=reviewers, agency__in=[r.agency for r in registrations]
        ).values_list("user_id", "agency_id")
    ) | set(
        Person.objects.filter(user__in=reviewers, agency__in=[r.agency for r in registrations]).values_list(
            "user_id", "agency_id"
        )
    )
    created = 0
    fresh: dict[int, int] = {}
    with transaction.atomic(), audit_context(actor, note=_("Phân công chấm điểm đều trong khối")):
        for registration in registrations:
            have = sum(1 for u in reviewers if (registration.pk, u.pk) in assigned)
            free = [
                u
                for u in reviewers
                if (registration.pk, u.pk) not in assigned and (u.pk, registration.agency_id) not in members
            ]
            free.sort(key=lambda u: (load[u.pk], u.get_username()))
            for reviewer in free[: max(0, per_registration - have)]:
                ReviewAssignment.objects.create(
                    round=round,
                    registration=registration,
                    target_group=target_group_for(registration),
                    reviewer=reviewer,
                    assigned_by=actor,
                )
                load[reviewer.pk] += 1
                assigned.add((registration.pk, reviewer.pk))
                created += 1
                fresh[reviewer.pk] = fresh.get(reviewer.pk, 0) + 1
        for reviewer in reviewers:
            if fresh.get(reviewer.pk):
                notify(
                    [reviewer],
                    ScoringNotice.REVIEWER_ASSIGNED,
                    bloc,
                    title=_("Bạn được phân công chấm %(n)s hồ sơ của %(bloc)s")
                    % {"n": fresh[reviewer.pk], "bloc": bloc.name},
                    url=reverse("scoring:my_reviews"),
                )
    return created


def declare_conflict(assignment: ReviewAssignment, reason: str, *, actor) -> ReviewAssignment:
    """The reviewer declares a conflict of interest: their scores no longer count."""
    _require_reviewer(assignment, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Vui lòng nêu lý do xung đột lợi ích."))
    with audit_context(actor, note=_("Tự khai xung đột lợi ích")):
        assignment.conflict_declared = True
        assignment.conflict_reason = reason
        assignment.completed_at = None
        assignment.save(update_fields=["conflict_declared", "conflict_reason", "completed_at"])
    return assignment


@dataclass(frozen=True)
class ScoreEntry:
    """One criterion's score to save: ``version`` is the version the reviewer's page or sheet was
    showing (None or 0 for a score not yet saved)."""

    assignment: ReviewAssignment
    criterion: Criterion
    points: object
    comment: str = ""
    version: int | None = None


def _clean_points(criterion: Criterion, points) -> Decimal:
    try:
        points = parse_decimal(points)
    except ParseError:
        raise ReviewError(_("Điểm phải là một số.")) from None
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise ReviewError(
            _("Điểm của tiêu chí “%(criterion)s” phải từ 0 đến %(max)s.")
            % {"criterion": criterion_label(criterion), "max": number(criterion.max_points)}
        )
    if points != points.quantize(Decimal("0.01")):
        raise ReviewError(_("Điểm chỉ có tối đa 2 chữ số thập phân."))
    return points


def _stale(criterion: Criterion) -> StaleScore:
    return StaleScore(
        _(
            "Điểm tiêu chí “%(criterion)s” vừa được người khác lưu trước bạn. Điểm của bạn chưa được lưu; "
            "hãy tải lại trang để xem điểm mới rồi chấm lại."
        )
        % {"criterion": criterion_label(criterion)}
    )


def _require_scorer(assignment: ReviewAssignment, actor, on_behalf: bool) -> None:
    """The assigned reviewer scores; with ``on_behalf`` home affairs of the plan enters the scores a
    council member gave on paper (the audit names both)."""
    if on_behalf:
        _require_manager(assignment.registration.campaign, actor)
    else:
        _require_reviewer(assignment, actor)
    if assignment.conflict_declared:
        raise ReviewError(_("Bạn đã khai xung đột lợi ích với hồ sơ này nên không chấm được."))


def save_scores(
    entries: list[ScoreEntry], *, actor, on_behalf: bool = False, note: str = ""
) -> list[CriterionScore]:
    """Save many criteria's scores at once, all or nothing: the one write path of scores (the review
    page saves one criterion at a time through ``save_score``, a score sheet a whole file).

    Every entry is checked (the actor scores the assignment, the criterion belongs to it, 0 to the
    criterion's maximum, at most 2 decimals), then the rows are read under lock and each entry's
    ``version`` compared with the saved one: a row that moved on since is refused (``StaleScore``),
    never overwritten. An unchanged score is not written again. The writes and their audit entries
    are set-based: the number of queries does not grow with the number of entries."""
    if not entries:
        return []
    for assignment in {e.assignment.pk: e.assignment for e in entries}.values():
        _require_scorer(assignment, actor, on_behalf)
    cleaned = []
    for entry in entries:
        criterion = entry.criterion
        if criterion.target_group_id != entry.assignment.target_group_id or criterion.is_gate:
            raise ReviewError(_("Tiêu chí không thuộc bộ tiêu chí của hồ sơ này."))
        cleaned.append((entry, _clean_points(criterion, entry.points), entry.comment or ""))
    if not note:
        note = _("Chấm điểm")
    if on_behalf:
        reviewers = sorted({user_display_name(e.assignment.reviewer) for e in entries})
        note = _("%(note)s (Nội vụ nhập thay %(reviewers)s theo phiếu chấm giấy)") % {
            "note": note,
            "reviewers": ", ".join(reviewers),
        }
    now = timezone.now()
    with transaction.atomic():
        existing = {
            (s.assignment_id, s.criterion_id): s
            for s in CriterionScore.objects.select_for_update().filter(
                assignment__in={e.assignment.pk for e in entries},
                criterion__in={e.criterion.pk for e in entries},
            )
        }
        new, changed, created_log, audit, result = [], [], [], [], []
        for entry, points, comment in cleaned:
            current = existing.get((entry.assignment.pk, entry.criterion.pk))
            if (current is None) != (not entry.version) or (current and current.version != entry.version):
                raise _stale(entry.criterion)
            if current is None:
                score = CriterionScore(
                    assignment=entry.assignment,
                    criterion=entry.criterion,
                    points=points,
                    comment=comment,
                    updated_by=actor,
                    updated_at=now,
                )
                new.append(score)
                created_log.append(
                    (score, {"points": (None, points), **({"comment": (None, comment)} if comment else {})})
                )
            elif (current.points, current.comment) != (points, comment):
                before = (current.points, current.comment)
                current.points, current.comment = points, comment
                current.version += 1
                current.updated_by, current.updated_at = actor, now
                changed.append(current)
                diff = {"points": before[0], "comment": before[1]}
                audit.append(
                    (
                        current,
                        {k: (v, getattr(current, k)) for k, v in diff.items() if v != getattr(current, k)},
                    )
                )
                score = current
            else:
                score = current
            result.append(score)
        if new:
            try:
                with transaction.atomic():
                    CriterionScore.objects.bulk_create(new, batch_size=500)
            except IntegrityError:  # saved by someone else between the read and the write
                raise _stale(new[0].criterion) from None
            if any(s.pk is None for s in new):  # backends without RETURNING (none we run on)
                ids = {
                    (s.assignment_id, s.criterion_id): s.pk
                    for s in CriterionScore.objects.filter(
                        assignment__in={s.assignment_id for s in new},
                        criterion__in={s.criterion_id for s in new},
                    )
                }
                for s in new:
                    s.pk = ids[(s.assignment_id, s.criterion_id)]
        if changed:
            CriterionScore.objects.bulk_update(
                changed, ["points", "comment", "version", "updated_by", "updated_at"], batch_size=500
            )
        if created_log:
            record_many(created_log, actor=actor, note=note, action=LogEntry.Action.CREATE)
        if audit:
            record_many(audit, actor=actor, note=note)
    return result


def save_score(
    assignment: ReviewAssignment,
    criterion: Criterion,
    points,
    comment: str,
    version: int | None,
    *,
    actor,
) -> CriterionScore:
    """Save one criterion's score (the review page). ``version`` is the version the reviewer's page
    was showing (None or 0 for a score not yet saved). A stale version is refused, never
    overwritten."""
    return save_scores([ScoreEntry(assignment, criterion, points, comment, version)], actor=actor)[0]


def complete_assignment(assignment: ReviewAssignment, *, actor) -> ReviewAssignment:
    """Mark the review done: every scored criterion must have a score."""
    _require_reviewer(assignment, actor)
    missing = criteria_of(assignment).exclude(pk__in=assignment.scores.values("criterion_id"))
    if assignment.conflict_declared:
        raise ReviewError(_("Bạn đã khai xung đột lợi ích với hồ sơ này nên không chấm được."))
    if missing.exists():
        raise ReviewError(
            _("Còn %(n)s tiêu chí chưa chấm: %(criteria)s.")
            % {"n": missing.count(), "criteria": "; ".join(f"“{criterion_label(c)}”" for c in missing)}
        )
    with audit_context(actor, note=_("Hoàn thành chấm điểm")):
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["completed_at"])
    return assignment


def complete_scored(assignments: list[ReviewAssignment], *, actor, on_behalf: bool = False) -> int:
    """Mark done, at once, those of ``assignments`` not yet done whose every scored criterion has a
    score (``complete_assignment`` for a whole score sheet); the others are left as they are.
    Returns how many were marked."""
    open_ = [a for a in assignments if a.completed_at is None and not a.conflict_declared]
    for assignment in open_:
        _require_scorer(assignment, actor, on_behalf)
    if not open_:
        return 0
    needed = (
        Criterion.objects.filter(target_group=OuterRef("target_group"), is_gate=False)
        .order_by()
        .values("target_group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    done = (
        CriterionScore.objects.filter(assignment=OuterRef("pk"), criterion__is_gate=False)
        .order_by()
        .values("assignment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ready_ids = set(
        ReviewAssignment.objects.filter(pk__in=[a.pk for a in open_], completed_at__isnull=True)
        .annotate(needed=Subquery(needed), done=Subquery(done))
        .filter(needed__gt=0, done=F("needed"))
        .values_list("pk", flat=True)
    )
    ready = [a for a in open_ if a.pk in ready_ids]
    if not ready:
        return 0
    now = timezone.now()
    ReviewAssignment.objects.filter(pk__in=[a.pk for a in ready]).update(completed_at=now)
    for assignment in ready:
        assignment.completed_at = now
    record_many(
        [(a, {"completed_at": (None, now.isoformat())}) for a in ready],
        actor=actor,
        note=_("Hoàn thành chấm điểm"),
    )
    return len(ready)


def set_final_score(
    registration: Registration, score, reason: str, *, actor, individual=None
) -> ScoreOverride:
    """Home affairs sets the final score (replaces the reviewers' aggregate), always with a reason.
    The score lies between 0 and the most the subject's criteria can give (points x weight)."""
    _require_manager(registration.campaign, actor)
    _require_accepted(registration)
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Vui lòng nêu lý do quyết định điểm cuối cùng."))
    try:
        score = parse_decimal(score)
    except ParseError:
        raise ReviewError(_("Điểm phải là một số.")) from None
    maximum = target_group_for(registration, individual).max_total
    if not score.is_finite() or score < 0 or score > maximum:
        raise ReviewError(_("Điểm cuối cùng phải từ 0 đến %(max)s.") % {"max": number(maximum)})
    if score != score.quantize(Decimal("0.01")):
        raise ReviewError(_("Điểm chỉ có tối đa 2 chữ số thập phân."))
    lookup = Q(registration=registration) & (
        Q(individual=individual) if individual else Q(individual__isnull=True)
    )
    with transaction.atomic(), audit_context(actor, note=reason):
        override = ScoreOverride.objects.filter(lookup).first() or ScoreOverride(
            registration=registration, individual=individual
        )
        override.score, override.reason, override.set_by = score, reason, actor
        override.save()
    return override


def select_exemplary(initiative: Initiative, *, actor, note: str = "") -> ExemplaryModel:
    """Chọn nhân rộng: record the initiative as an exemplary model with its assessment score."""
    _require_manager(initiative.registration.campaign, actor)
    scored = aggregate_initiative_scores(initiative.registration.campaign).filter(pk=initiative.pk).first()
    if scored is None or scored.assessment is None:
        raise ReviewError(_("Sáng kiến chưa được chấm đủ nên chưa thể chọn nhân rộng."))
    with audit_context(actor, note=_("Chọn mô hình nhân rộng")):
        model, _created = ExemplaryModel.objects.update_or_create(
            initiative=initiative,
            defaults={"score": round(scored.assessment, 2), "note": note, "selected_by": actor},
        )
    return model
