"""Plan services: state changes, amendments of published plans, a new draft, copying last year's plan.

Every function takes the actor keyword-only and checks it through the plan's rules (``campaigns.rules``);
``actor=None`` is the system acting on its own (a command, the demo): the rules about a person do not
apply, the workflow and the plan's coherence still do. Refusals raise ``TransitionError`` (or
``PlanInvalid`` for a plan document), both ``common.errors.PortalError``.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_context
from common.notifications import notify

from .documents import import_plan, plan_to_dict
from .models import DEFAULT_PAR_BANDS, Campaign, CampaignAmendment, CampaignState, ParBand, Round
from .notices import CampaignNotice
from .rules import can_manage
from .signals import campaign_published, campaign_state_changed
from .validation import PlanInvalid, validate_plan
from .workflow import WORKFLOW, TransitionError


def _require_manager(campaign: Campaign, actor, message: str) -> None:
    """Home affairs of the issuer (or the administrator); the system (``None``) always may."""
    if actor is not None and not can_manage(actor, campaign):
        raise TransitionError(message)


def _check_publishable(campaign: Campaign) -> None:
    errors = [str(e) for e in validate_plan(campaign)]
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
        raise TransitionError(errors)


def set_campaign_state(campaign: Campaign, new_state: str, *, actor, note: str = "") -> Campaign:
    """The one way to change a plan's state: checks the transition (and, to publish, the whole
    plan), saves with update_fields under an audit entry, then notifies after commit."""
    _require_manager(
        campaign, actor, _("Chỉ cán bộ Nội vụ của cơ quan ban hành được chuyển trạng thái kế hoạch.")
    )

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
    notify(
        list(campaign.targeted_agencies()),
        CampaignNotice.CAMPAIGN_PUBLISHED,
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
def amendment(campaign: Campaign, *, actor, reason: str):
    """Wrap changes of a published plan: they are saved only with a reason, and the
    amendment records every changed section (before/after). Drafts change freely."""
    _require_manager(campaign, actor, _("Chỉ cán bộ Nội vụ của cơ quan ban hành được sửa kế hoạch."))
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


def create_draft(campaign: Campaign, *, actor) -> Campaign:
    """Save a new plan (made by the "new plan" form) as a draft with one round over its period and the
    default PAR bands, audited as one act. The actor must be home affairs of the issuer."""
    _require_manager(
        campaign, actor, _("Chỉ cán bộ Nội vụ của cơ quan ban hành được lập kế hoạch cho cơ quan này.")
    )
    with transaction.atomic(), audit_context(actor, note=_("Tạo kế hoạch")):
        campaign.state = CampaignState.DRAFT
        campaign.save()
        Round.objects.create(
            campaign=campaign,
            year=campaign.period_start.year,
            label=_("Năm %(y)s") % {"y": campaign.period_start.year},
            starts_on=campaign.period_start,
            ends_on=campaign.period_end,
        )
        for code, name, min_score, order in DEFAULT_PAR_BANDS:
            ParBand.objects.create(campaign=campaign, code=code, name=name, min_score=min_score, order=order)
    return campaign


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
    "amendment",
    "copy_campaign",
    "create_draft",
    "import_plan",
    "set_campaign_state",
]
