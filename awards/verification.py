"""Certificates anyone can verify (xác minh Giấy khen, Bằng khen): each certificate carries a QR code and a
short code printed under it, leading to the public verification page.

A code is a signed token, not an id: the award line's id and a 48-bit HMAC of it under the portal's
secret key (``salted_hmac``, salt ``SALT``; codes made under a key in ``SECRET_KEY_FALLBACKS`` still
verify), written in Crockford's base 32 in four groups ("K7Q2-M9XD-4HTR-0B5C"). Without the key no valid
code can be made, so codes cannot be guessed or enumerated; the page is rate-limited as well. A code typed
by hand is read leniently: lower case, spaces or no dashes, O for 0, I or L for 1.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import AwardDecision, AwardLine, DocumentState, DossierDocument

SALT = "awards.verification.certificate"
ID_BYTES, MAC_BYTES = 4, 6
CODE_LENGTH = 16  # (4 + 6) bytes = 80 bits = 16 base-32 letters
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TO_RFC = str.maketrans(CROCKFORD, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
_FROM_RFC = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", CROCKFORD)
_LENIENT = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None, ".": None})


def _mac(payload: bytes, secret: str | None = None) -> bytes:
    return salted_hmac(SALT, payload, secret=secret, algorithm="sha256").digest()[:MAC_BYTES]


def code_for(line_id: int) -> str:
    """The verification code of an award line (an awardee in a decision)."""
    payload = int(line_id).to_bytes(ID_BYTES, "big")
    text = base64.b32encode(payload + _mac(payload)).decode().translate(_FROM_RFC)
    return "-".join(text[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise(code: str) -> str:
    return (code or "").upper().translate(_LENIENT)[: CODE_LENGTH + 8]


def line_id_of(code: str) -> int | None:
    """The award line a code stands for, or None when it is not a code the portal made."""
    text = normalise(code)
    if len(text) != CODE_LENGTH or any(ch not in CROCKFORD for ch in text):
        return None
    raw = base64.b32decode(text.translate(_TO_RFC))
    payload, mac = raw[:ID_BYTES], raw[ID_BYTES:]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(constant_time_compare(mac, _mac(payload, secret)) for secret in secrets):
        return None
    return int.from_bytes(payload, "big")


def verify_path(code: str) -> str:
    return reverse("awards:verify_code", args=[code])


def absolute(path: str) -> str:
    """A link for paper: ``PORTAL_BASE_URL`` (the portal's public address) before the path."""
    base = (getattr(settings, "PORTAL_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return base + path


@dataclass(frozen=True)
class CertificateCode:
    """What a certificate prints: the code, the QR code of the verification URL, the lookup page."""

    code: str
    url: str
    lookup_url: str

    @property
    def qr_svg_uri(self) -> str:
        import segno

        return segno.make(self.url, error="m").svg_data_uri(scale=4, border=0)

    def qr_png(self) -> bytes:
        import io

        import segno

        out = io.BytesIO()
        segno.make(self.url, error="m").save(out, kind="png", scale=8, border=2)
        return out.getvalue()


def certificate_code(line_id: int) -> CertificateCode:
    code = code_for(line_id)
    return CertificateCode(code, absolute(verify_path(code)), absolute(reverse("awards:verify")))


# --- the page's answer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    line: AwardLine
    decision: AwardDecision
    status: str  # "in_force", "amended", "withdrawn"
    later: AwardDecision | None  # the decision that amended or withdrew it
    signed_sha256: str  # the signed certificate's fingerprint, "" when none was signed
    signed_at: dt.datetime | None


def lookup(code: str) -> Verified | None:
    """The award a code names, with its standing today: in force, amended by a later decision (the award
    kept) or withdrawn by one (thu hồi). None for a code the portal did not make. A fixed number of
    queries."""
    line_id = line_id_of(code)
    if line_id is None:
        return None
    line = (
        AwardLine.objects.select_related(
            "proposal__agency", "proposal__person", "decision__issuer", "decision__proposal_list__award_form"
        )
        .filter(pk=line_id)
        .first()
    )
    if line is None:
        return None
    decision = line.decision
    later = list(
        AwardDecision.objects.filter(
            proposal_list_id=decision.proposal_list_id, created_at__gt=decision.created_at
        )
        .order_by("created_at", "pk")
        .values("pk", "number", "decided_on", "reason")
    )
    status, by = "in_force", None
    if later:
        keeps = set(
            AwardLine.objects.filter(
                decision_id__in=[d["pk"] for d in later], proposal_id=line.proposal_id
            ).values_list("decision_id", flat=True)
        )
        # the first later decision without the awardee withdrew the award; else the latest amended it
        gone = next((d for d in later if d["pk"] not in keeps), None)
        status, chosen = ("withdrawn", gone) if gone else ("amended", later[-1])
        by = AwardDecision.objects.get(pk=chosen["pk"])
    signed = (
        DossierDocument.objects.filter(
            job__decision_id=decision.pk,
            job__signed=True,
            kind="giay_khen",
            proposal_id=line.proposal_id,
            state=DocumentState.DONE,
        )
        .order_by("-finished_at", "-pk")
        .values_list("pdf_sha256", "finished_at")
        .first()
    )
    return Verified(line, decision, status, by, signed[0] if signed else "", signed[1] if signed else None)


# --- rate limit through the shared cache --------------------------------------------------------------


def window() -> int:
    return int(getattr(settings, "VERIFY_RATE_WINDOW", 600))


def throttled(client: str, *, limit: int | None = None, seconds: int | None = None) -> bool:
    """Counts one lookup of ``client`` (its address) in the current window of the shared cache (Redis when
    REDIS_URL is set, so every web process counts together); True once it has made more than ``limit``
    (``VERIFY_RATE_LIMIT`` lookups per ``VERIFY_RATE_WINDOW`` seconds)."""
    limit = limit or int(getattr(settings, "VERIFY_RATE_LIMIT", 30))
    seconds = seconds or window()
    bucket = int(dt.datetime.now(dt.UTC).timestamp()) // seconds
    key = f"awards:verify:{client}:{bucket}"
    cache.add(key, 0, timeout=seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=seconds + 5)
        count = 1
    return count > limit
