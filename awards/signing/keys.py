"""Whose certificate signs what, and whether it may: the leadership's personal certificate for the
decision it approved, the issuing body's seal (chữ ký số của cơ quan) for the rest. A missing, expired or
not yet valid certificate is refused with a Vietnamese message that says what to do."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.display import day, user_display_name

from ..errors import SigningError
from ..models import AwardDecision, KeyPurpose, SigningKey
from .backends import backend_for

REGISTER_HINT = gettext_lazy(
    "Đề nghị quản trị hệ thống khai báo chứng thư số (token, HSM hoặc tệp PKCS#12) tại Quản trị → "
    "Khen thưởng → Chứng thư số, rồi bấm “Ký số” lại."
)


def personal_key(user) -> SigningKey | None:
    if user is None:
        return None
    return SigningKey.objects.filter(purpose=KeyPurpose.PERSONAL, user=user, active=True).first()


def seal_key(agency) -> SigningKey | None:
    return SigningKey.objects.filter(purpose=KeyPurpose.SEAL, agency=agency, active=True).first()


def check_valid(key: SigningKey, owner: str, now: dt.datetime | None = None) -> None:
    """Refuses an expired, not yet valid or (outside DEBUG and tests) demo certificate."""
    now = now or timezone.now()
    if key.is_demo and not getattr(settings, "SIGNING_ALLOW_DEMO", settings.DEBUG):
        raise SigningError(
            _(
                "Chứng thư số của %(owner)s là chứng thư thử nghiệm, "
                "không được dùng trên hệ thống chính thức. "
                "%(hint)s"
            )
            % {"owner": owner, "hint": REGISTER_HINT}
        )
    if key.not_after is not None and key.not_after <= now:
        raise SigningError(
            _(
                "Chứng thư số của %(owner)s đã hết hạn ngày %(day)s. Đề nghị gia hạn hoặc cấp mới chứng thư "
                "số tại tổ chức cung cấp dịch vụ chứng thực chữ ký số, khai báo lại trên cổng (Quản trị → "
                "Khen thưởng → Chứng thư số), rồi bấm “Ký số” lại."
            )
            % {"owner": owner, "day": day(timezone.localtime(key.not_after).date())}
        )
    if key.not_before is not None and key.not_before > now:
        raise SigningError(
            _("Chứng thư số của %(owner)s chỉ có hiệu lực từ ngày %(day)s: chưa ký được trước ngày này.")
            % {"owner": owner, "day": day(timezone.localtime(key.not_before).date())}
        )


def leader_key(decision: AwardDecision, now: dt.datetime | None = None) -> SigningKey:
    """The certificate of the leadership who approved ``decision`` (``created_by``)."""
    approver = decision.created_by
    if approver is None:
        raise SigningError(
            _("Quyết định %(n)s không ghi lãnh đạo phê duyệt nên không xác định được người ký số.")
            % {"n": decision.number}
        )
    owner = user_display_name(approver)
    key = personal_key(approver)
    if key is None:
        raise SigningError(
            _("%(owner)s (lãnh đạo phê duyệt quyết định %(n)s) chưa có chứng thư số trên cổng. %(hint)s")
            % {"owner": owner, "n": decision.number, "hint": REGISTER_HINT}
        )
    check_valid(key, owner, now)
    return key


def body_key(agency, now: dt.datetime | None = None) -> SigningKey:
    """The issuing body's seal (chữ ký số của cơ quan, tổ chức)."""
    key = seal_key(agency)
    if key is None:
        raise SigningError(
            _("%(body)s chưa có chứng thư số của cơ quan (chữ ký số thay con dấu) trên cổng. %(hint)s")
            % {"body": agency.name, "hint": REGISTER_HINT}
        )
    check_valid(key, agency.name, now)
    return key


def read_certificate(key: SigningKey) -> SigningKey:
    """Reads the certificate from the token or the file and fills the key's certificate fields (the
    administrator's "Đọc chứng thư" and the demo set-up). Saves nothing."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    cert = x509.load_der_x509_certificate(backend_for(key).certificate().dump())
    key.certificate = cert.public_bytes(Encoding.PEM).decode()
    key.subject_name = _common_name(cert.subject)[:255]
    key.issuer_name = _common_name(cert.issuer)[:255]
    key.serial = format(cert.serial_number, "X")[:100]
    key.not_before, key.not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    return key


def _common_name(name) -> str:
    from cryptography.x509.oid import NameOID

    cns = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(cns[0].value) if cns else name.rfc4514_string()
