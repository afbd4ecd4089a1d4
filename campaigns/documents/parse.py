"""Reading a plan document: ``load_yaml`` (the text) and ``parse_plan`` (the document), which checks
every key and value, section by section, and converts them to plain Python values; nothing is written.
Errors carry the path of the offending key."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml
from django.utils.translation import gettext as _

from agencies.models import Agency, AgencyKind, PersonKind

from ..models import (
    MAX_WARNING_YEARS,
    AwardKind,
    Campaign,
    Comparison,
    MilestoneKind,
    ParYear,
    QuotaBase,
    QuotaKind,
    QuotaScope,
    RankingKey,
    Recipient,
    ScoreAggregation,
    StaffRating,
    TargetGroupKind,
    TieBreakKey,
)
from ..validation import PlanError, PlanInvalid
from .reader import Reader, unique
from .serialise import FORMAT_VERSION

TOP_KEYS = {
    "format", "code", "issuer", "document_number", "issued_on", "title", "theme", "legal_basis", "parent",
    "period", "score_aggregation", "reminders", "rounds", "contents", "reform_areas", "target_groups",
    "indicators", "milestones", "blocs", "par_bands", "warning", "award_forms", "awards",
}  # fmt: skip


def parse_plan(data) -> tuple[dict, list[PlanError]]:
    """Check the document and convert it to plain Python values; no database writes."""
    r = Reader()
    data = r.mapping(data, "", TOP_KEYS, {"code", "issuer", "title", "period"})
    plan: dict = {}
    for section in SECTIONS:
        section(r, data, plan)
    return plan, r.errors


def _round_key(item: dict) -> str:
    return f"{item['year']}-final" if item["is_final"] else str(item["year"])


def _general(r: Reader, data: dict, plan: dict) -> None:
    """The plan's own fields: code, issuer, number, title, basis, parent, period, reminders, awards."""
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


def _rounds(r: Reader, data: dict, plan: dict) -> None:
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
    unique(
        r,
        [(f"rounds[{i}].year", f"{x['year']}-{x['is_final']}") for i, x in enumerate(plan["rounds"])],
        _("đợt"),
    )


def _contents(r: Reader, data: dict, plan: dict) -> None:
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


def _reform_areas(r: Reader, data: dict, plan: dict) -> None:
    plan["reform_areas"] = []
    for i, item in enumerate(r.items(data.get("reform_areas"), "reform_areas")):
        item = r.mapping(item, f"reform_areas[{i}]", {"code", "name"}, {"code", "name"})
        plan["reform_areas"].append(
            {
                "code": r.code(item.get("code"), f"reform_areas[{i}].code"),
                "name": r.text(item.get("name"), f"reform_areas[{i}].name", required=True, max_length=255),
            }
        )
    unique(
        r, [(f"reform_areas[{i}].code", a["code"]) for i, a in enumerate(plan["reform_areas"])], _("lĩnh vực")
    )


def _target_groups(r: Reader, data: dict, plan: dict) -> None:
    area_codes = {a["code"] for a in plan["reform_areas"]}
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
        unique(
            r,
            [(f"{p}.criteria[{j}].code", x["code"]) for j, x in enumerate(group["criteria"])],
            _("tiêu chí"),
        )
        plan["target_groups"].append(group)
    unique(
        r,
        [(f"target_groups[{i}].code", g["code"]) for i, g in enumerate(plan["target_groups"])],
        _("đối tượng"),
    )


def _indicators(r: Reader, data: dict, plan: dict) -> None:
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
    unique(r, [(f"indicators[{i}].code", x["code"]) for i, x in enumerate(plan["indicators"])], _("chỉ số"))


def _milestones(r: Reader, data: dict, plan: dict) -> None:
    round_keys = {_round_key(x) for x in plan["rounds"]}
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


def _blocs(r: Reader, data: dict, plan: dict) -> None:
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
    unique(r, [(f"blocs[{i}].code", b["code"]) for i, b in enumerate(plan["blocs"])], _("khối"))
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


def _par_bands(r: Reader, data: dict, plan: dict) -> None:
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
    unique(r, [(f"par_bands[{i}].code", b["code"]) for i, b in enumerate(plan["par_bands"])], _("xếp loại"))
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


def _warning(r: Reader, data: dict, plan: dict) -> None:
    plan["warning"] = _parse_warning(r, data.get("warning"), {b["code"] for b in plan["par_bands"]})


AWARD_KEYS = {
    "code", "name", "kind", "issuing_level", "recipient", "target_groups", "description", "gates", "quota",
    "ranking", "vote", "prize", "disclosure_days",
}  # fmt: skip
GATE_KEYS = {
    "min_par_band", "par_year", "par_exempt_without_index", "min_staff_rating", "head_not_disciplined",
    "head_tied_to_collective", "extends_to_head_and_deputy", "no_upheld_complaints", "on_time_registration",
    "accepted_registration",
}  # fmt: skip


def _award_forms(r: Reader, data: dict, plan: dict) -> None:
    group_codes = {g["code"] for g in plan["target_groups"]}
    band_codes = {b["code"] for b in plan["par_bands"]}
    plan["award_forms"] = []
    for i, item in enumerate(r.items(data.get("award_forms"), "award_forms")):
        plan["award_forms"].append(_award_form(r, item, f"award_forms[{i}]", plan, group_codes, band_codes))
    unique(
        r, [(f"award_forms[{i}].code", f["code"]) for i, f in enumerate(plan["award_forms"])], _("hình thức")
    )


def _award_form(r: Reader, item, p: str, plan: dict, group_codes: set[str], band_codes: set[str]) -> dict:
    item = r.mapping(item, p, AWARD_KEYS, {"code", "name"})
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
    gates = r.mapping(item.get("gates"), f"{p}.gates", GATE_KEYS)
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
            r.err(f"{p}.quota.scope", _("Hạn mức tính theo khối nhưng kế hoạch chưa có khối thi đua nào."))
    ranking = r.mapping(item.get("ranking"), f"{p}.ranking", {"key", "individual_key", "tie_break"})
    form["ranking_key"] = r.choice(ranking.get("key"), f"{p}.ranking.key", RankingKey, RankingKey.TOTAL_SCORE)
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
    # công khai: working days the proposed list is published before the council may meet (0: not asked)
    form["disclosure_days"] = r.integer(item.get("disclosure_days", 0), f"{p}.disclosure_days", minimum=0)
    return form


SECTIONS = (
    _general, _rounds, _contents, _reform_areas, _target_groups, _indicators, _milestones, _blocs, _par_bands,
    _warning, _award_forms,
)  # fmt: skip


def _parse_warning(r: Reader, value, band_codes: set[str]) -> dict:
    """``warning``: the rule for flagging heads (kiến nghị xử lý, seed 002); null or absent: none."""
    rule: dict[str, Any] = {"band": None, "years": 2, "rank_fall": True, "single_year_band": None}
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
