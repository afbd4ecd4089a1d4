"""The error of registrations: a ``common.errors.PortalError`` that says registrations' rules refused."""

from __future__ import annotations

from common.errors import PortalError


class RegistrationError(PortalError):
    """A refused action, with a Vietnamese message (or a list or a dict of them) for the page;
    ``code`` says why, also when the message is a list (the problems that stop a submission)."""

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)
        self.code = code
