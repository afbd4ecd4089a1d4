"""Chấm điểm, xếp hạng: PAR Index results, staff ratings, reviews, and the computed results.

Results (``CandidateResult``) are written by ``scoring.results.compute_results`` in a few
set-based SQL statements (window functions for ranks and quotas); they are a snapshot of one
computation and are replaced whole by the next one, unless the run was frozen for a proposal list
(then it is kept). Other apps read them through ``scoring.outcomes``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Person
from campaigns.models import AwardForm, Bloc, Campaign, Criterion, Round, StaffRating, TargetGroup
from common.display import number as display_number
from registrations.models import IndividualRegistration, Initiative, Registration


class ParIndexResult(models.Model):
    """Chỉ số cải cách hành chính (PAR Index) of one agency in one year."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="par_results"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    score = models.DecimalField(
        _("điểm chỉ số"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # As published (column ``rating``) or derived from the plan's bands at import time.
    rating = models.CharField(_("xếp loại"), max_length=60, blank=True)
    rating_given = models.BooleanField(_("xếp loại theo tệp nhập"), default=False)
    imported_at = models.DateTimeField(_("thời điểm nhập"), auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kết quả chỉ số CCHC")
        verbose_name_plural = _("kết quả chỉ số CCHC")
        ordering = ["-year", "agency__path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_par_result_per_agency_year"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="par_score_0_to_100"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="par_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.year}: {display_number(self.score)}"


class StaffRatingRecord(models.Model):
    """Xếp loại chất lượng cán bộ, công chức của một năm, và kỷ luật trong năm."""

    person = models.ForeignKey(
        Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, related_name="staff_ratings"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("xếp loại"), max_length=20, choices=StaffRating.choices)
    disciplined = models.BooleanField(_("bị kỷ luật trong năm"), default=False)
    imported_at = models.DateTimeField(_("thời điểm nhập"), auto_now=True)

    class Meta:
        verbose_name = _("xếp loại cán bộ")
        verbose_name_plural = _("xếp loại cán bộ")
        ordering = ["-year", "person__agency__path", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="one_staff_rating_per_person_year"),
            models.CheckConstraint(condition=Q(rating__in=StaffRating.values), name="staff_rating_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.year}: {self.get_rating_display()}"


class Complaint(models.Model):
    """Phản ánh, khiếu nại của người dân về thái độ hách dịch, cửa quyền (seed 004)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="complaints"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    summary = models.TextField(_("nội dung"))
    upheld = models.BooleanField(_("được xác định là đúng"), default=False)
    recorded_at = models.DateTimeField(_("ngày ghi nhận"), auto_now_add=True)

    class Meta:
        verbose_name = _("phản ánh, khiếu nại")
        verbose_name_plural = _("phản ánh, khiếu nại")
        ordering = ["-year", "agency__path", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(summary=""), name="complaint_has_summary")]

    def __str__(self) -> str:
        return self.summary[:60]


class ReviewState(models.TextChoices):
    """Where a review stands, derived from the assignment (not stored): the badge of the reviewer's pages."""

    SCORING = "scoring", _("Đang chấm")
    DONE = "done", _("Đã chấm xong")
    CONFLICT = "conflict", _("Xung đột lợi ích")


class ReviewAssignment(models.Model):
    """Phân công chấm điểm: one reviewer for one registration, one person's registration or one initiative."""

    round = models.ForeignKey(Round, verbose_name=_("đợt"), on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(
        Registration, verbose_name=_("đăng ký"), on_delete=models.CASCADE, related_name="review_assignments"
    )
    individual = models.ForeignKey(
        IndividualRegistration,
        verbose_name=_("đăng ký cá nhân"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_assignments",
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("sáng kiến"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_assignments",
    )
    target_group = models.ForeignKey(
        TargetGroup, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chấm"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("ngày phân công"), auto_now_add=True)
    conflict_declared = models.BooleanField(_("tự khai có xung đột lợi ích"), default=False)
    conflict_reason = models.TextField(_("lý do xung đột lợi ích"), blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phân công chấm điểm")
        verbose_name_plural = _("phân công chấm điểm")
        ordering = ["round", "registration__agency__path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "registration"],
                condition=Q(individual__isnull=True, initiative__isnull=True),
                name="one_review_per_registration",
            ),
            models.UniqueConstraint(
                fields=["reviewer", "individual"],
                condition=Q(individual__isnull=False),
                name="one_review_per_individual",
            ),
            models.UniqueConstraint(
                fields=["reviewer", "initiative"],
                condition=Q(initiative__isnull=False),
                name="one_review_per_initiative",
            ),
            models.CheckConstraint(
                condition=Q(individual__isnull=True) | Q(initiative__isnull=True),
                name="review_has_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(conflict_declared=False) | ~Q(conflict_reason=""),
                name="conflict_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["round", "registration", "individual"], name="review_subject_idx")]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("scoring:review", args=[self.pk])

    @property
    def subject(self):
        return self.initiative or self.individual or self.registration

    @property
    def state(self) -> str:
        if self.conflict_declared:
            return ReviewState.CONFLICT
        return ReviewState.DONE if self.completed_at else ReviewState.SCORING

    def get_state_display(self) -> str:
        return str(ReviewState(self.state).label)


class CriterionScore(models.Model):
    """Điểm một tiêu chí do một người chấm. ``version`` guards against silent overwrites."""

    assignment = models.ForeignKey(
        ReviewAssignment, verbose_name=_("phân công"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("điểm"), max_digits=7, decimal_places=2)
    comment = models.TextField(_("nhận xét"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("lưu lần cuối"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        ordering = ["assignment", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_points_not_negative"),
            models.CheckConstraint(condition=Q(version__gte=1), name="score_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


class ScoreOverride(models.Model):
    """Điểm cuối cùng do Nội vụ quyết định (thay cho điểm tổng hợp), luôn kèm lý do."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("đăng ký"), on_delete=models.CASCADE, related_name="score_overrides"
    )
    individual = models.ForeignKey(
        IndividualRegistration,
        verbose_name=_("đăng ký cá nhân"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="score_overrides",
    )
    score = models.DecimalField(_("điểm cuối cùng"), max_digits=9, decimal_places=2)
    reason = models.TextField(_("lý do"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("thời điểm"), auto_now=True)

    class Meta:
        verbose_name = _("điểm cuối cùng")
        verbose_name_plural = _("điểm cuối cùng")
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(individual__isnull=True),
                name="one_override_per_registration",
            ),
            models.UniqueConstraint(
                fields=["individual"],
                condition=Q(individual__isnull=False),
                name="one_override_per_individual",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="override_has_reason"),
            models.CheckConstraint(condition=Q(score__gte=0), name="override_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}/{self.individual_id}: {self.score}"


class ResultRun(models.Model):
    """One computation of the results of a round (the latest replaces the earlier ones)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="result_runs"
    )
    round = models.ForeignKey(
        Round, verbose_name=_("đợt"), on_delete=models.CASCADE, related_name="result_runs"
    )
    computed_at = models.DateTimeField(_("tính lúc"), auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    candidate_count = models.PositiveIntegerField(_("số ứng viên"), default=0)
    # Frozen while a proposal list is made from it (``scoring.results.freeze_run``): recomputing is
    # refused. A run once frozen is kept for good (``kept``), so a decision always shows the exact
    # results it was based on; only unkept runs are replaced by the next computation.
    frozen_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kept = models.BooleanField(_("lưu giữ"), default=False)

    class Meta:
        verbose_name = _("lần tính kết quả")
        verbose_name_plural = _("lần tính kết quả")
        ordering = ["-computed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=Q(kept=False), name="one_working_result_run_per_round"
            ),
            models.CheckConstraint(
                condition=Q(frozen_at__isnull=True) | Q(kept=True), name="frozen_run_is_kept"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.code} {self.round} {self.computed_at:%d/%m/%Y %H:%M}"


class CandidateKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")
    HEAD = "head", _("Người đứng đầu")
    DEPUTY = "deputy", _("Cấp phó phụ trách CCHC")


class CandidateResult(models.Model):
    """One candidate for one award form: the values each gate saw, the gates' verdicts, the rank
    in the bloc and the quota. A gate column is NULL when the plan does not set that gate."""

    # A derived snapshot, written in bulk by compute_results from rows that exist in the same
    # transaction: no database FK checks (they cost more than the computation); Django's collector
    # still cascades deletes.
    run = models.ForeignKey(
        ResultRun, on_delete=models.CASCADE, related_name="results", db_index=False, db_constraint=False
    )
    award_form = models.ForeignKey(
        AwardForm,
        verbose_name=_("hình thức"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    bloc = models.ForeignKey(
        Bloc,
        verbose_name=_("khối"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(_("loại ứng viên"), max_length=12, choices=CandidateKind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("cá nhân"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    registration = models.ForeignKey(
        Registration,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    individual = models.ForeignKey(
        IndividualRegistration,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # Values the gates saw
    par_year = models.PositiveSmallIntegerField(null=True, blank=True)
    par_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    par_rating = models.CharField(max_length=60, blank=True)
    par_order = models.IntegerField(null=True, blank=True)
    staff_rating = models.CharField(max_length=20, blank=True)
    disciplined = models.BooleanField(null=True, blank=True)
    upheld_complaints = models.PositiveIntegerField(default=0)
    # The first sending of the registration (what the on-time gate judges); a later re-send after a
    # return and the resubmission date home affairs gave, when there was one.
    registered_at = models.DateTimeField(null=True, blank=True)
    resubmitted_at = models.DateTimeField(null=True, blank=True)
    resubmit_by = models.DateField(null=True, blank=True)
    total_score = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    reviewer_count = models.PositiveIntegerField(default=0)
    score_overridden = models.BooleanField(default=False)
    # Gate verdicts: NULL = gate not set by the plan, True = passed, False = failed
    gate_par = models.BooleanField(null=True, blank=True)
    par_exempt = models.BooleanField(default=False)
    gate_staff_rating = models.BooleanField(null=True, blank=True)
    gate_discipline = models.BooleanField(null=True, blank=True)
    gate_complaints = models.BooleanField(null=True, blank=True)
    gate_on_time = models.BooleanField(null=True, blank=True)
    gate_head_tied = models.BooleanField(null=True, blank=True)
    gate_collective = models.BooleanField(null=True, blank=True)
    gate_registration = models.BooleanField(null=True, blank=True)
    # Neither pass nor fail: the plan requires a head who is not disciplined, and the directory has
    # no head. The candidate keeps its rank and its place in the quota, but is not proposed until
    # home affairs completes the directory and recomputes (proposing an unverified head is not safe;
    # failing an agency for a gap in the directory is not fair, and would move others in the quota).
    head_unknown = models.BooleanField(default=False)
    eligible = models.BooleanField(default=False)
    # Ranking and quota
    rank_value = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    rank_in_bloc = models.PositiveIntegerField(null=True, blank=True)
    ranked_count = models.PositiveIntegerField(null=True, blank=True)
    eligible_rank = models.PositiveIntegerField(null=True, blank=True)
    quota_base = models.PositiveIntegerField(null=True, blank=True)
    quota = models.PositiveIntegerField(null=True, blank=True)
    tie_size = models.PositiveIntegerField(null=True, blank=True)
    tie_at_cutoff = models.BooleanField(default=False)
    proposed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("kết quả xét")
        verbose_name_plural = _("kết quả xét")
        ordering = ["run", "award_form", "bloc", "rank_in_bloc", "agency__code"]
        indexes = [
            models.Index(fields=["run", "award_form", "bloc", "rank_in_bloc"], name="result_rank_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed=False) | Q(eligible=True), name="proposed_is_eligible"
            ),
            models.CheckConstraint(
                condition=Q(kind="collective") | Q(person__isnull=False), name="person_candidate_has_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.agency} – {self.award_form_id}"

    @property
    def cut_by_quota(self) -> bool:
        return (
            self.eligible
            and not self.proposed
            and not self.tie_at_cutoff
            and not self.awaits_check
            and self.rank_value is not None
        )

    @property
    def awaits_check(self) -> bool:
        """Within the quota (or with none), held back only because the head is unknown."""
        return (
            self.head_unknown
            and self.eligible
            and not self.proposed
            and not self.tie_at_cutoff
            and (self.quota is None or (self.eligible_rank is not None and self.eligible_rank <= self.quota))
        )


class ExemplaryModel(models.Model):
    """Mô hình, sáng kiến được chọn nhân rộng (seed 000), from the reviewers' assessment."""

    initiative = models.OneToOneField(
        Initiative, verbose_name=_("sáng kiến"), on_delete=models.CASCADE, related_name="exemplary"
    )
    score = models.DecimalField(_("điểm đánh giá"), max_digits=9, decimal_places=2)
    note = models.TextField(_("ghi chú"), blank=True)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    selected_at = models.DateTimeField(_("ngày chọn"), auto_now_add=True)

    class Meta:
        verbose_name = _("mô hình điển hình")
        verbose_name_plural = _("mô hình điển hình")
        ordering = ["-score", "pk"]

    def __str__(self) -> str:
        return str(self.initiative)
