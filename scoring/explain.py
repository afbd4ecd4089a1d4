"""The plain-Vietnamese explanation of a candidate's result: each gate with the value it saw and
the plan's rule, the rank in the bloc, and whether the quota cut them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import AwardForm, QuotaKind, RankingKey, StaffRating
from common.display import day as display_day
from common.display import number as display_number

from .models import CandidateKind, CandidateResult


def number(value) -> str:
    """85.5 -> "85,50": the portal's one number format (common.display)."""
    return display_number(value)


def _date(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def _verdict(passed: bool) -> str:
    return _("đạt") if passed else _("không đạt")


def quota_rule(form: AwardForm) -> str:
    if form.quota_kind == QuotaKind.FRACTION:
        return _("tối đa %(num)s/%(den)s %(base)s %(scope)s, làm tròn xuống") % {
            "num": form.quota_numerator,
            "den": form.quota_denominator,
            "base": form.get_quota_base_display(),
            "scope": form.get_quota_scope_display(),
        }
    if form.quota_kind == QuotaKind.FIXED:
        return _("tối đa %(n)s %(scope)s") % {"n": form.quota_fixed, "scope": form.get_quota_scope_display()}
    return _("không giới hạn số lượng")


def explain(
    result: CandidateResult, form: AwardForm, bloc_name: str = "", round_year: int | None = None
) -> list[str]:
    """Sentences in order: gates, rank, quota, outcome. ``round_year``: the year of staff ratings,
    discipline and complaints (the round's year)."""
    lines: list[str] = []
    year = result.par_year
    if result.par_exempt:
        lines.append(
            _(
                "Không có kết quả chỉ số CCHC năm %(year)s: "
                "được miễn điều kiện xếp loại chỉ số CCHC theo kế hoạch."
            )
            % {"year": year}
        )
    elif result.gate_par is not None:
        rule = _("xếp loại chỉ số CCHC năm %(year)s từ “%(band)s” trở lên") % {
            "year": year,
            "band": form.min_par_band.name if form.min_par_band else "",
        }
        if result.par_score is None:
            lines.append(
                _("Không có kết quả chỉ số CCHC năm %(year)s: không đạt điều kiện “%(rule)s”.")
                % {"year": year, "rule": rule}
            )
        else:
            lines.append(
                _(
                    "Chỉ số CCHC năm %(year)s: %(score)s điểm, xếp loại “%(rating)s”: "
                    "%(verdict)s điều kiện “%(rule)s”."
                )
                % {
                    "year": year,
                    "score": number(result.par_score),
                    "rating": result.par_rating or _("dưới mọi mức"),
                    "verdict": _verdict(result.gate_par),
                    "rule": rule,
                }
            )
    elif result.par_score is not None:
        lines.append(
            _("Chỉ số CCHC năm %(year)s: %(score)s điểm, xếp loại “%(rating)s”.")
            % {"year": year, "score": number(result.par_score), "rating": result.par_rating}
        )
    if result.gate_staff_rating is not None:
        rating = StaffRating(result.staff_rating).label if result.staff_rating else _("chưa có xếp loại")
        lines.append(
            _("Xếp loại cán bộ năm %(year)s: “%(rating)s”: %(verdict)s điều kiện “từ %(minimum)s trở lên”.")
            % {
                "year": round_year,
                "rating": rating,
                "verdict": _verdict(result.gate_staff_rating),
                "minimum": StaffRating(form.min_staff_rating).label,
            }
        )
    if result.head_unknown:
        lines.append(
            _(
                "Danh bạ chưa có người đứng đầu của cơ quan: chưa xác định được điều kiện “người đứng "
                "đầu không bị kỷ luật”. Cần Phòng/Sở Nội vụ bổ sung người đứng đầu và tính lại kết quả; "
                "đến khi đó cơ quan giữ thứ hạng và suất trong chỉ tiêu nhưng chưa được đề nghị."
            )
        )
    elif result.gate_discipline is not None:
        who = _("Người đứng đầu") if result.kind == CandidateKind.COLLECTIVE else _("Cá nhân")
        state = _("bị kỷ luật trong năm") if result.disciplined else _("không bị kỷ luật trong năm")
        lines.append(
            _("%(who)s %(state)s: %(verdict)s điều kiện “không bị kỷ luật”.")
            % {"who": who, "state": state, "verdict": _verdict(result.gate_discipline)}
        )
    if result.gate_complaints is not None:
        lines.append(
            _(
                "Có %(n)s phản ánh, khiếu nại được xác định đúng trong năm: "
                "%(verdict)s điều kiện “không có khiếu nại được xác định đúng”."
            )
            % {"n": result.upheld_complaints, "verdict": _verdict(result.gate_complaints)}
        )
    if result.gate_registration is not None:
        if result.gate_registration:
            lines.append(
                _(
                    "Có đăng ký thi đua được Phòng/Sở Nội vụ chấp nhận: đạt điều kiện “có đăng ký thi đua "
                    "được chấp nhận”."
                )
            )
        else:
            lines.append(
                _(
                    "Không có đăng ký thi đua được Phòng/Sở Nội vụ chấp nhận: không đạt điều kiện “có đăng "
                    "ký thi đua được chấp nhận”."
                )
            )
    if result.gate_on_time is not None:
        if result.registered_at is None:
            lines.append(
                _("Chưa có đăng ký thi đua được chấp nhận: không đạt điều kiện “đăng ký thi đua đúng hạn”.")
            )
        elif result.resubmitted_at is not None:
            if result.resubmit_by is not None:
                resent = _("gửi lại lúc %(when)s, trong hạn gửi lại Nội vụ cho (hết ngày %(day)s)") % {
                    "when": _date(result.resubmitted_at),
                    "day": display_day(result.resubmit_by),
                }
            else:
                resent = _("gửi lại lúc %(when)s (Nội vụ không ấn định hạn gửi lại)") % {
                    "when": _date(result.resubmitted_at)
                }
            lines.append(
                _(
                    "Gửi đăng ký thi đua lần đầu lúc %(when)s, %(resent)s; thời hạn tính theo lần gửi "
                    "đầu: %(verdict)s điều kiện “đăng ký thi đua đúng hạn”."
                )
                % {
                    "when": _date(result.registered_at),
                    "resent": resent,
                    "verdict": _verdict(result.gate_on_time),
                }
            )
        else:
            lines.append(
                _("Gửi đăng ký thi đua lúc %(when)s: %(verdict)s điều kiện “đăng ký thi đua đúng hạn”.")
                % {"when": _date(result.registered_at), "verdict": _verdict(result.gate_on_time)}
            )
    if result.gate_head_tied is not None:
        lines.append(
            _(
                "Là người đứng đầu, tập thể cơ quan %(state)s: "
                "%(verdict)s điều kiện “người đứng đầu chỉ được khen khi tập thể được khen”."
            )
            % {
                "state": _("được đề nghị khen") if result.gate_head_tied else _("không được đề nghị khen"),
                "verdict": _verdict(result.gate_head_tied),
            }
        )
    if result.gate_collective is not None:
        lines.append(
            _("Khen kèm tập thể (người đứng đầu và cấp phó phụ trách CCHC): tập thể %(state)s.")
            % {"state": _("được đề nghị") if result.gate_collective else _("không được đề nghị")}
        )
    if result.total_score is not None:
        if result.score_overridden:
            lines.append(
                _("Điểm cuối cùng do Nội vụ quyết định: %(score)s.") % {"score": number(result.total_score)}
            )
        else:
            lines.append(
                _("Tổng điểm chấm: %(score)s (%(n)s người chấm).")
                % {"score": number(result.total_score), "n": result.reviewer_count}
            )
    ranking_key = form.ranking_key_for(result.kind == CandidateKind.INDIVIDUAL)
    key = RankingKey(ranking_key).label
    where = bloc_name or _("nhóm không thuộc khối")
    if result.rank_in_bloc is not None:
        lines.append(
            _("Xếp hạng %(rank)s/%(count)s trong %(bloc)s theo %(key)s (%(value)s).")
            % {
                "rank": result.rank_in_bloc,
                "count": result.ranked_count,
                "bloc": where,
                "key": key,
                "value": rank_value_text(result, ranking_key),
            }
        )
    elif result.kind in (CandidateKind.COLLECTIVE, CandidateKind.INDIVIDUAL):
        lines.append(_("Không có %(key)s nên không được xếp hạng.") % {"key": key})
    if result.quota is not None:
        lines.append(
            _("Chỉ tiêu (%(rule)s): %(base)s × tỷ lệ = %(quota)s.")
            % {"rule": quota_rule(form), "base": result.quota_base, "quota": result.quota}
        )
    lines.append(outcome(result))
    return lines


def rank_value_text(result: CandidateResult, ranking_key: str) -> str:
    """The value a candidate was ranked by: a number, or the staff rating's name."""
    if ranking_key == RankingKey.STAFF_RATING and result.staff_rating:
        return str(StaffRating(result.staff_rating).label)
    return number(result.rank_value)


def outcome(result: CandidateResult) -> str:
    if result.awaits_check:
        if result.quota is None:
            return _("Chờ Phòng/Sở Nội vụ xác định người đứng đầu: chưa được đề nghị.")
        return _(
            "Chờ Phòng/Sở Nội vụ xác định người đứng đầu: thứ %(rank)s trong số đủ điều kiện, trong chỉ "
            "tiêu %(quota)s, suất được giữ nhưng chưa được đề nghị."
        ) % {"rank": result.eligible_rank, "quota": result.quota}
    if result.kind in (CandidateKind.HEAD, CandidateKind.DEPUTY):
        return _("Được đề nghị khen thưởng.") if result.proposed else _("Không được đề nghị khen thưởng.")
    if result.proposed:
        if result.quota is None:
            return _("Được đề nghị khen thưởng.")
        return _(
            "Được đề nghị khen thưởng: thứ %(rank)s trong số đủ điều kiện, trong chỉ tiêu %(quota)s."
        ) % {
            "rank": result.eligible_rank,
            "quota": result.quota,
        }
    if result.tie_at_cutoff:
        return _(
            "Bằng điểm tại ngưỡng chỉ tiêu với %(others)s ứng viên khác (thứ %(rank)s, chỉ tiêu %(quota)s): "
            "Hội đồng Thi đua - Khen thưởng quyết định."
        ) % {"others": (result.tie_size or 1) - 1, "rank": result.eligible_rank, "quota": result.quota}
    if not result.eligible:
        return _("Không được đề nghị: không đạt điều kiện nêu trên.")
    if result.rank_value is None:
        return _("Không được đề nghị: không có điểm để xếp hạng.")
    return _("Không được đề nghị: thứ %(rank)s trong số đủ điều kiện, ngoài chỉ tiêu %(quota)s.") % {
        "rank": result.eligible_rank,
        "quota": result.quota,
    }


def exclusion(result: CandidateResult) -> str:
    """Short label of what excluded a candidate (for the results page): gate, quota or tie."""
    if result.proposed:
        return ""
    if result.tie_at_cutoff:
        return _("bằng điểm tại ngưỡng")
    if result.awaits_check:
        return _("chưa xác định người đứng đầu")
    if not result.eligible:
        failed = []
        if result.gate_par is False:
            failed.append(_("chỉ số CCHC"))
        if result.gate_staff_rating is False:
            failed.append(_("xếp loại cán bộ"))
        if result.gate_discipline is False:
            failed.append(_("kỷ luật"))
        if result.gate_complaints is False:
            failed.append(_("khiếu nại"))
        if result.gate_on_time is False:
            failed.append(_("đăng ký đúng hạn"))
        if result.gate_registration is False:
            failed.append(_("chưa có đăng ký được chấp nhận"))
        if result.gate_head_tied is False or result.gate_collective is False:
            failed.append(_("tập thể không được khen"))
        # Shown after the "Không đề nghị" badge: never starts with "không" ("Không không đạt").
        return _("điều kiện không đạt: %(gates)s") % {"gates": ", ".join(failed)}
    if result.rank_value is None:
        return _("thiếu điểm để xếp hạng")
    return _("ngoài chỉ tiêu")
