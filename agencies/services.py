"""Directory services: importing agencies, reading a user's place in the directory."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from common.audit import audit_context
from common.tabular import Column, ImportErrors, Row, RowError, TableSpec

from .models import Agency, AgencyKind
from .rules import in_reach, is_system_admin

AGENCY_TABLE = TableSpec(
    slug="mau-nhap-danh-ba-co-quan",
    title=gettext_noop("Mẫu nhập danh bạ cơ quan"),
    columns=(
        Column(
            "code",
            gettext_noop("Mã cơ quan"),
            example="000.00.31.H29",
            note=gettext_noop(
                "Mã duy nhất của cơ quan (mã định danh chính thức hoặc mã riêng), tối đa 40 ký tự, không có "
                "dấu cách hay “/”. Cơ quan đã có cùng mã sẽ được cập nhật."
            ),
        ),
        Column("name", gettext_noop("Tên cơ quan"), example="Ủy ban nhân dân phường An Lạc", width=40),
        Column(
            "kind",
            gettext_noop("Loại cơ quan"),
            example="commune_pc",
            note=gettext_noop(
                "Mã loại cơ quan hoặc tên loại, theo bảng loại cơ quan trên trang nhập danh bạ."
            ),
        ),
        Column(
            "parent_code",
            gettext_noop("Mã cơ quan cấp trên"),
            required=False,
            example="000.00.00.H29",
            note=gettext_noop("Mã của cơ quan cấp trên: đã có trong danh bạ hoặc ở một dòng khác của tệp."),
            width=22,
        ),
    ),
)
AGENCY_COLUMNS = AGENCY_TABLE.required
AGENCY_OPTIONAL = AGENCY_TABLE.optional


def valid_agency_code(code: str) -> bool:
    """A code that fits one path segment of an address (``<agency:code>``): the official format
    ``000.00.31.H29`` and codes with ``=`` are fine; "/", "\\", spaces, control characters and
    codes of dots only ("." and ".." are rewritten by browsers) are not."""
    return (
        0 < len(code) <= 40
        and not any(ch in code for ch in "/\\")
        and not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in code)
        and code.strip(".") != ""
    )


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
                    _("Mã cơ quan “%(code)s” không thuộc phạm vi quản lý của anh/chị.") % {"code": code},
                )
            )
        elif not parent:
            # A top-level agency is nobody's sub-tree: only the existing top of the actor's own tree.
            if agency is None or agency.parent_id is not None:
                errors.append(
                    RowError(
                        row.number,
                        _(
                            "Cơ quan mã “%(code)s” không có cơ quan cấp trên (cột parent_code) nên sẽ nằm "
                            "ngoài phạm vi quản lý của anh/chị."
                        )
                        % {"code": code},
                    )
                )
        elif parent not in by_code and parent in existing and not in_reach(actor, existing[parent]):
            errors.append(
                RowError(
                    row.number,
                    _("Mã cơ quan cấp trên “%(code)s” không thuộc phạm vi quản lý của anh/chị.")
                    % {"code": parent},
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
    kind_by_name = {str(label).casefold(): value for value, label in AgencyKind.choices}
    by_code: dict[str, Row] = {}
    for row in rows:
        code, name, kind = row["code"], row["name"], row["kind"]
        # The kind's name as the page shows it ("UBND xã, phường") is accepted beside its code.
        kind = row.values["kind"] = kind_by_name.get(kind.casefold(), kind)
        if not code:
            errors.append(RowError(row.number, _("thiếu mã cơ quan (cột code).")))
            continue
        if not valid_agency_code(code):
            errors.append(
                RowError(
                    row.number,
                    _(
                        "mã “%(code)s” không hợp lệ (tối đa 40 ký tự, không có dấu cách, “/” hay “\\”, "
                        "không chỉ gồm dấu chấm)."
                    )
                    % {"code": code[:60]},
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
