"""The access helpers every registrations view starts with: another agency's object, a missing one
and one the user may see but not act on are all 404; the user's own is returned. The other agency
is a ward of a second province, with its own staff and home affairs."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from agencies.models import AgencyKind, Role
from registrations.access import (
    DELETE_EVIDENCE,
    EDIT,
    EDIT_REPORT,
    REVIEW,
    get_agency_for_registrant,
    get_campaign_for_reviewer,
    get_evidence_for_user,
    get_registration_for_user,
    get_report_for_user,
)
from registrations.domain.evidence import attach_evidence
from registrations.models import FinalReport, Initiative
from registrations.models import RegistrationState as S
from tests.factories import AgencyFactory, RegistrationFactory, RoundFactory, user_with_role

from .conftest import PDF_BYTES


@pytest.fixture
def other(world):
    """A second province: a ward with a draft registration to the same plan, its staff, home affairs."""
    province = AgencyFactory(code="tinh-khac", kind=AgencyKind.PROVINCE_PC)
    ward = AgencyFactory(code="xa-khac", parent=province, kind=AgencyKind.COMMUNE_PC)
    registration = RegistrationFactory(round=world.round, agency=ward, target_group=world.group)
    initiative = Initiative.objects.create(registration=registration, title="Sáng kiến tỉnh khác")
    staff = user_with_role(Role.STAFF, ward, username="canbo-khac")
    evidence = attach_evidence(
        registration, SimpleUploadedFile("a.pdf", PDF_BYTES), actor=staff, initiative=initiative
    )
    return {
        "ward": ward,
        "registration": registration,
        "evidence": evidence,
        "staff": staff,
        "home_affairs": user_with_role(Role.HOME_AFFAIRS, province, username="noivu-khac"),
    }


@pytest.fixture
def mine(world):
    registration = RegistrationFactory(round=world.round, agency=world.ward, target_group=world.group)
    initiative = Initiative.objects.create(registration=registration, title="Sáng kiến")
    evidence = attach_evidence(
        registration, SimpleUploadedFile("a.pdf", PDF_BYTES), actor=world.staff, initiative=initiative
    )
    return {"registration": registration, "evidence": evidence}


def _404(helper, *args, **kwargs) -> bool:
    try:
        helper(*args, **kwargs)
    except Http404:
        return True
    return False


def test_a_registration_of_another_province_is_404(world, mine, other):
    own = mine["registration"]
    assert get_registration_for_user(world.staff, own.pk) == own
    assert get_registration_for_user(world.home_affairs, own.pk, perm=REVIEW) == own
    assert _404(get_registration_for_user, world.staff, other["registration"].pk)
    assert _404(get_registration_for_user, world.home_affairs, other["registration"].pk)
    assert _404(get_registration_for_user, other["home_affairs"], own.pk)
    assert _404(get_registration_for_user, world.staff, own.pk + 1000)
    assert _404(get_registration_for_user, world.staff, "x")
    # Seen but not editable by this user (home affairs), or not editable any more (accepted).
    assert _404(get_registration_for_user, world.home_affairs, own.pk, perm=EDIT)
    own.state = S.ACCEPTED
    own.save(update_fields=["state"])
    assert _404(get_registration_for_user, world.staff, own.pk, perm=EDIT)


def test_a_report_of_another_province_is_404_and_none_before_acceptance(world, mine, other):
    own = mine["registration"]
    assert _404(get_report_for_user, world.staff, own.pk)  # a draft registration has no report
    assert FinalReport.objects.count() == 0
    own.state = S.ACCEPTED
    own.save(update_fields=["state"])
    other["registration"].state = S.ACCEPTED
    other["registration"].save(update_fields=["state"])
    report = get_report_for_user(world.home_affairs, own.pk)
    assert (report.registration, report.state) == (own, "draft")
    assert get_report_for_user(world.staff, own.pk, perm=EDIT_REPORT) == report
    assert _404(get_report_for_user, world.home_affairs, own.pk, perm=EDIT_REPORT)
    assert _404(get_report_for_user, world.staff, other["registration"].pk)
    assert _404(get_report_for_user, other["home_affairs"], own.pk)
    assert list(FinalReport.objects.values_list("registration", flat=True)) == [own.pk]


def test_evidence_of_another_province_is_404(world, mine, other):
    evidence = mine["evidence"]
    own = mine["registration"]
    assert get_evidence_for_user(world.home_affairs, evidence.pk) == evidence
    assert (
        get_evidence_for_user(world.staff, evidence.pk, registration_pk=own.pk, perm=DELETE_EVIDENCE)
        == evidence
    )
    assert _404(get_evidence_for_user, world.staff, other["evidence"].pk)
    assert _404(get_evidence_for_user, other["home_affairs"], evidence.pk)
    # Named under another registration's address, or deleted by someone who only sees it.
    assert _404(get_evidence_for_user, world.staff, evidence.pk, registration_pk=other["registration"].pk)
    assert _404(get_evidence_for_user, world.home_affairs, evidence.pk, perm=DELETE_EVIDENCE)


def test_only_the_agencys_staff_registers_it(world, other):
    assert get_agency_for_registrant(world.staff, world.ward.code) == world.ward
    assert _404(get_agency_for_registrant, world.head, world.ward.code)
    assert _404(get_agency_for_registrant, world.home_affairs, world.ward.code)
    assert _404(get_agency_for_registrant, world.staff, other["ward"].code)
    assert _404(get_agency_for_registrant, other["staff"], world.ward.code)
    assert _404(get_agency_for_registrant, world.staff, "khong-co")


def test_only_home_affairs_of_the_issuer_reviews_a_plan(world, other):
    code = world.campaign.code
    assert get_campaign_for_reviewer(world.home_affairs, code) == world.campaign
    assert _404(get_campaign_for_reviewer, other["home_affairs"], code)
    assert _404(get_campaign_for_reviewer, world.staff, code)
    assert _404(get_campaign_for_reviewer, world.home_affairs, "khong-co")
    # Home affairs of a ward below the issuer reaches the ward, not the plan of the city.
    ward_home_affairs = user_with_role(Role.HOME_AFFAIRS, world.ward, username="noivu-phuong")
    assert _404(get_campaign_for_reviewer, ward_home_affairs, code)


def test_pages_answer_404_for_another_provinces_records(client, world, mine, other):
    """The helpers are what the pages start with: each kind of address, another province's record."""
    other["registration"].state = S.ACCEPTED
    other["registration"].save(update_fields=["state"])
    client.force_login(world.staff)
    pk, file_pk = other["registration"].pk, other["evidence"].pk
    for url in (
        f"/registrations/{pk}/",
        f"/registrations/{pk}/report/",
        f"/registrations/files/{file_pk}/",
        f"/registrations/{pk}/extension/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/registrations/{pk}/files/{file_pk}/delete/").status_code == 404
    assert client.post(f"/registrations/start/{world.round.pk}/{other['ward'].code}/").status_code == 404
    client.force_login(other["home_affairs"])
    assert client.get(f"/registrations/campaign/{world.campaign.code}/").status_code == 404
    assert other["registration"].initiatives.count() == 1


def test_an_earlier_round_is_not_a_way_in(world, other):
    """The other province's registration of another round of the same plan: 404 all the same."""
    earlier = RoundFactory(
        campaign=world.campaign, year=2020, starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2020, 12, 31)
    )
    registration = RegistrationFactory(round=earlier, agency=other["ward"])
    assert _404(get_registration_for_user, world.home_affairs, registration.pk)
