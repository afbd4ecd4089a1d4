"""Issue 9, item 26: home affairs hears of a registration awaiting review and of an arriving report;
every notification links to its record; a deadline reminder is settled once the agency has acted."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Membership, Role
from campaigns.models import VN_TZ
from common.models import Notification
from registrations.domain.evidence import attach_evidence
from registrations.domain.final_report import report_for, save_report, set_report_state
from registrations.domain.registration import save_draft, set_registration_state, start_registration
from registrations.models import Initiative, ReportState, SelfAssessment
from registrations.models import RegistrationState as S
from registrations.notices import RegistrationNotice
from registrations.reminders.domain import run_due_reminders
from tests.factories import AgencyFactory, RegistrationFactory, user_with_role

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def _sent(world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    save_draft(registration, actor=world.staff, pledge="Hoàn thành 100% nhiệm vụ")
    Initiative.objects.create(registration=registration, title="Một cửa số")
    return set_registration_state(registration, S.SUBMITTED, actor=world.staff)


def _remind(world):
    """The reminder 7 days before the registration deadline, as the beat run writes it."""
    day = world.deadline.due_on - dt.timedelta(days=7)
    run_due_reminders(dt.datetime.combine(day, dt.time(9), tzinfo=VN_TZ), dispatch=None, email=False)


def _unread_reminders(user):
    return Notification.objects.filter(
        recipient=user, kind=RegistrationNotice.DEADLINE_REMINDER, read_at__isnull=True
    ).count()


def test_home_affairs_is_told_when_the_head_confirms(world, django_capture_on_commit_callbacks):
    other_province = AgencyFactory(code="tinh-khac")
    outsider = user_with_role(Role.HOME_AFFAIRS, other_province, username="noivu-khac")
    registration = _sent(world)
    set_registration_state(registration, S.CONFIRMED, actor=world.head)
    to_review = Notification.objects.filter(kind=RegistrationNotice.REGISTRATION_TO_REVIEW)
    assert [(n.recipient.username, n.title, n.url) for n in to_review] == [
        (
            "noivu-city",
            "Đăng ký thi đua chờ xét duyệt: UBND phường A",
            reverse("registrations:detail", args=[registration.pk]),
        )
    ]
    assert to_review.get().content_object == registration
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_home_affairs_is_told_when_a_report_arrives(world):
    registration = RegistrationFactory(
        round=world.round, agency=world.ward, state=S.ACCEPTED, target_group=world.group
    )
    c1, c2 = world.criteria
    report = report_for(registration)
    save_report(
        report,
        actor=world.staff,
        assessments={c1.pk: ("8", "Đã làm"), c2.pk: ("15", "")},
        indicators={world.indicator.pk: "85"},
    )
    attach_evidence(
        registration,
        SimpleUploadedFile("mc.pdf", PDF_BYTES),
        actor=world.staff,
        assessment=SelfAssessment.objects.get(criterion=c2),
    )
    set_report_state(report, ReportState.SUBMITTED, actor=world.staff)
    arrived = Notification.objects.get(kind=RegistrationNotice.REPORT_SUBMITTED)
    assert (arrived.recipient, arrived.title, arrived.url) == (
        world.home_affairs,
        "Báo cáo kết quả cuối đợt đã gửi: UBND phường A",
        reverse("registrations:report", args=[registration.pk]),
    )


def test_every_notification_of_a_registrations_life_links_to_its_record(
    world, django_capture_on_commit_callbacks
):
    _remind(world)
    registration = _sent(world)
    set_registration_state(registration, S.CONFIRMED, actor=world.head)
    set_registration_state(registration, S.RETURNED, actor=world.home_affairs, reason="Bổ sung")
    rows = list(Notification.objects.values_list("kind", "url"))
    assert {kind for kind, _url in rows} == {
        RegistrationNotice.DEADLINE_REMINDER,
        RegistrationNotice.REGISTRATION_TO_CONFIRM,
        RegistrationNotice.REGISTRATION_TO_REVIEW,
        RegistrationNotice.REGISTRATION_RETURNED,
    }
    assert [url for _kind, url in rows if url == ""] == []


def test_reminder_links_to_the_agencys_own_registration(world):
    registration = RegistrationFactory(round=world.round, agency=world.ward, state=S.DRAFT)
    _remind(world)
    ward_reminder = Notification.objects.get(recipient=world.staff)
    other_reminder = Notification.objects.get(recipient=world.other_staff)
    assert ward_reminder.url == reverse("registrations:detail", args=[registration.pk])
    assert other_reminder.url == reverse("registrations:index")  # no registration yet: where to start one


def test_reminder_is_settled_when_the_agency_acts(world, django_capture_on_commit_callbacks):
    _remind(world)
    assert (_unread_reminders(world.staff), _unread_reminders(world.head)) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        registration = _sent(world)
    # the staff sent it: their part is done; the head still has to confirm
    assert (_unread_reminders(world.staff), _unread_reminders(world.head)) == (0, 1)
    with django_capture_on_commit_callbacks(execute=True):
        set_registration_state(registration, S.CONFIRMED, actor=world.head)
    assert (_unread_reminders(world.staff), _unread_reminders(world.head)) == (0, 0)
    # the other ward has not acted: its reminders stay
    assert _unread_reminders(world.other_staff) == 1


def test_a_user_answering_for_a_pending_agency_keeps_the_reminder(world, django_capture_on_commit_callbacks):
    both = user_with_role(Role.STAFF, world.ward, username="kiem-nhiem")
    Membership.objects.create(user=both, agency=world.other_ward, role=Role.STAFF)
    _remind(world)
    assert _unread_reminders(both) == 2  # one per agency
    with django_capture_on_commit_callbacks(execute=True):
        _sent(world)
    assert _unread_reminders(both) == 2
    assert _unread_reminders(world.staff) == 0
