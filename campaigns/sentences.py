"""The rules of a plan as readable Vietnamese sentences, generated from the data (public page)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.display import day as display_day

from .models import (
    AwardForm,
    Campaign,
    Milestone,
    ParYear,
    QuotaBase,
    QuotaKind,
    QuotaScope,
    Recipient,
    StaffRating,
)


def fraction_text(num: int, den: int) -> str:
    return f"{num}%" if den == 100 else f"{num}/{den}"


def quota_sentence(form: AwardForm) -> str:
    if form.quota_kind == QuotaKind.NONE:
        return ""
    if form.quota_kind == QuotaKind.FRACTION:
        amount = fraction_text(form.quota_numerator, form.quota_denominator)
    else:
        amount = str(form.quota_fixed)
    base = {
        QuotaBase.RANKED_IN_BLOC: _("số cơ quan có điểm số được xếp hạng từ cao đến thấp"),
        QuotaBase.BLOC_MEMBERS: _("tổng số cơ quan"),
        QuotaBase.WITH_ACHIEVEMENTS: _("số tập thể, cá nhân có nhiều thành tích trong phong trào thi đua"),
        QuotaBase.ELIGIBLE: _("số tập thể, cá nhân đủ điều kiện"),
    }[form.quota_base]
    scope = _(" của mỗi khối") if form.quota_scope == QuotaScope.PER_BLOC else ""
    if form.quota_kind == QuotaKind.FIXED:
        return _("không quá %(amount)s %(recipient)s%(scope)s") % {
            "amount": amount,
            "recipient": form.get_recipient_display(),
            "scope": scope,
        }
    return _("không quá %(amount)s %(base)s%(scope)s") % {"amount": amount, "base": base, "scope": scope}


def gate_clauses(form: AwardForm) -> list[str]:
    clauses = []
    if form.min_par_band_id:
        year = _("năm đánh giá") if form.par_year == ParYear.CAMPAIGN else _("năm liền trước")
        clause = _("Chỉ số cải cách hành chính %(year)s được xếp loại “%(band)s”%(up)s") % {
            "year": year,
            "band": form.min_par_band.name,
            "up": _(" trở lên") if form.min_par_band.order < max_order(form) else "",
        }
        if form.par_exempt_without_index:
            clause += _(" (cơ quan không thuộc diện xác định Chỉ số được miễn điều kiện này)")
        clauses.append(clause)
    if form.min_staff_rating:
        clauses.append(
            _("được đánh giá, xếp loại “%(rating)s” trở lên")
            % {"rating": StaffRating(form.min_staff_rating).label.lower()}
        )
    if form.require_head_not_disciplined:
        clauses.append(_("người đứng đầu không bị kỷ luật trong năm"))
    if form.require_no_upheld_complaints:
        clauses.append(_("không có khiếu nại, tố cáo được xác định là đúng"))
    if form.require_on_time_registration:
        clauses.append(_("có đăng ký thi đua đúng thời hạn"))
    if form.require_accepted_registration:
        clauses.append(_("có đăng ký thi đua được Phòng/Sở Nội vụ chấp nhận"))
    return clauses


def max_order(form: AwardForm) -> int:
    return max((b.order for b in form.campaign.par_bands.all()), default=0)


def award_sentences(form: AwardForm) -> list[str]:
    """E.g. "Chỉ đề nghị khen thưởng Bằng khen ... đối với tập thể khi Chỉ số ... xếp loại “Tốt”;
    số lượng không quá 1/3 số cơ quan ... của mỗi khối."""
    recipient = {
        Recipient.COLLECTIVE: _("tập thể"),
        Recipient.INDIVIDUAL: _("cá nhân"),
        Recipient.BOTH: _("tập thể, cá nhân"),
    }[form.recipient]
    if form.extends_to_head_and_deputy:
        recipient += _(", người đứng đầu và cấp phó được phân công phụ trách công tác cải cách hành chính")
    sentences = []
    gates = gate_clauses(form)
    quota = quota_sentence(form)
    if gates:
        first = _("%(form)s: chỉ đề nghị khen thưởng đối với %(recipient)s khi %(gates)s") % {
            "form": form.name,
            "recipient": recipient,
            "gates": _(", ").join(gates),
        }
        if quota:
            first += _(" và tỷ lệ khen thưởng %(quota)s") % {"quota": quota}
        sentences.append(first + ".")
    elif quota:
        sentences.append(_("%(form)s: tặng cho %(quota)s.") % {"form": form.name, "quota": quota})
    else:
        sentences.append(
            _("%(form)s: xét tặng cho %(recipient)s có thành tích.")
            % {"form": form.name, "recipient": recipient}
        )
    if form.individual_ranking_key and form.recipient != Recipient.COLLECTIVE:
        sentences.append(
            _("Cá nhân được xếp thứ tự theo %(key)s.") % {"key": form.get_individual_ranking_key_display()}
        )
    if form.head_tied_to_collective:
        sentences.append(
            _("Thành tích của người đứng đầu cơ quan, đơn vị phải gắn với thành tích của tập thể.")
        )
    if form.vote_numerator and form.vote_denominator:
        sentences.append(
            _("Hội đồng Thi đua - Khen thưởng xét đề nghị khi có từ %(vote)s số thành viên tán thành.")
            % {"vote": fraction_text(form.vote_numerator, form.vote_denominator)}
        )
    return sentences


def milestone_sentence(m: Milestone) -> str:
    return _("%(name)s: hạn cuối ngày %(date)s.") % {"name": m, "date": display_day(m.due_on)}


def warning_sentence(campaign: Campaign) -> str:
    """Seed 002 in the plan's own terms: "Xem xét xử lý hoặc kiến nghị xử lý đối với người đứng đầu
    cơ quan, đơn vị nếu Chỉ số cải cách hành chính có 02 năm liên tục xếp từ loại “Khá” trở xuống và
    bị tụt hạng trong khối, hoặc trong năm đánh giá bị xếp loại “Trung bình” trở xuống." ("" = no rule)."""
    rule = campaign.warning
    if rule is None:
        return ""
    lowest = min((b.order for b in campaign.par_bands.all()), default=0)

    def band(b) -> str:
        down = _(" trở xuống") if b.order > lowest else ""
        return _("“%(band)s”%(down)s") % {"band": b.name, "down": down}

    conditions = []
    low = rule.band
    if low is not None:
        if rule.years > 1:
            text = _("có %(n)s năm liên tục xếp loại %(band)s") % {
                "n": f"{rule.years:02d}",
                "band": band(low),
            }
        else:
            text = _("trong năm đánh giá xếp loại %(band)s") % {"band": band(low)}
        if rule.rank_fall:
            text += _(" và bị tụt hạng trong khối so với năm trước")
        conditions.append(text)
    single = rule.single_year_band
    if single is not None:
        conditions.append(_("trong năm đánh giá bị xếp loại %(band)s") % {"band": band(single)})
    return _(
        "Xem xét xử lý hoặc kiến nghị xử lý đối với người đứng đầu cơ quan, đơn vị nếu Chỉ số cải cách "
        "hành chính của cơ quan, đơn vị %(conditions)s."
    ) % {"conditions": _(", hoặc ").join(conditions)}
