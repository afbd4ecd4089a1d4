"""Award forms (hình thức khen thưởng): gates, quota, ranking, council vote threshold, prize multiples.

Quotas are always rounded down: floor(n * numerator / denominator).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .blocs import ParBand
from .campaign import Campaign, PlanPart
from .contents import TargetGroup


class StaffRating(models.TextChoices):
    """Xếp loại chất lượng cán bộ, công chức hằng năm."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    DONE = "done", _("Hoàn thành nhiệm vụ")
    FAILED = "failed", _("Không hoàn thành nhiệm vụ")

    @classmethod
    def rank(cls, value: str) -> int:
        """Higher is better; unknown or empty -> 0."""
        ranks: dict[str, int] = {cls.EXCELLENT: 4, cls.GOOD: 3, cls.DONE: 2, cls.FAILED: 1}
        return ranks.get(value, 0)

    @classmethod
    def at_least(cls, value: str, minimum: str) -> bool:
        return not minimum or cls.rank(value) >= cls.rank(minimum)


class AwardKind(models.TextChoices):
    GIAY_KHEN = "giay_khen", _("Giấy khen")
    BANG_KHEN = "bang_khen", _("Bằng khen")
    CO_THI_DUA = "co_thi_dua", _("Cờ thi đua")
    DANH_HIEU = "danh_hieu", _("Danh hiệu thi đua")
    OTHER = "other", _("Hình thức khác")


class Recipient(models.TextChoices):
    COLLECTIVE = "collective", _("tập thể")
    INDIVIDUAL = "individual", _("cá nhân")
    BOTH = "both", _("tập thể và cá nhân")


class ParYear(models.TextChoices):
    CAMPAIGN = "campaign", _("năm của đợt thi đua")
    PREVIOUS = "previous", _("năm liền trước")


class QuotaKind(models.TextChoices):
    NONE = "none", _("Không giới hạn")
    FRACTION = "fraction", _("Tỷ lệ")
    FIXED = "fixed", _("Số lượng cố định")


class QuotaBase(models.TextChoices):
    RANKED_IN_BLOC = "ranked_in_bloc", _("số cơ quan được xếp hạng")
    BLOC_MEMBERS = "bloc_members", _("tổng số cơ quan của khối")
    WITH_ACHIEVEMENTS = "with_achievements", _("số tập thể, cá nhân có thành tích")
    ELIGIBLE = "eligible", _("số tập thể, cá nhân đủ điều kiện")


class QuotaScope(models.TextChoices):
    PER_BLOC = "per_bloc", _("mỗi khối")
    CAMPAIGN = "campaign", _("toàn kế hoạch")


class RankingKey(models.TextChoices):
    PAR_SCORE = "par_score", _("điểm chỉ số CCHC")
    TOTAL_SCORE = "total_score", _("tổng điểm chấm thi đua")
    # Individuals only: Hoàn thành xuất sắc > tốt > hoàn thành > không hoàn thành nhiệm vụ.
    STAFF_RATING = "staff_rating", _("xếp loại cán bộ")


class TieBreakKey(models.TextChoices):
    TOTAL_SCORE = "total_score", _("tổng điểm chấm thi đua")
    PAR_SCORE = "par_score", _("điểm chỉ số CCHC")
    REGISTERED_AT = "registered_at", _("thời điểm đăng ký")
    NONE = "none", _("Hội đồng quyết định")


class AwardForm(PlanPart, models.Model):
    """Hình thức khen thưởng with its gates, quota, ranking and council vote threshold."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="award_forms"
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("hình thức khen thưởng"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=AwardKind.choices, default=AwardKind.GIAY_KHEN)
    issuing_level = models.CharField(_("cấp khen"), max_length=255, blank=True)
    recipient = models.CharField(
        _("đối tượng nhận"), max_length=20, choices=Recipient.choices, default=Recipient.COLLECTIVE
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("đối tượng thi đua"), blank=True, related_name="award_forms"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.TextField(_("ghi chú"), blank=True)
    # Gates
    min_par_band = models.ForeignKey(
        ParBand,
        verbose_name=_("xếp loại chỉ số CCHC tối thiểu"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="award_forms",
    )
    par_year = models.CharField(
        _("chỉ số CCHC của năm"), max_length=10, choices=ParYear.choices, default=ParYear.CAMPAIGN
    )
    par_exempt_without_index = models.BooleanField(
        _("miễn điều kiện cho cơ quan không xác định chỉ số"), default=False
    )
    min_staff_rating = models.CharField(
        _("xếp loại cán bộ tối thiểu"), max_length=20, choices=StaffRating.choices, blank=True
    )
    require_head_not_disciplined = models.BooleanField(_("người đứng đầu không bị kỷ luật"), default=False)
    head_tied_to_collective = models.BooleanField(
        _("người đứng đầu chỉ được khen khi tập thể được khen"), default=False
    )
    extends_to_head_and_deputy = models.BooleanField(
        _("khen kèm người đứng đầu và cấp phó phụ trách CCHC"), default=False
    )
    require_no_upheld_complaints = models.BooleanField(
        _("không có khiếu nại, tố cáo được xác định đúng"), default=False
    )
    require_on_time_registration = models.BooleanField(_("đăng ký thi đua đúng hạn"), default=False)
    # Without it every agency of a bloc is a candidate (seed 002 ranks all of them by PAR score).
    require_accepted_registration = models.BooleanField(
        _("có đăng ký thi đua được Nội vụ chấp nhận"), default=False
    )
    # Quota: always rounded down, floor(n * numerator / denominator)
    quota_kind = models.CharField(
        _("giới hạn số lượng"), max_length=10, choices=QuotaKind.choices, default=QuotaKind.NONE
    )
    quota_numerator = models.PositiveIntegerField(_("tử số"), null=True, blank=True)
    quota_denominator = models.PositiveIntegerField(_("mẫu số"), null=True, blank=True)
    quota_fixed = models.PositiveIntegerField(_("số lượng tối đa"), null=True, blank=True)
    quota_base = models.CharField(
        _("tính trên"), max_length=20, choices=QuotaBase.choices, default=QuotaBase.ELIGIBLE
    )
    quota_scope = models.CharField(
        _("phạm vi"), max_length=10, choices=QuotaScope.choices, default=QuotaScope.CAMPAIGN
    )
    ranking_key = models.CharField(
        _("xếp hạng theo"), max_length=20, choices=RankingKey.choices, default=RankingKey.TOTAL_SCORE
    )
    # Blank: individuals are ranked by ``ranking_key`` too.
    individual_ranking_key = models.CharField(
        _("xếp hạng cá nhân theo"), max_length=20, choices=RankingKey.choices, blank=True
    )
    tie_break_key = models.CharField(
        _("khi bằng điểm"), max_length=20, choices=TieBreakKey.choices, default=TieBreakKey.NONE
    )
    vote_numerator = models.PositiveIntegerField(_("tỷ lệ phiếu tán thành (tử số)"), default=1)
    vote_denominator = models.PositiveIntegerField(_("tỷ lệ phiếu tán thành (mẫu số)"), default=2)
    # Prize money as multiples of the base salary (mức lương cơ sở), per the decree in force.
    prize_individual = models.DecimalField(
        _("tiền thưởng cá nhân (lần mức lương cơ sở)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    prize_collective = models.DecimalField(
        _("tiền thưởng tập thể (lần mức lương cơ sở)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Công khai: the proposed list is published on the public pages for this many working days before
    # the council may meet (0: not required by the plan).
    disclosure_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc công khai danh sách trước khi Hội đồng họp"), default=0
    )

    class Meta:
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")
        ordering = ["campaign", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="award_form_code_unique"),
            models.CheckConstraint(
                condition=~Q(quota_kind="fraction")
                | Q(
                    quota_numerator__isnull=False,
                    quota_denominator__gt=0,
                    quota_numerator__lte=F("quota_denominator"),
                ),
                name="award_form_fraction_valid",
            ),
            models.CheckConstraint(
                condition=~Q(quota_kind="fixed") | Q(quota_fixed__isnull=False),
                name="award_form_fixed_has_number",
            ),
            models.CheckConstraint(
                condition=Q(vote_denominator__gt=0, vote_numerator__lte=F("vote_denominator")),
                name="award_form_vote_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def ranking_key_for(self, individuals: bool) -> str:
        """The key that ranks collectives, or individuals (their own key when the plan sets one)."""
        return (self.individual_ranking_key or self.ranking_key) if individuals else self.ranking_key

    def quota_for(self, base_count: int) -> int | None:
        """Maximum number of awards for a base of ``base_count``; None = no limit. Rounded down."""
        if (
            self.quota_kind == QuotaKind.FRACTION
            and self.quota_numerator is not None
            and self.quota_denominator
        ):
            return (base_count * self.quota_numerator) // self.quota_denominator
        if self.quota_kind == QuotaKind.FIXED:
            return self.quota_fixed
        return None

    def vote_passes(self, yes: int, members: int) -> bool:
        """yes / members >= numerator / denominator, exactly in integers."""
        return members > 0 and yes * self.vote_denominator >= self.vote_numerator * members
