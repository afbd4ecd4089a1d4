"""Khen thưởng: proposal lists (danh sách đề nghị), council sessions and votes (bình xét),
leadership decisions (quyết định khen thưởng) and the base-salary table for prize money.

A list is made from a frozen result run (``scoring.results.freeze_run``); its proposals keep the
candidate's result id, so the decision always shows the exact results it was based on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Person
from campaigns.models import AwardForm, AwardKind, Bloc, Campaign, Round
from scoring.models import CandidateResult, ResultRun


class ListState(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    VOTING = "voting", _("Hội đồng đang bình xét")
    VOTED = "voted", _("Chờ lãnh đạo phê duyệt")
    RETURNED = "returned", _("Lãnh đạo trả lại")
    APPROVED = "approved", _("Đã phê duyệt")
    WITHDRAWN = "withdrawn", _("Đã rút")


EDITABLE_STATES = (ListState.DRAFT, ListState.RETURNED)


class ProposalList(models.Model):
    """Danh sách đề nghị khen thưởng of one round and award form."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="proposal_lists"
    )
    round = models.ForeignKey(Round, verbose_name=_("đợt"), on_delete=models.PROTECT, related_name="+")
    award_form = models.ForeignKey(
        AwardForm, verbose_name=_("hình thức khen thưởng"), on_delete=models.PROTECT, related_name="+"
    )
    run = models.ForeignKey(
        ResultRun, verbose_name=_("kết quả xét"), on_delete=models.PROTECT, related_name="proposal_lists"
    )
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=ListState.choices, default=ListState.DRAFT
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    withdraw_reason = models.TextField(_("lý do rút"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("danh sách đề nghị khen thưởng")
        verbose_name_plural = _("danh sách đề nghị khen thưởng")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "award_form"],
                condition=~Q(state="withdrawn"),
                name="one_live_proposal_list_per_round_form",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_form} – {self.round}"

    @property
    def is_locked(self) -> bool:
        return self.state == ListState.APPROVED

    @property
    def is_editable(self) -> bool:
        """Home affairs may still add and remove candidates: being drafted, or returned by the
        leadership."""
        return self.state in EDITABLE_STATES


class Proposal(models.Model):
    """One candidate on a list (đề nghị), with home affairs' reasons and the council's outcome."""

    proposal_list = models.ForeignKey(
        ProposalList, verbose_name=_("danh sách"), on_delete=models.CASCADE, related_name="proposals"
    )
    result = models.ForeignKey(
        CandidateResult, verbose_name=_("kết quả xét"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại ứng viên"), max_length=12)
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bloc = models.ForeignKey(
        Bloc, verbose_name=_("khối"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rank_in_bloc = models.PositiveIntegerField(_("thứ hạng trong khối"), null=True, blank=True)
    counts_for_quota = models.BooleanField(default=True)
    # Bằng điểm tại ngưỡng chỉ tiêu: the council decides (None until it has).
    tie_at_cutoff = models.BooleanField(_("bằng điểm tại ngưỡng"), default=False)
    tie_chosen = models.BooleanField(_("Hội đồng chọn"), null=True, blank=True)
    tie_note = models.TextField(_("căn cứ quyết định của Hội đồng"), blank=True)
    added = models.BooleanField(_("bổ sung"), default=False)
    add_reason = models.TextField(_("lý do bổ sung"), blank=True)
    removed = models.BooleanField(_("đã đưa ra khỏi danh sách"), default=False)
    remove_reason = models.TextField(_("lý do đưa ra"), blank=True)
    # Council outcome, written when the session closes
    votes_agree = models.PositiveIntegerField(_("tán thành"), null=True, blank=True)
    votes_disagree = models.PositiveIntegerField(_("không tán thành"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("không biểu quyết"), null=True, blank=True)
    passed = models.BooleanField(_("được Hội đồng thông qua"), null=True, blank=True)

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["proposal_list", "bloc__order", "bloc_id", "rank_in_bloc", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal_list", "result"], name="one_proposal_per_result"),
            models.CheckConstraint(condition=Q(added=False) | ~Q(add_reason=""), name="added_has_reason"),
            models.CheckConstraint(
                condition=Q(removed=False) | ~Q(remove_reason=""), name="removed_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person or self.agency)

    @property
    def name(self) -> str:
        return self.person.full_name if self.person_id else self.agency.name

    @property
    def is_collective(self) -> bool:
        return self.kind == "collective"


class SessionState(models.TextChoices):
    OPEN = "open", _("Đang bỏ phiếu")
    CLOSED = "closed", _("Đã kết thúc")


class CouncilSession(models.Model):
    """Phiên họp Hội đồng Thi đua - Khen thưởng bình xét một danh sách."""

    proposal_list = models.ForeignKey(
        ProposalList, verbose_name=_("danh sách"), on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("ngày họp"))
    closes_at = models.DateTimeField(_("hạn bỏ phiếu"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chủ trì"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("thư ký"), on_delete=models.PROTECT, related_name="+"
    )
    quorum_numerator = models.PositiveIntegerField(default=2)
    quorum_denominator = models.PositiveIntegerField(default=3)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=SessionState.choices, default=SessionState.OPEN
    )
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    quorum_met = models.BooleanField(_("đủ số thành viên"), null=True, blank=True)
    minutes = models.JSONField(_("biên bản"), default=dict, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phiên họp Hội đồng")
        verbose_name_plural = _("phiên họp Hội đồng")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal_list"], condition=Q(state="open"), name="one_open_session_per_list"
            ),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0, quorum_numerator__lte=models.F("quorum_denominator")),
                name="session_quorum_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_list} – {self.held_on:%d/%m/%Y}"


class CouncilMember(models.Model):
    session = models.ForeignKey(
        CouncilSession, verbose_name=_("phiên họp"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+"
    )
    # Vắng mặt, có ý kiến bằng văn bản (recorded by the secretary)
    written_opinion = models.BooleanField(_("ý kiến bằng văn bản"), default=False)

    class Meta:
        verbose_name = _("thành viên Hội đồng")
        verbose_name_plural = _("thành viên Hội đồng")
        ordering = ["session", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_membership_per_session")]

    def __str__(self) -> str:
        return str(self.user)


class VoteChoice(models.TextChoices):
    AGREE = "agree", _("Tán thành")
    DISAGREE = "disagree", _("Không tán thành")
    ABSTAIN = "abstain", _("Không biểu quyết")


class Vote(models.Model):
    """One member's vote on one proposal (phiếu), changeable until the session closes."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="votes")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField(_("biểu quyết"), max_length=10, choices=VoteChoice.choices)
    written = models.BooleanField(_("bằng văn bản"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phiếu biểu quyết")
        verbose_name_plural = _("phiếu biểu quyết")
        constraints = [
            models.UniqueConstraint(fields=["member", "proposal"], name="one_vote_per_member_proposal"),
            models.CheckConstraint(condition=Q(choice__in=VoteChoice.values), name="vote_choice_valid"),
        ]
        # Covering the closing count (votes of a session per proposal and choice).
        indexes = [models.Index(fields=["session", "proposal", "choice"], name="vote_count_idx")]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.proposal_id}: {self.choice}"


class SignerCapacity(models.TextChoices):
    ON_BEHALF = "TM.", _("TM. (thay mặt)")
    DEPUTY = "KT.", _("KT. (ký thay)")


class AwardDecision(models.Model):
    """Quyết định khen thưởng: approves a voted list; an amending decision refers to the one it
    corrects (never an edit of it)."""

    proposal_list = models.ForeignKey(
        ProposalList, verbose_name=_("danh sách"), on_delete=models.PROTECT, related_name="decisions"
    )
    issuer = models.ForeignKey(
        Agency, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("số quyết định"), max_length=60)
    year = models.PositiveSmallIntegerField(_("năm"))
    decided_on = models.DateField(_("ngày ký"))
    signer_capacity = models.CharField(_("thẩm quyền ký"), max_length=4, choices=SignerCapacity.choices)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=255)
    signer_name = models.CharField(_("người ký"), max_length=255)
    base_salary = models.DecimalField(_("mức lương cơ sở"), max_digits=12, decimal_places=0)
    total = models.DecimalField(_("tổng tiền thưởng"), max_digits=15, decimal_places=0)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("sửa đổi quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    reason = models.TextField(_("lý do sửa đổi"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number"], name="decision_number_unique_per_year"
            ),
            models.CheckConstraint(
                condition=Q(amends__isnull=True) | ~Q(reason=""), name="amending_decision_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class AwardLine(models.Model):
    """One awardee in the decision's annex with the prize amount."""

    decision = models.ForeignKey(AwardDecision, on_delete=models.CASCADE, related_name="lines")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="award_lines")
    multiple = models.DecimalField(_("hệ số"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("tiền thưởng"), max_digits=15, decimal_places=0)

    class Meta:
        verbose_name = _("người, tập thể được khen thưởng")
        verbose_name_plural = _("người, tập thể được khen thưởng")
        ordering = ["decision", "pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "proposal"], name="one_line_per_proposal")]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.amount}"


class BaseSalary(models.Model):
    """Mức lương cơ sở from a date (a dated table: an old decision keeps its amount)."""

    effective_from = models.DateField(_("áp dụng từ"), unique=True)
    amount = models.DecimalField(_("mức lương cơ sở (đồng/tháng)"), max_digits=12, decimal_places=0)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("mức lương cơ sở")
        verbose_name_plural = _("mức lương cơ sở")
        ordering = ["-effective_from"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="base_salary_positive")]

    def __str__(self) -> str:
        return f"{self.amount} ({self.effective_from:%d/%m/%Y})"


class RecordSource(models.TextChoices):
    DECISION = "decision", _("Quyết định trên cổng")
    IMPORT = "import", _("Nhập từ tệp")


class AwardRecord(models.Model):
    """Sổ theo dõi khen thưởng: one award received by a collective (``person`` empty) or by a person,
    whether decided on the portal (filled when the decision is issued, in the same transaction) or
    imported from an earlier year's records. The source of "Các hình thức đã được khen thưởng" in
    the achievement reports (``awards.register.past_awards``).

    ``agency`` is the agency the award was given in: a person who moves later keeps the award, and
    the agency it was earned in keeps it in its register too."""

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name=_("cá nhân"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    form_name = models.CharField(_("hình thức khen thưởng"), max_length=255)
    form_kind = models.CharField(_("loại hình thức"), max_length=20, blank=True)
    level = models.CharField(_("cấp khen, cơ quan khen"), max_length=255, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"))
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    campaign_name = models.CharField(_("phong trào thi đua"), max_length=255, blank=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=RecordSource.choices)
    decision = models.ForeignKey(
        AwardDecision,
        verbose_name=_("quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="register_records",
    )
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="register_record"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khen thưởng đã nhận")
        verbose_name_plural = _("sổ theo dõi khen thưởng")
        ordering = ["-decided_on", "agency__path", "person__full_name", "pk"]
        indexes = [
            models.Index(fields=["agency", "decided_on"], name="award_record_agency_idx"),
            models.Index(fields=["person", "decided_on"], name="award_record_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=RecordSource.values), name="award_record_source_valid"
            ),
            # A decision of the portal is written once per awardee (its proposal); an import is its
            # own key: the same award twice is one row, so re-importing a file adds nothing.
            models.CheckConstraint(
                condition=Q(source="import", proposal__isnull=True, decision__isnull=True)
                | Q(source="decision", proposal__isnull=False, decision__isnull=False),
                name="award_record_source_matches",
            ),
            models.UniqueConstraint(
                fields=["agency", "decision_number", "decided_on", "form_name"],
                condition=Q(person__isnull=True),
                name="award_record_unique_collective",
            ),
            models.UniqueConstraint(
                fields=["person", "decision_number", "decided_on", "form_name"],
                condition=Q(person__isnull=False),
                name="award_record_unique_individual",
            ),
            models.CheckConstraint(condition=~Q(decision_number=""), name="award_record_number_not_empty"),
            models.CheckConstraint(condition=~Q(form_name=""), name="award_record_form_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.form_name} – {self.decision_number}"

    @property
    def form_label(self) -> str:
        """"Giấy khen “Khen thưởng công tác CCHC”": the kind of award before a plan's own name for it,
        unless the name already says it ("Bằng khen của Chủ tịch …")."""
        label = str(dict(AwardKind.choices).get(self.form_kind, ""))
        if not label or self.form_name.casefold().startswith(label.casefold()):
            return self.form_name
        return f"{label} “{self.form_name}”"


# --- hồ sơ khen thưởng: the documents of a decision, generated by Celery ----------------------------


class DossierFormat(models.TextChoices):
    BOTH = "both", _("PDF và Word")
    PDF = "pdf", _("Chỉ PDF")
    DOCX = "docx", _("Chỉ Word")


class JobState(models.TextChoices):
    RUNNING = "running", _("Đang tạo văn bản")
    FAILED = "failed", _("Có văn bản lỗi")
    ASSEMBLING = "assembling", _("Đang đóng gói")
    DONE = "done", _("Hoàn thành")


class DocumentState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã tạo")
    FAILED = "failed", _("Lỗi")


def dossier_path(instance, filename: str) -> str:
    """dossiers/<decision>/<job>/<file>: every job has its own folder, so a new job never
    overwrites the files of an earlier one (a decision's documents are records)."""
    job = getattr(instance, "job", instance)
    return f"dossiers/{job.decision_id}/{job.pk}/{filename}"


class DossierJob(models.Model):
    """One generation of a decision's dossier (hồ sơ khen thưởng): the documents chosen, the format,
    who started it and when; the ZIP once every document is done. A new generation is a new job."""

    decision = models.ForeignKey(
        AwardDecision, verbose_name=_("quyết định"), on_delete=models.PROTECT, related_name="dossier_jobs"
    )
    sequence = models.PositiveIntegerField(_("lần tạo"))  # 1, 2, ... within the decision
    kinds = models.JSONField(_("loại văn bản"), default=list)
    format = models.CharField(
        _("định dạng"), max_length=4, choices=DossierFormat.choices, default=DossierFormat.BOTH
    )
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=JobState.choices, default=JobState.RUNNING
    )
    total = models.PositiveIntegerField(_("số văn bản"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("bắt đầu lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # started or retried
    archive = models.FileField(_("tệp ZIP"), upload_to=dossier_path, max_length=255, blank=True)
    archive_sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    # Ký số (awards/signing): every PDF of the job is signed as it is rendered, and the electronic
    # dossier (hồ sơ điện tử: one PDF of the whole dossier, the tờ trình and the list in Word, the
    # manifest, each signed) is packed beside the ZIP.
    signed = models.BooleanField(_("ký số"), default=False)
    package = models.FileField(_("hồ sơ điện tử"), upload_to=dossier_path, max_length=255, blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("lượt tạo hồ sơ khen thưởng")
        verbose_name_plural = _("lượt tạo hồ sơ khen thưởng")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "sequence"], name="one_dossier_job_per_sequence"),
            models.CheckConstraint(condition=Q(state__in=JobState.values), name="dossier_job_state_valid"),
            models.CheckConstraint(
                condition=Q(format__in=DossierFormat.values), name="dossier_job_format_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} #{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.state == JobState.DONE

    @property
    def is_finished(self) -> bool:
        """Nothing runs any more: done, or stopped with failures waiting for a retry."""
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def wants_pdf(self) -> bool:
        return self.format in (DossierFormat.BOTH, DossierFormat.PDF)

    @property
    def wants_docx(self) -> bool:
        return self.format in (DossierFormat.BOTH, DossierFormat.DOCX)


class DossierDocument(models.Model):
    """One document of a job (its ``DocumentSpec``), rendered by one Celery task."""

    job = models.ForeignKey(DossierJob, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveIntegerField()  # dossier order
    kind = models.CharField(_("loại văn bản"), max_length=20)
    key = models.CharField(max_length=100)
    title = models.CharField(_("văn bản"), max_length=500)
    folder = models.CharField(max_length=100)
    filename = models.CharField(max_length=150)
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("trạng thái"), max_length=8, choices=DocumentState.choices, default=DocumentState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần tạo"), default=0)
    error = models.TextField(_("lỗi"), blank=True)  # Vietnamese, for the user
    error_detail = models.TextField(blank=True)  # technical, for the log and the administrator
    pdf = models.FileField(upload_to=dossier_path, max_length=255, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    docx = models.FileField(upload_to=dossier_path, max_length=255, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("văn bản trong hồ sơ")
        verbose_name_plural = _("văn bản trong hồ sơ")
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "key"], name="one_document_per_key_per_job"),
            models.UniqueConstraint(fields=["job", "position"], name="one_document_per_position_per_job"),
            models.CheckConstraint(
                condition=Q(state__in=DocumentState.values), name="dossier_document_state_valid"
            ),
        ]
        # The progress endpoint counts a job's documents by state.
        indexes = [models.Index(fields=["job", "state"], name="dossier_doc_progress_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.state == DocumentState.DONE

    @property
    def is_failed(self) -> bool:
        return self.state == DocumentState.FAILED


# Ký số and công khai live beside (awards/models_signing.py); importing them here makes them the app's.
from .models_signing import (  # noqa: E402, F401
    CommentState,
    Disclosure,
    DisclosureComment,
    KeyPurpose,
    SigningBackend,
    SigningKey,
)

