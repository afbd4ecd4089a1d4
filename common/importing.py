"""The shapes every spreadsheet import shares (the import pipeline; see docs/architecture.md).

An import is a ``TableImport``: its columns (``TableSpec``, read by ``common.tabular.read_table``),
its planner and its writer. The planner, ``plan(rows, *, actor, **options)``, checks every row
and says what each would do without writing anything (an ``ImportPlan``), or raises
``ImportErrors`` with every bad row. The writer, ``write(rows, *, actor, **options)``, plans the
rows again inside its transaction (the database may have changed since the preview) and writes
them, all or nothing; it returns an ``ImportSummary``. The browser page (``common.import_pages``)
and the command (``common.management.table_import``) are the same for every import; what differs
is only the planner and the writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .tabular import TableSpec

#: Ids or codes per ``IN (...)`` list: under SQLite's and PostgreSQL's parameter limits.
CHUNK = 900


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """``items`` in lists of at most ``size`` (for ``filter(x__in=...)`` over a big file)."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def choice_from_text(choices: Iterable[tuple[str, object]], text: str) -> str | None:
    """The value of a choice written in a cell as its code or as its label (the name the pages
    show, e.g. "Thủ trưởng cơ quan" for ``head``); case and surrounding spaces do not matter."""
    wanted = text.strip().casefold()
    for value, label in choices:
        if wanted in (str(value).casefold(), str(label).casefold()):
            return value
    return None


#: How a yes/no cell may be written (a blank cell is "no").
YES_WORDS = frozenset({"x", "có", "co", "c", "1", "true", "yes", "đúng"})
NO_WORDS = frozenset({"", "không", "khong", "k", "0", "false", "no", "sai"})


def flag_from_text(text: str) -> bool | None:
    """A yes/no cell: True, False, or None when it is neither."""
    value = text.strip().casefold()
    if value in YES_WORDS:
        return True
    if value in NO_WORDS:
        return False
    return None


class Action:
    """What one row of a file does."""

    CREATE = "create"
    UPDATE = "update"
    MOVE = "move"  # a person's move to another agency (chuyển công tác)
    UNCHANGED = "unchanged"


ACTION_LABELS = {
    Action.CREATE: gettext_noop("Thêm mới"),
    Action.UPDATE: gettext_noop("Cập nhật"),
    Action.MOVE: gettext_noop("Chuyển công tác"),
    Action.UNCHANGED: gettext_noop("Giữ nguyên"),
}


@dataclass
class ImportSummary:
    """What an import did (or, as a plan, will do): rows created, updated, moved, left unchanged,
    said by ``text`` (a gettext_noop sentence naming ``%(created)s``, ``%(updated)s``,
    ``%(moved)s``, ``%(unchanged)s`` and any of ``extra``'s counts)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0
    text: str = gettext_noop("Đã thêm %(created)s, cập nhật %(updated)s, giữ nguyên %(unchanged)s dòng.")
    extra: dict[str, int] = field(default_factory=dict)
    new_objects: list[Any] = field(default_factory=list, repr=False)  # what was created, for the caller

    def __getattr__(self, name: str) -> int:
        """An extra count by its name (``summary.invited``)."""
        extra = self.__dict__.get("extra") or {}
        if name in extra:
            return int(extra[name])
        raise AttributeError(name)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "moved": self.moved,
            "unchanged": self.unchanged,
            **self.extra,
        }

    def __str__(self) -> str:
        return _(self.text) % self.counts()


class PlannedRow:
    """Base of one row of a plan: ``row`` (its number in the file) and ``action``; the preview
    shows ``action_label``, ``shown_name``, ``shown_agency`` and ``describe()`` (by default the
    row's ``person`` and ``agency``, or the person's agency)."""

    row: int
    action: str

    @property
    def action_label(self) -> str:
        return _(ACTION_LABELS[self.action])

    @property
    def shown_name(self) -> str:
        """The person the row is about, if it is about one."""
        person = getattr(self, "person", None)
        return person.full_name if person is not None else ""

    @property
    def shown_agency(self) -> str:
        """The row's agency, or its person's."""
        agency = getattr(self, "agency", None) or getattr(getattr(self, "person", None), "agency", None)
        return agency.name if agency is not None else ""

    def describe(self) -> str:
        return ""


R = TypeVar("R", bound=PlannedRow)


class ImportPlan(ImportSummary, Generic[R]):
    """What a file will do, row by row; writes nothing. Its counts come from its rows; its
    sentence (``preview_text``) is what the preview page says, ``done_text`` what the writer
    reports (``done()``)."""

    preview_text: ClassVar[str] = gettext_noop(
        "Sẽ thêm %(created)s, cập nhật %(updated)s, giữ nguyên %(unchanged)s dòng."
    )
    done_text: ClassVar[str] = ImportSummary.text

    def __init__(self, rows: list[R]):
        self.rows = rows
        tally = dict.fromkeys(ACTION_LABELS, 0)
        for r in rows:
            tally[r.action] += 1
        super().__init__(
            created=tally[Action.CREATE],
            updated=tally[Action.UPDATE],
            unchanged=tally[Action.UNCHANGED],
            moved=tally[Action.MOVE],
            text=self.preview_text,
        )

    def of(self, action: str) -> list[R]:
        return [r for r in self.rows if r.action == action]

    @property
    def changes(self) -> list[R]:
        """The rows that change something (what the preview lists)."""
        return [r for r in self.rows if r.action != Action.UNCHANGED]

    def summary(self) -> str:
        return str(self)

    def done(self, **extra: Any) -> ImportSummary:
        """The writer's report of this plan, applied; ``extra`` names more counts for ``done_text``."""
        new_objects = extra.pop("new_objects", [])
        return ImportSummary(
            self.created, self.updated, self.unchanged, self.moved, self.done_text, extra, new_objects
        )


@dataclass(frozen=True)
class TableImport:
    """One spreadsheet import: ``kind`` names its staged files, ``spec`` its columns; ``plan`` and
    ``write`` take the rows, ``actor=`` (None: the system) and the import's own options."""

    kind: str
    spec: TableSpec
    plan: Callable[..., ImportPlan[Any]]
    write: Callable[..., ImportSummary]
