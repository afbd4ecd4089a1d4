"""What agencies and people submit for a campaign round: đăng ký thi đua, sáng kiến, báo cáo cuối đợt.

State changes of a ``Registration`` or a ``FinalReport`` go through the services of
``registrations.domain`` only (``set_registration_state`` / ``set_report_state``), never by
assigning ``state`` in a view.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Person
from campaigns.models import (
    Campaign,
    Content,
    Criterion,
    Indicator,
    Milestone,
    ReformArea,
    Round,
    TargetGroup,
)

from .uploads import evidence_upload_to


class RegistrationState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi, chờ thủ trưởng xác nhận")
    CONFIRMED = "confirmed", _("Thủ trưởng đã xác nhận, chờ Nội vụ duyệt")
    RETURNED = "returned", _("Nội vụ trả lại để bổ sung")
    RESUBMITTED = "resubmitted", _("Đã gửi lại, chờ thủ trưởng xác nhận")
    ACCEPTED = "accepted", _("Nội vụ đã chấp nhận")


# The agency's staff may edit in these states; everything else is read-only for them.
EDITABLE_STATES = {RegistrationState.DRAFT, RegistrationState.RETURNED}


class Registration(models.Model):
    """Đăng ký thi đua of one agency for one round: commitments, people, initiatives."""

    round = models.ForeignKey(
        Round, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="registrations"
    )
    # Copied from round.campaign on save, so lists of a campaign filter on one column.
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("kế hoạch"),
        on_delete=models.PROTECT,
        related_name="registrations",
        editable=False,
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="registrations"
    )
    target_group = models.ForeignKey(
        TargetGroup,
        verbose_name=_("đối tượng thi đua"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=RegistrationState.choices, default=RegistrationState.DRAFT
    )
    pledge = models.TextField(_("cam kết chung"), blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("lưu lần cuối"), auto_now=True)
    # The latest sending (a re-send after a return moves it); ``first_submitted_at`` is the first one
    # and never moves, so a return does not make an on-time registration late.
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("ngày gửi lần đầu"), null=True, blank=True)
    # Given by home affairs when returning: a re-send after the end of this day is refused.
    resubmit_by = models.DateField(_("hạn gửi lại"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("ngày thủ trưởng xác nhận"), null=True, blank=True)
    decided_at = models.DateTimeField(_("ngày Nội vụ xử lý"), null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        ordering = ["campaign", "agency__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="one_registration_per_agency_per_round"),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""), name="returned_registration_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in RegistrationState]), name="registration_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self) -> str:
        return f"{self.agency} – {self.round}"

    def save(self, *args, **kwargs):
        if self.round_id and not self.campaign_id:
            self.campaign_id = Round.objects.values_list("campaign_id", flat=True).get(pk=self.round_id)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registrations:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class Commitment(models.Model):
    """Cam kết của cơ quan cho một nội dung thi đua."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("đăng ký"), on_delete=models.CASCADE, related_name="commitments"
    )
    content = models.ForeignKey(
        Content, verbose_name=_("nội dung thi đua"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("cam kết"), blank=True)

    class Meta:
        verbose_name = _("cam kết")
        verbose_name_plural = _("cam kết")
        ordering = ["registration", "content__order", "content_id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "content"], name="one_commitment_per_content"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class IndividualRegistration(models.Model):
    """Đăng ký thi đua of one person, forwarded by the agency's registration; one per person per round."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("đăng ký của cơ quan"),
        on_delete=models.CASCADE,
        related_name="individuals",
    )
    round = models.ForeignKey(
        Round, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    person = models.ForeignKey(
        Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, related_name="individual_registrations"
    )
    aimed_title = models.CharField(_("danh hiệu, hình thức đăng ký"), max_length=255, blank=True)
    commitment = models.TextField(_("cam kết"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đăng ký thi đua cá nhân")
        verbose_name_plural = _("đăng ký thi đua cá nhân")
        ordering = ["registration", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="one_individual_registration_per_round"),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def save(self, *args, **kwargs):
        if self.registration_id and not self.round_id:
            self.round_id = self.registration.round_id
        super().save(*args, **kwargs)


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", _("Sáng kiến")
    SOLUTION = "solution", _("Giải pháp")
    MODEL = "model", _("Mô hình")
    PRACTICE = "practice", _("Cách làm hay")


class Initiative(models.Model):
    """Sáng kiến, giải pháp, mô hình, cách làm hay registered with an agency's registration."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("đăng ký"), on_delete=models.CASCADE, related_name="initiatives"
    )
    kind = models.CharField(
        _("loại"), max_length=20, choices=InitiativeKind.choices, default=InitiativeKind.INITIATIVE
    )
    title = models.CharField(_("tên sáng kiến"), max_length=500)
    reform_area = models.ForeignKey(
        ReformArea,
        verbose_name=_("lĩnh vực CCHC"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    problem = models.TextField(_("vấn đề cần giải quyết"), blank=True)
    description = models.TextField(_("nội dung, cách thực hiện"), blank=True)
    expected_effect = models.TextField(_("hiệu quả dự kiến"), blank=True)
    authors = models.ManyToManyField(
        Person, verbose_name=_("tác giả"), blank=True, related_name="initiatives"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sáng kiến")
        verbose_name_plural = _("sáng kiến")
        ordering = ["registration", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="initiative_has_title")]

    def __str__(self) -> str:
        return self.title


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")


class FinalReport(models.Model):
    """Báo cáo kết quả cuối đợt: self-assessment per criterion and the plan's indicators."""

    registration = models.OneToOneField(
        Registration, verbose_name=_("đăng ký"), on_delete=models.CASCADE, related_name="final_report"
    )
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT
    )
    summary = models.TextField(_("tóm tắt kết quả"), blank=True)
    updated_at = models.DateTimeField(_("lưu lần cuối"), auto_now=True)
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo kết quả cuối đợt")
        verbose_name_plural = _("báo cáo kết quả cuối đợt")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False), name="submitted_report_has_date"
            ),
        ]

    def __str__(self) -> str:
        return str(self.registration)

    def get_absolute_url(self) -> str:
        return reverse("registrations:report", args=[self.registration_id])


class SelfAssessment(models.Model):
    """Tự chấm một tiêu chí: điểm đề nghị (≤ điểm tối đa), giải trình, minh chứng."""

    report = models.ForeignKey(
        FinalReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.CASCADE, related_name="+"
    )
    points_claimed = models.DecimalField(
        _("điểm tự chấm"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    explanation = models.TextField(_("giải trình"), blank=True)

    class Meta:
        verbose_name = _("tự chấm tiêu chí")
        verbose_name_plural = _("tự chấm tiêu chí")
        ordering = ["report", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "criterion"], name="one_assessment_per_criterion"),
            models.CheckConstraint(condition=Q(points_claimed__gte=0), name="points_claimed_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} – {self.points_claimed}"


class IndicatorValue(models.Model):
    """Giá trị một chỉ số định lượng của kế hoạch trong báo cáo cuối đợt."""

    report = models.ForeignKey(
        FinalReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ số"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.DecimalField(_("giá trị"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("giá trị chỉ số")
        verbose_name_plural = _("giá trị chỉ số")
        ordering = ["report", "indicator__order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} = {self.value}"


class EvidenceFile(models.Model):
    """Tệp minh chứng: attached to an initiative or to a self-assessment, always within one registration."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("đăng ký"), on_delete=models.CASCADE, related_name="evidence_files"
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("sáng kiến"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    assessment = models.ForeignKey(
        SelfAssessment,
        verbose_name=_("tiêu chí tự chấm"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_files",
    )
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("kiểu tệp"), max_length=120)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")
        ordering = ["registration", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(initiative__isnull=True) | Q(assessment__isnull=True),
                name="evidence_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class DeadlineExtension(models.Model):
    """Gia hạn: home affairs lets one agency act after a milestone's deadline, with a recorded reason."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="deadline_extensions"
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("mốc thời gian"), on_delete=models.CASCADE, related_name="extensions"
    )
    extended_until = models.DateField(_("gia hạn đến hết ngày"))
    reason = models.TextField(_("lý do gia hạn"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cho gia hạn"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("gia hạn")
        verbose_name_plural = _("gia hạn")
        ordering = ["milestone", "agency__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "milestone"], name="one_extension_per_agency_milestone"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.milestone} – {self.extended_until:%d/%m/%Y}"
