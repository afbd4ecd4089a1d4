"""The people an agency registers with its registration (đăng ký thi đua cá nhân), one by one; a file
of their codes goes through the import pipeline (``registrations.individual_import``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Person
from common.audit import audit_context

from ..errors import RegistrationError
from ..models import IndividualRegistration, Registration
from ..queries.targets import allowed_person_kinds, person_kind_error
from .registration import require_editable


@transaction.atomic
def add_individual(
    registration: Registration, person: Person, *, actor, aimed_title: str = "", commitment: str = ""
) -> IndividualRegistration:
    require_editable(registration, actor=actor)
    if person.agency_id != registration.agency_id:
        raise RegistrationError(_("Cá nhân không thuộc cơ quan này."), code="person_agency")
    kind_error = person_kind_error(person, allowed_person_kinds(registration.campaign))
    if kind_error:
        raise RegistrationError(kind_error, code="person_kind")
    taken = IndividualRegistration.objects.filter(round=registration.round, person=person).first()
    if taken:
        raise RegistrationError(
            _("%(name)s đã được đăng ký trong đợt thi đua này.") % {"name": person.full_name},
            code="duplicate",
        )
    with audit_context(actor):
        return IndividualRegistration.objects.create(
            registration=registration,
            round=registration.round,
            person=person,
            aimed_title=aimed_title,
            commitment=commitment,
        )


@transaction.atomic
def remove_individual(registration: Registration, individual: IndividualRegistration, *, actor) -> None:
    require_editable(registration, actor=actor)
    if individual.registration_id != registration.pk:
        raise RegistrationError(_("Không tìm thấy."), code="not_found")
    with audit_context(actor):
        individual.delete()
