"""A real PKCS#11 token for the signing tests: SoftHSM2 (Debian ``softhsm2``) initialised in a temporary
folder (``SOFTHSM2_CONF`` points at a configuration written here), a test CA made with ``cryptography``,
keys and certificates imported into the token through python-pkcs11, and the ``SigningKey`` rows that
name them. A test that needs a tool (SoftHSM2, ``pdfsig``, ``zbarimg``) is skipped, with the reason, where
the tool is absent, except under CI (``CI=true``), where it fails."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.files.base import ContentFile

from awards.models import KeyPurpose, SigningBackend, SigningKey
from awards.signing.keys import read_certificate
from demo import pki

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN_ENV = "PORTAL_TEST_TOKEN_PIN"
PIN, SO_PIN = "1234", "12345678"
TOKEN = "portal-test"


def need(tool: str, path: str | None = None) -> None:
    """Skip (or fail under CI) when a tool or file is missing."""
    found = Path(path).exists() if path else shutil.which(tool) is not None
    if found:
        return
    reason = f"{tool} is not installed ({path or 'not on PATH'}); apt-get install the Debian package"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI requires {reason}")
    pytest.skip(reason)


@dataclass
class Token:
    module: str
    label: str
    ca_key: Any = None
    ca_cert: Any = None
    labels: list[str] = field(default_factory=list)

    def put(self, key, cert) -> str:
        """Imports a private key and its certificate (and the CA's) under one new label; returns it."""
        import pkcs11
        from pkcs11 import Attribute
        from pkcs11.util.rsa import decode_rsa_private_key
        from pkcs11.util.x509 import decode_x509_certificate

        label = f"k-{uuid.uuid4().hex[:12]}"
        ident = uuid.uuid4().bytes[:8]
        token = pkcs11.lib(self.module).get_token(token_label=self.label)
        with token.open(rw=True, user_pin=PIN) as session:
            der = key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption(),
            )
            attrs = decode_rsa_private_key(der)
            attrs.update({Attribute.LABEL: label, Attribute.ID: ident, Attribute.TOKEN: True,
                          Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False, Attribute.SIGN: True,
                          Attribute.PRIVATE: True})  # fmt: skip
            session.create_object(attrs)
            for c, lab, cid in ((cert, label, ident), (self.ca_cert, f"{label}-ca", ident + b"ca")):
                attrs = decode_x509_certificate(c.public_bytes(serialization.Encoding.DER))
                attrs.update({Attribute.LABEL: lab, Attribute.ID: cid, Attribute.TOKEN: True})
                session.create_object(attrs)
        self.labels.append(label)
        return label


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory):
    """A SoftHSM2 token of this test session, with a test CA."""
    need("softhsm2-util")
    need("libsofthsm2", SOFTHSM_MODULE)
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--so-pin", SO_PIN, "--pin", PIN],
        check=True, capture_output=True,
    )  # fmt: skip
    ca_key, ca_cert = pki.make_ca("CA THỬ NGHIỆM CỦA BỘ KIỂM THỬ")
    return Token(SOFTHSM_MODULE, TOKEN, ca_key, ca_cert)


def token_key(
    token: Token,
    *,
    owner,
    common_name: str,
    seal: bool = False,
    image: bytes | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> SigningKey:
    """A ``SigningKey`` on the token: a person's (``owner`` a user) or an agency's seal."""
    key, cert = pki.issue(
        token.ca_key, token.ca_cert, common_name, not_before=not_before, not_after=not_after
    )
    label = token.put(key, cert)
    row = SigningKey(
        purpose=KeyPurpose.SEAL if seal else KeyPurpose.PERSONAL,
        user=None if seal else owner, agency=owner if seal else None,
        backend=SigningBackend.PKCS11, pkcs11_module=token.module, token_label=token.label, key_label=label,
        secret_env=PIN_ENV,
    )  # fmt: skip
    if image is not None:
        row.image.save(f"{label}.png", ContentFile(image), save=False)
    read_certificate(row)
    row.save()
    return row


@pytest.fixture
def token_pin(monkeypatch):
    monkeypatch.setenv(PIN_ENV, PIN)


def pdfsig(data: bytes, tmp_path: Path) -> str:
    need("pdfsig")
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
