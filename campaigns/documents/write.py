"""Writing a plan from its document: ``import_plan`` checks it (``parse``), checks the actor may issue
for the agency, then writes everything in one transaction and runs the coherence checks of
``validation``; any error rolls the whole import back."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies.rules import in_reach
from common.audit import audit_context

from ..models import (
    AwardForm,
    Bloc,
    BlocMembership,
    Campaign,
    CampaignState,
    Content,
    Criterion,
    Indicator,
    Milestone,
    ParBand,
    ReformArea,
    Round,
    TargetGroup,
    WarningRule,
)
from ..rules import can_manage
from ..validation import PlanError, PlanInvalid, validate_plan
from .parse import parse_plan


def import_plan(data, *, replace: bool = False, actor=None, state: str | None = None) -> Campaign:
    """Create (or, with ``replace``, rebuild a draft) plan from a document. All or nothing."""
    plan, errors = parse_plan(data)
    if errors:
        raise PlanInvalid(errors)
    existing = Campaign.objects.filter(code=plan["code"]).first()
    # The actor issues only for agencies in reach and rebuilds only their own plans (None: the system).
    if actor is not None and not in_reach(actor, plan["issuer"]):
        raise PlanInvalid(
            [
                PlanError(
                    "issuer",
                    _("Bạn không phải cán bộ Nội vụ của cơ quan “%(code)s”.") % {"code": plan["issuer"].code},
                )
            ]
        )
    if actor is not None and existing and not can_manage(actor, existing):
        raise PlanInvalid([PlanError("code", _("Mã kế hoạch đã được dùng."))])
    if existing and not replace:
        raise PlanInvalid([PlanError("code", _("Đã có kế hoạch mã “%(code)s”.") % {"code": plan["code"]})])
    if existing and existing.state != CampaignState.DRAFT:
        raise PlanInvalid(
            [
                PlanError(
                    "code",
                    _("Kế hoạch “%(code)s” đã phát động; chỉ thay đổi bằng điều chỉnh kế hoạch.")
                    % {"code": plan["code"]},
                )
            ]
        )

    try:
        with transaction.atomic(), audit_context(actor, note=_("Nhập kế hoạch từ tệp")):
            campaign = _write(plan, existing, state)
            errors = validate_plan(campaign)
            if errors:
                raise PlanInvalid(errors)
    except IntegrityError as exc:
        raise PlanInvalid([PlanError("", _("Dữ liệu vi phạm ràng buộc: %(err)s") % {"err": exc})]) from None
    return campaign


def _write(plan: dict, existing: Campaign | None, state: str | None) -> Campaign:  # noqa: C901
    fields = {
        k: plan[k]
        for k in (
            "issuer", "document_number", "issued_on", "title", "theme", "legal_basis", "parent", "period_start",  # noqa: E501
            "period_end", "score_aggregation", "reminder_offsets", "remind_after_deadline",
            "quorum_numerator", "quorum_denominator", "prize_rounding", "publish_warnings",
        )
    }  # fmt: skip
    if existing:
        campaign = existing
        for k, v in fields.items():
            setattr(campaign, k, v)
        campaign.save()
        WarningRule.objects.filter(campaign=campaign).delete()
        for rel in ("award_forms", "par_bands", "bloc_memberships", "blocs", "milestones", "indicators",
                    "target_groups", "reform_areas", "contents", "rounds"):  # fmt: skip
            getattr(campaign, rel).all().delete()
    else:
        campaign = Campaign.objects.create(code=plan["code"], state=state or CampaignState.DRAFT, **fields)
    rounds = {}
    for r in plan["rounds"]:
        obj = Round.objects.create(campaign=campaign, **r)
        rounds[f"{r['year']}-final" if r["is_final"] else str(r["year"])] = obj
    for n, x in enumerate(plan["contents"], 1):
        Content.objects.create(campaign=campaign, order=n, **x)
    areas = {}
    for n, x in enumerate(plan["reform_areas"], 1):
        areas[x["code"]] = ReformArea.objects.create(campaign=campaign, order=n, **x)
    groups = {}
    for n, g in enumerate(plan["target_groups"], 1):
        g = dict(g)
        criteria = g.pop("criteria")
        groups[g["code"]] = group = TargetGroup.objects.create(campaign=campaign, order=n, **g)
        for m, item in enumerate(criteria, 1):
            crit = dict(item)
            area = crit.pop("reform_area")
            Criterion.objects.create(target_group=group, order=m, reform_area=areas.get(area), **crit)
    for n, x in enumerate(plan["indicators"], 1):
        Indicator.objects.create(campaign=campaign, order=n, **x)
    for n, x in enumerate(plan["milestones"], 1):
        Milestone.objects.create(
            campaign=campaign,
            order=n,
            kind=x["kind"],
            name=x["name"],
            due_on=x["due_on"],
            round=rounds.get(x["round"]),
        )
    for n, b in enumerate(plan["blocs"], 1):
        bloc = Bloc.objects.create(campaign=campaign, order=n, code=b["code"], name=b["name"])
        for code in b["agencies"]:
            BlocMembership.objects.create(bloc=bloc, campaign=campaign, agency_id=plan["agency_ids"][code])
    bands = {}
    total = len(plan["par_bands"])
    for n, b in enumerate(plan["par_bands"]):
        bands[b["code"]] = ParBand.objects.create(campaign=campaign, order=total - n, **b)
    rule = plan["warning"]
    if rule["band"] or rule["single_year_band"]:
        WarningRule.objects.create(
            campaign=campaign,
            band=bands.get(rule["band"]),
            years=rule["years"],
            rank_fall=rule["rank_fall"],
            single_year_band=bands.get(rule["single_year_band"]),
        )
    for n, f in enumerate(plan["award_forms"], 1):
        f = dict(f)
        group_codes = f.pop("target_groups")
        f["min_par_band"] = bands.get(f.pop("min_par_band"))
        form = AwardForm.objects.create(campaign=campaign, order=n, **f)
        form.target_groups.set([groups[c] for c in group_codes])
    return campaign
