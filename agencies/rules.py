"""Permissions (django-rules predicates), declared once per model, and the access helpers every
view starts with.

A user sees an object of another agency as 404, never 403: ``get_for_user_or_404`` and, for the
directory's own objects, ``get_agency_for_user``, ``get_person_for_user`` and
``get_account_for_user``. Roles are per agency; home affairs, council and leadership roles reach
the sub-tree of the agency they are held in. Services ask the same rules (``has_perm``) with the
actor they are given; ``actor=None`` is the system acting on its own and passes the rules about a
person (reach), never the business rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TypeVar

import rules
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from common.parsing import id_param

from .models import Agency, Membership, Person, Role

# Roles whose reach covers the agency's sub-tree; staff and head act for their own agency only.
TREE_ROLES = {Role.HOME_AFFAIRS, Role.COUNCIL, Role.LEADERSHIP, Role.SYSTEM_ADMIN}


@dataclass(frozen=True)
class Grant:
    agency_id: int
    agency_path: str
    role: str


def grants(user) -> list[Grant]:
    """The user's roles, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_portal_grants", None)
    if cached is None:
        cached = [
            Grant(agency_id, path, role)
            for agency_id, path, role in Membership.objects.filter(user=user).values_list(
                "agency_id", "agency__path", "role"
            )
        ]
        user._portal_grants = cached
    return cached


def forget_grants(user) -> None:
    if hasattr(user, "_portal_grants"):
        del user._portal_grants


def role_set(user) -> set[str]:
    return {g.role for g in grants(user)}


def agency_ids_with_role(user, *roles: str) -> set[int]:
    return {g.agency_id for g in grants(user) if g.role in roles}


def _reaches(grant: Grant, agency: Agency) -> bool:
    if grant.agency_id == agency.pk:
        return True
    return grant.role in TREE_ROLES and agency.path.startswith(grant.agency_path)


def has_role_for(user, agency: Agency | None, *roles: str) -> bool:
    if agency is None:
        return False
    return any(g.role in roles and _reaches(g, agency) for g in grants(user))


#: Roles of an agency that receive what is addressed to the agency (cán bộ phụ trách, thủ trưởng).
AGENCY_RECIPIENT_ROLES = (Role.STAFF, Role.HEAD)


def holders_q(agency: Agency, *roles: str) -> Q:
    """A Q on Membership for the roles held over ``agency``: in the agency itself, or, for the roles
    that reach a sub-tree (home affairs, council, leadership, administrator), in a body above it."""
    prefixes = [agency.path[: i + 1] for i, ch in enumerate(agency.path) if ch == "/"]
    tree = [r for r in roles if r in TREE_ROLES]
    return Q(agency_id=agency.pk, role__in=roles) | Q(role__in=tree, agency__path__in=prefixes)


def holders(agency: Agency, *roles: str) -> QuerySet:
    """Who holds one of ``roles`` over ``agency``: the one answer to that question. Locked accounts
    (``is_active=False``) are never among them: they are not offered, notified or counted."""
    return get_user_model().objects.filter(
        is_active=True, pk__in=Membership.objects.filter(holders_q(agency, *roles)).values("user_id")
    )


def holders_by_agency(agencies: Iterable[Agency], *roles: str) -> dict[int, list[int]]:
    """``holders`` of many agencies in one query, for fan-outs that write one text per agency
    (deadline reminders): agency id -> ids of the active users holding one of ``roles`` over it,
    in id order. Locked accounts are never among them."""
    agencies = list(agencies)
    tree = [r for r in roles if r in TREE_ROLES]
    query = Q(agency_id__in=[a.pk for a in agencies], role__in=roles)
    if tree:
        prefixes = {a.path[: i + 1] for a in agencies for i, ch in enumerate(a.path) if ch == "/"}
        query |= Q(role__in=tree, agency__path__in=prefixes)
    own: dict[int, set[int]] = {}
    above: dict[str, set[int]] = {}
    # The holding agency's path only matters for the roles that reach a sub-tree.
    fields = ("agency_id", "user_id", "role", "agency__path") if tree else ("agency_id", "user_id")
    for agency_id, user_id, *held in Membership.objects.filter(query, user__is_active=True).values_list(
        *fields
    ):
        own.setdefault(agency_id, set()).add(user_id)
        if held and held[0] in tree:
            above.setdefault(held[1], set()).add(user_id)
    found = {}
    for agency in agencies:
        users = set(own.get(agency.pk, ()))
        if tree:
            for i, ch in enumerate(agency.path):
                if ch == "/":
                    users |= above.get(agency.path[: i + 1], set())
        found[agency.pk] = sorted(users)
    return found


def agency_recipient_ids(agency_ids: Iterable[int]) -> list[int]:
    """Active users holding the staff or head role in these agencies (what ``notify`` sends an agency to)."""
    return list(
        Membership.objects.filter(
            agency_id__in=list(agency_ids), role__in=AGENCY_RECIPIENT_ROLES, user__is_active=True
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


def agencies_q(user, *roles: str, prefix: str = "") -> Q:
    """A Q on Agency (or on a model with an ``agency`` FK, via prefix="agency__") for the
    agencies where the user holds one of ``roles``. Matches nothing when there is none."""
    parts = []
    for g in grants(user):
        if g.role not in roles:
            continue
        if g.role in TREE_ROLES:
            parts.append(Q(**{f"{prefix}path__startswith": g.agency_path}))
        else:
            parts.append(Q(**{f"{prefix}pk": g.agency_id}))
    return reduce(or_, parts) if parts else Q(pk__in=[])


# --- predicates --------------------------------------------------------------------------------


@rules.predicate
def is_system(user) -> bool:
    """``actor=None``: no person, the portal itself acts (a command without ``--user``, a Celery task, a
    data migration). It passes every rule about a person (reach, role), never a business rule."""
    return user is None


@rules.predicate
def is_system_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or Role.SYSTEM_ADMIN in role_set(user)


@rules.predicate
def is_home_affairs(user) -> bool:
    return Role.HOME_AFFAIRS in role_set(user)


@rules.predicate
def is_council_member(user) -> bool:
    return Role.COUNCIL in role_set(user)


@rules.predicate
def is_leadership(user) -> bool:
    return Role.LEADERSHIP in role_set(user)


@rules.predicate
def is_member_of(user, agency) -> bool:
    """Staff or head of this very agency."""
    return has_role_for(user, agency, Role.STAFF, Role.HEAD)


@rules.predicate
def is_staff_of(user, agency) -> bool:
    return has_role_for(user, agency, Role.STAFF)


@rules.predicate
def is_head_of(user, agency) -> bool:
    return has_role_for(user, agency, Role.HEAD)


@rules.predicate
def is_home_affairs_for(user, agency) -> bool:
    """Home-affairs officer of this agency or of a body above it."""
    return has_role_for(user, agency, Role.HOME_AFFAIRS)


@rules.predicate
def oversees(user, agency) -> bool:
    """Home affairs, council or leadership over this agency."""
    return has_role_for(user, agency, Role.HOME_AFFAIRS, Role.COUNCIL, Role.LEADERSHIP)


@rules.predicate
def sees_person(user, person) -> bool:
    """Staff or head of the person's agency, or home affairs, council or leadership above it."""
    return person is not None and has_role_for(
        user, person.agency, Role.STAFF, Role.HEAD, Role.HOME_AFFAIRS, Role.COUNCIL, Role.LEADERSHIP
    )


def _account_agencies(account) -> list[Agency]:
    """The agencies of the account's roles (prefetched ``memberships__agency`` is used when there)."""
    cache = getattr(account, "_prefetched_objects_cache", {})
    memberships = account.memberships.all()
    if "memberships" not in cache:
        memberships = memberships.select_related("agency")
    return [m.agency for m in memberships]


@rules.predicate
def sees_account(user, account) -> bool:
    """Home affairs reaching one of the account's roles (an account of another province is not
    found)."""
    return account is not None and any(
        has_role_for(user, agency, Role.HOME_AFFAIRS) for agency in _account_agencies(account)
    )


@rules.predicate
def manages_account(user, account) -> bool:
    """Whether ``user`` may change the account itself (name, lock, invitation): the administrator
    and the system (None) always; home affairs when every role of the account is in their reach,
    never their own account nor the administrator's."""
    if user is None or is_system_admin(user):
        return True
    if account is None or account.is_superuser or account.pk == user.pk:
        return False
    agencies = _account_agencies(account)
    return bool(agencies) and all(has_role_for(user, a, Role.HOME_AFFAIRS) for a in agencies)


# --- permissions, declared once per model ----------------------------------------------------------

# Agency (cơ quan, đơn vị)
rules.add_perm("agencies.view_agency", is_member_of | oversees | is_system_admin)
rules.add_perm("agencies.view_directory", is_home_affairs | is_system_admin)
rules.add_perm("agencies.view_history", is_home_affairs | is_system_admin)
rules.add_perm("agencies.import_agencies", is_home_affairs | is_system_admin)
# Person (cá nhân)
rules.add_perm("agencies.view_person", sees_person | is_system_admin)
rules.add_perm("agencies.import_people", is_home_affairs | is_system_admin)
# Account (tài khoản: Django's user with its roles)
rules.add_perm("agencies.manage_accounts", is_home_affairs | is_system_admin)
rules.add_perm("agencies.view_account", is_system_admin | (is_home_affairs & sees_account))
rules.add_perm("agencies.change_account", manages_account)


def in_reach(actor, agency: Agency | None, *roles: str) -> bool:
    """Whether ``actor`` may act on ``agency`` with one of ``roles`` (home affairs by default):
    the check every service and import row makes where data is written. The administrator reaches
    every agency."""
    if agency is None:
        return False
    return bool(is_system_admin(actor)) or has_role_for(actor, agency, *(roles or (Role.HOME_AFFAIRS,)))


def reach_q(actor, *roles: str, prefix: str = "") -> Q:
    """``in_reach`` as a filter (everything for the administrator)."""
    if is_system_admin(actor):
        return Q()
    return agencies_q(actor, *(roles or (Role.HOME_AFFAIRS,)), prefix=prefix)


def has_perm(user, perm: str, obj=None) -> bool:
    """The portal's permission check: the rule as written, for the superuser too.

    Django's ``User.has_perm`` says yes to an active superuser for every permission, which would
    skip the state and ownership conditions written into the rules (an accepted registration is
    not editable; only the assigned reviewer scores). The rules name ``is_system_admin`` wherever
    the administrator has a power; the Django admin is their tool for anything else."""
    if getattr(user, "is_authenticated", False) and not user.is_active:
        return False
    return rules.has_perm(perm, user, obj)


def require_perm(user, perm: str) -> None:
    """The check of a page that names no object (a list, an import, a template download): 403
    without ``perm``. A page about an object starts with that object's access helper instead."""
    if not has_perm(user, perm):
        raise PermissionDenied


def visible_agencies(user) -> QuerySet[Agency]:
    if is_system_admin(user):
        return Agency.objects.all()
    q = agencies_q(user, Role.STAFF, Role.HEAD, Role.HOME_AFFAIRS, Role.COUNCIL, Role.LEADERSHIP)
    return Agency.objects.filter(q)


M = TypeVar("M", bound=Model)


def get_for_user_or_404(user, perm: str, queryset: QuerySet[M] | type[M], **lookup) -> M:
    """The object matching ``lookup`` if ``user`` has ``perm`` on it; 404 otherwise.

    Missing and forbidden look the same, so one agency cannot probe another's ids.
    """
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        obj = qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not has_perm(user, perm, obj):
        raise Http404
    return obj


def get_agency_for_user(user, code, *, perm: str = "agencies.view_agency") -> Agency:
    """The agency of ``code`` if ``user`` has ``perm`` on it; 404 otherwise."""
    return get_for_user_or_404(user, perm, Agency.objects.select_related("parent"), code=code)


def get_person_for_user(user, pk, *, perm: str = "agencies.view_person") -> Person:
    """The person ``pk`` if ``user`` has ``perm`` on them; 404 otherwise (an odd id too)."""
    person_id = id_param(pk)
    if person_id is None:
        raise Http404
    return get_for_user_or_404(
        user, perm, Person.objects.select_related("agency", "agency__parent"), pk=person_id
    )


def get_account_for_user(user, pk, *, perm: str = "agencies.view_account"):
    """The account ``pk`` if ``user`` has ``perm`` on it; 404 otherwise: an account of another
    province looks the same as one that does not exist."""
    account_id = id_param(pk)
    if account_id is None:
        raise Http404
    return get_for_user_or_404(
        user,
        perm,
        get_user_model().objects.select_related("account_profile").prefetch_related("memberships__agency"),
        pk=account_id,
    )
