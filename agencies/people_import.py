"""The people import (nhập danh sách cán bộ, công chức, viên chức): people per agency and their
history of positions (quá trình công tác).

The import is all-or-nothing and checks everything before it writes: each row's values, the
actor's reach (the agency of the row, and the agency a moving person leaves), and the rule of one
head per agency over the whole file together with the database. A person code is one person in
the whole directory: the same code under another agency is a move, which closes the person's
current period and opens the next one (the history is kept; registrations and results keep
pointing at the person and the agency they named). Re-importing the same file changes nothing.

The writes are bulk (a province's 20,000 people in a few dozen queries) with one audit entry per
person changed (``auditlog`` entries written in bulk, as ``common.audit.record`` does one by one).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from common.audit import audit_context, record_many
from common.display import day as display_day
from common.importing import (
    Action,
    ImportPlan,
    PlannedRow,
    TableImport,
    choice_from_text,
    chunks,
    flag_from_text,
)
from common.parsing import ParseError, parse_date, parse_int
from common.tabular import AGENCY_CODE_NOTE, Column, ImportErrors, Row, RowError, TableSpec

from .imports import person_out_of_reach, resolve_agencies, valid_code
from .models import Agency, Gender, Person, PersonKind, PersonPosition

BOOL_NOTE = gettext_noop("“x”, “Có” hoặc “1” là có; để trống, “Không” hoặc “0” là không.")

PEOPLE_TABLE = TableSpec(
    slug="mau-nhap-ca-nhan",
    title=gettext_noop("Mẫu nhập danh sách cá nhân (cán bộ, công chức, viên chức)"),
    columns=(
        Column("agency_code", gettext_noop("Mã cơ quan"), example="p-binhtan", note=AGENCY_CODE_NOTE),
        Column(
            "person_code",
            gettext_noop("Mã cá nhân"),
            example="pbt-06",
            note=gettext_noop(
                "Mã duy nhất của người trong toàn bộ danh bạ (ví dụ mã hồ sơ cán bộ), tối đa 40 ký tự, "
                "không có dấu cách. Mã đã có ở cơ quan khác nghĩa là người đó chuyển công tác sang cơ quan "
                "của dòng này."
            ),
        ),
        Column("full_name", gettext_noop("Họ và tên"), example="Nguyễn Thị Lan", width=28),
        Column(
            "gender",
            gettext_noop("Giới tính"),
            required=False,
            example="Nữ",
            note=gettext_noop("Nam hoặc Nữ."),
        ),
        Column("birth_year", gettext_noop("Năm sinh"), required=False, example="1985"),
        Column(
            "position", gettext_noop("Chức vụ"), required=False, example="Phó Chủ tịch UBND phường", width=30
        ),
        Column("is_head", gettext_noop("Người đứng đầu"), required=False, example="", note=BOOL_NOTE),
        Column(
            "is_reform_deputy",
            gettext_noop("Cấp phó phụ trách CCHC"),
            required=False,
            example="x",
            note=BOOL_NOTE,
        ),
        Column(
            "started_on",
            gettext_noop("Ngày bắt đầu"),
            required=False,
            example="01/07/2025",
            note=gettext_noop(
                "Ngày bắt đầu giữ chức vụ ở cơ quan này (dd/mm/yyyy). Bắt buộc khi người đã có trong danh bạ "
                "chuyển cơ quan hoặc đổi chức vụ: quá trình công tác trước đó kết thúc vào ngày hôm trước."
            ),
        ),
        Column(
            "kind",
            gettext_noop("Đối tượng"),
            required=False,
            example="Công chức",
            note=gettext_noop("Cán bộ, Công chức, Viên chức, Người lao động, ... (mặc định: Công chức)."),
        ),
    ),
)


def _gender(text: str) -> str | None:
    return choice_from_text(Gender.choices, text) or {
        "nu": Gender.FEMALE,
        "f": Gender.FEMALE,
        "m": Gender.MALE,
    }.get(text.strip().casefold())


# --- the plan of an import -------------------------------------------------------------------------


PERSON_FIELDS = [
    "agency",
    "full_name",
    "gender",
    "birth_year",
    "position",
    "is_head",
    "is_reform_deputy",
    "kind",
]


@dataclass
class PlannedPerson(PlannedRow):
    """What one row of the file will do."""

    row: int
    code: str
    full_name: str
    agency: Agency
    action: str
    values: dict
    person: Person | None = None
    old_agency: Agency | None = None
    new_period: bool = False  # close the current period and open one from ``started_on``
    started_on: dt.date | None = None
    correct_start: bool = False  # the current period's start date is corrected
    changes: dict = field(default_factory=dict)  # field -> (before, after), for the audit and the preview

    @property
    def shown_name(self) -> str:
        return self.full_name

    @property
    def known(self) -> Person:
        """The row's person, once it is written (a new person after its insert)."""
        if self.person is None:
            raise LookupError(f"row {self.row}: the person is not written yet")
        return self.person

    def describe(self) -> str:
        """A short Vietnamese description of the change, for the preview."""
        parts = []
        if self.action == Action.MOVE and self.old_agency is not None:
            parts.append(_("từ %(old)s") % {"old": self.old_agency.name})
        labels = {f.name: str(f.verbose_name) for f in Person._meta.fields}
        for name, (before, after) in self.changes.items():
            if name == "agency":
                continue
            parts.append(
                f"{labels.get(name, name)}: {_shown_value(name, before)} → {_shown_value(name, after)}"
            )
        if self.correct_start:
            parts.append(_("ngày bắt đầu: %(d)s") % {"d": display_day(self.started_on)})
        return "; ".join(parts)


def _shown_value(name: str, value) -> str:
    if value in (None, ""):
        return "–"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if name == "gender":
        return str(dict(Gender.choices).get(value, value))
    if name == "kind":
        return str(dict(PersonKind.choices).get(value, value))
    return str(value)


class PeoplePlan(ImportPlan[PlannedPerson]):
    preview_text = done_text = gettext_noop(
        "Thêm %(created)s, chuyển công tác %(moved)s, cập nhật %(updated)s, giữ nguyên %(unchanged)s cá nhân."
    )


def _overlaps_previous(previous_end: dt.date | None, started_on: dt.date) -> str:
    """The row error when a period would start before the person's previous one ended ("" if not)."""
    if previous_end and started_on <= previous_end:
        return _("ngày bắt đầu phải sau ngày kết thúc quá trình công tác trước (%(d)s).") % {
            "d": display_day(previous_end)
        }
    return ""


def plan_people_import(rows: list[Row], *, actor=None, today: dt.date | None = None) -> PeoplePlan:
    """Check every row and say what it will do; writes nothing. Raises ``ImportErrors`` with the
    row numbers of every bad row.

    ``actor`` (None: the system, a command run without ``--user``) must reach, as home affairs or
    the administrator, the agency of every row and the agency a moving person leaves."""
    today = today or timezone.localdate()
    errors: list[RowError] = []
    columns = set().union(*(r.values.keys() for r in rows)) if rows else set()
    directory = resolve_agencies(actor, rows)
    people: dict[str, Person] = {}
    for chunk in chunks({r["person_code"] for r in rows if r["person_code"]}):
        people.update({p.code: p for p in Person.objects.select_related("agency").filter(code__in=chunk)})
    person_ids = [p.pk for p in people.values()]
    current: dict[int, PersonPosition] = {}
    last_end: dict[int, dt.date] = {}
    for chunk in chunks(person_ids):
        for pos in PersonPosition.objects.filter(person_id__in=chunk, ended_on__isnull=True):
            current[pos.person_id] = pos
        for pid, end in (
            PersonPosition.objects.filter(person_id__in=chunk, ended_on__isnull=False)
            .values("person_id")
            .annotate(end=Max("ended_on"))
            .values_list("person_id", "end")
        ):
            last_end[pid] = end
    seen: dict[str, int] = {}
    planned: list[PlannedPerson] = []
    for row in rows:
        n = row.number
        row_errors: list[str] = []
        agency_code, code, name = row["agency_code"], row["person_code"], row["full_name"]
        agency = directory.agency(agency_code, row_errors)
        if not code:
            row_errors.append(_("thiếu mã cá nhân."))
        elif not valid_code(code):
            row_errors.append(
                _("mã cá nhân “%(code)s” không hợp lệ (tối đa 40 ký tự, không có dấu cách, “/” hay “\\”).")
                % {"code": code[:60]}
            )
        elif code in seen:
            row_errors.append(
                _("mã cá nhân “%(code)s” trùng với dòng %(other)s.") % {"code": code, "other": seen[code]}
            )
        else:
            seen[code] = n
        if not name:
            row_errors.append(_("thiếu họ và tên."))
        elif len(name) > 120:
            row_errors.append(_("họ và tên dài quá 120 ký tự."))
        values: dict = {"full_name": name}
        if "gender" in columns and row["gender"]:
            gender = _gender(row["gender"])
            if gender is None:
                row_errors.append(
                    _("giới tính “%(v)s” không hợp lệ (Nam hoặc Nữ).") % {"v": row["gender"][:40]}
                )
            values["gender"] = gender
        if "birth_year" in columns and row["birth_year"]:
            try:
                values["birth_year"] = parse_int(row["birth_year"], minimum=1900, maximum=today.year)
            except ParseError as exc:
                row_errors.append(_("năm sinh: %(e)s") % {"e": exc.message})
        if "position" in columns and row["position"]:
            if len(row["position"]) > 160:
                row_errors.append(_("chức vụ dài quá 160 ký tự."))
            values["position"] = row["position"]
        if "kind" in columns and row["kind"]:
            kind = choice_from_text(PersonKind.choices, row["kind"])
            if kind is None:
                row_errors.append(
                    _("đối tượng “%(v)s” không hợp lệ; dùng một trong: %(kinds)s.")
                    % {
                        "v": row["kind"][:40],
                        "kinds": ", ".join(str(label) for _v, label in PersonKind.choices),
                    }
                )
            values["kind"] = kind
        for key, label in (
            ("is_head", _("người đứng đầu")),
            ("is_reform_deputy", _("cấp phó phụ trách CCHC")),
        ):
            if key in columns:
                flag = flag_from_text(row[key])
                if flag is None:
                    row_errors.append(
                        _("cột %(col)s: “%(v)s” không hợp lệ (x/Có hoặc để trống).")
                        % {"col": label, "v": row[key][:40]}
                    )
                values[key] = bool(flag)
        started_on = None
        if "started_on" in columns and row["started_on"]:
            try:
                started_on = parse_date(row["started_on"])
            except ParseError as exc:
                row_errors.append(_("ngày bắt đầu: %(e)s") % {"e": exc.message})
            else:
                if started_on > today:
                    row_errors.append(_("ngày bắt đầu không được sau hôm nay."))
        errors.extend(RowError(n, e) for e in row_errors)
        if row_errors or agency is None:
            continue

        person = people.get(code)
        if person is None:
            final = {
                "agency": agency, "full_name": name, "gender": values.get("gender", ""),
                "birth_year": values.get("birth_year"), "position": values.get("position", ""),
                "is_head": values.get("is_head", False),
                "is_reform_deputy": values.get("is_reform_deputy", False),
                "kind": values.get("kind", PersonKind.CIVIL_SERVANT),
            }  # fmt: skip
            if final["is_head"] and final["is_reform_deputy"]:
                errors.append(
                    RowError(n, _("một người không thể vừa là người đứng đầu vừa là cấp phó phụ trách CCHC."))
                )
                continue
            planned.append(
                PlannedPerson(
                    n, code, name, agency, Action.CREATE, final, new_period=True, started_on=started_on
                )
            )
            continue

        moving = person.agency_id != agency.pk
        if moving and not directory.reaches(person.agency):
            errors.append(RowError(n, person_out_of_reach(code)))
            continue
        final = {
            "agency": agency,
            "full_name": name,
            "gender": values.get("gender", person.gender),
            "birth_year": values.get("birth_year", person.birth_year),
            "position": values.get("position", person.position),
            # A flag missing from the file is kept where the person stays, and dropped with a move.
            "is_head": values.get("is_head", person.is_head and not moving),
            "is_reform_deputy": values.get("is_reform_deputy", person.is_reform_deputy and not moving),
            "kind": values.get("kind", person.kind),
        }
        if final["is_head"] and final["is_reform_deputy"]:
            errors.append(
                RowError(n, _("một người không thể vừa là người đứng đầu vừa là cấp phó phụ trách CCHC."))
            )
            continue
        changes = {}
        for name_ in PERSON_FIELDS:
            before = getattr(person, name_)
            after = final[name_]
            if name_ == "agency":
                if moving:
                    changes["agency"] = (person.agency, agency)
            elif before != after:
                changes[name_] = (before, after)
        period_keys = ("agency", "position", "is_head", "is_reform_deputy")
        open_pos = current.get(person.pk)
        new_period = any(k in changes for k in period_keys)
        correct_start = False
        if new_period and open_pos is not None:
            if started_on is None:
                errors.append(
                    RowError(
                        n,
                        _("cần ngày bắt đầu (cột Ngày bắt đầu) vì %(name)s chuyển cơ quan hoặc đổi chức vụ.")
                        % {"name": person.full_name},
                    )
                )
                continue
            if open_pos.started_on and started_on <= open_pos.started_on:
                errors.append(
                    RowError(
                        n,
                        _("ngày bắt đầu phải sau ngày bắt đầu của chức vụ hiện tại (%(d)s).")
                        % {"d": display_day(open_pos.started_on)},
                    )
                )
                continue
        elif open_pos is None:
            new_period = True  # a person added outside the import gets their current period
        elif started_on is not None and started_on != open_pos.started_on:
            overlap = _overlaps_previous(last_end.get(person.pk), started_on)
            if overlap:
                errors.append(RowError(n, overlap))
                continue
            correct_start = True
        if new_period and open_pos is None and started_on is not None:
            overlap = _overlaps_previous(last_end.get(person.pk), started_on)
            if overlap:
                errors.append(RowError(n, overlap))
                continue
        if moving:
            action = Action.MOVE
        elif changes or new_period or correct_start:
            action = Action.UPDATE
        else:
            action = Action.UNCHANGED
        planned.append(
            PlannedPerson(
                n,
                code,
                name,
                agency,
                action,
                final,
                person=person,
                old_agency=person.agency if moving else None,
                new_period=new_period,
                started_on=started_on,
                correct_start=correct_start,
                changes=changes,
            )  # fmt: skip
        )

    errors.extend(_head_errors(planned, people))
    if errors:
        raise ImportErrors(errors)
    return PeoplePlan(planned)


def _head_errors(planned: list[PlannedPerson], people: dict[str, Person]) -> list[RowError]:
    """One head per agency (người đứng đầu), over the file and the database together: the heads the
    file names, and the heads in the database the file does not name (those the file names take the
    file's values, including a head who moves away)."""
    errors: list[RowError] = []
    heads_in_file: dict[int, list[PlannedPerson]] = defaultdict(list)
    for p in planned:
        if p.values["is_head"]:
            heads_in_file[p.agency.pk].append(p)
    if not heads_in_file:
        return errors
    in_file = set(people) & {p.code for p in planned}
    db_heads: dict[int, Person] = {}
    for chunk in chunks(heads_in_file):
        for person in Person.objects.filter(agency_id__in=chunk, is_head=True):
            if person.code not in in_file:
                db_heads[person.agency_id] = person
    for agency_id, rows in heads_in_file.items():
        first = rows[0]
        for other in rows[1:]:
            errors.append(
                RowError(
                    other.row,
                    _(
                        "%(agency)s có hai người đứng đầu trong tệp: dòng %(first)s và dòng %(row)s; "
                        "mỗi cơ quan chỉ có một người đứng đầu."
                    )
                    % {"agency": other.agency.name, "first": first.row, "row": other.row},
                )
            )
        head = db_heads.get(agency_id)
        if head is not None:
            errors.append(
                RowError(
                    first.row,
                    _(
                        "%(agency)s đã có người đứng đầu là %(name)s (mã %(code)s); mỗi cơ quan chỉ có "
                        "một người đứng đầu. Thêm dòng của %(name)s với cột Người đứng đầu để trống nếu "
                        "người đó thôi giữ chức."
                    )
                    % {"agency": first.agency.name, "name": head.full_name, "code": head.code},
                )
            )
    return errors


# --- writing ---------------------------------------------------------------------------------------


def import_people(rows: list[Row], *, actor=None, today: dt.date | None = None) -> PeoplePlan:
    """Check (``plan_people_import``) and write, all or nothing; returns what was done."""
    today = today or timezone.localdate()
    with transaction.atomic(), audit_context(actor, note=_("Nhập danh sách cá nhân từ tệp")):
        plan = plan_people_import(rows, actor=actor, today=today)
        _apply(plan, actor)
    return plan


def _apply(plan: PeoplePlan, actor) -> None:
    changed = [p for p in plan.rows if p.action in (Action.MOVE, Action.UPDATE)]
    # Heads stepping down (or moving away) first: one head per agency holds at every statement.
    stepping_down = [
        p.known.pk for p in changed if p.known.is_head and ("is_head" in p.changes or p.old_agency)
    ]
    for chunk in chunks(stepping_down):
        Person.objects.filter(pk__in=chunk).update(is_head=False)

    to_update = []
    for p in changed:
        if p.changes:
            for name in PERSON_FIELDS:
                setattr(p.known, name, p.values[name])
            to_update.append(p.known)
    Person.objects.bulk_update(to_update, PERSON_FIELDS, batch_size=500)

    created = [p for p in plan.rows if p.action == Action.CREATE]
    new_people = [Person(code=p.code, **p.values) for p in created]
    Person.objects.bulk_create(new_people, batch_size=500)
    for p, person in zip(created, new_people, strict=True):
        p.person = person

    # Close the current periods of those who move or change position, the day before the new one.
    open_rows = {}
    for chunk in chunks([p.known.pk for p in changed if p.new_period or p.correct_start]):
        open_rows.update(
            {
                pos.person_id: pos
                for pos in PersonPosition.objects.filter(person_id__in=chunk, ended_on__isnull=True)
            }
        )
    closed = []
    for p in changed:
        pos, started_on = open_rows.get(p.known.pk), p.started_on
        if p.new_period and started_on is not None and pos is not None:
            pos.ended_on = max(started_on - dt.timedelta(days=1), pos.started_on or dt.date.min)
            closed.append(pos)
    PersonPosition.objects.bulk_update(closed, ["ended_on"], batch_size=500)
    corrected = []
    for p in changed:
        if p.correct_start and p.known.pk in open_rows:
            pos = open_rows[p.known.pk]
            pos.started_on = p.started_on
            corrected.append(pos)
    PersonPosition.objects.bulk_update(corrected, ["started_on"], batch_size=500)
    PersonPosition.objects.bulk_create(
        [
            PersonPosition(
                person=p.person,
                agency=p.agency,
                position=p.values["position"],
                is_head=p.values["is_head"],
                is_reform_deputy=p.values["is_reform_deputy"],
                started_on=p.started_on,
            )  # fmt: skip
            for p in plan.rows
            if p.new_period
        ],
        batch_size=500,
    )
    _audit(created, changed, actor)


def _plain(value):
    return value.pk if isinstance(value, Agency) else value


def _audit(created: list[PlannedPerson], changed: list[PlannedPerson], actor) -> None:
    """One audit entry per person created or changed (the writes are bulk: signals do not see them)."""
    entries = [
        (
            p.person,
            LogEntry.Action.CREATE,
            {"code": (None, p.code)}
            | {
                name: (None, _plain(p.values[name]))
                for name in PERSON_FIELDS
                if p.values[name] not in ("", None)
            },
        )
        for p in created
    ]
    entries += [
        (
            p.person,
            LogEntry.Action.UPDATE,
            {name: (_plain(b), _plain(a)) for name, (b, a) in p.changes.items()},
        )
        for p in changed
        if p.changes
    ]
    record_many(entries, actor=actor, note=_("Nhập danh sách cá nhân từ tệp"))


PEOPLE_IMPORT = TableImport("people", PEOPLE_TABLE, plan_people_import, import_people)
