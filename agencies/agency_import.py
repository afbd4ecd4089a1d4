"""The directory import (nhập danh bạ cơ quan): agencies created or updated by code, all or nothing.

``parent_code`` may name an agency already in the directory or one further down the same file.
Every bad row is reported (with its row number) before anything is saved. A home-affairs officer
changes only agencies of their own tree and places new or moved ones only under it; the
administrator, and the system (``actor=None``: a command run without ``--user``), change anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from common.audit import audit_context
from common.importing import Action, ImportPlan, ImportSummary, PlannedRow, TableImport, choice_from_text
from common.tabular import Column, ImportErrors, Row, RowError, TableSpec

from .imports import AgencyResolver, parent_out_of_reach, top_level_out_of_reach, valid_code
from .imports import out_of_reach as agency_out_of_reach
from .models import Agency, AgencyKind
from .rules import is_system_admin

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


@dataclass
class PlannedAgency(PlannedRow):
    row: int
    action: str
    code: str
    name: str
    kind: str
    parent_code: str
    agency: Agency | None  # the agency as it is now (None: a new one)
    parent: Agency | None  # the parent already in the directory (None: none, or one of the file)
    parent_name: str = ""
    depth: int = 0  # rows of the file above it: parents are written first

    @property
    def shown_name(self) -> str:
        return self.name

    @property
    def shown_agency(self) -> str:
        return self.parent_name

    def describe(self) -> str:
        if self.agency is None:
            return str(AgencyKind(self.kind).label)
        parts = []
        if self.agency.name != self.name:
            parts.append(_("tên: %(old)s → %(new)s") % {"old": self.agency.name, "new": self.name})
        if self.agency.kind != self.kind:
            parts.append(
                _("loại: %(old)s → %(new)s")
                % {"old": AgencyKind(self.agency.kind).label, "new": AgencyKind(self.kind).label}
            )
        old_parent = self.agency.ancestor_codes()[-1] if self.agency.parent_id else ""
        if old_parent != self.parent_code:
            parts.append(
                _("cơ quan cấp trên: %(old)s → %(new)s")
                % {"old": old_parent or "–", "new": self.parent_code or "–"}
            )
        return "; ".join(parts)


class AgencyPlan(ImportPlan[PlannedAgency]):
    preview_text = gettext_noop(
        "Sẽ thêm %(created)s, cập nhật %(updated)s, giữ nguyên %(unchanged)s cơ quan."
    )
    done_text = gettext_noop("Đã thêm %(created)s, cập nhật %(updated)s, giữ nguyên %(unchanged)s cơ quan.")


def _read_rows(rows: list[Row], errors: list[RowError]) -> dict[str, Row]:
    """The rows by code, each checked on its own (code, name, kind)."""
    kinds = set(AgencyKind.values)
    by_code: dict[str, Row] = {}
    for row in rows:
        code, name = row["code"], row["name"]
        # The kind's name as the page shows it ("UBND xã, phường") is accepted beside its code.
        kind = row.values["kind"] = choice_from_text(AgencyKind.choices, row["kind"]) or row["kind"]
        if not code:
            errors.append(RowError(row.number, _("thiếu mã cơ quan (cột code).")))
            continue
        if not valid_code(code):
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
    return by_code


def _reach_problem(directory: AgencyResolver, code: str, parent_code: str, in_file: dict[str, Row]) -> str:
    """Why a row would change an agency outside the actor's tree or put one outside it ("" if not)."""
    agency, parent = directory.get(code), directory.get(parent_code)
    if agency is not None and not directory.reaches(agency):
        return agency_out_of_reach(code)
    if not parent_code:
        # A top-level agency is nobody's sub-tree: only the existing top of the actor's own tree.
        if agency is None or agency.parent_id is not None:
            return top_level_out_of_reach(code)
    elif parent_code not in in_file and parent is not None and not directory.reaches(parent):
        return parent_out_of_reach(parent_code)
    return ""


def plan_agency_import(rows: list[Row], *, actor=None) -> AgencyPlan:
    """Check every row and say what it would do; writes nothing. Raises ``ImportErrors``."""
    errors: list[RowError] = []
    by_code = _read_rows(rows, errors)
    parent_codes = {row["parent_code"] for row in by_code.values() if row["parent_code"]}
    directory = AgencyResolver(actor, set(by_code) | parent_codes)
    existing = directory.by_code
    for code, row in by_code.items():
        parent_code = row["parent_code"]
        if parent_code == code:
            errors.append(RowError(row.number, _("cơ quan không thể là cấp trên của chính nó.")))
        elif parent_code and parent_code not in by_code and parent_code not in existing:
            errors.append(
                RowError(
                    row.number,
                    _("không tìm thấy cơ quan cấp trên có mã “%(code)s”.") % {"code": parent_code},
                )
            )
    if actor is not None and not is_system_admin(actor):
        for code, row in by_code.items():
            if problem := _reach_problem(directory, code, row["parent_code"], by_code):
                errors.append(RowError(row.number, problem))

    # Cycles through the file's rows and the existing tree.
    def parent_of(code: str) -> str | None:
        if code in by_code:
            return by_code[code]["parent_code"] or None
        agency = existing.get(code)
        return agency.ancestor_codes()[-1] if agency is not None and agency.parent_id else None

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
                existing.update({a.code: a for a in Agency.objects.filter(code=current)})

    if errors:
        raise ImportErrors(errors)

    def depth(code: str) -> int:
        d, current = 0, parent_of(code)
        while current and current in by_code:
            d, current = d + 1, parent_of(current)
        return d

    planned = []
    for code, row in by_code.items():
        agency, parent_code = existing.get(code), row["parent_code"]
        parent = existing.get(parent_code) if parent_code else None  # None: none, or new in the file
        if agency is None:
            action = Action.CREATE
        elif (agency.name, agency.kind) == (row["name"], row["kind"]) and (
            agency.parent_id == parent.pk if parent is not None else not parent_code and not agency.parent_id
        ):
            action = Action.UNCHANGED
        else:
            action = Action.UPDATE
        if parent is not None:
            parent_name = parent.name
        else:
            parent_name = by_code[parent_code]["name"] if parent_code else ""
        planned.append(
            PlannedAgency(
                row.number,
                action,
                code,
                row["name"],
                row["kind"],
                parent_code,
                agency,
                parent,
                parent_name,
                depth(code),
            )
        )
    return AgencyPlan(planned)


def import_agencies(rows: list[Row], *, actor=None) -> ImportSummary:
    """Plan the rows (``plan_agency_import``) and write them, parents first, all or nothing."""
    with transaction.atomic(), audit_context(actor, note=_("Nhập danh bạ cơ quan từ tệp")):
        plan = plan_agency_import(rows, actor=actor)
        saved: dict[str, Agency] = {}
        for item in sorted(plan.rows, key=lambda p: (p.depth, p.row)):
            if item.action == Action.UNCHANGED and item.agency is not None:
                saved[item.code] = item.agency
                continue
            agency = item.agency or Agency(code=item.code)
            agency.name, agency.kind = item.name, item.kind
            agency.parent = saved.get(item.parent_code) or item.parent if item.parent_code else None
            agency.save()
            saved[item.code] = agency
    return plan.done()


AGENCY_IMPORT = TableImport("agencies", AGENCY_TABLE, plan_agency_import, import_agencies)
