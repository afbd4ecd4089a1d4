"""The one place where numbers, dates and search text typed by users are parsed.

Query parameters, form fields and imported cells all come here, so every site refuses the same
things the same way: only ASCII digits (``"²".isdigit()`` is true, yet ``int("²")`` fails, and
``int("５")`` quietly succeeds), bounded lengths and values (a 5,000-digit year or a 20-digit page
number must not reach ``int()`` or the database), the decimal comma beside the point, no exponent
(``1e20``), no NUL byte (PostgreSQL refuses it in text).

Two styles: ``parse_*`` raise ``ParseError`` with a Vietnamese message for a value the user must
correct; ``*_param`` return ``None`` (or a default) for a filter that is simply ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Longest accepted text of a number: far beyond any real score, year or id, short enough that
# nothing downstream (int(), Decimal arithmetic, an SQL integer) can be hurt by it.
MAX_NUMBER_LENGTH = 30
# SQL BIGINT: ids and versions beyond it cannot exist and overflow SQLite's driver.
MAX_ID = 2**63 - 1
YEAR_MIN, YEAR_MAX = 1900, 2200
MAX_PAGE = 100_000

_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?", re.ASCII)
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", re.ASCII)
_VN_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ParseError(ValueError):
    """A value the user typed that is not what was asked; the message is for the page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _shown(text: str) -> str:
    """The value as quoted back in a message: never the whole of a 100,000-character paste."""
    return text if len(text) <= 40 else text[:37] + "…"


def parse_int(value: object, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number written with ASCII digits, within the bounds."""
    text = _text(value)
    if not text or len(text) > MAX_NUMBER_LENGTH or not _INT.fullmatch(text):
        raise ParseError(_("“%(value)s” không phải là số nguyên.") % {"value": _shown(text)})
    number = int(text)
    _check_bounds(number, minimum, maximum, text)
    return number


def parse_decimal(
    value: object,
    *,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    places: int | None = None,
) -> Decimal:
    """A number with a decimal comma or point ("85,25", "85.25"), no exponent, within the bounds,
    with at most ``places`` decimal places. A ``Decimal`` or ``int`` from our own code is taken as it is
    (bounds and places still apply)."""
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        number = Decimal(value)
        if not number.is_finite():
            raise ParseError(_("“%(value)s” không phải là số (ví dụ 85,25).") % {"value": value})
        _check_bounds(number, minimum, maximum, str(value))
        return _check_places(number, places, str(value))
    text = _text(value)
    if not text or len(text) > MAX_NUMBER_LENGTH or not _DECIMAL.fullmatch(text):
        raise ParseError(_("“%(value)s” không phải là số (ví dụ 85,25).") % {"value": _shown(text)})
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:  # the pattern rules this out; kept so no input can raise anything else
        raise ParseError(_("“%(value)s” không phải là số (ví dụ 85,25).") % {"value": _shown(text)}) from None
    _check_bounds(number, minimum, maximum, text)
    return _check_places(number, places, text)


def _check_places(number: Decimal, places: int | None, text: str) -> Decimal:
    if places is not None and number != number.quantize(Decimal(1).scaleb(-places)):
        raise ParseError(
            _("“%(value)s” có quá %(places)s chữ số thập phân.") % {"value": _shown(text), "places": places}
        )
    return number


def _check_bounds(
    number: Decimal | int, minimum: Decimal | int | None, maximum: Decimal | int | None, text: str
) -> None:
    from django.utils.formats import number_format

    if minimum is not None and maximum is not None and not minimum <= number <= maximum:
        raise ParseError(
            _("“%(value)s” phải từ %(min)s đến %(max)s.")
            % {"value": _shown(text), "min": number_format(minimum), "max": number_format(maximum)}
        )
    if minimum is not None and number < minimum:
        raise ParseError(
            _("“%(value)s” phải từ %(min)s trở lên.") % {"value": _shown(text), "min": number_format(minimum)}
        )
    if maximum is not None and number > maximum:
        raise ParseError(
            _("“%(value)s” không được lớn hơn %(max)s.")
            % {"value": _shown(text), "max": number_format(maximum)}
        )


def parse_date(value: object) -> dt.date:
    """A date written dd/mm/yyyy (also with "." or "-") or yyyy-mm-dd; a date cell as it is."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    match = _VN_DATE.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_DATE.fullmatch(text)
        if not match:
            raise ParseError(_("“%(value)s” không phải là ngày (dd/mm/yyyy).") % {"value": _shown(text)})
        year, month, day = (int(g) for g in match.groups())
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise ParseError(_("Ngày “%(value)s” không tồn tại.") % {"value": _shown(text)}) from None
    if not YEAR_MIN <= date.year <= YEAR_MAX:
        raise ParseError(
            _("Năm của ngày “%(value)s” phải từ %(min)s đến %(max)s.")
            % {"value": _shown(text), "min": YEAR_MIN, "max": YEAR_MAX}
        )
    return date


def parse_year(value: object) -> int:
    """A calendar year, YEAR_MIN to YEAR_MAX."""
    try:
        return parse_int(value, minimum=YEAR_MIN, maximum=YEAR_MAX)
    except ParseError:
        raise ParseError(
            _("Năm “%(value)s” không hợp lệ (từ %(min)s đến %(max)s).")
            % {"value": _shown(_text(value)), "min": YEAR_MIN, "max": YEAR_MAX}
        ) from None


# --- query parameters: a bad value is an ignored filter, never an error page ----------------------


def int_param(value: object, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    try:
        return parse_int(value, minimum=minimum, maximum=maximum)
    except ParseError:
        return None


def id_param(value: object) -> int | None:
    """A database id from a form or the address (1 to BIGINT), or None."""
    return int_param(value, minimum=1, maximum=MAX_ID)


def ids_param(values: Iterable[object]) -> list[int]:
    """The valid ids of a multi-valued field; the others are ignored."""
    return [i for i in (id_param(v) for v in values) if i is not None]


def year_param(value: object) -> int | None:
    return int_param(value, minimum=YEAR_MIN, maximum=YEAR_MAX)


def page_param(value: object) -> int:
    """A page number, 1 when missing or not a number, at most MAX_PAGE."""
    page = int_param(value, minimum=1)
    return min(page, MAX_PAGE) if page is not None else 1


def search_param(value: object, *, max_length: int = 200) -> str:
    """Search text from the address: trimmed, without control characters (a NUL byte makes
    PostgreSQL fail), at most ``max_length`` characters."""
    return _CONTROL.sub("", _text(value))[:max_length].strip()
