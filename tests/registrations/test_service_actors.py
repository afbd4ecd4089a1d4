"""Services take the actor keyword-only and check it with the rules the pages ask.

An actor without reach is refused, the superuser included (the administrator does not write for an
agency: Django's "a superuser may do everything" is not asked), and nothing is written.
``actor=None`` is the portal acting on its own: no rule about a person, every rule about the record.
"""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import AgencyKind, Role
from common.errors import PortalError
from registrations.domain.deadlines import grant_extension
from registrations.domain.evidence import attach_evidence, attach_to_criterion, delete_evidence
from registrations.domain.final_report import report_for, save_report, set_report_state
from registrations.domain.initiatives import delete_initiative, save_initiative
from registrations.domain.people import add_individual, remove_individual
from registrations.domain.registration import save_draft, set_registration_state, start_registration
from registrations.errors import RegistrationError
from registrations.individual_import import import_individuals
from registrations.models import (
    DeadlineExtension,
    EvidenceFile,
    IndividualRegistration,
    Initiative,
    Registration,
    ReportState,
)
from registrations.models import RegistrationState as S
from tests.factories import AgencyFactory, RegistrationFactory, UserFactory, user_with_role

from .conftest import PDF_BYTES


def _pdf():
    return SimpleUploadedFile("minh-chung.pdf", PDF_BYTES)


@pytest.fixture
def draft(world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    save_draft(registration, actor=world.staff, pledge="Hoàn thành 100% nhiệm vụ")
    initiative = save_initiative(registration, {"title": "Một cửa số"}, [], actor=world.staff)
    individual = add_individual(registration, world.people[0], actor=world.staff)
    evidence = attach_evidence(registration, _pdf(), actor=world.staff, initiative=initiative)
    return {
        "registration": registration,
        "initiative": initiative,
        "individual": individual,
        "evidence": evidence,
    }


@pytest.fixture
def report(world):
    accepted = RegistrationFactory(
        round=world.round, agency=world.ward, state=S.ACCEPTED, target_group=world.group
    )
    return report_for(accepted)


@pytest.fixture
def superuser(db):
    return UserFactory(username="quan-tri", is_superuser=True, is_staff=True)


@pytest.fixture
def outsider(db):
    """Staff of a ward of a second province."""
    province = AgencyFactory(code="tinh-khac", kind=AgencyKind.PROVINCE_PC)
    ward = AgencyFactory(code="xa-khac", parent=province, kind=AgencyKind.COMMUNE_PC)
    return user_with_role(Role.STAFF, ward, username="canbo-khac")


def _writes(world, draft):
    """The agency's acts on its draft registration, each as a function of the actor."""
    registration = draft["registration"]
    return {
        "start": lambda actor: start_registration(world.round, world.other_ward, actor=actor),
        "save_draft": lambda actor: save_draft(registration, actor=actor, pledge="đổi"),
        "add_individual": lambda actor: add_individual(registration, world.people[1], actor=actor),
        "import_individuals": lambda actor: import_individuals([], actor=actor, registration=registration),
        "remove_individual": lambda actor: remove_individual(registration, draft["individual"], actor=actor),
        "save_initiative": lambda actor: save_initiative(registration, {"title": "Khác"}, [], actor=actor),
        "delete_initiative": lambda actor: delete_initiative(registration, draft["initiative"], actor=actor),
        "attach_evidence": lambda actor: attach_evidence(
            registration, _pdf(), actor=actor, initiative=draft["initiative"]
        ),
        "delete_evidence": lambda actor: delete_evidence(draft["evidence"], actor=actor),
        "submit": lambda actor: set_registration_state(registration, S.SUBMITTED, actor=actor),
    }


def _state(world):
    return (
        list(Registration.objects.order_by("pk").values_list("agency", "state", "pledge")),
        IndividualRegistration.objects.count(),
        list(Initiative.objects.order_by("pk").values_list("title", flat=True)),
        EvidenceFile.objects.count(),
    )


@pytest.mark.parametrize(
    "act",
    [
        "start",
        "save_draft",
        "add_individual",
        "import_individuals",
        "remove_individual",
        "save_initiative",
        "delete_initiative",
        "attach_evidence",
        "delete_evidence",
        "submit",
    ],
)
@pytest.mark.parametrize("who", ["superuser", "outsider", "home_affairs", "head"])
def test_an_actor_without_reach_is_refused_even_as_superuser(world, draft, superuser, outsider, act, who):
    actor = {"superuser": superuser, "outsider": outsider}.get(who) or getattr(world, who)
    before = _state(world)
    with pytest.raises(RegistrationError) as exc:
        _writes(world, draft)[act](actor)
    assert (exc.value.code, exc.value.messages) == (
        "permission",
        [
            "Chỉ cán bộ phụ trách thi đua của cơ quan được đăng ký."
            if act == "start"
            else "Anh/chị không có quyền thực hiện thao tác này."
            if act == "submit"
            else "Chỉ cán bộ phụ trách thi đua của cơ quan được sửa."
        ],
    )
    assert _state(world) == before


@pytest.mark.parametrize("who", ["superuser", "outsider", "home_affairs"])
def test_the_final_report_is_the_agencys_staffs_alone(world, report, superuser, outsider, who):
    actor = {"superuser": superuser, "outsider": outsider}.get(who) or getattr(world, who)
    c1 = world.criteria[0]
    for act in (
        lambda: save_report(report, actor=actor, summary="x"),
        lambda: set_report_state(report, ReportState.SUBMITTED, actor=actor),
        lambda: attach_to_criterion(report, c1, _pdf(), actor=actor),
    ):
        with pytest.raises(RegistrationError) as exc:
            act()
        assert exc.value.code == "permission"
    report.refresh_from_db()
    assert (report.summary, report.state, report.assessments.count(), EvidenceFile.objects.count()) == (
        "",
        ReportState.DRAFT,
        0,
        0,
    )


def test_home_affairs_of_another_province_neither_accepts_nor_extends(world, draft):
    province = AgencyFactory(code="tinh-khac", kind=AgencyKind.PROVINCE_PC)
    stranger = user_with_role(Role.HOME_AFFAIRS, province, username="noivu-khac")
    registration = draft["registration"]
    set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    set_registration_state(registration, S.CONFIRMED, actor=world.head)
    for act in (
        lambda: set_registration_state(registration, S.ACCEPTED, actor=stranger),
        lambda: set_registration_state(registration, S.RETURNED, actor=stranger, reason="Thiếu"),
        lambda: grant_extension(
            world.ward, world.deadline, dt.date.today() + dt.timedelta(days=30), "x", actor=stranger
        ),
    ):
        with pytest.raises(RegistrationError) as exc:
            act()
        assert exc.value.code == "permission"
    registration.refresh_from_db()
    assert (registration.state, DeadlineExtension.objects.count()) == (S.CONFIRMED, 0)


def test_the_actor_is_keyword_only(world):
    with pytest.raises(TypeError):
        start_registration(world.round, world.ward, world.staff)


def test_the_registrations_error_is_the_portals(world, draft):
    with pytest.raises(PortalError):
        save_draft(draft["registration"], actor=world.head, pledge="x")


def test_the_system_acts_without_a_person_but_within_the_rules(world):
    """``actor=None``: a command or a task. No reach rule, but the plan's rules hold and the audit
    entries carry no actor."""
    world.group.initiative_required = False
    world.group.save(update_fields=["initiative_required"])
    registration = start_registration(world.round, world.ward, actor=None)
    assert (registration.state, registration.created_by) == (S.DRAFT, None)
    with pytest.raises(RegistrationError) as exc:  # no commitment yet: the rule holds for the system
        set_registration_state(registration, S.SUBMITTED, actor=None)
    assert exc.value.code == "commitment"
    save_draft(registration, actor=None, pledge="Hoàn thành 100% nhiệm vụ")
    registration = set_registration_state(registration, S.SUBMITTED, actor=None)
    with pytest.raises(RegistrationError) as exc:  # a state the table does not allow
        set_registration_state(registration, S.ACCEPTED, actor=None)
    assert exc.value.code == "transition"
    with pytest.raises(RegistrationError) as exc:  # a sent registration is not edited, by anyone
        save_draft(registration, actor=None, pledge="đổi")
    assert exc.value.code == "locked"
    with pytest.raises(RegistrationError) as exc:
        grant_extension(
            world.ward, world.deadline, world.deadline.due_on + dt.timedelta(days=5), " ", actor=None
        )
    assert exc.value.code == "reason"
    ext = grant_extension(
        world.ward, world.deadline, world.deadline.due_on + dt.timedelta(days=5), "Mất điện", actor=None
    )
    assert ext.granted_by is None
    registration.refresh_from_db()
    assert registration.state == S.SUBMITTED
    entries = LogEntry.objects.get_for_object(registration)
    assert {entry.actor_id for entry in entries} == {None}
