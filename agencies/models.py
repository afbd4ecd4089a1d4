"""The directory: agencies (cơ quan, đơn vị), their people, and user roles per agency."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.display import user_display_name


class AgencyKind(models.TextChoices):
    """Codes used in the directory import (column ``kind``); see docs/agency-import.md."""

    PROVINCE_PC = "province_pc", _("UBND tỉnh, thành phố trực thuộc Trung ương")
    DEPARTMENT = "department", _("Sở, ban, ngành cấp tỉnh")
    DISTRICT_PC = "district_pc", _("UBND cấp huyện (quận, huyện, thị xã; trước 07/2025)")
    DISTRICT_OFFICE = "district_office", _("Phòng, ban chuyên môn cấp huyện (trước 07/2025)")
    COMMUNE_PC = "commune_pc", _("UBND xã, phường, thị trấn, đặc khu")
    PUBLIC_UNIT = "public_unit", _("Đơn vị sự nghiệp công lập")
    STATE_COMPANY = "state_company", _("Tổng công ty, công ty nhà nước")
    PRESS = "press", _("Cơ quan báo chí (báo, đài)")
    MASS_ORG = "mass_org", _("Đoàn thể, tổ chức chính trị - xã hội")
    BUSINESS = "business", _("Doanh nghiệp, tổ chức ngoài nhà nước")


class Agency(models.Model):
    """Cơ quan, đơn vị: a unit of the directory, in a province -> (district) -> commune tree."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes ("hcm/binhtan/anlac/"): sub-tree queries in one indexed LIKE.
    path = models.CharField(max_length=1000, editable=False, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    dissolved_on = models.DateField(
        _("ngày giải thể"),
        null=True,
        blank=True,
        help_text=_("Ví dụ: cấp huyện kết thúc hoạt động từ 01/07/2025."),
    )

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="agency_code_not_empty"),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="agency_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        new_path = self.compute_path()
        old_path = self.path
        self.path = new_path
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"path"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != new_path:
                # Re-root the sub-tree after a move or a change of code.
                for child in Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.path = new_path + child.path[len(old_path) :]
                    Agency.objects.filter(pk=child.pk).update(path=child.path)

    def compute_path(self) -> str:
        parent = self.parent if self.parent_id else None
        return (parent.path if parent is not None else "") + self.code + "/"

    def ancestor_codes(self) -> list[str]:
        return self.path.rstrip("/").split("/")[:-1]

    def descendants(self, include_self: bool = True):
        qs = Agency.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None


def home_affairs_office(issuer) -> str:
    """The home-affairs office of an issuing body, as its users name it: Sở Nội vụ for a province or
    centrally run city, Phòng Nội vụ below."""
    return gettext("Sở Nội vụ") if issuer.kind == AgencyKind.PROVINCE_PC else gettext("Phòng Nội vụ")


class PersonKind(models.TextChoices):
    OFFICIAL = "official", _("Cán bộ")
    CIVIL_SERVANT = "civil_servant", _("Công chức")
    PUBLIC_EMPLOYEE = "public_employee", _("Viên chức")
    WORKER = "worker", _("Người lao động")
    JOURNALIST = "journalist", _("Phóng viên, biên tập viên")
    CITIZEN = "citizen", _("Người dân, doanh nhân")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Person(models.Model):
    """Cán bộ, công chức, viên chức, người lao động: an individual member of an agency."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="people"
    )
    code = models.CharField(_("mã cá nhân"), max_length=40)
    full_name = models.CharField(_("họ và tên"), max_length=120)
    kind = models.CharField(
        _("đối tượng"), max_length=20, choices=PersonKind.choices, default=PersonKind.CIVIL_SERVANT
    )
    position = models.CharField(_("chức vụ"), max_length=160, blank=True)
    is_head = models.BooleanField(_("người đứng đầu"), default=False)
    is_reform_deputy = models.BooleanField(_("cấp phó phụ trách CCHC"), default=False)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")
        ordering = ["agency__path", "-is_head", "-is_reform_deputy", "full_name"]
        constraints = [
            # A person keeps their code when they move to another agency (the import reads a known
            # code under another agency as a move), so a code names one person in the whole directory.
            models.UniqueConstraint(fields=["code"], name="person_code_unique"),
            models.CheckConstraint(condition=~Q(code=""), name="person_code_not_empty"),
            models.UniqueConstraint(fields=["agency"], condition=Q(is_head=True), name="one_head_per_agency"),
            models.CheckConstraint(
                condition=~Q(is_head=True, is_reform_deputy=True), name="head_is_not_deputy"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def year_of_birth(self) -> int | None:
        """Năm sinh: the imported year, or the year of the birth date."""
        return self.birth_year or (self.birth_date.year if self.birth_date else None)


class PersonPosition(models.Model):
    """Quá trình công tác: one period of a person in an agency and position, with the head and
    reform-deputy flags of that period. The open period (no end date) is the person's current one;
    a move or a new position closes it and opens the next, so the history is never rewritten.
    Registrations and results keep pointing at the person and the agency they named."""

    person = models.ForeignKey(
        Person, verbose_name=_("cá nhân"), on_delete=models.CASCADE, related_name="positions"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="person_positions"
    )
    position = models.CharField(_("chức vụ"), max_length=160, blank=True)
    is_head = models.BooleanField(_("người đứng đầu"), default=False)
    is_reform_deputy = models.BooleanField(_("cấp phó phụ trách CCHC"), default=False)
    started_on = models.DateField(_("từ ngày"), null=True, blank=True)
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["person", "-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="one_current_position_per_person"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="position_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.position} ({self.agency_id})"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Role(models.TextChoices):
    STAFF = "staff", _("Cán bộ phụ trách thi đua")
    HEAD = "head", _("Thủ trưởng cơ quan")
    HOME_AFFAIRS = "home_affairs", _("Cán bộ Nội vụ")
    COUNCIL = "council", _("Thành viên Hội đồng Thi đua - Khen thưởng")
    LEADERSHIP = "leadership", _("Lãnh đạo")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")


class Membership(models.Model):
    """A user's role in one agency. One user may hold several roles in several agencies.

    Home affairs, council and leadership roles held in an agency extend to its sub-tree
    (Sở Nội vụ staff hold ``home_affairs`` on the provincial People's Committee).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        ordering = ["agency__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.agency}"


# --- Accounts (tài khoản): contact details and invitations ---------------------------------------


class AccountProfile(models.Model):
    """What the portal keeps about an account beyond Django's user: the phone number given in the
    account import (số điện thoại liên hệ)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_profile"
    )
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("thông tin tài khoản")
        verbose_name_plural = _("thông tin tài khoản")

    def __str__(self) -> str:
        return user_display_name(self.user)


class Invitation(models.Model):
    """Lời mời kích hoạt tài khoản: a one-time link to set the first password.

    Only a hash of the link's secret is stored; the link is valid until ``expires_at``
    (``settings.INVITATION_DAYS``) and once (``used_at``). A newer invitation for the same
    account replaces the older ones (``revoked_at``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thay bằng lời mời mới lúc"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lời mời kích hoạt tài khoản")
        verbose_name_plural = _("lời mời kích hoạt tài khoản")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expires_after_created"
            ),
        ]

    def __str__(self) -> str:
        return user_display_name(self.user)
