"""The home page's work list: what is waiting for the signed-in user (to send, to confirm, to review,
to score, to vote, to approve, reports due), with counts, deadlines and the page where it is done.

The directory app cannot import the apps to its right (campaigns <- registrations <- scoring <- awards),
so each of them registers a provider here in its ``AppConfig.ready``; a provider takes the user and
returns ``WorkItem`` objects (an empty list when the user has no such work).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Provider = Callable[[object], list["WorkItem"]]

_providers: list[tuple[int, Provider]] = []


@dataclass(frozen=True)
class WorkItem:
    """One line of the work list: ``count`` things of one kind, the nearest deadline, where to go."""

    title: str  # "Đăng ký chờ thủ trưởng xác nhận"
    count: int
    url: str
    detail: str = ""  # the plan or agency concerned
    deadline: dt.datetime | dt.date | None = None
    overdue: bool = False


def register(provider: Provider, order: int = 100) -> Provider:
    """Adds a provider (idempotent: ``ready()`` may run twice in tests)."""
    if all(p is not provider for _, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda entry: entry[0])
    return provider


def work_for(user: Any) -> list[WorkItem]:
    items: list[WorkItem] = []
    for _order, provider in _providers:
        items.extend(item for item in provider(user) if item.count)
    return items
