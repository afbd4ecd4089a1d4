"""The one application error of the portal.

A service refuses an action by raising ``PortalError`` (or an app's subclass, which exists only so
that a caller can tell whose rule refused): its messages are Vietnamese sentences written for the
user, shown as page messages by ``common.actions.perform`` or beside the field a form names
(``PortalError({"field": [message]})``, Django's ``ValidationError`` shapes). Nothing else a
service raises is meant for the user: a bug is a 500, a missing object a 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class PortalError(ValidationError):
    """A rule of the portal refused the action; nothing was written."""
