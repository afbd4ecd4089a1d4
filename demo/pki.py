"""A small certificate authority for the demo and the tests: a CA, certificates it issues, PKCS#12 files,
and the signature and seal images (PNG), all made here with ``cryptography`` and Pillow. Nothing it makes
has any legal value: every name says "THỬ NGHIỆM" (test)."""

from __future__ import annotations

import datetime as dt
import io

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_MARK = "THỬ NGHIỆM"


def _cut(text: str, limit: int = 64) -> str:
    return text.encode()[:limit].decode(errors="ignore").strip()


def _name(common_name: str, organisation: str = "") -> x509.Name:
    """C=VN, O, CN (each cut to the 64 bytes of UTF-8 the library allows)."""
    common_name, organisation = _cut(common_name), _cut(organisation)
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    """A CA signs certificates and CRLs; a signer signs documents (digital signature, non-repudiation)."""
    return x509.KeyUsage(
        digital_signature=not ca, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
    )  # fmt: skip


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_ca(common_name: str, *, days: int = 3650) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = new_key()
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def issue(
    ca_key: rsa.RSAPrivateKey,
    ca_cert: x509.Certificate,
    common_name: str,
    *,
    organisation: str = "",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    key: rsa.RSAPrivateKey | None = None,
    time_stamping: bool = False,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A signing certificate (digital signature, non-repudiation) issued by the CA; ``time_stamping``: a
    time-stamp authority's (its extended key usage critical, as RFC 3161 asks)."""
    key = key or new_key()
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - dt.timedelta(days=1))
        .not_valid_after(not_after or now + dt.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.TIME_STAMPING if time_stamping else ExtendedKeyUsageOID.EMAIL_PROTECTION]
            ),
            critical=time_stamping,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def p12_bytes(
    key: rsa.RSAPrivateKey, cert: x509.Certificate, chain: list[x509.Certificate], password: bytes | None
) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(b"portal", key, cert, chain, encryption)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def signature_png(text: str = DEMO_MARK) -> bytes:
    """A blue handwritten-looking stroke with "THỬ NGHIỆM" under it, transparent background."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (500, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    blue = (20, 40, 160, 255)
    points = [(40, 120), (90, 50), (130, 140), (180, 60), (230, 130), (290, 70), (350, 120), (460, 90)]
    draw.line(points, fill=blue, width=7, joint="curve")
    draw.line([(60, 150), (440, 140)], fill=blue, width=4)
    draw.text((170, 165), text, fill=blue)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seal_png(text: str = DEMO_MARK) -> bytes:
    """A red round seal with a star and "THỬ NGHIỆM", transparent background, as a body's seal is shown."""
    from PIL import Image, ImageDraw

    size = 400
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (200, 20, 20, 230)
    draw.ellipse((8, 8, size - 8, size - 8), outline=red, width=14)
    draw.ellipse((70, 70, size - 70, size - 70), outline=red, width=6)
    cx, cy, r = size / 2, size / 2, 60
    import math

    star = [
        (cx + (r if i % 2 == 0 else r * 0.4) * math.sin(i * math.pi / 5),
         cy - (r if i % 2 == 0 else r * 0.4) * math.cos(i * math.pi / 5))
        for i in range(10)
    ]  # fmt: skip
    draw.polygon(star, fill=red)
    draw.text((cx - 45, cy + 80), text, fill=red)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
