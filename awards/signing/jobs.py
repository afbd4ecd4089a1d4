"""Ký số as a step of the dossier jobs: what a signed job checks before it starts, and the signing that
follows an approval (after the commit, never inside the approval itself).

A body signs on the portal once its seal certificate is registered (``SigningKey`` of purpose "seal");
without one nothing is signed (the office signs on paper, as before).
"""

from __future__ import annotations

import logging

from django.urls import reverse
from django.utils.translation import gettext as _

from common.display import day
from common.models import NotificationKind
from common.notifications import notify

from ..errors import AwardError, SigningError
from ..models import AwardDecision, DossierFormat, DossierJob
from .dossier import required_keys
from .keys import seal_key

logger = logging.getLogger("awards.signing")


def latest_signed(decision: AwardDecision) -> DossierJob | None:
    return DossierJob.objects.filter(decision=decision, signed=True).order_by("-sequence").first()


def check_signing(decision: AwardDecision, kinds: list[str], format: str, new_version: bool) -> None:
    """Before a signed job starts: PDF is asked for, the certificates are there and valid, and a decision
    signed before is signed again only as a new version."""
    if format == DossierFormat.DOCX:
        raise AwardError(_("Ký số được thực hiện trên bản PDF: chọn định dạng PDF."), code="format")
    required_keys(decision, kinds)
    earlier = latest_signed(decision)
    if earlier is not None and not new_version:
        raise AwardError(
            _(
                "Quyết định %(n)s đã được ký số (lần tạo %(s)s, ngày %(d)s). "
                "Ký lại sẽ tạo một phiên bản mới; "
                "các tệp đã ký trước được giữ nguyên."
            )
            % {"n": decision.number, "s": earlier.sequence, "d": day(earlier.started_at.date())},
            code="signed",
        )


def sign_after_approval(sender=None, *, decision: AwardDecision, **kwargs) -> DossierJob | None:
    """``decision_issued`` receiver (sent after the approval's commit): when the issuing body signs on the
    portal, a signed job of the whole dossier starts, in the name of the leadership who approved; a
    missing or expired certificate is told to that leadership (the bell, with what to do)."""
    from ..dossier.jobs import start_job

    if seal_key(decision.issuer) is None:
        return None
    approver = decision.created_by
    try:
        return start_job(decision, actor=approver, format=DossierFormat.PDF, signed=True)
    except (SigningError, AwardError) as exc:
        logger.warning("decision %s not signed after approval: %s", decision.pk, exc.messages)
        if approver is not None:
            notify(
                approver, NotificationKind.OTHER, decision,
                title=_("Quyết định %(n)s chưa được ký số") % {"n": decision.number},
                body=" ".join(exc.messages), url=reverse("awards:dossier", args=[decision.pk]), email=False,
            )  # fmt: skip
        return None
