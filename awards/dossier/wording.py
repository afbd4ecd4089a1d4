"""How the dossier's documents write things (Nghị định 30/2020/NĐ-CP): amounts in đồng and in
words, dates and the "place, date" line, upper-case body names, symbols, ASCII file names."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from django.utils import formats

PEOPLES_COMMITTEE = "Ủy ban nhân dân"


def money(value) -> str:
    """894000 -> "894.000" (đồng, thousands grouped as on every page of the portal)."""
    if value is None:
        return ""
    return formats.number_format(Decimal(value).quantize(Decimal(1)), decimal_pos=0, force_grouping=True)


def day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone() if value.tzinfo else value
    return value.strftime("%d/%m/%Y")


def date_line(place: str, value: dt.date | None, year: int | None = None) -> str:
    """ "Thành phố Hồ Chí Minh, ngày 05 tháng 01 năm 2023" (ND 30/2020: a day below 10 and the months
    1 and 2 take a leading zero). Without a date, the day and month are left to fill in."""
    if value is None:
        gap = "\u00a0" * 6
        return f"{place}, ngày{gap}tháng{gap}năm {year or ''}".rstrip()
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _three(n: int, full: bool) -> str:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        elif units == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(_DIGITS[units])
    return " ".join(words)


def amount_in_words(value) -> str:
    """9387000 -> "Chín triệu ba trăm tám mươi bảy nghìn đồng" (bằng chữ, for the decision)."""
    n = int(Decimal(value or 0))
    if n == 0:
        return "Không đồng"
    scales = ["", " nghìn", " triệu", " tỷ", " nghìn tỷ", " triệu tỷ"]
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        if groups[i]:
            words.append(_three(groups[i], full=i < len(groups) - 1) + scales[i])
    text = " ".join(words)
    return text[:1].upper() + text[1:] + " đồng"


def ascii_slug(text: str) -> str:
    """ "Ủy ban nhân dân Quận 1" -> "ubnd-quan-1": ASCII, for ZIP entries and file names."""
    text = re.sub(r"^(Ủy|Uỷ) ban nhân dân\b", "UBND", text.strip(), flags=re.IGNORECASE)
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def abbreviation(name: str) -> str:
    """Initials for a symbol: "Sở Nội vụ" -> "SNV", "Hội đồng Thi đua - Khen thưởng" -> "HĐTĐKT"."""
    if name.lower().startswith(PEOPLES_COMMITTEE.lower()):
        return "UBND"
    letters = []
    for word in re.findall(r"\w+", name):
        first = word[0].upper()
        letters.append(first if first == "Đ" else unicodedata.normalize("NFKD", first)[0])
    return "".join(letters)


def body_lines(name: str) -> tuple[str, ...]:
    """An issuing body in upper case, "ỦY BAN NHÂN DÂN" on its own line as on the paper."""
    upper = name.upper()
    head = PEOPLES_COMMITTEE.upper()
    if upper.startswith(head + " ") and len(upper) > len(head) + 1:
        return (head, upper[len(head) + 1 :])
    return (upper,)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def position_in_unit(position: str, unit: str) -> str:
    """ "Giám đốc Sở" of "Sở Nội vụ" reads "Giám đốc Sở Nội vụ"; "Chuyên viên" of it "Chuyên viên, Sở
    Nội vụ" (the position's last word opening the unit's name is said once)."""
    words, head = (position or "").split(), unit.split()[:1]
    if not words:
        return unit
    if head and words[-1].casefold() == head[0].casefold():
        return " ".join([*words[:-1], unit])
    return f"{position}, {unit}"
