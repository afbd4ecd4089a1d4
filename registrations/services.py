"""Business logic of registrations: no request, no HTTP. Views, commands and tasks call these.

Read API for other apps (reminders, scoring):

- ``agencies_without_registration(milestone)``: targeted agencies that have not submitted a
  registration for the milestone's round (none at all, or still a draft).
- ``agencies_not_confirmed(milestone)``: targeted agencies whose registration the head has not
  confirmed yet (no registration, draft, submitted, resubmitted or returned).
- ``agencies_without_final_report(milestone)``: targeted agencies with no submitted final report.
- ``effective_deadline(agency, milestone)``: the milestone's deadline, or the agency's extension.

All three take a ``campaigns.Milestone``; when it has no round they look at every round of its
campaign. They return ``Agency`` querysets (one query when evaluated).

State changes: ``set_registration_state(registration, new_state, actor, reason=...)`` is the only
way a registration changes state; ``set_report_state`` for final reports. After commit they send
``registrations.signals.registration_state_changed`` / ``report_state_changed``, and notify the
agency on return/acceptance through ``common.notifications.notify``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, Membership, Person, Role
from agencies.rules import holders, is_head_of, is_home_affairs_for, is_staff_of, is_system_admin
from campaigns.models import (
    VN_TZ,
    BlocMembership,
    Campaign,
    CampaignState,
    Milestone,
    MilestoneKind,
    Round,
    TargetGroupKind,
)
from common.audit import audit_context
from common.display import number as display_number
from common.notifications import notify
from common.parsing import ParseError, parse_decimal
from common.workflow import Transition, Workflow
from registrations.notices import RegistrationNotice

from .models import (
    EDITABLE_STATES,
    Commitment,
    DeadlineExtension,
    EvidenceFile,
    FinalReport,
    IndicatorValue,
    IndividualRegistration,
    Initiative,
    Registration,
    RegistrationState,
    ReportState,
    SelfAssessment,
)
from .signals import registration_state_changed, report_state_changed
from .uploads import validate_evidence

S = RegistrationState


class RegistrationError(ValidationError):
    """A refused action, with a Vietnamese message (or a list of them) for the page; ``code`` says why."""

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)
        self.code = code


# --- deadlines ------------------------------------------------------------------------------------


def registration_milestone(registration: Registration) -> Milestone | None:
    return registration.campaign.milestone(MilestoneKind.REGISTRATION_DEADLINE, registration.round)


def report_milestone(registration: Registration) -> Milestone | None:
    return registration.campaign.milestone(MilestoneKind.REPORT_DEADLINE, registration.round)


def extension_for(agency: Agency, milestone: Milestone | None) -> DeadlineExtension | None:
    if milestone is None:
        return None
    return DeadlineExtension.objects.filter(agency=agency, milestone=milestone).first()


def _end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=VN_TZ)


def effective_deadline(agency: Agency, milestone: Milestone | None) -> dt.datetime | None:
    """End of the milestone's last day, or of the extension's when one was granted and is later."""
    if milestone is None:
        return None
    deadline = milestone.deadline_at
    ext = extension_for(agency, milestone)
    if ext is not None:
        deadline = max(deadline, _end_of_day(ext.extended_until))
    return deadline


def time_left(deadline: dt.datetime | None, now: dt.datetime | None = None) -> dt.timedelta | None:
    if deadline is None:
        return None
    return deadline - (now or timezone.now())


def _check_deadline(agency: Agency, milestone: Milestone | None, now: dt.datetime, what: str) -> None:
    deadline = effective_deadline(agency, milestone)
    if deadline is not None and now > deadline:
        raise RegistrationError(
            _(
                "Đã quá hạn %(what)s (hạn cuối: hết ngày %(date)s). Cơ quan chỉ gửi được khi "
                "Phòng/Sở Nội vụ cho gia hạn."
            )
            % {"what": what, "date": date_format(deadline.astimezone(VN_TZ).date(), "d/m/Y")},
            code="deadline",
        )


@transaction.atomic
def grant_extension(
    agency: Agency, milestone: Milestone, until: dt.date, reason: str, actor
) -> DeadlineExtension:
    """Gia hạn for one agency (home affairs of that agency only), recorded with its reason."""
    if not (is_home_affairs_for(actor, agency) or is_system_admin(actor)):
        raise RegistrationError(
            _("Chỉ Phòng/Sở Nội vụ quản lý cơ quan này được cho gia hạn."), code="permission"
        )
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError(_("Phải ghi lý do gia hạn."), code="reason")
    if until < milestone.due_on:
        raise RegistrationError(_("Ngày gia hạn phải sau hạn của mốc."), code="until")
    with audit_context(actor, note=reason):
        ext, _created = DeadlineExtension.objects.update_or_create(
            agency=agency,
            milestone=milestone,
            defaults={"extended_until": until, "reason": reason, "granted_by": actor},
        )
    return ext


# --- starting and editing -------------------------------------------------------------------------


def collective_group_for(campaign: Campaign, agency: Agency):
    for group in campaign.target_groups.all():
        if group.kind == TargetGroupKind.COLLECTIVE and agency.kind in (group.agency_kinds or []):
            return group
    return None


def open_rounds_for(agency: Agency) -> QuerySet[Round]:
    """Rounds of published plans that target this agency (the plan decides, see targets_agency)."""
    rounds = (
        Round.objects.filter(campaign__state=CampaignState.PUBLISHED)
        .select_related("campaign__issuer")
        .prefetch_related("campaign__target_groups")
    )
    return rounds.filter(pk__in=[r.pk for r in rounds if r.campaign.targets_agency(agency)])


@transaction.atomic
def start_registration(round: Round, agency: Agency, actor) -> Registration:
    """Open (or return the existing) draft registration of ``agency`` for ``round``."""
    if not is_staff_of(actor, agency):
        raise RegistrationError(
            _("Chỉ cán bộ phụ trách thi đua của cơ quan được đăng ký."), code="permission"
        )
    existing = Registration.objects.filter(round=round, agency=agency).first()
    if existing:
        return existing
    campaign = round.campaign
    if campaign.state != CampaignState.PUBLISHED:
        raise RegistrationError(_("Kế hoạch chưa được phát động hoặc đã kết thúc."), code="not_published")
    if not campaign.targets_agency(agency):
        raise RegistrationError(_("Kế hoạch này không áp dụng cho cơ quan."), code="not_targeted")
    with audit_context(actor):
        registration = Registration.objects.create(
            round=round,
            campaign=campaign,
            agency=agency,
            target_group=collective_group_for(campaign, agency),
            created_by=actor,
        )
        Commitment.objects.bulk_create(
            [Commitment(registration=registration, content=c) for c in campaign.contents.all()]
        )
    return registration


def _require_editable(registration: Registration, actor) -> None:
    if not is_staff_of(actor, registration.agency):
        raise RegistrationError(_("Chỉ cán bộ phụ trách thi đua của cơ quan được sửa."), code="permission")
    if registration.state not in EDITABLE_STATES:
        raise RegistrationError(
            _("Đăng ký đang ở trạng thái “%(state)s”, không sửa được.")
            % {"state": registration.get_state_display()},
            code="locked",
        )


@transaction.atomic
def save_draft(
    registration: Registration, actor, *, pledge: str | None = None, commitments: dict | None = None
):
    """Autosave: the pledge and the commitment texts by content id. Only changed rows are written."""
    _require_editable(registration, actor)
    with audit_context(actor):
        if pledge is not None and pledge != registration.pledge:
            registration.pledge = pledge
            registration.save(update_fields=["pledge", "updated_at"])
        if commitments:
            existing = {c.content_id: c for c in registration.commitments.all()}
            valid_content = set(registration.campaign.contents.values_list("pk", flat=True))
            for content_id, text in commitments.items():
                if content_id not in valid_content:
                    continue
                row = existing.get(content_id)
                if row is None:
                    Commitment.objects.create(registration=registration, content_id=content_id, text=text)
                elif row.text != text:
                    row.text = text
                    row.save(update_fields=["text"])
        Registration.objects.filter(pk=registration.pk).update(updated_at=timezone.now())
    registration.refresh_from_db(fields=["updated_at"])
    return registration


def allowed_person_kinds(campaign: Campaign) -> set[str]:
    """Person kinds the plan's individual target groups admit (empty = the plan sets no limit)."""
    kinds: set[str] = set()
    for group in campaign.target_groups.all():
        if group.kind == TargetGroupKind.INDIVIDUAL:
            kinds.update(group.person_kinds or [])
    return kinds


def _person_kind_error(person: Person, allowed: set[str]) -> str | None:
    if allowed and person.kind not in allowed:
        return _("%(name)s (%(kind)s) không thuộc đối tượng thi đua cá nhân của kế hoạch.") % {
            "name": person.full_name,
            "kind": person.get_kind_display(),
        }
    return None


@transaction.atomic
def add_individual(registration: Registration, person: Person, actor, *, aimed_title="", commitment=""):
    _require_editable(registration, actor)
    if person.agency_id != registration.agency_id:
        raise RegistrationError(_("Cá nhân không thuộc cơ quan này."), code="person_agency")
    kind_error = _person_kind_error(person, allowed_person_kinds(registration.campaign))
    if kind_error:
        raise RegistrationError(kind_error, code="person_kind")
    taken = IndividualRegistration.objects.filter(round=registration.round, person=person).first()
    if taken:
        raise RegistrationError(
            _("%(name)s đã được đăng ký trong đợt thi đua này.") % {"name": person.full_name},
            code="duplicate",
        )
    with audit_context(actor):
        return IndividualRegistration.objects.create(
            registration=registration,
            round=registration.round,
            person=person,
            aimed_title=aimed_title,
            commitment=commitment,
        )


@transaction.atomic
def remove_individual(registration: Registration, individual: IndividualRegistration, actor) -> None:
    _require_editable(registration, actor)
    if individual.registration_id != registration.pk:
        raise RegistrationError(_("Không tìm thấy."), code="not_found")
    with audit_context(actor):
        individual.delete()


@transaction.atomic
def save_initiative(
    registration: Registration, actor, data: dict, authors, initiative: Initiative | None = None
):
    """Create or update an initiative.

    ``data``: kind, title, reform_area, problem, description, expected_effect."""
    _require_editable(registration, actor)
    authors = list(authors)
    if any(p.agency_id != registration.agency_id for p in authors):
        raise RegistrationError(_("Tác giả phải là cá nhân của cơ quan."), code="author_agency")
    with audit_context(actor):
        if initiative is None:
            initiative = Initiative(registration=registration)
        for name, value in data.items():
            setattr(initiative, name, value)
        initiative.save()
        initiative.authors.set(authors)
    return initiative


@transaction.atomic
def delete_initiative(registration: Registration, initiative: Initiative, actor) -> None:
    _require_editable(registration, actor)
    if initiative.registration_id != registration.pk:
        raise RegistrationError(_("Không tìm thấy."), code="not_found")
    names = [(f.file.storage, f.file.name) for f in initiative.attachments.all()]
    with audit_context(actor):
        initiative.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


@transaction.atomic
def attach_evidence(
    registration: Registration, upload, actor, *, initiative=None, assessment=None
) -> EvidenceFile:
    """Validate (content, size) then store; raises ValidationError and saves nothing when refused."""
    kind = validate_evidence(upload)
    if initiative is not None and initiative.registration_id != registration.pk:
        raise RegistrationError(_("Không tìm thấy."), code="not_found")
    if assessment is not None and assessment.report.registration_id != registration.pk:
        raise RegistrationError(_("Không tìm thấy."), code="not_found")
    with audit_context(actor):
        evidence = EvidenceFile(
            registration=registration,
            initiative=initiative,
            assessment=assessment,
            original_name=(upload.name or "")[-255:],
            content_type=kind.content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
    return evidence


@transaction.atomic
def delete_evidence(evidence: EvidenceFile, actor) -> None:
    """Only the agency's staff, and only while the part the file belongs to is editable (a draft or
    returned registration; a draft final report): the superuser included."""
    if evidence.assessment_id:
        _require_report_editable(evidence.assessment.report, actor)
    else:
        _require_editable(evidence.registration, actor)
    with audit_context(actor):
        storage, name = evidence.file.storage, evidence.file.name
        evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- the state machine ------------------------------------------------------------------------------

def _staff(user, registration: Registration) -> bool:
    return is_staff_of(user, registration.agency)


def _head(user, registration: Registration) -> bool:
    return is_head_of(user, registration.agency)


def _home_affairs(user, registration: Registration) -> bool:
    return is_home_affairs_for(user, registration.agency) or is_system_admin(user)


#: The single table every check reads: (from, to) and who may take it.
WORKFLOW = Workflow(
    model=Registration,
    transitions=[
        Transition(S.DRAFT, S.SUBMITTED, _staff),
        Transition(S.SUBMITTED, S.DRAFT, _staff),  # withdraw to correct before the head confirms
        Transition(S.SUBMITTED, S.CONFIRMED, _head),
        Transition(S.RETURNED, S.RESUBMITTED, _staff),
        Transition(S.RESUBMITTED, S.CONFIRMED, _head),
        Transition(S.CONFIRMED, S.ACCEPTED, _home_affairs),
        Transition(S.CONFIRMED, S.RETURNED, _home_affairs),
        Transition(S.ACCEPTED, S.RETURNED, _home_affairs),
    ],
    labels=lambda state: S(state).label,
    transition_message=gettext_lazy("Không thể chuyển đăng ký từ “%(old)s” sang “%(new)s”."),
    error=RegistrationError,
    # The registration's ``updated_at`` is the version of its edit form: a state change is not an edit.
    touch_updated_at=False,
)


def allowed_targets(registration: Registration, user) -> list[str]:
    """The states ``user`` may move this registration to now (for the page's buttons)."""
    return WORKFLOW.targets(registration, user)


def _check_complete(registration: Registration) -> None:
    """Before sending: at least one commitment (the general pledge or one per content), and an
    initiative where the target group requires one."""
    if not registration.pledge.strip() and not any(
        text.strip() for text in registration.commitments.values_list("text", flat=True)
    ):
        raise RegistrationError(
            _(
                "Chưa có cam kết nào: hãy ghi cam kết chung hoặc cam kết cho ít nhất một nội dung "
                "thi đua trước khi gửi đăng ký."
            ),
            code="commitment",
        )
    group = registration.target_group
    if group is not None and group.initiative_required and not registration.initiatives.exists():
        raise RegistrationError(
            _("Kế hoạch yêu cầu đăng ký ít nhất một sáng kiến, giải pháp hoặc cách làm hay."),
            code="initiative",
        )
    _check_initiative_per_person(registration)


def individual_groups(campaign: Campaign) -> list:
    """The plan's individual target groups, in the plan's order (one query)."""
    return list(campaign.target_groups.filter(kind=TargetGroupKind.INDIVIDUAL).order_by("order", "pk"))


def individual_group_for(campaign: Campaign, person: Person, groups: list | None = None):
    """The plan's individual target group of a person: the one whose person kinds list theirs, else
    the first individual group (None when the plan has none). ``groups``: ``individual_groups``
    already read, for many people."""
    groups = individual_groups(campaign) if groups is None else groups
    return next((g for g in groups if person.kind in (g.person_kinds or [])), None) or next(
        iter(groups), None
    )


def initiative_per_person(campaign: Campaign) -> bool:
    """Whether the plan asks every registered person for an initiative (seed 003)."""
    return campaign.target_groups.filter(kind=TargetGroupKind.INDIVIDUAL, initiative_per_person=True).exists()


def people_without_initiative(registration: Registration) -> list[Person]:
    """Seed 003 ("mỗi cá nhân ... đăng ký một sáng kiến"): the people registered with this registration
    whose individual group sets ``initiative_per_person`` and who author none of its initiatives,
    in name order. A constant number of queries, however many people."""
    campaign = registration.campaign
    groups = individual_groups(campaign)
    if not any(g.initiative_per_person for g in groups):
        return []
    authors = set(
        Initiative.authors.through.objects.filter(initiative__registration=registration).values_list(
            "person_id", flat=True
        )
    )
    missing = []
    for individual in registration.individuals.select_related("person").order_by("person__full_name", "pk"):
        person = individual.person
        group = individual_group_for(campaign, person, groups)
        if group is not None and group.initiative_per_person and person.pk not in authors:
            missing.append(person)
    return missing


def _check_initiative_per_person(registration: Registration, *, confirming: bool = False) -> None:
    missing = people_without_initiative(registration)
    if not missing:
        return
    message = _(
        "Kế hoạch yêu cầu mỗi cá nhân đăng ký thi đua đăng ký một sáng kiến, giải pháp hoặc cách làm hay. "
        "Chưa là tác giả của sáng kiến nào: %(names)s. Hãy thêm sáng kiến hoặc ghi những người này vào "
        "tác giả của sáng kiến đã có."
    ) % {"names": ", ".join(p.full_name for p in missing)}
    if confirming:
        message += " " + _("Đề nghị cán bộ phụ trách thi đua rút đăng ký về để bổ sung rồi gửi lại.")
    raise RegistrationError(message, code="initiative_per_person")


def resubmission_deadline(registration: Registration) -> dt.datetime | None:
    """The end of the resubmission date home affairs gave when returning, or the registration
    deadline (with the agency's extension) when that is later; None: no date was given."""
    if registration.resubmit_by is None:
        return None
    deadline = _end_of_day(registration.resubmit_by)
    registration_deadline = effective_deadline(registration.agency, registration_milestone(registration))
    return max(deadline, registration_deadline) if registration_deadline else deadline


def _check_resubmission(registration: Registration, now: dt.datetime) -> None:
    deadline = resubmission_deadline(registration)
    if deadline is not None and now > deadline:
        raise RegistrationError(
            _(
                "Đã quá hạn gửi lại đăng ký (hạn Nội vụ cho khi trả lại: hết ngày %(date)s). Cơ quan "
                "chỉ gửi lại được khi Phòng/Sở Nội vụ cho gia hạn."
            )
            % {"date": date_format(registration.resubmit_by, "d/m/Y")},
            code="deadline",
        )


@transaction.atomic
def set_registration_state(
    registration: Registration,
    new_state: str,
    actor,
    *,
    reason: str = "",
    resubmit_by: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Registration:
    """The one state-change function: checks the transition, the actor's role, the deadline
    (first submission: after the registration deadline it needs an extension; a re-send after a
    return: after the resubmission date home affairs gave, ``resubmit_by``, if any), saves with
    update_fields inside an audit context, and notifies after commit.

    The first sending is kept (``first_submitted_at``): a registration sent on time stays on time
    when it is returned and sent again."""
    now = now or timezone.now()
    reason = (reason or "").strip()

    def prepare(registration: Registration, old: str) -> list[str]:
        fields = []
        if resubmit_by is not None and new_state != S.RETURNED:
            raise RegistrationError(_("Hạn gửi lại chỉ ghi khi trả lại đăng ký."), code="resubmit_by")
        if new_state == S.RETURNED:
            if not reason:
                raise RegistrationError(_("Phải ghi lý do trả lại."), code="reason")
            if resubmit_by is not None and resubmit_by < now.astimezone(VN_TZ).date():
                raise RegistrationError(_("Hạn gửi lại không được trước ngày hôm nay."), code="resubmit_by")
            registration.return_reason = reason
            registration.resubmit_by = resubmit_by
            fields += ["return_reason", "resubmit_by"]
        if new_state in (S.SUBMITTED, S.RESUBMITTED):
            if registration.campaign.state != CampaignState.PUBLISHED:
                raise RegistrationError(_("Kế hoạch không còn nhận đăng ký."), code="not_published")
            if old == S.DRAFT:
                _check_deadline(
                    registration.agency, registration_milestone(registration), now, _("đăng ký thi đua")
                )
            if old == S.RETURNED:
                _check_resubmission(registration, now)
            _check_complete(registration)
            registration.submitted_at = now
            fields.append("submitted_at")
            if registration.first_submitted_at is None:
                registration.first_submitted_at = now
                fields.append("first_submitted_at")
        if new_state == S.CONFIRMED:
            _check_initiative_per_person(registration, confirming=True)
            registration.confirmed_at = now
            fields.append("confirmed_at")
        if new_state in (S.ACCEPTED, S.RETURNED):
            registration.decided_at = now
            fields.append("decided_at")
        return fields

    def within(registration: Registration, old: str, new: str) -> None:
        _announce(registration, new, reason)

    def after_commit(registration: Registration, old: str, new: str) -> None:
        registration_state_changed.send(
            sender=Registration,
            registration=registration,
            old_state=old,
            new_state=new,
            actor=actor,
            reason=reason,
        )

    return WORKFLOW.apply(
        registration,
        new_state,
        actor,
        note=reason,
        queryset=Registration.objects.select_related("agency", "campaign", "round", "target_group"),
        prepare=prepare,
        within=within,
        after_commit=after_commit,
    )


def _announce(registration: Registration, new: str, reason: str) -> None:
    if new in (S.RETURNED, S.ACCEPTED):
        if new == S.RETURNED:
            title = _("Đăng ký thi đua bị trả lại: %(campaign)s") % {"campaign": registration.campaign.title}
        else:
            title = _("Đăng ký thi đua đã được chấp nhận: %(campaign)s") % {
                "campaign": registration.campaign.title
            }
        notify(
            registration.agency,
            f"registration_{new}",
            registration,
            title=title,
            body=reason,
            url=reverse("registrations:detail", args=[registration.pk]),
        )
    elif new in (S.SUBMITTED, S.RESUBMITTED):
        heads = Membership.objects.filter(agency=registration.agency, role=Role.HEAD).values_list(
            "user", flat=True
        )
        notify(
            get_user_model().objects.filter(pk__in=heads),
            "registration_to_confirm",
            registration,
            title=_("Đăng ký thi đua chờ thủ trưởng xác nhận: %(campaign)s")
            % {"campaign": registration.campaign.title},
            url=reverse("registrations:detail", args=[registration.pk]),
        )
    elif new == S.CONFIRMED:
        # The head has confirmed: the registration now waits for home affairs to accept or return it.
        notify(
            holders(registration.agency, Role.HOME_AFFAIRS),
            RegistrationNotice.REGISTRATION_TO_REVIEW,
            registration,
            title=_("Đăng ký thi đua chờ xét duyệt: %(agency)s") % {"agency": registration.agency.name},
            body=_("Kế hoạch: %(campaign)s") % {"campaign": registration.campaign.title},
            url=reverse("registrations:detail", args=[registration.pk]),
        )


@dataclass
class BulkResult:
    done: list[Registration] = field(default_factory=list)
    refused: list[tuple[Registration, str]] = field(default_factory=list)


def bulk_set_state(
    registrations, new_state: str, actor, *, reason: str = "", resubmit_by: dt.date | None = None
) -> BulkResult:
    """Accept or return many at once; each goes through ``set_registration_state`` on its own."""
    result = BulkResult()
    for registration in registrations:
        try:
            result.done.append(
                set_registration_state(registration, new_state, actor, reason=reason, resubmit_by=resubmit_by)
            )
        except RegistrationError as exc:
            result.refused.append((registration, exc.messages[0]))
    return result


# --- final report ----------------------------------------------------------------------------------


def report_for(registration: Registration) -> FinalReport:
    report, _created = FinalReport.objects.get_or_create(registration=registration)
    return report


def _decimal(value) -> Decimal | None:
    if value is None or not str(value).strip():
        return None
    try:
        return parse_decimal(value)
    except ParseError:
        raise RegistrationError(_("“%(v)s” không phải là số.") % {"v": value}, code="number") from None


def can_edit_report(user, registration: Registration) -> bool:
    report = FinalReport.objects.filter(registration=registration).first()
    return (
        is_staff_of(user, registration.agency)
        and registration.state == S.ACCEPTED
        and (report is None or report.state == ReportState.DRAFT)
    )


def _require_report_editable(report: FinalReport, actor) -> None:
    registration = report.registration
    if not is_staff_of(actor, registration.agency):
        raise RegistrationError(_("Chỉ cán bộ phụ trách thi đua của cơ quan được sửa."), code="permission")
    if registration.state != S.ACCEPTED:
        raise RegistrationError(
            _("Chỉ báo cáo được khi đăng ký đã được Nội vụ chấp nhận."), code="not_accepted"
        )
    if report.state != ReportState.DRAFT:
        raise RegistrationError(_("Báo cáo đã gửi, không sửa được."), code="locked")


def format_points(value) -> str:
    """A number as every page shows it (common.display): two decimals, decimal comma ("20,00")."""
    return display_number(value)


def save_report(
    report: FinalReport, actor, *, summary=None, assessments=None, indicators=None
) -> FinalReport:
    """Autosave of the final report. ``assessments``: {criterion_id: (points, explanation)};
    ``indicators``: {indicator_id: value}.

    Every valid field is saved (and committed) even when others are not: a number that does not
    parse or points outside 0..max leave that one value unchanged. Then a ``RegistrationError``
    is raised whose ``message_dict`` maps the form field ("points-<criterion id>",
    "indicator-<indicator id>") to a message naming the criterion or indicator."""
    _require_report_editable(report, actor)
    registration = report.registration
    errors: dict[str, list[str]] = {}
    with transaction.atomic(), audit_context(actor):
        if summary is not None and summary != report.summary:
            report.summary = summary
            report.save(update_fields=["summary", "updated_at"])
        if assessments:
            criteria = (
                {c.pk: c for c in registration.target_group.criteria.all()}
                if registration.target_group
                else {}
            )
            existing = {a.criterion_id: a for a in report.assessments.all()}
            for criterion_id, (points, explanation) in assessments.items():
                criterion = criteria.get(criterion_id)
                if criterion is None:
                    continue
                row = existing.get(criterion_id) or SelfAssessment(report=report, criterion=criterion)
                value = row.points_claimed
                try:
                    value = _decimal(points)
                except RegistrationError:
                    errors[f"points-{criterion_id}"] = [
                        _("Tiêu chí “%(c)s”: “%(v)s” không phải là số.") % {"c": str(criterion), "v": points}
                    ]
                else:
                    if value is not None and not (0 <= value <= criterion.max_points):
                        errors[f"points-{criterion_id}"] = [
                            _("Tiêu chí “%(c)s”: điểm tự chấm phải từ 0 đến %(max)s.")
                            % {"c": str(criterion), "max": format_points(criterion.max_points)}
                        ]
                        value = row.points_claimed
                if row.pk is None or row.points_claimed != value or row.explanation != explanation:
                    row.points_claimed, row.explanation = value, explanation
                    row.save()
        if indicators:
            valid = {i.pk: i for i in registration.campaign.indicators.all()}
            existing = {v.indicator_id: v for v in report.indicator_values.all()}
            for indicator_id, raw in indicators.items():
                if indicator_id not in valid:
                    continue
                try:
                    value = _decimal(raw)
                except RegistrationError:
                    errors[f"indicator-{indicator_id}"] = [
                        _("Chỉ số “%(i)s”: “%(v)s” không phải là số.")
                        % {"i": valid[indicator_id].name, "v": raw}
                    ]
                    continue
                row = existing.get(indicator_id) or IndicatorValue(report=report, indicator_id=indicator_id)
                if row.pk is None or row.value != value:
                    row.value = value
                    row.save()
    if errors:
        raise RegistrationError(errors, code="report")
    return report


def report_problems(report: FinalReport) -> list[str]:
    """What stops submission: missing points, and missing explanation where evidence is missing."""
    registration = report.registration
    problems = []
    if registration.target_group is None:
        return problems
    assessments = {a.criterion_id: a for a in report.assessments.prefetch_related("evidence_files")}
    for criterion in registration.target_group.criteria.all():
        row = assessments.get(criterion.pk)
        if row is None or row.points_claimed is None:
            problems.append(_("Tiêu chí “%(c)s”: chưa tự chấm điểm.") % {"c": str(criterion)})
            continue
        if not row.evidence_files.all() and not row.explanation.strip():
            problems.append(
                _("Tiêu chí “%(c)s”: không có minh chứng thì phải có giải trình.") % {"c": str(criterion)}
            )
    filled = set(report.indicator_values.exclude(value=None).values_list("indicator_id", flat=True))
    for indicator in registration.campaign.indicators.all():
        if indicator.pk not in filled:
            problems.append(_("Chỉ số “%(i)s”: chưa nhập giá trị.") % {"i": indicator.name})
    return problems


@transaction.atomic
def set_report_state(
    report: FinalReport, new_state: str, actor, *, now: dt.datetime | None = None
) -> FinalReport:
    """draft -> submitted (staff, before the report deadline or its extension, when complete)."""
    now = now or timezone.now()
    report = (
        FinalReport.objects.select_for_update(of=("self",))
        .select_related("registration__agency", "registration__campaign")
        .get(pk=report.pk)
    )
    if (report.state, new_state) != (ReportState.DRAFT, ReportState.SUBMITTED):
        raise RegistrationError(_("Không thể chuyển trạng thái báo cáo."), code="transition")
    _require_report_editable(report, actor)
    _check_deadline(report.registration.agency, report_milestone(report.registration), now, _("gửi báo cáo"))
    problems = report_problems(report)
    if problems:
        raise RegistrationError(problems, code="incomplete")
    old = report.state
    report.state = new_state
    report.submitted_at = now
    with audit_context(actor):
        report.save(update_fields=["state", "submitted_at"])
    notify(
        holders(report.registration.agency, Role.HOME_AFFAIRS),
        RegistrationNotice.REPORT_SUBMITTED,
        report.registration,
        title=_("Báo cáo kết quả cuối đợt đã gửi: %(agency)s") % {"agency": report.registration.agency.name},
        body=_("Kế hoạch: %(campaign)s") % {"campaign": report.registration.campaign.title},
        url=reverse("registrations:report", args=[report.registration_id]),
    )
    transaction.on_commit(
        lambda: report_state_changed.send(
            sender=FinalReport, report=report, old_state=old, new_state=new_state, actor=actor
        )
    )
    return report


# --- read API for reminders and dashboards ------------------------------------------------------------


def _round_q(milestone: Milestone, prefix: str = "") -> Q:
    if milestone.round_id:
        return Q(**{f"{prefix}round_id": milestone.round_id})
    return Q(**{f"{prefix}campaign_id": milestone.campaign_id})


def _targeted(milestone: Milestone) -> QuerySet[Agency]:
    return Agency.objects.filter(
        pk__in=milestone.campaign.targeted_agencies().values("pk"), dissolved_on__isnull=True
    )


def agencies_without_registration(milestone: Milestone) -> QuerySet[Agency]:
    """Targeted agencies with no registration beyond a draft in the milestone's round (or campaign)."""
    done = Registration.objects.filter(_round_q(milestone), agency=OuterRef("pk")).exclude(state=S.DRAFT)
    return _targeted(milestone).exclude(Exists(done))


def agencies_not_confirmed(milestone: Milestone) -> QuerySet[Agency]:
    """Targeted agencies whose registration the head has not confirmed (nor home affairs accepted)."""
    done = Registration.objects.filter(
        _round_q(milestone), agency=OuterRef("pk"), state__in=[S.CONFIRMED, S.ACCEPTED]
    )
    return _targeted(milestone).exclude(Exists(done))


def agencies_without_final_report(milestone: Milestone) -> QuerySet[Agency]:
    """Targeted agencies that have not submitted their final report."""
    done = FinalReport.objects.filter(
        _round_q(milestone, "registration__"),
        registration__agency=OuterRef("pk"),
        state=ReportState.SUBMITTED,
    )
    return _targeted(milestone).exclude(Exists(done))


@dataclass
class BlocProgress:
    name: str
    total: int
    registered: int
    confirmed: int
    accepted: int
    reported: int


def _progress_queryset(campaign: Campaign) -> QuerySet[Agency]:
    bloc = BlocMembership.objects.filter(campaign=campaign, agency=OuterRef("pk"))
    registration = Registration.objects.filter(campaign=campaign, agency=OuterRef("pk")).order_by(
        "-round__starts_on"
    )
    report = FinalReport.objects.filter(
        registration__campaign=campaign, registration__agency=OuterRef("pk"), state=ReportState.SUBMITTED
    )
    return Agency.objects.filter(
        pk__in=campaign.targeted_agencies().values("pk"), dissolved_on__isnull=True
    ).annotate(
        bloc_name=Subquery(bloc.values("bloc__name")[:1]),
        bloc_order=Subquery(bloc.values("bloc__order")[:1]),
        registration_state=Subquery(registration.values("state")[:1]),
        registration_id=Subquery(registration.values("pk")[:1]),
        reported=Exists(report),
    )


def campaign_progress(campaign: Campaign) -> list[BlocProgress]:
    """Per bloc (khối): targeted agencies, registered (submitted or later), confirmed by the head,
    accepted by home affairs, final report submitted. Counted in the database (one query)."""
    registered = Q(registration_state__in=[S.SUBMITTED, S.CONFIRMED, S.RETURNED, S.RESUBMITTED, S.ACCEPTED])
    rows = (
        _progress_queryset(campaign)
        .order_by()
        .values("bloc_name", "bloc_order")
        .annotate(
            total=Count("pk"),
            registered=Count("pk", filter=registered),
            confirmed=Count("pk", filter=Q(registration_state__in=[S.CONFIRMED, S.ACCEPTED])),
            accepted=Count("pk", filter=Q(registration_state=S.ACCEPTED)),
            reported=Count("pk", filter=Q(reported=True)),
        )
        .order_by("bloc_order", "bloc_name")
    )
    return [
        BlocProgress(
            name=row["bloc_name"] or _("Chưa xếp khối"),
            total=row["total"],
            registered=row["registered"],
            confirmed=row["confirmed"],
            accepted=row["accepted"],
            reported=row["reported"],
        )
        for row in rows
    ]


#: Dashboard lists: which targeted agencies have not yet reached each stage.
LAGGARD_STAGES = {
    "registered": Q(registration_state__isnull=True) | Q(registration_state=S.DRAFT),
    "confirmed": Q(registration_state__isnull=True) | ~Q(registration_state__in=[S.CONFIRMED, S.ACCEPTED]),
    "reported": Q(reported=False),
}


def agencies_lagging_in(campaign: Campaign, stage: str = "registered") -> QuerySet[Agency]:
    """Targeted agencies that have not reached ``stage`` (registered / confirmed / reported), with
    their bloc name and registration state, for the progress page."""
    return (
        _progress_queryset(campaign).filter(LAGGARD_STAGES[stage]).order_by("bloc_order", "bloc_name", "path")
    )
