"""Reading the directory: the accounts a user may see and an account's history, searching people,
a person's history of positions (quá trình công tác). Plain reads, no writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from common.audit import history_for

from .models import Membership, Person
from .rules import is_system_admin, reach_q

User = get_user_model()


def visible_accounts(actor) -> QuerySet:
    """Accounts holding a role in an agency the actor reaches (every account for the administrator)."""
    if is_system_admin(actor):
        return User.objects.all()
    return User.objects.filter(
        pk__in=Membership.objects.filter(reach_q(actor, prefix="agency__")).values("user_id")
    )


def account_history(account) -> QuerySet[LogEntry]:
    """The account's own entries (name, status) and those of its roles, including removed ones
    (a membership's entry names the account's login in its text), newest first."""
    membership_type = ContentType.objects.get_for_model(Membership)
    entries = LogEntry.objects.filter(
        Q(pk__in=history_for(account).values("pk"))
        | Q(content_type=membership_type, object_repr__startswith=f"{account.get_username()} – ")
    )
    return entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def search_people(queryset: QuerySet[Person], query: str) -> QuerySet[Person]:
    if not query:
        return queryset
    return queryset.filter(
        Q(full_name__icontains=query) | Q(code__iexact=query) | Q(position__icontains=query)
    )


@dataclass(frozen=True)
class Period:
    """One line of the quá trình công tác, for the person's page and the achievement reports."""

    agency_name: str
    agency_code: str
    position: str
    is_head: bool
    is_reform_deputy: bool
    started_on: dt.date | None
    ended_on: dt.date | None

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


def person_history(person: Person) -> list[Period]:
    """The person's periods, newest first; a person added outside the import (no period recorded)
    shows their current position. One query."""
    periods = [
        Period(
            p.agency.name, p.agency.code, p.position, p.is_head, p.is_reform_deputy, p.started_on, p.ended_on
        )
        for p in person.positions.select_related("agency").order_by("-pk")
    ]
    # The current period first, then by end date, newest first (NULLs sort differently per database).
    periods.sort(key=lambda p: (p.ended_on is not None, -(p.ended_on or dt.date.max).toordinal()))
    if not any(p.is_current for p in periods):
        periods.insert(
            0,
            Period(
                person.agency.name,
                person.agency.code,
                person.position,
                person.is_head,
                person.is_reform_deputy,
                None,
                None,
            ),  # fmt: skip
        )
    return periods
