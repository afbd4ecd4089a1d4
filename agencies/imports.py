"""The directory's part of every spreadsheet import: finding the agencies a file names by their
code, and the actor's reach over them (phạm vi quản lý).

Every planner (directory, accounts, people, PAR Index, staff ratings, awards register) loads the
agencies of its rows through one ``AgencyResolver`` and asks it for each row's agency: a missing
code, an unknown code and an agency outside the actor's reach become the row's errors, in the same
words whatever the import. Reach is ``agencies.rules.in_reach`` (home affairs of the agency or of
a body above it; the administrator reaches every agency); ``actor=None`` is the system (a command
run without ``--user``) and reaches everything. An agency out of reach is named by the code the
file gave, never by its name: another province's directory is not read through an import.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from common.importing import chunks

from .models import Agency
from .rules import in_reach


def valid_code(code: str) -> bool:
    """A code (of an agency or a person) that fits one path segment of an address
    (``<agency:code>``): the official format ``000.00.31.H29`` and codes with ``=`` are fine; "/",
    "\\", spaces, control characters and codes of dots only ("." and ".." are rewritten by
    browsers) are not."""
    return (
        0 < len(code) <= 40
        and not any(ch in code for ch in "/\\")
        and not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in code)
        and code.strip(".") != ""
    )


# --- the sentences of a refused row ------------------------------------------------------------------


def out_of_reach(code: str) -> str:
    return _("Mã cơ quan “%(code)s” không thuộc phạm vi quản lý của anh/chị.") % {"code": code}


def parent_out_of_reach(code: str) -> str:
    return _("Mã cơ quan cấp trên “%(code)s” không thuộc phạm vi quản lý của anh/chị.") % {"code": code}


def top_level_out_of_reach(code: str) -> str:
    return _(
        "Cơ quan mã “%(code)s” không có cơ quan cấp trên (cột parent_code) nên sẽ nằm ngoài phạm vi "
        "quản lý của anh/chị."
    ) % {"code": code}


def person_out_of_reach(code: str) -> str:
    return _("Cá nhân mã “%(code)s” đang thuộc một cơ quan ngoài phạm vi quản lý của anh/chị.") % {
        "code": code
    }


def not_found(code: str) -> str:
    return _("không tìm thấy cơ quan có mã “%(code)s”.") % {"code": code[:60]}


# --- the resolver ----------------------------------------------------------------------------------


class AgencyResolver:
    """The agencies named by a file's rows (loaded at once, in chunks) and the actor's reach over
    them (asked once per agency)."""

    def __init__(self, actor, codes: Iterable[str]):
        self.actor = actor
        self.by_code: dict[str, Agency] = {}
        for chunk in chunks({c for c in codes if c}):
            self.by_code.update({a.code: a for a in Agency.objects.filter(code__in=chunk)})
        self._reach: dict[int, bool] = {}

    def get(self, code: str) -> Agency | None:
        """The agency of ``code`` if the directory has it (whether or not the actor reaches it)."""
        return self.by_code.get(code)

    def reaches(self, agency: Agency) -> bool:
        if self.actor is None:
            return True
        if agency.pk not in self._reach:
            self._reach[agency.pk] = in_reach(self.actor, agency)
        return self._reach[agency.pk]

    def agency(self, code: str, problems: list[str], *, active: bool = False) -> Agency | None:
        """The agency of one row's ``code``, or None with the row's problem added to ``problems``:
        no code, no such agency, an agency outside the actor's reach, or (with ``active``) one
        that was dissolved."""
        if not code:
            problems.append(_("thiếu mã cơ quan."))
            return None
        agency = self.by_code.get(code)
        if agency is None:
            problems.append(not_found(code))
            return None
        if not self.reaches(agency):
            problems.append(out_of_reach(code))
            return None
        if active and agency.is_dissolved:
            problems.append(_("%(name)s (mã “%(code)s”) đã giải thể.") % {"code": code, "name": agency.name})
            return None
        return agency


def resolve_agencies(actor, rows, column: str = "agency_code") -> AgencyResolver:
    """The resolver of the agencies the rows name in ``column``."""
    return AgencyResolver(actor, (row[column] for row in rows))
