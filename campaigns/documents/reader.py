"""The checking reader of a plan document: converts each value and collects every error with the path
of its key (``award_forms[1].quota.fraction``), so that one pass reports all of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Set as AbstractSet
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..validation import PlanError


class Reader:
    """Walks the document, converting values and collecting errors with their paths."""

    def __init__(self) -> None:
        self.errors: list[PlanError] = []

    def err(self, path, message):
        self.errors.append(PlanError(path, message))

    def mapping(
        self, value, path, allowed: AbstractSet[str], required: AbstractSet[str] = frozenset()
    ) -> dict:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.err(path, _("Phải là một bảng khóa: giá trị."))
            return {}
        for key in value:
            if key not in allowed:
                self.err(
                    f"{path}.{key}" if path else str(key),
                    _("Khóa không được hỗ trợ: “%(key)s”.") % {"key": key},
                )
        for key in sorted(required):
            if key not in value:
                self.err(f"{path}.{key}" if path else key, _("Thiếu khóa bắt buộc “%(key)s”.") % {"key": key})
        return value

    def items(self, value, path) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.err(path, _("Phải là một danh sách."))
            return []
        return value

    def text(self, value, path, required=False, max_length=None) -> str:
        if value is None:
            if required:
                self.err(path, _("Không được để trống."))
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.err(path, _("Phải là chuỗi ký tự."))
            return ""
        value = str(value).strip()
        if required and not value:
            self.err(path, _("Không được để trống."))
        if max_length and len(value) > max_length:
            self.err(path, _("Dài quá %(n)s ký tự.") % {"n": max_length})
        return value

    def code(self, value, path) -> str:
        value = self.text(value, path, required=True, max_length=60)
        if value and slugify(value) != value:
            self.err(
                path,
                _("Mã “%(value)s” chỉ gồm chữ thường không dấu, số và dấu gạch ngang.") % {"value": value},
            )
        return value

    def boolean(self, value, path, default=False) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.err(path, _("Phải là true hoặc false."))
            return default
        return value

    def date(self, value, path, required=True):
        if value is None:
            if required:
                self.err(path, _("Thiếu ngày."))
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.err(path, _("Ngày “%(value)s” không hợp lệ (định dạng YYYY-MM-DD).") % {"value": value})
            return None

    def decimal(self, value, path, required=True, default=None):
        if value is None:
            if required:
                self.err(path, _("Thiếu giá trị số."))
            return default
        if isinstance(value, bool):
            self.err(path, _("Phải là một số."))
            return default
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            self.err(path, _("“%(value)s” không phải là số.") % {"value": value})
            return default
        if not result.is_finite():
            self.err(path, _("“%(value)s” không phải là số.") % {"value": value})
            return default
        return result

    def integer(self, value, path, minimum=0):
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(path, _("Phải là số nguyên."))
            return None
        if value < minimum:
            self.err(path, _("Phải lớn hơn hoặc bằng %(n)s.") % {"n": minimum})
            return None
        return value

    def choice(self, value, path, choices, default=None, required=False):
        if value is None:
            if required:
                self.err(path, _("Thiếu giá trị."))
            return default
        if value not in choices.values:
            self.err(
                path,
                _("Giá trị “%(value)s” không hợp lệ; chọn một trong: %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)},
            )
            return default
        return value

    def fraction(self, value, path):
        """ "1/3", "50%" or a number such as 0.5 -> (numerator, denominator); must be in (0, 1]."""
        if value is None:
            self.err(path, _("Thiếu tỷ lệ."))
            return None
        try:
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, str) and value.strip().endswith("%"):
                num = int(value.strip()[:-1].strip())
                den = 100
            elif isinstance(value, str) and "/" in value:
                a, b = value.split("/", 1)
                num, den = int(a.strip()), int(b.strip())
            else:
                fr = Fraction(Decimal(str(value)))
                num, den = fr.numerator, fr.denominator
        except (ValueError, InvalidOperation, ZeroDivisionError):
            self.err(path, _("Tỷ lệ “%(value)s” không hợp lệ (ví dụ: 1/3, 50%%, 0.5).") % {"value": value})
            return None
        if den <= 0 or num <= 0 or num > den:
            self.err(path, _("Tỷ lệ %(value)s phải lớn hơn 0 và không quá 1.") % {"value": value})
            return None
        return num, den


def unique(r: Reader, values: list[tuple[str, str]], what: str) -> None:
    """An error on every repeated code of ``values`` ((path, code) pairs)."""
    seen = set()
    for path, value in values:
        if value and value in seen:
            r.err(path, _("Mã %(what)s “%(value)s” bị trùng.") % {"what": what, "value": value})
        seen.add(value)
