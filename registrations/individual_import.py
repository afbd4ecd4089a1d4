"""The import of a registration's individuals (danh sách cá nhân đăng ký thi đua) from a file: the
people of the registration's agency, named by their code, through the one import pipeline
(``common.importing``; preview, then confirm). All or nothing; errors name the row."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import Person
from common.audit import audit_context
from common.importing import Action, ImportPlan, ImportSummary, PlannedRow, TableImport
from common.tabular import Column, ImportErrors, Row, RowError, TableSpec

from .domain.registration import require_editable
from .models import IndividualRegistration, Registration
from .queries.targets import allowed_person_kinds, person_kind_error

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


@dataclass
class PlannedIndividual(PlannedRow):
    row: int
    action: str
    person: Person
    aimed_title: str
    commitment: str

    def describe(self) -> str:
        return self.aimed_title


class IndividualsPlan(ImportPlan[PlannedIndividual]):
    preview_text = gettext_noop("Sẽ thêm %(created)s cá nhân vào đăng ký.")
    done_text = gettext_noop("Đã thêm %(created)s cá nhân từ tệp.")


def plan_individuals(rows: list[Row], *, actor, registration: Registration) -> IndividualsPlan:
    """Check every row (a person of the registration's agency, of a kind the plan admits, not yet
    registered in the round) and say who would be added; writes nothing."""
    require_editable(registration, actor=actor)
    people = {p.code: p for p in Person.objects.filter(agency=registration.agency).select_related("agency")}
    taken = set(
        IndividualRegistration.objects.filter(round=registration.round).values_list("person_id", flat=True)
    )
    errors: list[RowError] = []
    planned: list[PlannedIndividual] = []
    seen: set[int] = set()
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
            planned.append(
                PlannedIndividual(row.number, Action.CREATE, person, row["aimed_title"], row["commitment"])
            )
    if errors:
        raise ImportErrors(errors)
    return IndividualsPlan(planned)


def import_individuals(rows: list[Row], *, actor, registration: Registration) -> ImportSummary:
    """Plan the rows again and add the people, all or nothing (one audit entry each)."""
    with transaction.atomic(), audit_context(actor):
        plan = plan_individuals(rows, actor=actor, registration=registration)
        for p in plan.rows:
            IndividualRegistration.objects.create(
                registration=registration,
                round=registration.round,
                person=p.person,
                aimed_title=p.aimed_title,
                commitment=p.commitment,
            )
    return plan.done()


INDIVIDUALS_IMPORT = TableImport("individuals", PEOPLE_TABLE, plan_individuals, import_individuals)
