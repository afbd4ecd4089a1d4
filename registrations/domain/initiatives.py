"""Sáng kiến, giải pháp, mô hình, cách làm hay registered with an agency's registration."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Person
from common.audit import audit_context

from ..errors import RegistrationError
from ..models import Initiative, Registration
from .evidence import attach_evidence
from .registration import require_editable


@transaction.atomic
def save_initiative(
    registration: Registration,
    data: dict,
    authors: Iterable[Person],
    *,
    actor,
    initiative: Initiative | None = None,
    attachment=None,
) -> Initiative:
    """Create or update an initiative, with its authors and, when given, one more attached file
    (all or nothing: a refused file leaves the initiative as it was).

    ``data``: kind, title, reform_area, problem, description, expected_effect."""
    require_editable(registration, actor=actor)
    if initiative is not None and initiative.registration_id != registration.pk:
        raise RegistrationError(_("Không tìm thấy."), code="not_found")
    authors = list(authors)
    if any(p.agency_id != registration.agency_id for p in authors):
        raise RegistrationError(_("Tác giả phải là cá nhân của cơ quan."), code="author_agency")
    with audit_context(actor):
        if initiative is None:
            initiative = Initiative(registration=registration)
        for name, value in data.items():
            setattr(initiative, name, value)
        initiative.save()
        initiative.authors.set(authors)
    if attachment is not None:
        attach_evidence(registration, attachment, actor=actor, initiative=initiative)
    return initiative


@transaction.atomic
def delete_initiative(registration: Registration, initiative: Initiative, *, actor) -> None:
    """The initiative and its files (removed from storage once the deletion is committed)."""
    require_editable(registration, actor=actor)
    if initiative.registration_id != registration.pk:
        raise RegistrationError(_("Không tìm thấy."), code="not_found")
    names = [(f.file.storage, f.file.name) for f in initiative.attachments.all()]
    with audit_context(actor):
        initiative.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
