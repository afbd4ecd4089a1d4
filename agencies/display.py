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
