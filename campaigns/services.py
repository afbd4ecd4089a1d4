"""Plan workflow: state changes, amendments of published plans, copying last year's plan."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.rules import in_reach
from common.audit import audit_context
from common.workflow import Transition, Workflow

from .documents import import_plan, plan_to_dict
from .models import Campaign, CampaignAmendment, CampaignState
from .rules import can_manage
from .signals import campaign_published, campaign_state_changed
from .validation import PlanInvalid, validate_plan


class TransitionError(ValidationError):
    pass


def _may_change(actor, campaign: Campaign) -> bool:
    # Commands and the demo act without a user (actor None); in the browser the view has already
    # checked ``campaigns.publish_campaign``, so the issuer's home affairs (or an administrator).
    return actor is None or can_manage(actor, campaign)


WORKFLOW = Workflow(
    model=Campaign,
    transitions=[
        Transition(CampaignState.DRAFT, CampaignState.PUBLISHED, _may_change),
        Transition(CampaignState.PUBLISHED, CampaignState.CLOSED, _may_change),
        Transition(CampaignState.CLOSED, CampaignState.ARCHIVED, _may_change),
    ],
    labels=lambda state: CampaignState(state).label,
    transition_message=gettext_lazy("Không thể chuyển kế hoạch từ “%(old)s” sang “%(new)s”."),
    error=TransitionError,
)
TRANSITIONS = {
    state: {t.target for t in WORKFLOW.table.values() if t.source == state} for state in CampaignState.values
}


def allowed_transitions(campaign: Campaign) -> list[str]:
    return [s for s in CampaignState.values if s in TRANSITIONS[campaign.state]]


def _check_publishable(campaign: Campaign) -> None:
    errors = validate_plan(campaign)
    if not campaign.target_groups.exists():
        errors.append(_("Kế hoạch chưa có đối tượng thi đua."))
    elif not campaign.targeted_agencies().exists():
        errors.append(
            _(
                "Kế hoạch chưa có cơ quan nào thuộc đối tượng thi đua: chọn loại cơ quan của đối "
                "tượng tập thể có trong phạm vi của cơ quan ban hành (hoặc thêm cơ quan vào khối)."
            )
        )
    if errors:
        raise TransitionError([str(e) for e in errors])


def set_campaign_state(campaign: Campaign, new_state: str, actor, note: str = "") -> Campaign:
    """The one way to change a plan's state: checks the transition (and, to publish, the whole
    plan), saves with update_fields under an audit entry, then notifies after commit."""
    if actor is not None and not in_reach(actor, campaign.issuer):
        raise TransitionError(_("Chỉ cán bộ Nội vụ của cơ quan ban hành được chuyển trạng thái kế hoạch."))

    def prepare(locked: Campaign, old_state: str) -> list[str]:
        if new_state != CampaignState.PUBLISHED:
            return []
        _check_publishable(locked)
        locked.published_at = timezone.now()
        locked.published_by = actor
        return ["published_at", "published_by"]

    label = CampaignState(new_state).label if new_state in CampaignState.values else new_state
    return WORKFLOW.apply(
        campaign,
        new_state,
        actor,
        note=note or _("Chuyển trạng thái: %(state)s") % {"state": label},
        prepare=prepare,
        after_commit=lambda locked, old, new: _after_state_change(locked, actor, old, new),
    )


def _after_state_change(campaign: Campaign, actor, old_state: str, new_state: str) -> None:
    campaign_state_changed.send(
        Campaign, campaign=campaign, actor=actor, old_state=old_state, new_state=new_state
    )
    if new_state != CampaignState.PUBLISHED:
        return
    campaign_published.send(Campaign, campaign=campaign, actor=actor)
    try:
        from common.notifications import notify
    except ImportError:  # pragma: no cover - the notification centre is optional
        return
    notify(
        list(campaign.targeted_agencies()),
        "campaign_published",
        campaign,
        title=_("Phát động: %(title)s") % {"title": campaign.title},
        body=_("Kế hoạch %(number)s đã được phát động. Xem nội dung, tiêu chí và thời hạn đăng ký.")
        % {"number": campaign.document_number or campaign.code},
        url=reverse("campaigns:detail", args=[campaign.code]),
    )


def _diff(before: dict, after: dict) -> dict:
    return {
        k: {"before": before.get(k), "after": after.get(k)} for k in after if before.get(k) != after.get(k)
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@contextmanager
def amendment(campaign: Campaign, actor, reason: str):
    """Wrap changes of a published plan: they are saved only with a reason, and the
    amendment records every changed section (before/after). Drafts change freely."""
    campaign.refresh_from_db(fields=["state"])
    if campaign.state == CampaignState.DRAFT:
        with transaction.atomic(), audit_context(actor):
            yield None
        return
    if campaign.state != CampaignState.PUBLISHED:
        raise TransitionError(_("Kế hoạch đã kết thúc, không thể điều chỉnh."))
    if not (reason or "").strip():
        raise TransitionError(_("Điều chỉnh kế hoạch đã phát động phải ghi rõ lý do."))
    with transaction.atomic(), audit_context(actor, note=reason):
        # From the database: the caller's instance may already hold the edited values (bound forms).
        stored = Campaign.objects.select_related("issuer", "parent").get(pk=campaign.pk)
        before = _jsonable(plan_to_dict(stored))
        yield reason
        campaign.refresh_from_db()
        after = _jsonable(plan_to_dict(campaign))
        changes = _diff(before, after)
        if changes:
            CampaignAmendment.objects.create(
                campaign=campaign, made_by=actor, reason=reason.strip(), changes=changes
            )


def plan_history(campaign: Campaign):
    """Audit entries of the plan and of its parts (rounds, milestones, criteria... carry the plan in
    ``additional_data["campaign"]``, also once deleted), newest first."""
    return (
        LogEntry.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Campaign), object_id=campaign.pk)
            | Q(additional_data__campaign=campaign.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def _shift(value, years: int):
    if not isinstance(value, dt.date):
        return value
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29/02
        return value.replace(year=value.year + years, day=28)


def copy_campaign(source: Campaign, *, code: str, actor, years: int = 1, title: str = "") -> Campaign:
    """A new draft from ``source`` with every date moved by ``years`` (copy last year's plan)."""
    doc = plan_to_dict(source)
    doc["code"] = code
    doc["title"] = title or source.title
    doc["document_number"] = ""
    doc["issued_on"] = None
    doc["period"] = {k: _shift(v, years) for k, v in doc["period"].items()}
    for r in doc["rounds"]:
        r["year"] += years
        r["starts_on"], r["ends_on"] = _shift(r["starts_on"], years), _shift(r["ends_on"], years)
    for m in doc["milestones"]:
        m["due_on"] = _shift(m["due_on"], years)
        if m["round"]:
            year, _sep, rest = m["round"].partition("-")
            m["round"] = str(int(year) + years) + (f"-{rest}" if rest else "")
    return import_plan(doc, actor=actor)


__all__ = [
    "PlanInvalid",
    "TransitionError",
    "allowed_transitions",
    "amendment",
    "copy_campaign",
    "plan_history",
    "set_campaign_state",
]
