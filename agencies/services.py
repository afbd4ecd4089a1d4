"""Directory services: importing agencies, reading a user's place in the directory."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from .audit import audit_context
from .models import Agency, AgencyKind
from .rules import in_reach, is_system_admin
from .tabular import ImportErrors, Row, RowError

AGENCY_COLUMNS = ["code", "name", "kind"]
AGENCY_OPTIONAL = ["parent_code"]


@dataclass
class ImportSummary:
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return _("Đã thêm %(c)s, cập nhật %(u)s, giữ nguyên %(n)s cơ quan.") % {
            "c": self.created,
            "u": self.updated,
            "n": self.unchanged,
        }


def _out_of_reach(actor, by_code: dict[str, Row], existing: dict[str, Agency]) -> list[RowError]:
    """Rows that would change an agency outside the actor's tree or put one outside it."""
    errors = []
    for code, row in by_code.items():
        agency, parent = existing.get(code), row["parent_code"]
        if agency is not None and not in_reach(actor, agency):
            errors.append(
                RowError(
                    row.number,
                    _("cơ quan “%(code)s” (%(name)s) không thuộc phạm vi quản lý của bạn.")
                    % {"code": code, "name": agency.name},
                )
            )
        elif not parent:
            # A top-level agency is nobody's sub-tree: only the existing top of the actor's own tree.
            if agency is None or agency.parent_id is not None:
                errors.append(
                    RowError(
                        row.number,
                        _(
                            "cơ quan “%(code)s” không có cơ quan cấp trên (cột parent_code) nên sẽ nằm "
                            "ngoài phạm vi quản lý của bạn."
                        )
                        % {"code": code},
                    )
                )
        elif parent not in by_code and parent in existing and not in_reach(actor, existing[parent]):
            errors.append(
                RowError(
                    row.number,
                    _("cơ quan cấp trên “%(code)s” (%(name)s) không thuộc phạm vi quản lý của bạn.")
                    % {"code": parent, "name": existing[parent].name},
                )
            )
    return errors


def import_agencies(rows: list[Row], *, actor=None) -> ImportSummary:
    """Create or update agencies by code, all or nothing.

    ``parent_code`` may name an agency already in the directory or one further down the
    same file. Every bad row is reported (with its row number) before anything is saved.

    A home-affairs officer changes only agencies of their own tree and places new or moved ones
    only under it; the administrator, and the system (``actor=None``: a command run without
    ``--user``), change anything.
    """
    errors: list[RowError] = []
    kinds = set(AgencyKind.values)
    by_code: dict[str, Row] = {}
    for row in rows:
        code, name, kind = row["code"], row["name"], row["kind"]
        if not code:
            errors.append(RowError(row.number, _("thiếu mã cơ quan (cột code).")))
            continue
        if len(code) > 40 or "/" in code or " " in code:
            errors.append(
                RowError(
                    row.number,
                    _("mã “%(code)s” không hợp lệ (tối đa 40 ký tự, không có dấu cách hay “/”).")
                    % {"code": code},
                )
            )
        if code in by_code:
            errors.append(
                RowError(
                    row.number,
                    _("mã “%(code)s” trùng với dòng %(other)s.")
                    % {"code": code, "other": by_code[code].number},
                )
            )
            continue
        by_code[code] = row
        if not name:
            errors.append(RowError(row.number, _("thiếu tên cơ quan (cột name).")))
        elif len(name) > 255:
            errors.append(RowError(row.number, _("tên dài quá 255 ký tự.")))
        if kind not in kinds:
            errors.append(
                RowError(
                    row.number,
                    _("loại “%(kind)s” không hợp lệ; dùng một trong: %(kinds)s.")
                    % {"kind": kind, "kinds": ", ".join(AgencyKind.values)},
                )
            )

    parent_codes = {row["parent_code"] for row in by_code.values() if row["parent_code"]}
    existing = {a.code: a for a in Agency.objects.filter(code__in=set(by_code) | parent_codes)}
    for code, row in by_code.items():
        parent = row["parent_code"]
        if not parent:
            continue
        if parent == code:
            errors.append(RowError(row.number, _("cơ quan không thể là cấp trên của chính nó.")))
        elif parent not in by_code and parent not in existing:
            errors.append(
                RowError(
                    row.number, _("không tìm thấy cơ quan cấp trên có mã “%(code)s”.") % {"code": parent}
                )
            )

    if actor is not None and not is_system_admin(actor):
        errors.extend(_out_of_reach(actor, by_code, existing))

    # Cycles through the file's rows and the existing tree.
    def parent_of(code: str) -> str | None:
        if code in by_code:
            return by_code[code]["parent_code"] or None
        agency = existing.get(code)
        if agency is None:
            return None
        return agency.parent.code if agency.parent_id else None

    for code, row in by_code.items():
        seen, current = {code}, parent_of(code)
        while current:
            if current in seen:
                errors.append(
                    RowError(
                        row.number,
                        _("quan hệ cấp trên tạo thành vòng lặp (qua mã “%(code)s”).") % {"code": current},
                    )
                )
                break
            seen.add(current)
            current = parent_of(current)
            if current and current not in by_code and current not in existing:
                existing.update(
                    {a.code: a for a in Agency.objects.filter(code=current).select_related("parent")}
                )

    if errors:
        errors.sort(key=lambda e: e.row)
        raise ImportErrors(errors)

    created = updated = unchanged = 0
    saved: dict[str, Agency] = {}

    def depth(code: str) -> int:
        d, current = 0, parent_of(code)
        while current and current in by_code:
            d, current = d + 1, parent_of(current)
        return d

    with transaction.atomic(), audit_context(actor, note=_("Nhập danh bạ cơ quan từ tệp")):
        for code in sorted(by_code, key=lambda c: (depth(c), by_code[c].number)):
            row = by_code[code]
            parent_code = row["parent_code"]
            parent = saved.get(parent_code) or existing.get(parent_code) if parent_code else None
            agency = existing.get(code)
            if agency is None:
                agency = Agency(code=code)
                created += 1
            elif (agency.name, agency.kind, agency.parent_id) == (
                row["name"],
                row["kind"],
                parent.pk if parent else None,
            ):
                unchanged += 1
                saved[code] = agency
                continue
            else:
                updated += 1
            agency.name, agency.kind, agency.parent = row["name"], row["kind"], parent
            agency.save()
            saved[code] = agency
    return ImportSummary(created, updated, unchanged)
