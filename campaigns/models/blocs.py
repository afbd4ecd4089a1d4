"""How a plan ranks and flags agencies: blocs and their members, PAR Index bands, the warning rule
for heads (kiến nghị xử lý)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency

from .campaign import MAX_WARNING_YEARS, Campaign, PlanPart


class Bloc(PlanPart, models.Model):
    """Khối thi đua."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="blocs"
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên khối"), max_length=255)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    agencies: models.ManyToManyField[Agency, BlocMembership] = models.ManyToManyField(
        Agency, through="BlocMembership", related_name="blocs", verbose_name=_("cơ quan")
    )

    class Meta:
        verbose_name = _("khối thi đua")
        verbose_name_plural = _("khối thi đua")
        ordering = ["campaign", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="bloc_code_unique")]

    def __str__(self) -> str:
        return self.name


class BlocMembership(PlanPart, models.Model):
    bloc = models.ForeignKey(
        Bloc, verbose_name=_("khối"), on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="bloc_memberships"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("kế hoạch"),
        on_delete=models.CASCADE,
        related_name="bloc_memberships",
        editable=False,
    )

    class Meta:
        verbose_name = _("thành viên khối")
        verbose_name_plural = _("thành viên khối")
        ordering = ["bloc", "agency__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "agency"], name="one_bloc_per_agency_per_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.bloc} – {self.agency}"

    def save(self, *args, **kwargs):
        self.campaign_id = self.bloc.campaign_id
        super().save(*args, **kwargs)


class ParBand(PlanPart, models.Model):
    """Xếp loại chỉ số cải cách hành chính (PAR index): score >= min_score; higher ``order`` = better."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="par_bands"
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên xếp loại"), max_length=60)
    min_score = models.DecimalField(_("điểm từ"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(
        _("thứ bậc"), default=0, help_text=_("Số lớn hơn = xếp loại cao hơn.")
    )

    class Meta:
        verbose_name = _("xếp loại chỉ số CCHC")
        verbose_name_plural = _("xếp loại chỉ số CCHC")
        ordering = ["campaign", "-order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="par_band_code_unique"),
            models.UniqueConstraint(fields=["campaign", "min_score"], name="par_band_min_unique"),
            models.UniqueConstraint(fields=["campaign", "order"], name="par_band_order_unique"),
            models.CheckConstraint(condition=Q(min_score__gte=0), name="par_band_min_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


DEFAULT_PAR_BANDS = [
    ("tot", "Tốt", Decimal("90"), 4),
    ("kha", "Khá", Decimal("80"), 3),
    ("trung-binh", "Trung bình", Decimal("65"), 2),
    ("yeu", "Yếu", Decimal("0"), 1),
]


class WarningRule(PlanPart, models.Model):
    """Kiến nghị xử lý người đứng đầu (seed 002: Quyết định 4000/QĐ-UBND): the head is flagged when the
    agency's PAR rating is ``band`` or lower ``years`` years running (and, with ``rank_fall``, it fell
    in rank within its bloc against the year before), or ``single_year_band`` or lower in the year.
    A plan without this row flags nobody."""

    campaign = models.OneToOneField(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="warning_rule"
    )
    band = models.ForeignKey(
        ParBand,
        verbose_name=_("xếp loại nhiều năm liên tục, từ mức này trở xuống"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )
    years = models.PositiveSmallIntegerField(_("số năm liên tục"), default=2)
    rank_fall = models.BooleanField(_("và bị tụt hạng trong khối so với năm trước"), default=True)
    single_year_band = models.ForeignKey(
        ParBand,
        verbose_name=_("hoặc trong năm đánh giá xếp loại từ mức này trở xuống"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("quy định kiến nghị xử lý người đứng đầu")
        verbose_name_plural = _("quy định kiến nghị xử lý người đứng đầu")
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=1, years__lte=MAX_WARNING_YEARS), name="warning_rule_years_range"
            ),
            models.CheckConstraint(
                condition=Q(band__isnull=False) | Q(single_year_band__isnull=False),
                name="warning_rule_has_a_band",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Kiến nghị xử lý người đứng đầu"))


def band_for(campaign_bands, score) -> ParBand | None:
    """The best band whose ``min_score`` <= score (None if score is None or below every band)."""
    if score is None:
        return None
    score = Decimal(str(score))
    best = None
    for band in campaign_bands:
        if score >= band.min_score and (best is None or band.min_score > best.min_score):
            best = band
    return best
