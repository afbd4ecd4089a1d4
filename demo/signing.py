"""The demo certificates of ``make run`` (ký số): clearly labelled test certificates, generated on first
use into the private storage, never shipped in the repository.

Why generated and not shipped: a private key committed to the repository is public to anyone who reads
it, and a shipped certificate expires on a fixed day and then breaks every fresh ``make run``. Generated
on the first ``load_demo`` (or ``render_samples --signed``), each installation has its own demo CA and
keys, valid two years from that day. They are PKCS#12 files without a passphrase in the default storage
under ``signing/`` (never served: files go out only through permission checks), their names and images
say "THỬ NGHIỆM" (test), ``SigningKey.is_demo`` is set, and outside DEBUG the portal refuses them
(``SIGNING_ALLOW_DEMO``).

- ``lanhdao`` (the leadership of the City) signs with "<name> – THỬ NGHIỆM";
- Ủy ban nhân dân Thành phố Hồ Chí Minh seals with its name, the organisation "THỬ NGHIỆM – KHÔNG CÓ GIÁ
  TRỊ PHÁP LÝ" and the seal image marked "THỬ NGHIỆM".
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from agencies.models import Agency
from awards.models import KeyPurpose, SigningBackend, SigningKey
from awards.signing.keys import personal_key, read_certificate, seal_key
from common.display import user_display_name

from . import Output, pki

DEMO_CA = "CA THỬ NGHIỆM – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
DEMO_ORGANISATION = "THỬ NGHIỆM – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
CA_PATH = "signing/demo/ca-thu-nghiem.pem"
LEADER, ISSUER = "lanhdao", "hcm"


def load(stdout: Output | None = None) -> None:
    ensure_demo_keys(stdout)


def ensure_demo_keys(stdout: Output | None = None) -> list[SigningKey]:
    """The demo's two certificates, made once (idempotent); none outside DEBUG (``SIGNING_ALLOW_DEMO``)."""
    if not getattr(settings, "SIGNING_ALLOW_DEMO", settings.DEBUG):
        return []
    leader = get_user_model().objects.filter(username=LEADER).first()
    issuer = Agency.objects.filter(code=ISSUER).first()
    if leader is None or issuer is None:
        return []
    have = [personal_key(leader), seal_key(issuer)]
    if all(have):
        return [key for key in have if key is not None]
    ca_key, ca_cert = pki.make_ca(DEMO_CA)
    if default_storage.exists(CA_PATH):
        default_storage.delete(CA_PATH)
    default_storage.save(CA_PATH, ContentFile(pki.pem(ca_cert)))
    made = []
    owners: list[tuple[KeyPurpose, str, bytes]] = [
        (KeyPurpose.PERSONAL, f"{user_display_name(leader)} – {pki.DEMO_MARK}", pki.signature_png()),
        (KeyPurpose.SEAL, issuer.name, pki.seal_png()),
    ]
    for (purpose, name, image), existing in zip(owners, have, strict=True):
        if existing is not None:
            made.append(existing)
            continue
        key, cert = pki.issue(ca_key, ca_cert, name, organisation=DEMO_ORGANISATION)
        row = SigningKey(
            purpose=purpose,
            user=leader if purpose == KeyPurpose.PERSONAL else None,
            agency=issuer if purpose == KeyPurpose.SEAL else None,
            backend=SigningBackend.PKCS12,
            is_demo=True,
        )
        row.p12_file.save(
            f"demo-{purpose}.p12", ContentFile(pki.p12_bytes(key, cert, [ca_cert], None)), save=False
        )
        row.image.save(f"demo-{purpose}.png", ContentFile(image), save=False)
        read_certificate(row)
        row.save()
        made.append(row)
    if stdout is not None:
        stdout.write(f"Chứng thư số thử nghiệm: {', '.join(str(k) for k in made)}")
    return made
