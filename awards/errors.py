"""The refusals of the awards app. Both are ``common.errors.PortalError``: a Vietnamese message for
the page, nothing written; a view shows them through ``common.actions.perform``. The two classes
exist so that a caller can tell whose rule refused; ``code`` says which rule ("permission",
"state", "quorum", "number"...)."""

from __future__ import annotations

from common.errors import PortalError


class AwardError(PortalError):
    """A rule of the award cycle refused: a proposal list, a council session, a decision, a dossier
    job."""


class DossierError(PortalError):
    """The decision cannot give this document: the list is not approved, no council session has
    closed, the awardee or the kind of document is not in the dossier."""


class SigningError(PortalError):
    """Ký số refused or failed: the certificate is missing, expired or not yet valid, the token or its PIN
    cannot be reached. The message says what to do (who registers a certificate, where)."""
