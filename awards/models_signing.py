"""Ký số (digital signing) and công khai (public disclosure before the council): the models, kept beside
``awards.models`` (imported at its end, so they belong to the awards app).

- ``SigningKey``: a certificate the portal signs with, reached through a PKCS#11 token or HSM or a
  PKCS#12 file: a person's (the leadership who signs a decision) or an agency's seal (chữ ký số của
  cơ quan, tổ chức). The PIN or passphrase is never stored: ``secret_env`` names the environment
  variable of the worker that holds it (docs/signing.md).
- ``Disclosure`` and ``DisclosureComment``: the proposed list published on the public pages for a
  number of working days before the council may meet, and the public's comments on it (moderated).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SigningBackend(models.TextChoices):
    PKCS11 = "pkcs11", _("Token hoặc HSM (PKCS#11)")
    PKCS12 = "pkcs12", _("Tệp chứng thư số (PKCS#12)")


class KeyPurpose(models.TextChoices):
    PERSONAL = "personal", _("Chữ ký số của người có thẩm quyền")
    SEAL = "seal", _("Chữ ký số của cơ quan, tổ chức")


def signing_path(instance, filename: str) -> str:
    return f"signing/{instance.purpose}/{filename}"


class SigningKey(models.Model):
    """Chứng thư số: one certificate with its private key on a token, an HSM or in a PKCS#12 file."""

    purpose = models.CharField(_("loại chữ ký số"), max_length=10, choices=KeyPurpose.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    backend = models.CharField(_("nơi giữ khóa"), max_length=10, choices=SigningBackend.choices)
    pkcs11_module = models.CharField(
        _("thư viện PKCS#11"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: /usr/lib/softhsm/libsofthsm2.so"),
    )
    token_label = models.CharField(_("nhãn token"), max_length=100, blank=True)
    key_label = models.CharField(_("nhãn khóa và chứng thư trên token"), max_length=100, blank=True)
    p12_file = models.FileField(_("tệp PKCS#12"), upload_to=signing_path, max_length=255, blank=True)
    secret_env = models.CharField(
        _("biến môi trường chứa mã PIN hoặc mật khẩu"),
        max_length=100,
        blank=True,
        help_text=_("Tên biến môi trường trên máy chủ, ví dụ SIGNING_PIN_UBND. Không ghi mã PIN vào đây."),
    )
    image = models.FileField(
        _("hình ảnh chữ ký hoặc con dấu (PNG nền trong suốt)"),
        upload_to=signing_path,
        max_length=255,
        blank=True,
    )
    certificate = models.TextField(_("chứng thư số (PEM)"), blank=True)
    subject_name = models.CharField(_("chủ thể chứng thư"), max_length=255, blank=True)
    issuer_name = models.CharField(_("tổ chức cấp"), max_length=255, blank=True)
    serial = models.CharField(_("số hiệu chứng thư"), max_length=100, blank=True)
    not_before = models.DateTimeField(_("hiệu lực từ"), null=True, blank=True)
    not_after = models.DateTimeField(_("hiệu lực đến"), null=True, blank=True)
    is_demo = models.BooleanField(_("chứng thư thử nghiệm"), default=False)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chứng thư số")
        verbose_name_plural = _("chứng thư số")
        ordering = ["purpose", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="personal", user__isnull=False, agency__isnull=True)
                | Q(purpose="seal", agency__isnull=False, user__isnull=True),
                name="signing_key_owner_matches_purpose",
            ),
            models.CheckConstraint(
                condition=Q(backend__in=SigningBackend.values), name="signing_key_backend_valid"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(active=True, purpose="personal"), name="one_active_key_per_user"
            ),
            models.UniqueConstraint(
                fields=["agency"], condition=Q(active=True, purpose="seal"), name="one_active_seal_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.subject_name or str(self.user or self.agency or self.pk)


class Disclosure(models.Model):
    """Công khai danh sách đề nghị khen thưởng: published on ``published_on`` for ``working_days``
    working days (to ``ends_on`` inclusive); the council may meet from ``may_open_on``. A new
    publication (after the list changed) replaces the earlier one; the earlier stays as a record."""

    proposal_list = models.ForeignKey(
        "awards.ProposalList",
        verbose_name=_("danh sách"),
        on_delete=models.CASCADE,
        related_name="disclosures",
    )
    published_on = models.DateField(_("ngày công khai"))
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"))
    ends_on = models.DateField(_("công khai đến hết ngày"))
    may_open_on = models.DateField(_("Hội đồng được họp từ ngày"))
    proposals = models.JSONField(_("các đề nghị được công khai"), default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("công khai danh sách đề nghị")
        verbose_name_plural = _("công khai danh sách đề nghị")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("published_on")), name="disclosure_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(may_open_on__gt=models.F("ends_on")), name="disclosure_opens_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_list} ({self.published_on:%d/%m/%Y})"


class CommentState(models.TextChoices):
    PENDING = "pending", _("Chờ kiểm duyệt")
    ACCEPTED = "accepted", _("Chuyển Hội đồng")
    REJECTED = "rejected", _("Không chuyển")


class DisclosureComment(models.Model):
    """Ý kiến của nhân dân on a published list: who (name, contact) and what; home affairs moderates,
    the accepted ones reach the council with the list. Never shown publicly (the contact is personal
    data)."""

    disclosure = models.ForeignKey(
        Disclosure, verbose_name=_("công khai"), on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("họ và tên"), max_length=200)
    contact = models.CharField(_("địa chỉ liên hệ"), max_length=200)
    text = models.TextField(_("nội dung ý kiến"), max_length=4000)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=CommentState.choices, default=CommentState.PENDING
    )
    moderation_note = models.TextField(_("ghi chú kiểm duyệt"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến về danh sách công khai")
        verbose_name_plural = _("ý kiến về danh sách công khai")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=CommentState.values), name="comment_state_valid"),
        ]
        indexes = [models.Index(fields=["disclosure", "state"], name="disclosure_comment_state_idx")]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:40]}"
