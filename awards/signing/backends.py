"""Where a private key lives, and how pyHanko reaches it: the signer interface of the portal.

A backend is built from one ``SigningKey`` row and offers two things:

- ``certificate()``: the signer's X.509 certificate (asn1crypto), read from the token or the file;
- ``signer()``: a context manager yielding a pyHanko ``Signer`` (the object that turns a digest into a
  CMS signature), closed afterwards (a PKCS#11 session is logged out).

``BACKENDS`` maps ``SigningKey.backend`` to its class: PKCS#11 (USB tokens and HSMs of the Government
Cipher Committee and of commercial providers, SoftHSM2 in the tests) and PKCS#12 files. A remote-signing
service (ký số từ xa: the signer approves on a phone) is another class of this shape registered here;
docs/signing.md describes it. The PIN or passphrase is read from the worker's environment
(``SigningKey.secret_env``), never from the database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _

from ..errors import SigningError
from ..models import SigningBackend, SigningKey


class Backend(Protocol):
    key: SigningKey

    def certificate(self) -> asn1_x509.Certificate: ...

    def signer(self) -> Any:  # a context manager yielding pyhanko.sign.signers.Signer
        ...


def _owner(key: SigningKey) -> str:
    if key.user_id:
        from common.display import user_display_name

        return user_display_name(key.user)
    return key.agency.name if key.agency is not None else str(key.pk)


def secret(key: SigningKey) -> str | None:
    """The PIN or passphrase from the environment variable ``key.secret_env`` (None when none is named)."""
    if not key.secret_env:
        return None
    value = os.environ.get(key.secret_env)
    if value is None:
        raise SigningError(
            _(
                "Máy chủ chưa được cấu hình mã PIN của chứng thư số của %(owner)s (biến môi trường "
                "%(env)s). Đề nghị quản trị hệ thống khai báo biến này cho dịch vụ ký số rồi bấm “Ký số” lại."
            )
            % {"owner": _owner(key), "env": key.secret_env}
        )
    return value


class Pkcs11Backend:
    """A key on a PKCS#11 token or HSM: ``pkcs11_module`` (the vendor's library), ``token_label``,
    ``key_label`` (the private key and its certificate carry the same label, as pkcs11-tool writes them)."""

    def __init__(self, key: SigningKey) -> None:
        self.key = key

    @contextmanager
    def _session(self) -> Iterator[Any]:
        from pkcs11 import PKCS11Error
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import open_pkcs11_session

        key = self.key
        pin = secret(key)
        try:
            session = open_pkcs11_session(
                key.pkcs11_module, token_criteria=TokenCriteria(label=key.token_label), user_pin=pin
            )
        except (PKCS11Error, OSError, RuntimeError, ValueError) as exc:
            raise SigningError(
                _(
                    "Không mở được token hoặc HSM “%(token)s” chứa chứng thư số của %(owner)s. "
                    "Kiểm tra token "
                    "đã được cắm hoặc HSM đang hoạt động và mã PIN đúng, rồi bấm “Ký số” lại."
                )
                % {"token": key.token_label, "owner": _owner(key)}
            ) from exc
        try:
            yield session
        finally:
            session.close()

    def certificate(self) -> asn1_x509.Certificate:
        from pkcs11 import Attribute, ObjectClass

        with self._session() as session:
            for obj in session.get_objects(
                {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: self.key.key_label}
            ):
                return asn1_x509.Certificate.load(obj[Attribute.VALUE])
        raise SigningError(
            _("Token “%(token)s” không có chứng thư số mang nhãn “%(label)s”.")
            % {"token": self.key.token_label, "label": self.key.key_label}
        )

    @contextmanager
    def signer(self) -> Iterator[Any]:
        from pyhanko.sign.pkcs11 import PKCS11Signer

        with self._session() as session:
            # other_certs_to_pull=None: every certificate on the token (the issuing CA's chain) is embedded
            yield PKCS11Signer(
                session, cert_label=self.key.key_label, key_label=self.key.key_label, other_certs_to_pull=None
            )


class Pkcs12Backend:
    """A key and its certificate chain in a PKCS#12 file (``p12_file``, in the private storage)."""

    def __init__(self, key: SigningKey) -> None:
        self.key = key

    def _load(self) -> tuple[Any, asn1_x509.Certificate, list[asn1_x509.Certificate]]:
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12

        key = self.key
        if not key.p12_file:
            raise SigningError(
                _("Chưa tải lên tệp chứng thư số (PKCS#12) của %(owner)s.") % {"owner": _owner(key)}
            )
        password = secret(key)
        try:
            with key.p12_file.open("rb") as fh:
                data = fh.read()
            private, cert, chain = pkcs12.load_key_and_certificates(
                data, password.encode() if password is not None else None
            )
        except (OSError, ValueError) as exc:
            raise SigningError(
                _("Không đọc được tệp chứng thư số của %(owner)s: tệp hỏng hoặc mật khẩu không đúng.")
                % {"owner": _owner(key)}
            ) from exc
        if private is None or cert is None:
            raise SigningError(
                _("Tệp chứng thư số của %(owner)s không có khóa bí mật.") % {"owner": _owner(key)}
            )
        der = private.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        return (
            asn1_keys.PrivateKeyInfo.load(der),
            asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)),
            [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in chain or ()],
        )

    def certificate(self) -> asn1_x509.Certificate:
        return self._load()[1]

    @contextmanager
    def signer(self) -> Iterator[Any]:
        from pyhanko.sign.signers import SimpleSigner
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        private, cert, chain = self._load()
        yield SimpleSigner(
            signing_cert=cert, signing_key=private, cert_registry=SimpleCertificateStore.from_certs(chain)
        )


BACKENDS: dict[str, type[Pkcs11Backend] | type[Pkcs12Backend]] = {
    SigningBackend.PKCS11: Pkcs11Backend,
    SigningBackend.PKCS12: Pkcs12Backend,
}


def backend_for(key: SigningKey) -> Backend:
    return BACKENDS[key.backend](key)
