"""Coherence of a plan: checks across rows that a single field or a DB constraint cannot express.

Every error carries the path of the offending value in the document format of
docs/campaign-format.md (``milestones[2].due_on``, ``award_forms[1].quota.fraction``), so the
same messages serve the YAML import and the browser forms. Messages are Vietnamese and name the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common.display import day as display_day
from common.display import number as display_number
from common.errors import PortalError

from .models import (
    MAX_WARNING_YEARS,
    Campaign,
    MilestoneKind,
    QuotaBase,
    QuotaKind,
    RankingKey,
    Recipient,
    StaffRating,
)

# Pairs (earlier, later) of milestone kinds that must come in this order within a round (or among the
# plan-wide milestones). The end of the competition may fall before or after the report deadline
# (seed 003: ends 01/11, reports until 14/11), so it is only ordered after registration and mid-term.
MILESTONE_SEQUENCE = [
    MilestoneKind.REGISTRATION_DEADLINE,
    MilestoneKind.MIDTERM_REVIEW,
    MilestoneKind.REPORT_DEADLINE,
    MilestoneKind.FINAL_REVIEW,
]
MILESTONE_ORDER = {(a, b) for i, a in enumerate(MILESTONE_SEQUENCE) for b in MILESTONE_SEQUENCE[i + 1 :]} | {
    (MilestoneKind.REGISTRATION_DEADLINE, MilestoneKind.CAMPAIGN_END),
    (MilestoneKind.MIDTERM_REVIEW, MilestoneKind.CAMPAIGN_END),
}


@dataclass(frozen=True)
class PlanError:
    path: str
    message: str
    #: The offending saved object and its form field name, so the plan editor can show the error
    #: on the row and field of its formset (not part of equality).
    obj: object = field(default=None, compare=False, repr=False)
    field: str = field(default="", compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PlanInvalid(PortalError):
    """Raised with every error found; nothing has been saved. ``errors`` keep their paths (the plan
    editor puts each on its row and field); the messages are the same errors as sentences."""

    def __init__(self, errors: list[PlanError]):
        self.errors = list(errors)
        super().__init__([str(e) for e in self.errors])


def fmt(d) -> str:
    return display_day(d)


def num(value) -> str:
    """80 -> "80,00": the portal's one number format (common.display)."""
    return display_number(value)


def check_fraction(path: str, numerator, denominator, label: str) -> list[PlanError]:
    if numerator is None or denominator is None:
        return [PlanError(path, _("%(label)s: thiếu tỷ lệ.") % {"label": label})]
    if denominator <= 0:
        return [PlanError(path, _("%(label)s: mẫu số phải lớn hơn 0.") % {"label": label})]
    if numerator <= 0 or numerator > denominator:
        return [
            PlanError(
                path,
                _("%(label)s: tỷ lệ %(value)s phải lớn hơn 0 và không quá 1.")
                % {"label": label, "value": f"{numerator}/{denominator}"},
            )
        ]
    return []


def validate_plan(campaign: Campaign) -> list[PlanError]:
    errors: list[PlanError] = []
    errors += _period(campaign)
    errors += _rounds(campaign)
    errors += _milestones(campaign)
    errors += _bands(campaign)
    errors += _award_forms(campaign)
    errors += _criteria(campaign)
    errors += _warning(campaign)
    return errors


def _period(c: Campaign) -> list[PlanError]:
    if c.period_start and c.period_end and c.period_end < c.period_start:
        return [
            PlanError("period.end", _("Ngày kết thúc phải sau ngày bắt đầu của kế hoạch."), c, "period_end")
        ]
    return []


def _rounds(c: Campaign) -> list[PlanError]:
    errors = []
    for i, r in enumerate(c.rounds.all()):
        if r.starts_on < c.period_start or r.ends_on > c.period_end:
            errors.append(
                PlanError(
                    f"rounds[{i}].starts_on",
                    _(
                        "Đợt %(round)s (%(start)s - %(end)s) phải nằm trong thời gian của kế hoạch (%(ps)s - %(pe)s)."  # noqa: E501
                    )
                    % {
                        "round": r,
                        "start": fmt(r.starts_on),
                        "end": fmt(r.ends_on),
                        "ps": fmt(c.period_start),
                        "pe": fmt(c.period_end),
                    },
                    r,
                    "starts_on",
                )
            )
        if r.ends_on < r.starts_on:
            errors.append(
                PlanError(f"rounds[{i}].ends_on", _("Ngày kết thúc đợt phải sau ngày bắt đầu."), r, "ends_on")
            )
    return errors


def _milestones(c: Campaign) -> list[PlanError]:
    errors = []
    milestones = list(c.milestones.select_related("round").order_by("order", "due_on", "pk"))
    seen_by_round: dict = {}
    for i, m in enumerate(milestones):
        path = f"milestones[{i}].due_on"
        if m.due_on < c.period_start or m.due_on > c.period_end:
            errors.append(
                PlanError(
                    path,
                    _(
                        "Mốc “%(name)s” (%(date)s) phải nằm trong thời gian của kế hoạch (%(start)s - %(end)s)."  # noqa: E501
                    )
                    % {
                        "name": m,
                        "date": fmt(m.due_on),
                        "start": fmt(c.period_start),
                        "end": fmt(c.period_end),
                    },
                    m,
                    "due_on",
                )
            )
        if m.round_id and m.round.campaign_id != c.pk:
            errors.append(
                PlanError(f"milestones[{i}].round", _("Đợt của mốc không thuộc kế hoạch này."), m, "round")
            )
        for other in seen_by_round.get(m.round_id, []):
            must_be_after = (other.kind, m.kind) in MILESTONE_ORDER and other.due_on > m.due_on
            must_be_before = (m.kind, other.kind) in MILESTONE_ORDER and other.due_on < m.due_on
            if must_be_after or must_be_before:
                errors.append(
                    PlanError(
                        path,
                        _(
                            "Mốc “%(name)s” (%(date)s) không đúng thứ tự: phải %(rel)s mốc “%(other)s” (%(odate)s)."  # noqa: E501
                        )
                        % {
                            "name": m,
                            "date": fmt(m.due_on),
                            "rel": _("sau") if must_be_after else _("trước"),
                            "other": other,
                            "odate": fmt(other.due_on),
                        },
                        m,
                        "due_on",
                    )
                )
                break
        seen_by_round.setdefault(m.round_id, []).append(m)
    return errors


def _bands(c: Campaign) -> list[PlanError]:
    errors = []
    bands = list(c.par_bands.order_by("-order"))
    seen_min: dict = {}
    seen_names: set = set()
    for i, band in enumerate(bands):
        if band.min_score < 0 or band.min_score > 100:
            errors.append(
                PlanError(
                    f"par_bands[{i}].min_score",
                    _("Điểm từ của xếp loại “%(name)s” phải từ 0 đến 100.") % {"name": band},
                    band,
                    "min_score",
                )
            )
        if band.min_score in seen_min:
            errors.append(
                PlanError(
                    f"par_bands[{i}].min_score",
                    _("Xếp loại “%(name)s” trùng ngưỡng điểm với “%(other)s”.")
                    % {"name": band, "other": seen_min[band.min_score]},
                    band,
                    "min_score",
                )
            )
        seen_min[band.min_score] = band
        if band.name.strip().lower() in seen_names:
            errors.append(
                PlanError(
                    f"par_bands[{i}].name",
                    _("Tên xếp loại “%(name)s” bị trùng.") % {"name": band},
                    band,
                    "name",
                )
            )
        seen_names.add(band.name.strip().lower())
        if i > 0 and band.min_score >= bands[i - 1].min_score:
            errors.append(
                PlanError(
                    f"par_bands[{i}].min_score",
                    _(
                        "Các xếp loại chồng lấn: “%(name)s” (từ %(min)s điểm) phải thấp hơn “%(better)s” (từ %(bmin)s điểm)."  # noqa: E501
                    )
                    % {
                        "name": band,
                        "min": num(band.min_score),
                        "better": bands[i - 1],
                        "bmin": num(bands[i - 1].min_score),
                    },
                    band,
                    "min_score",
                )
            )
    return errors


#: Last part of an award form's error path -> field of the plan editor's form.
AWARD_FIELDS = {
    "quota.fraction": "quota_fraction",
    "quota.fixed": "quota_fixed",
    "quota.scope": "quota_scope",
    "quota.base": "quota_base",
    "vote": "vote_numerator",
    "gates.min_par_band": "min_par_band",
    "gates.min_staff_rating": "min_staff_rating",
    "target_groups": "target_groups",
    "ranking.key": "ranking_key",
    "ranking.individual_key": "individual_ranking_key",
}


def _award_forms(c: Campaign) -> list[PlanError]:
    errors = []
    for i, form in enumerate(c.award_forms.select_related("min_par_band").prefetch_related("target_groups")):
        base = f"award_forms[{i}]"
        errors += [
            PlanError(e.path, e.message, form, AWARD_FIELDS.get(e.path.removeprefix(f"{base}."), ""))
            for e in _award_form(c, form, base)
        ]
    return errors


def _award_form(c: Campaign, form, base: str) -> list[PlanError]:
    errors = []
    if form.quota_kind == QuotaKind.FRACTION:
        errors += check_fraction(
            f"{base}.quota.fraction", form.quota_numerator, form.quota_denominator, _("Tỷ lệ khen thưởng")
        )
    elif form.quota_kind == QuotaKind.FIXED and not form.quota_fixed:
        errors.append(PlanError(f"{base}.quota.fixed", _("Số lượng khen thưởng tối đa phải lớn hơn 0.")))
    errors += check_fraction(
        f"{base}.vote",
        form.vote_numerator,
        form.vote_denominator,
        _("Tỷ lệ phiếu tán thành của Hội đồng"),
    )
    if form.min_par_band_id and form.min_par_band.campaign_id != c.pk:
        errors.append(
            PlanError(
                f"{base}.gates.min_par_band",
                _("Xếp loại chỉ số CCHC “%(band)s” không có trong kế hoạch này.")
                % {"band": form.min_par_band},
            )
        )
    if form.min_staff_rating and form.min_staff_rating not in StaffRating.values:
        errors.append(
            PlanError(
                f"{base}.gates.min_staff_rating",
                _("Xếp loại cán bộ “%(value)s” không tồn tại.") % {"value": form.min_staff_rating},
            )
        )
    for group in form.target_groups.all():
        if group.campaign_id != c.pk:
            errors.append(
                PlanError(
                    f"{base}.target_groups",
                    _("Đối tượng “%(group)s” không thuộc kế hoạch này.") % {"group": group},
                )
            )
    # A staff rating belongs to a person: it cannot rank a collective.
    if form.ranking_key == RankingKey.STAFF_RATING and form.recipient != Recipient.INDIVIDUAL:
        errors.append(
            PlanError(
                f"{base}.ranking.key",
                _(
                    "Xếp loại cán bộ chỉ dùng để xếp hạng cá nhân: hãy chọn cách xếp hạng tập thể và "
                    "ghi xếp loại cán bộ ở mục xếp hạng cá nhân."
                ),
            )
        )
    if form.individual_ranking_key and form.recipient == Recipient.COLLECTIVE:
        errors.append(
            PlanError(
                f"{base}.ranking.individual_key",
                _("Hình thức chỉ khen tập thể nên không có cách xếp hạng cá nhân."),
            )
        )
    if (
        form.quota_base == QuotaBase.BLOC_MEMBERS
        and form.quota_kind == QuotaKind.FRACTION
        and not c.blocs.exists()
    ):
        errors.append(
            PlanError(
                f"{base}.quota.base",
                _("Hạn mức tính trên tổng số cơ quan của khối nhưng kế hoạch chưa có khối thi đua nào."),
            )
        )
    if form.quota_scope == "per_bloc" and form.quota_kind != QuotaKind.NONE and not c.blocs.exists():
        errors.append(
            PlanError(
                f"{base}.quota.scope",
                _("Hạn mức tính theo khối nhưng kế hoạch chưa có khối thi đua nào."),
            )
        )
    return errors


def _criteria(c: Campaign) -> list[PlanError]:
    errors = []
    for g, group in enumerate(c.target_groups.prefetch_related("criteria__reform_area")):
        for k, crit in enumerate(group.criteria.all()):
            if crit.reform_area_id and crit.reform_area.campaign_id != c.pk:
                errors.append(
                    PlanError(
                        f"target_groups[{g}].criteria[{k}].reform_area",
                        _("Lĩnh vực của tiêu chí không thuộc kế hoạch này."),
                        crit,
                        "reform_area",
                    )
                )
    return errors


def _warning(c: Campaign) -> list[PlanError]:
    """The rule for flagging heads (kiến nghị xử lý, seed 002): its bands are the plan's, the run of
    years is 1 to MAX_WARNING_YEARS, the single-year band is below the band of the run (else the run
    would never matter), and the plan has blocs (ranks and agencies are taken within the blocs)."""
    rule = c.warning
    if rule is None:
        return []
    errors = []
    low, single = rule.band, rule.single_year_band
    for band, name in ((low, "band"), (single, "single_year_band")):
        if band is not None and band.campaign_id != c.pk:
            errors.append(
                PlanError(
                    f"warning.{name}",
                    _("Kiến nghị xử lý: xếp loại “%(band)s” không có trong kế hoạch này.") % {"band": band},
                    rule,
                    name,
                )
            )
    if low is None and single is None:
        errors.append(
            PlanError("warning.band", _("Kiến nghị xử lý cần ít nhất một mức xếp loại."), rule, "band")
        )
    if low is not None and not 1 <= rule.years <= MAX_WARNING_YEARS:
        errors.append(
            PlanError(
                "warning.years",
                _("Kiến nghị xử lý: số năm liên tục phải từ 1 đến %(n)s.") % {"n": MAX_WARNING_YEARS},
                rule,
                "years",
            )
        )
    if low is not None and single is not None and single.order >= low.order:
        errors.append(
            PlanError(
                "warning.single_year_band",
                _(
                    "Kiến nghị xử lý: mức xếp loại trong một năm (“%(single)s”) phải thấp hơn mức xếp loại "
                    "nhiều năm liên tục (“%(band)s”)."
                )
                % {"single": single, "band": low},
                rule,
                "single_year_band",
            )
        )
    if not c.blocs.exists():
        errors.append(
            PlanError(
                "warning",
                _("Kiến nghị xử lý xét các cơ quan trong khối thi đua nhưng kế hoạch chưa có khối nào."),
                rule,
                "band",
            )
        )
    return errors
