"""The plan itself: Campaign, its state and rounds, the parts' audit hook, amendments.

Deadlines: a milestone's ``due_on`` is the LAST VALID DAY. A plan saying "trước ngày 15/3" is
encoded as 14/3. The deadline is the end of that day in Asia/Ho_Chi_Minh (``Milestone.deadline_at``).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency

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


class TargetGroupKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    INITIATIVE = "initiative", _("Sáng kiến, mô hình, cách làm hay")


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
    def warning(self):
        """The plan's rule for flagging heads (kiến nghị xử lý, a ``WarningRule``), or None."""
        try:
            return self.warning_rule
        except ObjectDoesNotExist:
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
        if agency.kind not in self.collective_agency_kinds():
            return False
        if agency.dissolved_on and agency.dissolved_on <= self.period_start:
            return False
        if agency.path.startswith(self.issuer.path):
            return True
        return self.bloc_memberships.filter(agency=agency).exists()

    def collective_agency_kinds(self) -> set[str]:
        """The kinds of agency the plan's collective target groups admit (reads ``target_groups``,
        prefetched or not)."""
        kinds: set[str] = set()
        for group in self.target_groups.all():
            if group.kind == TargetGroupKind.COLLECTIVE:
                kinds.update(group.agency_kinds or [])
        return kinds

    def targeted_agencies(self):
        """Queryset of agencies this plan targets as collectives."""
        kinds = self.collective_agency_kinds()
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

    campaign_id: int

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
