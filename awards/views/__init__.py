"""The pages of the award cycle, thin: each starts with the access helper of its object
(``awards.rules.get_<kind>_for_user``), parses the form, calls one service through
``common.actions.perform`` (or one query) and renders or goes back.

- ``lists``: the index, a proposal list, making it, adding and removing candidates, withdrawing it.
- ``council``: opening a session, the session page, votes, written opinions, ties, closing.
- ``decisions``: approval, return, the amending decision, the public results.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from common.errors import PortalError
from common.parsing import ParseError, parse_date


def posted_date(request: HttpRequest, field: str, message: str) -> dt.date:
    """The date of a form field (dd/mm/yyyy); refused with ``message`` when it is not a date."""
    try:
        return parse_date(request.POST.get(field, ""))
    except ParseError:
        raise PortalError(message) from None
