"""Amendments in words: the before/after values of ``CampaignAmendment.changes`` (sections of the
plan document, docs/campaign-format.md) as Vietnamese lines for the plan page: labels for choice
codes and names for the codes of bands, target groups, agencies and plans."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, AgencyKind, PersonKind
from common.display import number as display_number

from .models import (
    AwardKind,
    Campaign,
    Comparison,
    MilestoneKind,
    ParYear,
    QuotaBase,
    QuotaScope,
    RankingKey,
    Recipient,
    ScoreAggregation,
    StaffRating,
    TargetGroupKind,
    TieBreakKey,
)

SECTION_LABELS = {
    "code": gettext_lazy("Mã kế hoạch"),
    "issuer": gettext_lazy("Cơ quan ban hành"),
    "document_number": gettext_lazy("Số, ký hiệu văn bản"),
    "issued_on": gettext_lazy("Ngày ban hành"),
    "title": gettext_lazy("Tên kế hoạch"),
    "theme": gettext_lazy("Chủ đề, mục đích"),
    "legal_basis": gettext_lazy("Căn cứ ban hành"),
    "parent": gettext_lazy("Kế hoạch cấp trên"),
    "period": gettext_lazy("Thời gian của kế hoạch"),
    "score_aggregation": gettext_lazy("Cách tổng hợp điểm chấm"),
    "reminders": gettext_lazy("Nhắc hạn"),
    "rounds": gettext_lazy("Các đợt (năm) thi đua"),
    "contents": gettext_lazy("Nội dung thi đua"),
    "reform_areas": gettext_lazy("Lĩnh vực cải cách hành chính"),
    "target_groups": gettext_lazy("Đối tượng và tiêu chí thi đua"),
    "indicators": gettext_lazy("Chỉ số định lượng"),
    "milestones": gettext_lazy("Mốc thời gian"),
    "blocs": gettext_lazy("Khối thi đua"),
    "par_bands": gettext_lazy("Xếp loại chỉ số CCHC"),
    "warning": gettext_lazy("Kiến nghị xử lý người đứng đầu"),
    "award_forms": gettext_lazy("Hình thức khen thưởng"),
}

#: In the order the fields are listed (jsonb does not keep the keys' order).
FIELD_LABELS = {
    "code": gettext_lazy("Mã"),
    "name": gettext_lazy("Tên"),
    "title": gettext_lazy("Nội dung"),
    "label": gettext_lazy("Tên đợt"),
    "year": gettext_lazy("Năm"),
    "kind": gettext_lazy("Loại"),
    "text": gettext_lazy("Tiêu chí"),
    "description": gettext_lazy("Mô tả"),
    "start": gettext_lazy("Bắt đầu"),
    "end": gettext_lazy("Kết thúc"),
    "starts_on": gettext_lazy("Bắt đầu"),
    "ends_on": gettext_lazy("Kết thúc"),
    "final": gettext_lazy("Đợt tổng kết"),
    "due_on": gettext_lazy("Hạn"),
    "round": gettext_lazy("Đợt"),
    "criteria": gettext_lazy("Tiêu chí"),
    "max_points": gettext_lazy("Điểm tối đa"),
    "weight": gettext_lazy("Hệ số"),
    "evidence_required": gettext_lazy("Bắt buộc minh chứng"),
    "reform_area": gettext_lazy("Lĩnh vực"),
    "min_score": gettext_lazy("Điểm từ"),
    "agencies": gettext_lazy("Cơ quan"),
    "agency_kinds": gettext_lazy("Loại cơ quan"),
    "person_kinds": gettext_lazy("Loại cá nhân"),
    "threshold": gettext_lazy("Ngưỡng"),
    "days_before": gettext_lazy("Nhắc trước (ngày)"),
    "after_deadline": gettext_lazy("Nhắc sau khi quá hạn"),
    "gates": gettext_lazy("Điều kiện"),
    "quota": gettext_lazy("Hạn mức"),
    "vote": gettext_lazy("Tỷ lệ phiếu tán thành"),
    "band": gettext_lazy("Xếp loại nhiều năm liên tục, từ mức này trở xuống"),
    "years": gettext_lazy("Số năm liên tục"),
    "rank_fall": gettext_lazy("Và bị tụt hạng trong khối"),
    "single_year_band": gettext_lazy("Xếp loại trong năm, từ mức này trở xuống"),
    "unit": gettext_lazy("Đơn vị"),
    "comparison": gettext_lazy("So sánh"),
    "threshold_upper": gettext_lazy("Ngưỡng trên"),
    "initiative_required": gettext_lazy("Bắt buộc có sáng kiến"),
    "initiative_per_person": gettext_lazy("Mỗi cá nhân đăng ký một sáng kiến"),
    "gate": gettext_lazy("Điều kiện đạt/không đạt"),
    "issuing_level": gettext_lazy("Cấp khen"),
    "recipient": gettext_lazy("Đối tượng nhận"),
    "target_groups": gettext_lazy("Đối tượng thi đua"),
    "min_par_band": gettext_lazy("Xếp loại chỉ số CCHC tối thiểu"),
    "par_year": gettext_lazy("Chỉ số CCHC của năm"),
    "par_exempt_without_index": gettext_lazy("Miễn điều kiện cho cơ quan không xác định chỉ số"),
    "min_staff_rating": gettext_lazy("Xếp loại cán bộ tối thiểu"),
    "head_not_disciplined": gettext_lazy("Người đứng đầu không bị kỷ luật"),
    "head_tied_to_collective": gettext_lazy("Người đứng đầu chỉ được khen khi tập thể được khen"),
    "extends_to_head_and_deputy": gettext_lazy("Khen kèm người đứng đầu và cấp phó phụ trách CCHC"),
    "no_upheld_complaints": gettext_lazy("Không có khiếu nại, tố cáo được xác định đúng"),
    "on_time_registration": gettext_lazy("Đăng ký thi đua đúng hạn"),
    "fraction": gettext_lazy("Tỷ lệ"),
    "fixed": gettext_lazy("Số lượng tối đa"),
    "base": gettext_lazy("Tính trên"),
    "scope": gettext_lazy("Phạm vi"),
    "ranking": gettext_lazy("Xếp hạng"),
    "key": gettext_lazy("Xếp hạng theo"),
    "tie_break": gettext_lazy("Khi bằng điểm"),
}


def _labels(*choices) -> dict:
    return {value: label for c in choices for value, label in c.choices}


#: Fields whose values are choice codes: shown by their labels.
VALUE_LABELS = {
    "kind": _labels(TargetGroupKind, AwardKind, MilestoneKind),
    "agency_kinds": _labels(AgencyKind),
    "person_kinds": _labels(PersonKind),
    "comparison": _labels(Comparison),
    "score_aggregation": _labels(ScoreAggregation),
    "recipient": _labels(Recipient),
    "par_year": _labels(ParYear),
    "min_staff_rating": _labels(StaffRating),
    "base": _labels(QuotaBase),
    "scope": _labels(QuotaScope),
    "key": _labels(RankingKey),
    "tie_break": _labels(TieBreakKey),
}
#: Fields whose values are codes of other rows: shown by their names (see reference_names).
REFERENCES = {
    "min_par_band": "band",
    "band": "band",
    "single_year_band": "band",
    "target_groups": "group",
    "reform_area": "area",
    "agencies": "agency",
    "issuer": "agency",
    "parent": "plan",
}

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def reference_names(campaign, changes_list: list[dict]) -> dict[tuple[str, str], str]:
    """{(kind, code): name} for the codes the amendments of ``campaign`` refer to: its bands, target
    groups and reform areas, and the agencies and plans named (one query each)."""
    names: dict[tuple[str, str], str] = {}
    for kind, rows in (
        ("band", campaign.par_bands.values_list("code", "name")),
        ("group", campaign.target_groups.values_list("code", "name")),
        ("area", campaign.reform_areas.values_list("code", "name")),
    ):
        names.update({(kind, code): name for code, name in rows})
    codes = {"agency": set(), "plan": set()}
    for changes in changes_list:
        _collect(changes, codes)
    if codes["agency"]:
        names.update(
            {
                ("agency", c): n
                for c, n in Agency.objects.filter(code__in=codes["agency"]).values_list("code", "name")
            }
        )
    if codes["plan"]:
        names.update(
            {
                ("plan", c): n
                for c, n in Campaign.objects.filter(code__in=codes["plan"]).values_list("code", "title")
            }
        )
    return names


def _collect(value, codes: dict, field: str = "") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _collect(item, codes, field if key in ("before", "after") else key)
    elif isinstance(value, list):
        for item in value:
            _collect(item, codes, field)
    elif isinstance(value, str) and REFERENCES.get(field) in codes:
        codes[REFERENCES[field]].add(value)


def describe_changes(changes: dict, names: dict | None = None) -> list[tuple[str, list[str]]]:
    """[(section label, ["Hạn đăng ký thi đua: Hạn: 19/01/2027 → 15/02/2028", ...]), ...]; ``names``
    (reference_names) shows codes of bands, groups, agencies... by their names."""
    result = []
    names = names or {}
    for key in [k for k in SECTION_LABELS if k in changes] + [k for k in changes if k not in SECTION_LABELS]:
        value = changes[key] or {}
        lines = _lines(value.get("before"), value.get("after"), "", key, names)
        result.append((str(SECTION_LABELS.get(key, key)), lines))
    return result


def _lines(before, after, prefix: str = "", field: str = "", names: dict | None = None) -> list[str]:
    names = names or {}
    if isinstance(before, list) and isinstance(after, list) and _all_dicts(before + after):
        return _list_lines(before, after, prefix, names)
    if isinstance(before, dict) and isinstance(after, dict):
        lines = []
        for key in _ordered({*before, *after}):
            b, a = before.get(key), after.get(key)
            if b != a:
                lines += _lines(b, a, f"{prefix}{_field(key)}: ", key, names)
        return lines
    return [f"{prefix}{fmt(before, field, names)} → {fmt(after, field, names)}"]


def _list_lines(before: list, after: list, prefix: str, names: dict) -> list[str]:
    keyed = all("code" in item for item in before + after)
    old = {item["code"] if keyed else i: item for i, item in enumerate(before)}
    new = {item["code"] if keyed else i: item for i, item in enumerate(after)}
    lines = []
    for key in list(old) + [k for k in new if k not in old]:
        b, a = old.get(key), new.get(key)
        if b == a:
            continue
        if b is None:
            lines.append(prefix + _("Thêm: %(item)s") % {"item": _summary(a, full=True)})
        elif a is None:
            lines.append(prefix + _("Bỏ: %(item)s") % {"item": _summary(b, full=True)})
        else:
            lines += _lines(b, a, f"{prefix}{_summary(a)}: ", "", names)
    return lines


def _all_dicts(items: list) -> bool:
    return bool(items) and all(isinstance(item, dict) for item in items)


def _summary(item: dict, full: bool = False) -> str:
    name = item.get("name") or item.get("title") or item.get("label") or item.get("text") or ""
    if not name and item.get("kind") in MilestoneKind.values:
        name = str(MilestoneKind(item["kind"]).label)
    name = str(name or item.get("code") or item.get("year") or "")
    if full and "due_on" in item:
        name = f"{name} ({fmt(item['due_on'])})"
    elif full and "starts_on" in item:
        name = f"{name} ({fmt(item['starts_on'])} - {fmt(item.get('ends_on'))})"
    return name


def _ordered(keys) -> list[str]:
    return [k for k in FIELD_LABELS if k in keys] + sorted(k for k in keys if k not in FIELD_LABELS)


def _field(field: str) -> str:
    return str(FIELD_LABELS.get(field, field))


def fmt(value, field: str = "", names: dict | None = None) -> str:
    """A value in words: labels for choice codes, names for references, dd/mm/yyyy, có/không."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, str):
        if field in VALUE_LABELS:
            return str(VALUE_LABELS[field].get(value, value))
        if field in REFERENCES:
            return (names or {}).get((REFERENCES[field], value), value)
        if field == "round" and value.endswith("-final"):
            return _("Tổng kết %(year)s") % {"year": value.removesuffix("-final")}
        m = ISO_DATE.match(value)
        return f"{m[3]}/{m[2]}/{m[1]}" if m else value
    if isinstance(value, list):
        return ", ".join(fmt(v, field, names) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_field(k)}: {fmt(value[k], k, names)}" for k in _ordered(value))
    if isinstance(value, float):
        return display_number(value)
    return str(value)
