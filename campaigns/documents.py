"""A whole plan as a YAML document (docs/campaign-format.md): export, and all-or-nothing import.

``plan_to_dict(campaign)`` gives the canonical document; ``import_plan(data)`` checks every key
and value first (errors carry the path of the offending key, e.g. ``award_forms[1].quota.fraction``),
then writes everything in one transaction and runs the coherence checks of ``validation``;
any error rolls the whole import back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import yaml
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agencies.models import Agency, AgencyKind, PersonKind
from agencies.rules import in_reach

from .models import (
    MAX_WARNING_YEARS,
    AwardForm,
    AwardKind,
    Bloc,
    BlocMembership,
    Campaign,
    CampaignState,
    Comparison,
    Content,
    Criterion,
    Indicator,
    Milestone,
    MilestoneKind,
    ParBand,
    ParYear,
    QuotaBase,
    QuotaKind,
    QuotaScope,
    RankingKey,
    Recipient,
    ReformArea,
    Round,
    ScoreAggregation,
    StaffRating,
    TargetGroup,
    TargetGroupKind,
    TieBreakKey,
    WarningRule,
)
from .validation import PlanError, PlanInvalid, validate_plan

FORMAT_VERSION = 1


# --- export ------------------------------------------------------------------------------------


def _dec(value: Decimal | None):
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _fraction(num, den) -> str:
    if den == 100:
        return f"{num}%"
    return f"{num}/{den}"


def round_key(r: Round) -> str:
    return f"{r.year}-final" if r.is_final else str(r.year)


def plan_to_dict(c: Campaign) -> dict:
    groups = list(c.target_groups.prefetch_related("criteria__reform_area"))
    doc: dict = {
        "format": FORMAT_VERSION,
        "code": c.code,
        "issuer": c.issuer.code,
        "document_number": c.document_number,
        "issued_on": c.issued_on,
        "title": c.title,
        "theme": c.theme,
        "legal_basis": c.legal_basis_lines(),
        "parent": c.parent.code if c.parent_id else None,
        "period": {"start": c.period_start, "end": c.period_end},
        "score_aggregation": c.score_aggregation,
        "awards": {
            "quorum": f"{c.quorum_numerator}/{c.quorum_denominator}",
            "prize_rounding": c.prize_rounding,
            "publish_warnings": c.publish_warnings,
        },
        "reminders": {
            "days_before": list(c.reminder_offsets or []),
            "after_deadline": c.remind_after_deadline,
        },
        "rounds": [
            {
                "year": r.year,
                "label": r.label,
                "starts_on": r.starts_on,
                "ends_on": r.ends_on,
                "final": r.is_final,
            }
            for r in c.rounds.all()
        ],
        "contents": [{"title": x.title, "description": x.description} for x in c.contents.all()],
        "reform_areas": [{"code": a.code, "name": a.name} for a in c.reform_areas.all()],
        "target_groups": [
            {
                "code": g.code,
                "name": g.name,
                "kind": g.kind,
                "agency_kinds": list(g.agency_kinds or []),
                "person_kinds": list(g.person_kinds or []),
                "description": g.description,
                "initiative_required": g.initiative_required,
                "initiative_per_person": g.initiative_per_person,
                "criteria": [
                    {
                        "code": k.code,
                        "text": k.text,
                        "max_points": _dec(k.max_points),
                        "weight": _dec(k.weight),
                        "evidence_required": k.evidence_required,
                        "gate": k.is_gate,
                        "reform_area": k.reform_area.code if k.reform_area_id else None,
                    }
                    for k in g.criteria.all()
                ],
            }
            for g in groups
        ],
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "unit": i.unit,
                "comparison": i.comparison,
                "threshold": _dec(i.threshold),
                "threshold_upper": _dec(i.threshold_upper),
            }
            for i in c.indicators.all()
        ],
        "milestones": [
            {
                "kind": m.kind,
                "name": m.name,
                "due_on": m.due_on,
                "round": round_key(m.round) if m.round_id else None,
            }
            for m in c.milestones.select_related("round").order_by("order", "due_on", "pk")
        ],
        "blocs": [
            {
                "code": b.code,
                "name": b.name,
                "agencies": [m.agency.code for m in b.memberships.select_related("agency")],
            }
            for b in c.blocs.all()
        ],
        "par_bands": [
            {"code": b.code, "name": b.name, "min_score": _dec(b.min_score)}
            for b in c.par_bands.order_by("-order")
        ],
        "warning": _warning_to_dict(c),
        "award_forms": [
            _award_to_dict(f)
            for f in c.award_forms.select_related("min_par_band").prefetch_related("target_groups")
        ],
    }
    return doc


def _warning_to_dict(c: Campaign) -> dict | None:
    rule = c.warning
    if rule is None:
        return None
    return {
        "band": rule.band.code if rule.band_id else None,
        "years": rule.years,
        "rank_fall": rule.rank_fall,
        "single_year_band": rule.single_year_band.code if rule.single_year_band_id else None,
    }


def _award_to_dict(f: AwardForm) -> dict:
    if f.quota_kind == QuotaKind.FRACTION:
        quota = {
            "fraction": _fraction(f.quota_numerator, f.quota_denominator),
            "base": f.quota_base,
            "scope": f.quota_scope,
        }
    elif f.quota_kind == QuotaKind.FIXED:
        quota = {"fixed": f.quota_fixed, "base": f.quota_base, "scope": f.quota_scope}
    else:
        quota = None
    return {
        "code": f.code,
        "name": f.name,
        "kind": f.kind,
        "issuing_level": f.issuing_level,
        "recipient": f.recipient,
        "target_groups": [g.code for g in f.target_groups.all()],
        "description": f.description,
        "gates": {
            "min_par_band": f.min_par_band.code if f.min_par_band_id else None,
            "par_year": f.par_year,
            "par_exempt_without_index": f.par_exempt_without_index,
            "min_staff_rating": f.min_staff_rating or None,
            "head_not_disciplined": f.require_head_not_disciplined,
            "head_tied_to_collective": f.head_tied_to_collective,
            "extends_to_head_and_deputy": f.extends_to_head_and_deputy,
            "no_upheld_complaints": f.require_no_upheld_complaints,
            "on_time_registration": f.require_on_time_registration,
            "accepted_registration": f.require_accepted_registration,
        },
        "quota": quota,
        "ranking": {
            "key": f.ranking_key,
            "individual_key": f.individual_ranking_key or None,
            "tie_break": f.tie_break_key,
        },
        "vote": f"{f.vote_numerator}/{f.vote_denominator}",
        "prize": {"individual": _dec(f.prize_individual), "collective": _dec(f.prize_collective)},
    }


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(c: Campaign) -> str:
    return yaml.dump(plan_to_dict(c), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


# --- import ------------------------------------------------------------------------------------


class _Reader:
    """Walks the document, converting values and collecting errors with their paths."""

    def __init__(self):
        self.errors: list[PlanError] = []

    def err(self, path, message):
        self.errors.append(PlanError(path, message))

    def mapping(self, value, path, allowed: set[str], required: set[str] = frozenset()) -> dict:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.err(path, _("Phải là một bảng khóa: giá trị."))
            return {}
        for key in value:
            if key not in allowed:
                self.err(
                    f"{path}.{key}" if path else str(key),
                    _("Khóa không được hỗ trợ: “%(key)s”.") % {"key": key},
                )
        for key in sorted(required):
            if key not in value:
                self.err(f"{path}.{key}" if path else key, _("Thiếu khóa bắt buộc “%(key)s”.") % {"key": key})
        return value

    def items(self, value, path) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.err(path, _("Phải là một danh sách."))
            return []
        return value

    def text(self, value, path, required=False, max_length=None) -> str:
        if value is None:
            if required:
                self.err(path, _("Không được để trống."))
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.err(path, _("Phải là chuỗi ký tự."))
            return ""
        value = str(value).strip()
        if required and not value:
            self.err(path, _("Không được để trống."))
        if max_length and len(value) > max_length:
            self.err(path, _("Dài quá %(n)s ký tự.") % {"n": max_length})
        return value

    def code(self, value, path) -> str:
        value = self.text(value, path, required=True, max_length=60)
        if value and slugify(value) != value:
            self.err(
                path,
                _("Mã “%(value)s” chỉ gồm chữ thường không dấu, số và dấu gạch ngang.") % {"value": value},
            )
        return value

    def boolean(self, value, path, default=False) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.err(path, _("Phải là true hoặc false."))
            return default
        return value

    def date(self, value, path, required=True):
        if value is None:
            if required:
                self.err(path, _("Thiếu ngày."))
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.err(path, _("Ngày “%(value)s” không hợp lệ (định dạng YYYY-MM-DD).") % {"value": value})
            return None

    def decimal(self, value, path, required=True, default=None):
        if value is None:
            if required:
                self.err(path, _("Thiếu giá trị số."))
            return default
        if isinstance(value, bool):
            self.err(path, _("Phải là một số."))
            return default
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            self.err(path, _("“%(value)s” không phải là số.") % {"value": value})
            return default
        if not result.is_finite():
            self.err(path, _("“%(value)s” không phải là số.") % {"value": value})
            return default
        return result

    def integer(self, value, path, minimum=0):
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(path, _("Phải là số nguyên."))
            return None
        if value < minimum:
            self.err(path, _("Phải lớn hơn hoặc bằng %(n)s.") % {"n": minimum})
            return None
        return value

    def choice(self, value, path, choices, default=None, required=False):
        if value is None:
            if required:
                self.err(path, _("Thiếu giá trị."))
            return default
        if value not in choices.values:
            self.err(
                path,
                _("Giá trị “%(value)s” không hợp lệ; chọn một trong: %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)},
            )
            return default
        return value

    def fraction(self, value, path):
        """ "1/3", "50%" or a number such as 0.5 -> (numerator, denominator); must be in (0, 1]."""
        if value is None:
            self.err(path, _("Thiếu tỷ lệ."))
            return None
        try:
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, str) and value.strip().endswith("%"):
                num = int(value.strip()[:-1].strip())
                den = 100
            elif isinstance(value, str) and "/" in value:
                a, b = value.split("/", 1)
                num, den = int(a.strip()), int(b.strip())
            else:
                fr = Fraction(Decimal(str(value)))
                num, den = fr.numerator, fr.denominator
        except (ValueError, InvalidOperation, ZeroDivisionError):
            self.err(path, _("Tỷ lệ “%(value)s” không hợp lệ (ví dụ: 1/3, 50%%, 0.5).") % {"value": value})
            return None
        if den <= 0 or num <= 0 or num > den:
            self.err(path, _("Tỷ lệ %(value)s phải lớn hơn 0 và không quá 1.") % {"value": value})
            return None
        return num, den


TOP_KEYS = {
    "format", "code", "issuer", "document_number", "issued_on", "title", "theme", "legal_basis", "parent",
    "period", "score_aggregation", "reminders", "rounds", "contents", "reform_areas", "target_groups",
    "indicators", "milestones", "blocs", "par_bands", "warning", "award_forms", "awards",
}  # fmt: skip


def _unique(r: _Reader, values: list[tuple[str, str]], what: str):
    seen = set()
    for path, value in values:
        if value and value in seen:
            r.err(path, _("Mã %(what)s “%(value)s” bị trùng.") % {"what": what, "value": value})
        seen.add(value)


def parse_plan(data) -> tuple[dict, list[PlanError]]:  # noqa: C901
    """Check the document and convert it to plain Python values; no database writes."""
    r = _Reader()
    data = r.mapping(data, "", TOP_KEYS, {"code", "issuer", "title", "period"})
    plan: dict = {}
    if "format" in data and data["format"] != FORMAT_VERSION:
        r.err(
            "format", _("Phiên bản định dạng %(v)s không được hỗ trợ (chỉ hỗ trợ 1).") % {"v": data["format"]}
        )
    plan["code"] = r.code(data.get("code"), "code")
    issuer_code = r.text(data.get("issuer"), "issuer", required=True)
    plan["issuer"] = Agency.objects.filter(code=issuer_code).first()
    if issuer_code and plan["issuer"] is None:
        r.err("issuer", _("Không có cơ quan mã “%(code)s” trong danh bạ.") % {"code": issuer_code})
    plan["document_number"] = r.text(data.get("document_number"), "document_number", max_length=80)
    plan["issued_on"] = r.date(data.get("issued_on"), "issued_on", required=False)
    plan["title"] = r.text(data.get("title"), "title", required=True, max_length=500)
    plan["theme"] = r.text(data.get("theme"), "theme")
    lines = data.get("legal_basis")
    if isinstance(lines, str):
        lines = lines.splitlines()
    plan["legal_basis"] = "\n".join(
        r.text(line, f"legal_basis[{i}]") for i, line in enumerate(r.items(lines, "legal_basis"))
    ).strip()
    parent_code = r.text(data.get("parent"), "parent")
    plan["parent"] = None
    if parent_code:
        plan["parent"] = Campaign.objects.filter(code=parent_code).first()
        if plan["parent"] is None:
            r.err("parent", _("Không có kế hoạch mã “%(code)s”.") % {"code": parent_code})
    period = r.mapping(data.get("period"), "period", {"start", "end"}, {"start", "end"})
    plan["period_start"] = r.date(period.get("start"), "period.start")
    plan["period_end"] = r.date(period.get("end"), "period.end")
    if plan["period_start"] and plan["period_end"] and plan["period_end"] < plan["period_start"]:
        r.err("period.end", _("Ngày kết thúc phải sau ngày bắt đầu của kế hoạch."))
    plan["score_aggregation"] = r.choice(
        data.get("score_aggregation"), "score_aggregation", ScoreAggregation, ScoreAggregation.MEAN
    )
    rem = r.mapping(data.get("reminders"), "reminders", {"days_before", "after_deadline"})
    offsets = rem.get("days_before", [7, 3, 1])
    plan["reminder_offsets"] = [
        r.integer(x, f"reminders.days_before[{i}]", minimum=0)
        for i, x in enumerate(r.items(offsets, "reminders.days_before"))
    ]
    plan["remind_after_deadline"] = r.boolean(rem.get("after_deadline"), "reminders.after_deadline", True)
    aw = r.mapping(data.get("awards"), "awards", {"quorum", "prize_rounding", "publish_warnings"})
    quorum = r.fraction(aw.get("quorum", "2/3"), "awards.quorum")
    plan["quorum_numerator"], plan["quorum_denominator"] = quorum or (2, 3)
    plan["prize_rounding"] = r.integer(aw.get("prize_rounding", 1000), "awards.prize_rounding", minimum=1)
    plan["publish_warnings"] = r.boolean(aw.get("publish_warnings"), "awards.publish_warnings", False)

    plan["rounds"] = []
    for i, item in enumerate(r.items(data.get("rounds"), "rounds")):
        p = f"rounds[{i}]"
        item = r.mapping(
            item, p, {"year", "label", "starts_on", "ends_on", "final"}, {"year", "starts_on", "ends_on"}
        )
        plan["rounds"].append(
            {
                "year": r.integer(item.get("year"), f"{p}.year", minimum=1900),
                "label": r.text(item.get("label"), f"{p}.label", max_length=120),
                "starts_on": r.date(item.get("starts_on"), f"{p}.starts_on"),
                "ends_on": r.date(item.get("ends_on"), f"{p}.ends_on"),
                "is_final": r.boolean(item.get("final"), f"{p}.final"),
            }
        )
    round_keys = {(f"{x['year']}-final" if x["is_final"] else str(x["year"])) for x in plan["rounds"]}
    _unique(
        r,
        [(f"rounds[{i}].year", f"{x['year']}-{x['is_final']}") for i, x in enumerate(plan["rounds"])],
        _("đợt"),
    )

    plan["contents"] = []
    for i, item in enumerate(r.items(data.get("contents"), "contents")):
        if isinstance(item, str):
            item = {"title": item}
        item = r.mapping(item, f"contents[{i}]", {"title", "description"}, {"title"})
        plan["contents"].append(
            {
                "title": r.text(item.get("title"), f"contents[{i}].title", required=True, max_length=500),
                "description": r.text(item.get("description"), f"contents[{i}].description"),
            }
        )

    plan["reform_areas"] = []
    for i, item in enumerate(r.items(data.get("reform_areas"), "reform_areas")):
        item = r.mapping(item, f"reform_areas[{i}]", {"code", "name"}, {"code", "name"})
        plan["reform_areas"].append(
            {
                "code": r.code(item.get("code"), f"reform_areas[{i}].code"),
                "name": r.text(item.get("name"), f"reform_areas[{i}].name", required=True, max_length=255),
            }
        )
    area_codes = {a["code"] for a in plan["reform_areas"]}
    _unique(
        r, [(f"reform_areas[{i}].code", a["code"]) for i, a in enumerate(plan["reform_areas"])], _("lĩnh vực")
    )

    plan["target_groups"] = []
    group_keys = {
        "code",
        "name",
        "kind",
        "agency_kinds",
        "person_kinds",
        "description",
        "initiative_required",
        "initiative_per_person",
        "criteria",
    }
    crit_keys = {"code", "text", "max_points", "weight", "evidence_required", "gate", "reform_area"}
    for i, item in enumerate(r.items(data.get("target_groups"), "target_groups")):
        p = f"target_groups[{i}]"
        item = r.mapping(item, p, group_keys, {"code", "name", "kind"})
        group = {
            "code": r.code(item.get("code"), f"{p}.code"),
            "name": r.text(item.get("name"), f"{p}.name", required=True, max_length=255),
            "kind": r.choice(item.get("kind"), f"{p}.kind", TargetGroupKind, required=True),
            "agency_kinds": [
                r.choice(k, f"{p}.agency_kinds[{j}]", AgencyKind, required=True)
                for j, k in enumerate(r.items(item.get("agency_kinds"), f"{p}.agency_kinds"))
            ],
            "person_kinds": [
                r.choice(k, f"{p}.person_kinds[{j}]", PersonKind, required=True)
                for j, k in enumerate(r.items(item.get("person_kinds"), f"{p}.person_kinds"))
            ],
            "description": r.text(item.get("description"), f"{p}.description"),
            "initiative_required": r.boolean(item.get("initiative_required"), f"{p}.initiative_required"),
            "initiative_per_person": r.boolean(
                item.get("initiative_per_person"), f"{p}.initiative_per_person"
            ),
            "criteria": [],
        }
        if group["initiative_per_person"] and group["kind"] not in (None, TargetGroupKind.INDIVIDUAL):
            r.err(
                f"{p}.initiative_per_person",
                _("Chỉ đối tượng cá nhân (kind: individual) mới có initiative_per_person."),
            )
        for j, crit in enumerate(r.items(item.get("criteria"), f"{p}.criteria")):
            cp = f"{p}.criteria[{j}]"
            crit = r.mapping(crit, cp, crit_keys, {"code", "text"})
            max_points = r.decimal(
                crit.get("max_points"), f"{cp}.max_points", required=False, default=Decimal("0")
            )
            if max_points is not None and max_points < 0:
                r.err(f"{cp}.max_points", _("Điểm tối đa không được âm."))
            weight = r.decimal(crit.get("weight"), f"{cp}.weight", required=False, default=Decimal("1"))
            if weight is not None and weight <= 0:
                r.err(f"{cp}.weight", _("Hệ số phải lớn hơn 0."))
            area = r.text(crit.get("reform_area"), f"{cp}.reform_area")
            if area and area not in area_codes:
                r.err(
                    f"{cp}.reform_area",
                    _("Không có lĩnh vực mã “%(code)s” trong reform_areas.") % {"code": area},
                )
            group["criteria"].append(
                {
                    "code": r.code(crit.get("code"), f"{cp}.code"),
                    "text": r.text(crit.get("text"), f"{cp}.text", required=True),
                    "max_points": max_points,
                    "weight": weight,
                    "evidence_required": r.boolean(crit.get("evidence_required"), f"{cp}.evidence_required"),
                    "is_gate": r.boolean(crit.get("gate"), f"{cp}.gate"),
                    "reform_area": area or None,
                }
            )
        _unique(
            r,
            [(f"{p}.criteria[{j}].code", x["code"]) for j, x in enumerate(group["criteria"])],
            _("tiêu chí"),
        )
        plan["target_groups"].append(group)
    group_codes = {g["code"] for g in plan["target_groups"]}
    _unique(
        r,
        [(f"target_groups[{i}].code", g["code"]) for i, g in enumerate(plan["target_groups"])],
        _("đối tượng"),
    )

    plan["indicators"] = []
    ind_keys = {"code", "name", "unit", "comparison", "threshold", "threshold_upper"}
    for i, item in enumerate(r.items(data.get("indicators"), "indicators")):
        p = f"indicators[{i}]"
        item = r.mapping(item, p, ind_keys, {"code", "name", "comparison", "threshold"})
        ind = {
            "code": r.code(item.get("code"), f"{p}.code"),
            "name": r.text(item.get("name"), f"{p}.name", required=True, max_length=255),
            "unit": r.text(item.get("unit"), f"{p}.unit", max_length=20),
            "comparison": r.choice(item.get("comparison"), f"{p}.comparison", Comparison, Comparison.GTE),
            "threshold": r.decimal(item.get("threshold"), f"{p}.threshold"),
            "threshold_upper": r.decimal(item.get("threshold_upper"), f"{p}.threshold_upper", required=False),
        }
        if ind["comparison"] == Comparison.BETWEEN and (
            ind["threshold_upper"] is None
            or (ind["threshold"] is not None and ind["threshold_upper"] < ind["threshold"])
        ):
            r.err(
                f"{p}.threshold_upper", _("So sánh “trong khoảng” cần ngưỡng trên không nhỏ hơn ngưỡng dưới.")
            )
        plan["indicators"].append(ind)
    _unique(r, [(f"indicators[{i}].code", x["code"]) for i, x in enumerate(plan["indicators"])], _("chỉ số"))

    plan["milestones"] = []
    for i, item in enumerate(r.items(data.get("milestones"), "milestones")):
        p = f"milestones[{i}]"
        item = r.mapping(item, p, {"kind", "name", "due_on", "round"}, {"kind", "due_on"})
        rk = item.get("round")
        rk = None if rk is None else str(rk)
        if rk is not None and rk not in round_keys:
            r.err(f"{p}.round", _("Không có đợt “%(key)s” trong rounds.") % {"key": rk})
        plan["milestones"].append(
            {
                "kind": r.choice(item.get("kind"), f"{p}.kind", MilestoneKind, required=True),
                "name": r.text(item.get("name"), f"{p}.name", max_length=255),
                "due_on": r.date(item.get("due_on"), f"{p}.due_on"),
                "round": rk,
            }
        )

    plan["blocs"] = []
    all_members: list[tuple[str, str]] = []
    for i, item in enumerate(r.items(data.get("blocs"), "blocs")):
        p = f"blocs[{i}]"
        item = r.mapping(item, p, {"code", "name", "agencies"}, {"code", "name"})
        codes = [
            r.text(x, f"{p}.agencies[{j}]", required=True)
            for j, x in enumerate(r.items(item.get("agencies"), f"{p}.agencies"))
        ]
        all_members += [(f"{p}.agencies[{j}]", x) for j, x in enumerate(codes)]
        plan["blocs"].append(
            {
                "code": r.code(item.get("code"), f"{p}.code"),
                "name": r.text(item.get("name"), f"{p}.name", required=True, max_length=255),
                "agencies": codes,
            }
        )
    _unique(r, [(f"blocs[{i}].code", b["code"]) for i, b in enumerate(plan["blocs"])], _("khối"))
    known = dict(Agency.objects.filter(code__in=[c for _p, c in all_members]).values_list("code", "pk"))
    seen_members: dict[str, str] = {}
    for path, code in all_members:
        if code and code not in known:
            r.err(path, _("Không có cơ quan mã “%(code)s” trong danh bạ.") % {"code": code})
        if code in seen_members:
            r.err(
                path,
                _("Cơ quan “%(code)s” đã thuộc một khối khác (mỗi cơ quan chỉ thuộc một khối).")
                % {"code": code},
            )
        seen_members[code] = path
    plan["agency_ids"] = known

    plan["par_bands"] = []
    for i, item in enumerate(r.items(data.get("par_bands"), "par_bands")):
        p = f"par_bands[{i}]"
        item = r.mapping(item, p, {"code", "name", "min_score"}, {"code", "name", "min_score"})
        plan["par_bands"].append(
            {
                "code": r.code(item.get("code"), f"{p}.code"),
                "name": r.text(item.get("name"), f"{p}.name", required=True, max_length=60),
                "min_score": r.decimal(item.get("min_score"), f"{p}.min_score"),
            }
        )
    _unique(r, [(f"par_bands[{i}].code", b["code"]) for i, b in enumerate(plan["par_bands"])], _("xếp loại"))
    for i, band in enumerate(plan["par_bands"]):
        prev = plan["par_bands"][i - 1] if i else None
        if (
            prev
            and band["min_score"] is not None
            and prev["min_score"] is not None
            and band["min_score"] >= prev["min_score"]
        ):
            r.err(
                f"par_bands[{i}].min_score",
                _(
                    "Các xếp loại chồng lấn: liệt kê từ cao xuống thấp, “%(name)s” phải có ngưỡng thấp hơn “%(prev)s”."  # noqa: E501
                )
                % {"name": band["name"], "prev": prev["name"]},
            )
    band_codes = {b["code"] for b in plan["par_bands"]}
    plan["warning"] = _parse_warning(r, data.get("warning"), band_codes)

    plan["award_forms"] = []
    award_keys = {
        "code", "name", "kind", "issuing_level", "recipient", "target_groups", "description", "gates", "quota",  # noqa: E501
        "ranking", "vote", "prize",
    }  # fmt: skip
    gate_keys = {
        "min_par_band", "par_year", "par_exempt_without_index", "min_staff_rating", "head_not_disciplined",
        "head_tied_to_collective", "extends_to_head_and_deputy", "no_upheld_complaints", "on_time_registration",  # noqa: E501
        "accepted_registration",
    }  # fmt: skip
    for i, item in enumerate(r.items(data.get("award_forms"), "award_forms")):
        p = f"award_forms[{i}]"
        item = r.mapping(item, p, award_keys, {"code", "name"})
        groups = [
            r.text(x, f"{p}.target_groups[{j}]")
            for j, x in enumerate(r.items(item.get("target_groups"), f"{p}.target_groups"))
        ]
        for j, g in enumerate(groups):
            if g not in group_codes:
                r.err(
                    f"{p}.target_groups[{j}]",
                    _("Không có đối tượng mã “%(code)s” trong target_groups.") % {"code": g},
                )
        gates = r.mapping(item.get("gates"), f"{p}.gates", gate_keys)
        band = r.text(gates.get("min_par_band"), f"{p}.gates.min_par_band")
        if band and band not in band_codes:
            r.err(
                f"{p}.gates.min_par_band",
                _("Không có xếp loại mã “%(code)s” trong par_bands.") % {"code": band},
            )
        form = {
            "code": r.code(item.get("code"), f"{p}.code"),
            "name": r.text(item.get("name"), f"{p}.name", required=True, max_length=255),
            "kind": r.choice(item.get("kind"), f"{p}.kind", AwardKind, AwardKind.GIAY_KHEN),
            "issuing_level": r.text(item.get("issuing_level"), f"{p}.issuing_level", max_length=255),
            "recipient": r.choice(item.get("recipient"), f"{p}.recipient", Recipient, Recipient.COLLECTIVE),
            "target_groups": groups,
            "description": r.text(item.get("description"), f"{p}.description"),
            "min_par_band": band or None,
            "par_year": r.choice(gates.get("par_year"), f"{p}.gates.par_year", ParYear, ParYear.CAMPAIGN),
            "par_exempt_without_index": r.boolean(
                gates.get("par_exempt_without_index"), f"{p}.gates.par_exempt_without_index"
            ),
            "min_staff_rating": r.choice(
                gates.get("min_staff_rating"), f"{p}.gates.min_staff_rating", StaffRating, ""
            ),
            "require_head_not_disciplined": r.boolean(
                gates.get("head_not_disciplined"), f"{p}.gates.head_not_disciplined"
            ),
            "head_tied_to_collective": r.boolean(
                gates.get("head_tied_to_collective"), f"{p}.gates.head_tied_to_collective"
            ),
            "extends_to_head_and_deputy": r.boolean(
                gates.get("extends_to_head_and_deputy"), f"{p}.gates.extends_to_head_and_deputy"
            ),
            "require_no_upheld_complaints": r.boolean(
                gates.get("no_upheld_complaints"), f"{p}.gates.no_upheld_complaints"
            ),
            "require_on_time_registration": r.boolean(
                gates.get("on_time_registration"), f"{p}.gates.on_time_registration"
            ),
            "require_accepted_registration": r.boolean(
                gates.get("accepted_registration"), f"{p}.gates.accepted_registration"
            ),
            "quota_kind": QuotaKind.NONE,
            "quota_numerator": None,
            "quota_denominator": None,
            "quota_fixed": None,
            "quota_base": QuotaBase.ELIGIBLE,
            "quota_scope": QuotaScope.CAMPAIGN,
        }
        quota = item.get("quota")
        if quota is not None:
            quota = r.mapping(quota, f"{p}.quota", {"fraction", "fixed", "base", "scope"})
            if "fraction" in quota and "fixed" in quota:
                r.err(f"{p}.quota", _("Chỉ ghi một trong hai: fraction (tỷ lệ) hoặc fixed (số lượng)."))
            elif "fraction" in quota:
                fr = r.fraction(quota["fraction"], f"{p}.quota.fraction")
                if fr:
                    form.update(quota_kind=QuotaKind.FRACTION, quota_numerator=fr[0], quota_denominator=fr[1])
            elif "fixed" in quota:
                n = r.integer(quota["fixed"], f"{p}.quota.fixed", minimum=1)
                if n:
                    form.update(quota_kind=QuotaKind.FIXED, quota_fixed=n)
            elif quota:
                r.err(f"{p}.quota", _("Hạn mức cần fraction (tỷ lệ) hoặc fixed (số lượng)."))
            form["quota_base"] = r.choice(quota.get("base"), f"{p}.quota.base", QuotaBase, QuotaBase.ELIGIBLE)
            form["quota_scope"] = r.choice(
                quota.get("scope"), f"{p}.quota.scope", QuotaScope, QuotaScope.CAMPAIGN
            )
            if form["quota_scope"] == QuotaScope.PER_BLOC and not plan["blocs"]:
                r.err(
                    f"{p}.quota.scope", _("Hạn mức tính theo khối nhưng kế hoạch chưa có khối thi đua nào.")
                )
        ranking = r.mapping(item.get("ranking"), f"{p}.ranking", {"key", "individual_key", "tie_break"})
        form["ranking_key"] = r.choice(
            ranking.get("key"), f"{p}.ranking.key", RankingKey, RankingKey.TOTAL_SCORE
        )
        form["individual_ranking_key"] = r.choice(
            ranking.get("individual_key"), f"{p}.ranking.individual_key", RankingKey, ""
        )
        form["tie_break_key"] = r.choice(
            ranking.get("tie_break"), f"{p}.ranking.tie_break", TieBreakKey, TieBreakKey.NONE
        )
        vote = r.fraction(item.get("vote", "1/2"), f"{p}.vote")
        form["vote_numerator"], form["vote_denominator"] = vote or (1, 2)
        prize = r.mapping(item.get("prize"), f"{p}.prize", {"individual", "collective"})
        for key in ("individual", "collective"):
            value = r.decimal(prize.get(key), f"{p}.prize.{key}", required=False)
            if value is not None and not Decimal(0) <= value < Decimal(1000):
                r.err(f"{p}.prize.{key}", _("Hệ số tiền thưởng phải từ 0 đến dưới 1000."))
                value = None
            form[f"prize_{key}"] = value
        plan["award_forms"].append(form)
    _unique(
        r, [(f"award_forms[{i}].code", f["code"]) for i, f in enumerate(plan["award_forms"])], _("hình thức")
    )
    return plan, r.errors


def _parse_warning(r: _Reader, value, band_codes: set[str]) -> dict:
    """``warning``: the rule for flagging heads (kiến nghị xử lý, seed 002); null or absent: none."""
    rule = {"band": None, "years": 2, "rank_fall": True, "single_year_band": None}
    if value is None:
        return rule
    item = r.mapping(value, "warning", {"band", "years", "rank_fall", "single_year_band"})
    for key in ("band", "single_year_band"):
        code = r.text(item.get(key), f"warning.{key}")
        if code and code not in band_codes:
            r.err(f"warning.{key}", _("Không có xếp loại mã “%(code)s” trong par_bands.") % {"code": code})
        rule[key] = code or None
    if "years" in item:
        years = r.integer(item["years"], "warning.years", minimum=1)
        if years is not None and years > MAX_WARNING_YEARS:
            r.err("warning.years", _("Số năm liên tục không quá %(n)s.") % {"n": MAX_WARNING_YEARS})
        elif years is not None:
            rule["years"] = years
    rule["rank_fall"] = r.boolean(item.get("rank_fall"), "warning.rank_fall", True)
    if isinstance(value, dict) and not rule["band"] and not rule["single_year_band"]:
        r.err("warning", _("Kiến nghị xử lý cần ít nhất một mức xếp loại: band hoặc single_year_band."))
    return rule


def load_yaml(text: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("dòng %(line)s") % {"line": mark.line + 1} if mark else ""
        raise PlanInvalid(
            [PlanError(where, _("Tệp YAML không đọc được: %(err)s") % {"err": getattr(exc, "problem", exc)})]
        ) from None


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
    if actor is not None and existing and not in_reach(actor, existing.issuer):
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
    from common.audit import audit_context

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
        for m, k in enumerate(criteria, 1):
            k = dict(k)
            area = k.pop("reform_area")
            Criterion.objects.create(target_group=group, order=m, reform_area=areas.get(area), **k)
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
