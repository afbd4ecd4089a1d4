"""A launch plan (kế hoạch phát động thi đua) as data: every later step reads its rules from here.

Deadlines: a milestone's ``due_on`` is the LAST VALID DAY. A plan saying "trước ngày 15/3" is
encoded as 14/3. The deadline is the end of that day in Asia/Ho_Chi_Minh (``Milestone.deadline_at``).
Quotas are always rounded down: floor(n * numerator / denominator).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyKind, PersonKind
from common.fields import ChoiceListField

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def default_reminder_offsets() -> list[int]:
    return [7, 3, 1]


LEGAL_BASIS_OPENINGS = ("căn cứ", "thực hiện")
#: The longest run of years a warning rule may look back on.
MAX_WARNING_YEARS = 10


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đã phát động")
    CLOSED = "closed", _("Đã kết thúc")
    ARCHIVED = "archived", _("Lưu trữ")


class ScoreAggregation(models.TextChoices):
    MEAN = "mean", _("Trung bình cộng điểm của các thành viên Hội đồng")
    MEDIAN = "median", _("Trung vị điểm của các thành viên Hội đồng")


class Campaign(models.Model):
    code = models.SlugField(_("mã kế hoạch"), max_length=60, unique=True, help_text=_("Ví dụ: hcm-2022."))
    issuer = models.ForeignKey(
        Agency, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="issued_campaigns"
    )
    document_number = models.CharField(_("số, ký hiệu văn bản"), max_length=80, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    theme = models.TextField(_("chủ đề, mục đích"), blank=True)
    legal_basis = models.TextField(
        _("căn cứ"), blank=True, help_text=_('Mỗi dòng một căn cứ ("Căn cứ ...").')
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("kế hoạch cấp trên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    period_start = models.DateField(_("bắt đầu"))
    period_end = models.DateField(_("kết thúc"))
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    score_aggregation = models.CharField(
        _("cách tổng hợp điểm chấm"),
        max_length=10,
        choices=ScoreAggregation.choices,
        default=ScoreAggregation.MEAN,
    )
    reminder_offsets = models.JSONField(
        _("nhắc hạn trước (ngày)"), default=default_reminder_offsets, blank=True
    )
    remind_after_deadline = models.BooleanField(_("nhắc sau khi quá hạn"), default=True)
    # Council and decision (bình xét, khen thưởng): quorum of the council session, rounding of prize
    # amounts (to a multiple of this many đồng, half up), warnings published with the results.
    quorum_numerator = models.PositiveIntegerField(_("số thành viên dự họp tối thiểu (tử số)"), default=2)
    quorum_denominator = models.PositiveIntegerField(_("số thành viên dự họp tối thiểu (mẫu số)"), default=3)
    prize_rounding = models.PositiveIntegerField(_("làm tròn tiền thưởng đến (đồng)"), default=1000)
    publish_warnings = models.BooleanField(_("công khai danh sách kiến nghị xử lý"), default=False)
    published_at = models.DateTimeField(_("ngày phát động"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phát động"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch thi đua")
        verbose_name_plural = _("kế hoạch thi đua")
        ordering = ["-period_start", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="campaign_period_order"
            ),
            models.CheckConstraint(condition=~Q(code=""), name="campaign_code_not_empty"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="campaign_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.code])

    @property
    def warning(self) -> WarningRule | None:
        """The plan's rule for flagging heads (kiến nghị xử lý), or None."""
        try:
            return self.warning_rule
        except WarningRule.DoesNotExist:
            return None

    @property
    def is_published(self) -> bool:
        return self.state == CampaignState.PUBLISHED

    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]

    def legal_basis_display(self) -> list[str]:
        """The lines as the plan states them: "Căn cứ ..." unless a line already starts with
        "Căn cứ" or "Thực hiện" (seed 001: "Thực hiện Kế hoạch số 800/KH-UBND ...")."""
        lines = []
        for line in self.legal_basis_lines():
            if line.lower().startswith(LEGAL_BASIS_OPENINGS):
                lines.append(line)
            else:
                lines.append(_("Căn cứ %(basis)s") % {"basis": line})
        return lines

    @property
    def has_document_number(self) -> bool:
        """A number such as "/KH-UBND" (left blank in the source) has no digits: not shown."""
        return any(ch.isdigit() for ch in self.document_number)

    def targets_agency(self, agency: Agency) -> bool:
        """Whether ``agency`` may register (as a collective) in this plan: its kind is in a collective
        target group, it was not dissolved before the plan started, and it is in the issuer's sub-tree
        or a member of one of the plan's blocs."""
        kinds = set()
        for group in self.target_groups.all():
            if group.kind == TargetGroupKind.COLLECTIVE:
                kinds.update(group.agency_kinds or [])
        if agency.kind not in kinds:
            return False
        if agency.dissolved_on and agency.dissolved_on <= self.period_start:
            return False
        if agency.path.startswith(self.issuer.path):
            return True
        return BlocMembership.objects.filter(campaign=self, agency=agency).exists()

    def targeted_agencies(self):
        """Queryset of agencies this plan targets as collectives."""
        kinds = set()
        for group in self.target_groups.all():
            if group.kind == TargetGroupKind.COLLECTIVE:
                kinds.update(group.agency_kinds or [])
        alive = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=self.period_start)
        reach = Q(path__startswith=self.issuer.path) | Q(bloc_memberships__campaign=self)
        return Agency.objects.filter(Q(kind__in=kinds) & alive & reach).distinct()

    def milestone(self, kind: str, round=None):
        """The milestone of ``kind`` for ``round`` (falling back to a plan-wide one), else the earliest."""
        qs = self.milestones.filter(kind=kind)
        if round is not None:
            own = qs.filter(round=round).order_by("due_on").first()
            if own is not None:
                return own
            qs = qs.filter(round__isnull=True)
        return qs.order_by("due_on").first()


class PlanPart:
    """A part of a plan: its audit entries carry the plan (``additional_data["campaign"]``), so the
    plan page's history lists the changes of its rounds, milestones, criteria... (see plan_history)."""

    def get_additional_data(self) -> dict:
        return {"campaign": self.campaign_id}


class Round(PlanPart, models.Model):
    """A yearly round of a plan (a single-year plan has one); ``is_final`` = the phase summary (tổng kết)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    label = models.CharField(_("tên đợt"), max_length=120, blank=True)
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc"))
    is_final = models.BooleanField(_("đợt tổng kết"), default=False)

    class Meta:
        verbose_name = _("đợt thi đua")
        verbose_name_plural = _("đợt thi đua")
        ordering = ["campaign", "year", "is_final", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "year", "is_final"], name="round_unique_year"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="round_period_order"),
        ]

    def __str__(self) -> str:
        return self.label or str(self.year)


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


class TargetGroupKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    INITIATIVE = "initiative", _("Sáng kiến, mô hình, cách làm hay")


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


class Bloc(PlanPart, models.Model):
    """Khối thi đua."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="blocs"
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên khối"), max_length=255)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    agencies = models.ManyToManyField(
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


class StaffRating(models.TextChoices):
    """Xếp loại chất lượng cán bộ, công chức hằng năm."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    DONE = "done", _("Hoàn thành nhiệm vụ")
    FAILED = "failed", _("Không hoàn thành nhiệm vụ")

    @classmethod
    def rank(cls, value: str) -> int:
        """Higher is better; unknown or empty -> 0."""
        return {cls.EXCELLENT: 4, cls.GOOD: 3, cls.DONE: 2, cls.FAILED: 1}.get(value, 0)

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
        if self.quota_kind == QuotaKind.FRACTION:
            return (base_count * self.quota_numerator) // self.quota_denominator
        if self.quota_kind == QuotaKind.FIXED:
            return self.quota_fixed
        return None

    def vote_passes(self, yes: int, members: int) -> bool:
        """yes / members >= numerator / denominator, exactly in integers."""
        return members > 0 and yes * self.vote_denominator >= self.vote_numerator * members


class CampaignAmendment(models.Model):
    """An explicit, audited change of a published plan."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="amendments"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    made_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    reason = models.TextField(_("lý do"))
    changes = models.JSONField(_("nội dung thay đổi"), default=dict)

    class Meta:
        verbose_name = _("điều chỉnh kế hoạch")
        verbose_name_plural = _("điều chỉnh kế hoạch")
        ordering = ["campaign", "-made_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_reason")]

    def __str__(self) -> str:
        return f"{self.campaign.code} – {self.made_at:%d/%m/%Y}"
