"""What a plan is about and when: contents, reform areas, target groups and their criteria,
indicators of the final report, milestones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyKind, PersonKind
from common.fields import ChoiceListField

from .campaign import VN_TZ, Campaign, PlanPart, Round, TargetGroupKind


class Content(PlanPart, models.Model):
    """Nội dung thi đua."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="contents"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("nội dung"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("nội dung thi đua")
        verbose_name_plural = _("nội dung thi đua")
        ordering = ["campaign", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class ReformArea(PlanPart, models.Model):
    """Lĩnh vực cải cách hành chính."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="reform_areas"
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực cải cách")
        verbose_name_plural = _("lĩnh vực cải cách")
        ordering = ["campaign", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="reform_area_code_unique")]

    def __str__(self) -> str:
        return self.name


class TargetGroup(PlanPart, models.Model):
    """Đối tượng thi đua: which agency kinds / person kinds may join, with their criteria."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="target_groups"
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên đối tượng"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=TargetGroupKind.choices)
    agency_kinds = ChoiceListField(
        _("loại cơ quan"), default=list, blank=True, item_choices=AgencyKind.choices
    )
    person_kinds = ChoiceListField(
        _("loại cá nhân"), default=list, blank=True, item_choices=PersonKind.choices
    )
    description = models.TextField(_("mô tả"), blank=True)
    initiative_required = models.BooleanField(_("bắt buộc có sáng kiến, mô hình"), default=False)
    # Seed 003: "mỗi cá nhân, đơn vị đăng ký một sáng kiến, giải pháp hoặc cách làm hay". On an
    # individual group: every person of the group registered with an agency's registration is an
    # author of at least one of its initiatives before it is sent (or confirmed).
    initiative_per_person = models.BooleanField(
        _("mỗi cá nhân đăng ký một sáng kiến"),
        default=False,
        help_text=_(
            "Chỉ cho đối tượng cá nhân: mỗi người đăng ký thi đua phải là tác giả của ít nhất một sáng kiến, "
            "giải pháp hoặc cách làm hay trong đăng ký của cơ quan."
        ),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("đối tượng thi đua")
        verbose_name_plural = _("đối tượng thi đua")
        ordering = ["campaign", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="target_group_code_unique"),
            models.CheckConstraint(
                condition=Q(initiative_per_person=False) | Q(kind="individual"),
                name="initiative_per_person_for_individuals",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points * c.weight for c in self.criteria.all() if not c.is_gate), Decimal("0"))


class Criterion(PlanPart, models.Model):
    """Tiêu chí chấm điểm (or a pass/fail gate when ``is_gate``)."""

    target_group = models.ForeignKey(
        TargetGroup, verbose_name=_("đối tượng"), on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    code = models.SlugField(_("mã"), max_length=40)
    text = models.TextField(_("tiêu chí"))
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2, default=Decimal("0"))
    weight = models.DecimalField(_("hệ số"), max_digits=5, decimal_places=2, default=Decimal("1"))
    evidence_required = models.BooleanField(_("bắt buộc minh chứng"), default=False)
    is_gate = models.BooleanField(_("điều kiện đạt/không đạt"), default=False)
    reform_area = models.ForeignKey(
        ReformArea,
        verbose_name=_("lĩnh vực"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="criteria",
    )

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["target_group", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["target_group", "code"], name="criterion_code_unique"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criterion_points_not_negative"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_additional_data(self) -> dict:
        return {"campaign": self.target_group.campaign_id}


class Comparison(models.TextChoices):
    GT = "gt", _("lớn hơn")
    GTE = "gte", _("từ")
    LT = "lt", _("nhỏ hơn")
    LTE = "lte", _("không quá")
    BETWEEN = "between", _("trong khoảng")


class Indicator(PlanPart, models.Model):
    """Chỉ số định lượng báo cáo trong báo cáo tổng kết (seed 003: hài lòng > 80%...)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("chỉ số"), max_length=255)
    unit = models.CharField(_("đơn vị"), max_length=20, blank=True, default="%")
    comparison = models.CharField(
        _("so sánh"), max_length=10, choices=Comparison.choices, default=Comparison.GTE
    )
    threshold = models.DecimalField(_("ngưỡng"), max_digits=12, decimal_places=2)
    threshold_upper = models.DecimalField(
        _("ngưỡng trên"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        ordering = ["campaign", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=~Q(comparison="between")
                | Q(threshold_upper__isnull=False, threshold_upper__gte=F("threshold")),
                name="indicator_between_has_upper",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_met(self, value) -> bool:
        value = Decimal(str(value))
        c = self.comparison
        if c == Comparison.GT:
            return value > self.threshold
        if c == Comparison.GTE:
            return value >= self.threshold
        if c == Comparison.LT:
            return value < self.threshold
        if c == Comparison.LTE:
            return value <= self.threshold
        return self.threshold <= value <= self.threshold_upper


class MilestoneKind(models.TextChoices):
    REGISTRATION_DEADLINE = "registration_deadline", _("Hạn đăng ký thi đua")
    MIDTERM_REVIEW = "midterm_review", _("Sơ kết")
    REPORT_DEADLINE = "report_deadline", _("Hạn gửi báo cáo tổng kết, hồ sơ đề nghị khen thưởng")
    FINAL_REVIEW = "final_review", _("Tổng kết, xét khen thưởng")
    CAMPAIGN_END = "campaign_end", _("Kết thúc phong trào")
    CUSTOM = "custom", _("Mốc khác")


class Milestone(PlanPart, models.Model):
    """A dated step. ``due_on`` is the last valid day ("trước ngày 15/3" -> 14/3)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="milestones"
    )
    round = models.ForeignKey(
        Round,
        verbose_name=_("đợt"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    kind = models.CharField(_("loại mốc"), max_length=30, choices=MilestoneKind.choices)
    name = models.CharField(_("tên mốc"), max_length=255, blank=True)
    due_on = models.DateField(_("hạn (ngày cuối cùng)"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("mốc thời gian")
        verbose_name_plural = _("mốc thời gian")
        ordering = ["campaign", "due_on", "order", "pk"]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()

    @property
    def deadline_at(self) -> dt.datetime:
        """End of ``due_on`` in Vietnam: the first instant after it is late."""
        return dt.datetime.combine(self.due_on, dt.time.max, tzinfo=VN_TZ)
