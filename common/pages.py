"""Sections that apps to the right add to the directory's pages (the agency's page, the person's
page), without the directory importing them: ``awards`` adds the awards register this way.

A section is a function ``(request, obj) -> str`` (rendered HTML, or "" to show nothing) registered
in the adding app's ``ready()``; the page renders every section in the order they were added.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

AGENCY_PAGE = "agency"
PERSON_PAGE = "person"

Section = Callable[[HttpRequest, Any], str]

_sections: dict[str, list[Section]] = {AGENCY_PAGE: [], PERSON_PAGE: []}


def add_section(page: str, section: Section) -> None:
    if section not in _sections[page]:
        _sections[page].append(section)


def render_sections(page: str, request: HttpRequest, obj: Any) -> SafeString:
    return mark_safe("".join(section(request, obj) for section in _sections[page]))  # noqa: S308
