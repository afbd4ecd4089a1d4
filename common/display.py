"""How values read on every page, export sentence and history row: one place for the number format."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import formats

#: Scores, points, thresholds and PAR indices are shown with this many decimals everywhere
#: ("78,90", never "78,9" on one page and "78,90" on another).
DECIMAL_PLACES = 2
_QUANTUM = Decimal(1).scaleb(-DECIMAL_PLACES)


def number(value: object) -> str:
    """85.5 -> "85,50" in Vietnamese (the active language's decimal mark), "" for None; text that is
    not a number is returned as it is."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(_QUANTUM, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return formats.number_format(amount, decimal_pos=DECIMAL_PLACES)


def day(value: dt.date | None) -> str:
    """A date as every page and sentence writes it: dd/mm/yyyy ("" for None)."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def user_display_name(user: Any) -> str:
    """Họ tên in Vietnamese order (family name first, "Lê Thị Thu Hà"), or the login name."""
    if user is None:
        return ""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or str(user.get_username())


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y; the
# tone marks only decide between otherwise equal words (ngang, huyền, sắc, hỏi, ngã, nặng).
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_TONE_MARKS = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}


def vietnamese_sort_key(text: str) -> tuple[object, ...]:
    """A key sorting names as a Vietnamese reader expects ("Đặng" right after "Dương", before "Đỗ"
    and "Võ"; "Ánh" among the a's), unlike the code-point order of a database's default collation."""
    import unicodedata

    letters: list[tuple[str, int]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", (text or "").casefold()):
        if char in _LETTER_MARKS and letters:
            base, _variant = letters[-1]
            letters[-1] = (base, _LETTER_MARKS[char])
        elif char in _TONE_MARKS:
            if tones:
                tones[-1] = _TONE_MARKS[char]
        elif unicodedata.combining(char):
            continue
        elif char == "đ":
            letters.append(("d", 1))
            tones.append(0)
        else:
            letters.append((char, 0))
            tones.append(0)
    return tuple(letters), tuple(tones)
