"""Permissions on registrations (django-rules). Objects of other agencies give 404 in views."""

from __future__ import annotations

import rules

from agencies.rules import (
    is_home_affairs,
    is_home_affairs_for,
    is_member_of,
    is_staff_of,
    is_system_admin,
    oversees,
)
from campaigns.rules import is_issuer_home_affairs

from .models import EDITABLE_STATES


def _agency(obj):
    return getattr(obj, "agency", None)


@rules.predicate
def is_registration_member(user, registration) -> bool:
    return registration is not None and is_member_of(user, _agency(registration))


@rules.predicate
def is_registration_staff(user, registration) -> bool:
    return registration is not None and is_staff_of(user, _agency(registration))


@rules.predicate
def oversees_registration(user, registration) -> bool:
    return registration is not None and oversees(user, _agency(registration))


@rules.predicate
def is_registration_home_affairs(user, registration) -> bool:
    return registration is not None and is_home_affairs_for(user, _agency(registration))


@rules.predicate
def is_editable(user, registration) -> bool:
    return registration is not None and registration.state in EDITABLE_STATES


rules.add_perm(
    "registrations.view_registration", is_registration_member | oversees_registration | is_system_admin
)
rules.add_perm("registrations.edit_registration", is_registration_staff & is_editable)
rules.add_perm("registrations.review_registration", is_registration_home_affairs | is_system_admin)
rules.add_perm("registrations.view_campaign_registrations", is_home_affairs | is_system_admin)
# Every registration of a plan (lists, bulk actions, progress, exports): home affairs of the issuer.
rules.add_perm("registrations.review_campaign", is_issuer_home_affairs | is_system_admin)
