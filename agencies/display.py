"""How values read on every page, export sentence and history row: one place for the number format."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats

#: Scores, points, thresholds and PAR indices are shown with this many decimals everywhere
#: ("78,90", never "78,9" on one page and "78,90" on another).
DECIMAL_PLACES = 2
_QUANTUM = Decimal(1).scaleb(-DECIMAL_PLACES)


def number(value) -> str:
    """85.5 -> "85,50" in Vietnamese (the active language's decimal mark), "" for None; text that is
    not a number is returned as it is."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(_QUANTUM, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return formats.number_format(amount, decimal_pos=DECIMAL_PLACES)


def day(value) -> str:
    """A date as every page and sentence writes it: dd/mm/yyyy ("" for None)."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def home_affairs_office(issuer) -> str:
    """The home-affairs office of an issuing body, as its users name it: Sở Nội vụ for a province or
    centrally run city, Phòng Nội vụ below."""
    from django.utils.translation import gettext as _

    from .models import AgencyKind

    return _("Sở Nội vụ") if issuer.kind == AgencyKind.PROVINCE_PC else _("Phòng Nội vụ")
