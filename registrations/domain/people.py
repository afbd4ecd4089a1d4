"""The people an agency registers with its registration (đăng ký thi đua cá nhân): one by one, or
from a file of their codes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import Person
from common.audit import audit_context
from common.tabular import Column, ImportErrors, Row, RowError, TableSpec

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


PEOPLE_TABLE = TableSpec(
    slug="mau-nhap-ca-nhan-dang-ky",
    title=gettext_noop("Mẫu nhập danh sách cá nhân đăng ký thi đua"),
    columns=(
        Column(
            "code",
            gettext_noop("Mã cá nhân"),
            example="p00012",
            note=gettext_noop("Mã của cán bộ, công chức trong danh bạ của cơ quan."),
        ),
        Column(
            "full_name",
            gettext_noop("Họ và tên"),
            required=False,
            example="Nguyễn Thị Lan",
            note=gettext_noop("Để đối chiếu khi điền; cổng dùng họ tên trong danh bạ."),
            width=28,
        ),
        Column(
            "aimed_title",
            gettext_noop("Danh hiệu, hình thức đăng ký"),
            required=False,
            example="Chiến sĩ thi đua cơ sở",
            width=30,
        ),
        Column(
            "commitment",
            gettext_noop("Cam kết"),
            required=False,
            example="Hoàn thành xuất sắc nhiệm vụ được giao",
            width=40,
        ),
    ),
)


@transaction.atomic
def import_individuals(registration: Registration, rows: list[Row], *, actor) -> int:
    """Add the people listed by their code (all or nothing; errors name the row)."""
    require_editable(registration, actor=actor)
    people = {p.code: p for p in Person.objects.filter(agency=registration.agency)}
    taken = set(
        IndividualRegistration.objects.filter(round=registration.round).values_list("person_id", flat=True)
    )
    errors: list[RowError] = []
    new = []
    seen = set()
    allowed = allowed_person_kinds(registration.campaign)
    for row in rows:
        person = people.get(row["code"])
        kind_error = person_kind_error(person, allowed) if person else None
        if kind_error:
            errors.append(RowError(row.number, kind_error))
        elif person is None:
            errors.append(
                RowError(
                    row.number, _("không có cá nhân mã “%(code)s” trong cơ quan.") % {"code": row["code"]}
                )
            )
        elif person.pk in taken or person.pk in seen:
            errors.append(RowError(row.number, _("%(name)s đã được đăng ký.") % {"name": person.full_name}))
        else:
            seen.add(person.pk)
            new.append(
                IndividualRegistration(
                    registration=registration,
                    round=registration.round,
                    person=person,
                    aimed_title=row["aimed_title"],
                    commitment=row["commitment"],
                )
            )
    if errors:
        raise ImportErrors(errors)
    with audit_context(actor):
        for item in new:
            item.save()
    return len(new)
