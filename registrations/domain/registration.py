"""The registration (đăng ký thi đua) itself: starting it, its autosaved commitments, and the one
state-change function every sending, confirmation, acceptance and return goes through.

``set_registration_state`` checks the transition and who may take it (the workflow table below,
whose predicates are those of ``registrations.rules``), the deadline, and the completeness rules
of the plan; saves with ``update_fields`` inside an audit context; notifies in the same transaction
and sends ``registrations.signals.registration_state_changed`` after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, Role
from agencies.rules import holders
from campaigns.models import VN_TZ, CampaignState, Round
from common.audit import audit_context
from common.notifications import notify
from common.workflow import Transition, Workflow

from ..errors import RegistrationError
from ..models import Commitment, Registration, RegistrationState
from ..notices import RegistrationNotice
from ..queries.deadlines import registration_milestone, resubmission_deadline
from ..queries.initiatives import people_without_initiative
from ..queries.targets import collective_group_for
from ..rules import acts_as_head, acts_as_reviewer, acts_as_staff, is_editable
from ..signals import registration_state_changed
from .deadlines import check_deadline

S = RegistrationState


@transaction.atomic
def start_registration(round: Round, agency: Agency, *, actor) -> Registration:
    """Open (or return the existing) draft registration of ``agency`` for ``round``."""
    if not acts_as_staff(actor, agency):
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


def require_editable(registration: Registration, *, actor) -> None:
    """The rule ``registrations.edit_registration``, said in words: only the agency's staff (the
    superuser included: the administrator does not write for an agency), only a draft or a returned
    registration."""
    if not acts_as_staff(actor, registration):
        raise RegistrationError(_("Chỉ cán bộ phụ trách thi đua của cơ quan được sửa."), code="permission")
    if not is_editable(actor, registration):
        raise RegistrationError(
            _("Đăng ký đang ở trạng thái “%(state)s”, không sửa được.")
            % {"state": registration.get_state_display()},
            code="locked",
        )


@transaction.atomic
def save_draft(
    registration: Registration, *, actor, pledge: str | None = None, commitments: dict | None = None
) -> Registration:
    """Autosave: the pledge and the commitment texts by content id. Only changed rows are written."""
    require_editable(registration, actor=actor)
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


# --- the state machine ------------------------------------------------------------------------------

#: The single table every check reads: (from, to) and who may take it.
WORKFLOW = Workflow(
    model=Registration,
    transitions=[
        Transition(S.DRAFT, S.SUBMITTED, acts_as_staff),
        Transition(S.SUBMITTED, S.DRAFT, acts_as_staff),  # withdraw to correct before the head confirms
        Transition(S.SUBMITTED, S.CONFIRMED, acts_as_head),
        Transition(S.RETURNED, S.RESUBMITTED, acts_as_staff),
        Transition(S.RESUBMITTED, S.CONFIRMED, acts_as_head),
        Transition(S.CONFIRMED, S.ACCEPTED, acts_as_reviewer),
        Transition(S.CONFIRMED, S.RETURNED, acts_as_reviewer),
        Transition(S.ACCEPTED, S.RETURNED, acts_as_reviewer),
    ],
    labels=lambda state: str(S(state).label),
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


def _check_initiative_per_person(registration: Registration, *, confirming: bool = False) -> None:
    """Seed 003: every registered person authors an initiative, where the plan says so."""
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


def _check_resubmission(registration: Registration, now: dt.datetime) -> None:
    deadline = resubmission_deadline(registration)
    if deadline is not None and registration.resubmit_by is not None and now > deadline:
        raise RegistrationError(
            _(
                "Đã quá hạn gửi lại đăng ký (hạn Nội vụ cho khi trả lại: hết ngày %(date)s). Cơ quan "
                "chỉ gửi lại được khi Phòng/Sở Nội vụ cho gia hạn."
            )
            % {"date": date_format(registration.resubmit_by, "d/m/Y")},
            code="deadline",
        )


def set_registration_state(
    registration: Registration,
    new_state: str,
    *,
    actor,
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
                check_deadline(
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

    moved = WORKFLOW.apply(
        registration,
        new_state,
        actor,
        note=reason,
        queryset=Registration.objects.select_related("agency", "campaign", "round", "target_group"),
        prepare=prepare,
        within=within,
        after_commit=after_commit,
    )
    return moved


def _announce(registration: Registration, new: str, reason: str) -> None:
    """Who hears of the new state: the agency (returned, accepted), its head (to confirm), home
    affairs over it (to review)."""
    url = reverse("registrations:detail", args=[registration.pk])
    campaign = registration.campaign.title
    if new in (S.RETURNED, S.ACCEPTED):
        if new == S.RETURNED:
            title = _("Đăng ký thi đua bị trả lại: %(campaign)s") % {"campaign": campaign}
        else:
            title = _("Đăng ký thi đua đã được chấp nhận: %(campaign)s") % {"campaign": campaign}
        notify(registration.agency, f"registration_{new}", registration, title=title, body=reason, url=url)
    elif new in (S.SUBMITTED, S.RESUBMITTED):
        notify(
            holders(registration.agency, Role.HEAD),
            RegistrationNotice.REGISTRATION_TO_CONFIRM,
            registration,
            title=_("Đăng ký thi đua chờ thủ trưởng xác nhận: %(campaign)s") % {"campaign": campaign},
            url=url,
        )
    elif new == S.CONFIRMED:
        # The head has confirmed: the registration now waits for home affairs to accept or return it.
        notify(
            holders(registration.agency, Role.HOME_AFFAIRS),
            RegistrationNotice.REGISTRATION_TO_REVIEW,
            registration,
            title=_("Đăng ký thi đua chờ xét duyệt: %(agency)s") % {"agency": registration.agency.name},
            body=_("Kế hoạch: %(campaign)s") % {"campaign": campaign},
            url=url,
        )


@dataclass
class BulkResult:
    done: list[Registration] = field(default_factory=list)
    refused: list[tuple[Registration, str]] = field(default_factory=list)


def bulk_set_state(
    registrations: Iterable[Registration],
    new_state: str,
    *,
    actor,
    reason: str = "",
    resubmit_by: dt.date | None = None,
) -> BulkResult:
    """Accept or return many at once; each goes through ``set_registration_state`` on its own."""
    result = BulkResult()
    for registration in registrations:
        try:
            result.done.append(
                set_registration_state(
                    registration, new_state, actor=actor, reason=reason, resubmit_by=resubmit_by
                )
            )
        except RegistrationError as exc:
            result.refused.append((registration, exc.messages[0]))
    return result
