import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from registrations.domain.deadlines import grant_extension
from registrations.domain.registration import (
    bulk_set_state,
    save_draft,
    set_registration_state,
    start_registration,
)
from registrations.errors import RegistrationError
from registrations.models import DeadlineExtension, Initiative, Registration
from registrations.models import RegistrationState as S
from registrations.queries.deadlines import effective_deadline, time_left
from registrations.signals import registration_state_changed
from tests.factories import user_with_role


def _ready(world) -> Registration:
    registration = start_registration(world.round, world.ward, actor=world.staff)
    save_draft(registration, actor=world.staff, pledge="Hoàn thành 100% nhiệm vụ")
    Initiative.objects.create(registration=registration, title="Một cửa số")
    return registration


def test_start_creates_draft_with_commitments_and_target_group(world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    assert registration.state == S.DRAFT
    assert registration.campaign == world.campaign
    assert registration.target_group == world.group
    assert [c.content.title for c in registration.commitments.all()] == [
        "Cải cách thể chế",
        "Cải cách thủ tục hành chính",
    ]
    # Idempotent: the same registration again.
    assert start_registration(world.round, world.ward, actor=world.staff).pk == registration.pk


def test_start_refused_for_head_and_other_agency(world):
    with pytest.raises(RegistrationError) as exc:
        start_registration(world.round, world.ward, actor=world.head)
    assert exc.value.code == "permission"
    with pytest.raises(RegistrationError):
        start_registration(world.round, world.ward, actor=world.other_staff)


def test_full_walk_and_audit(world):
    registration = _ready(world)
    set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    set_registration_state(registration, S.CONFIRMED, actor=world.head)
    set_registration_state(registration, S.RETURNED, actor=world.home_affairs, reason="Thiếu cam kết")
    registration.refresh_from_db()
    assert registration.state == S.RETURNED
    assert registration.return_reason == "Thiếu cam kết"
    set_registration_state(registration, S.RESUBMITTED, actor=world.staff)
    set_registration_state(registration, S.CONFIRMED, actor=world.head)
    set_registration_state(registration, S.ACCEPTED, actor=world.home_affairs)
    registration.refresh_from_db()
    assert registration.state == S.ACCEPTED
    states = [
        (e.actor.username if e.actor else None, e.changes_dict.get("state"))
        for e in LogEntry.objects.get_for_object(registration).order_by("pk")
        if "state" in e.changes_dict
    ]
    assert states[1:] == [
        ("staff-a", ["draft", "submitted"]),
        ("head-a", ["submitted", "confirmed"]),
        ("noivu-city", ["confirmed", "returned"]),
        ("staff-a", ["returned", "resubmitted"]),
        ("head-a", ["resubmitted", "confirmed"]),
        ("noivu-city", ["confirmed", "accepted"]),
    ]
    returned = [
        e
        for e in LogEntry.objects.get_for_object(registration)
        if e.changes_dict.get("state") == ["confirmed", "returned"]
    ]
    assert returned[0].additional_data == {"note": "Thiếu cam kết"}


@pytest.mark.parametrize(
    ("start", "target", "allowed", "refused"),
    [
        (S.DRAFT, S.SUBMITTED, "staff", ["head", "home_affairs", "other_staff"]),
        (S.SUBMITTED, S.DRAFT, "staff", ["head", "home_affairs"]),
        (S.SUBMITTED, S.CONFIRMED, "head", ["staff", "home_affairs"]),
        (S.RESUBMITTED, S.CONFIRMED, "head", ["staff", "home_affairs"]),
        (S.RETURNED, S.RESUBMITTED, "staff", ["head", "home_affairs"]),
        (S.CONFIRMED, S.ACCEPTED, "home_affairs", ["staff", "head"]),
        (S.CONFIRMED, S.RETURNED, "home_affairs", ["staff", "head"]),
        (S.ACCEPTED, S.RETURNED, "home_affairs", ["staff", "head"]),
    ],
)
def test_transition_permissions(world, start, target, allowed, refused):
    registration = _ready(world)
    Registration.objects.filter(pk=registration.pk).update(state=start, return_reason="x")
    for who in refused:
        with pytest.raises(RegistrationError) as exc:
            set_registration_state(registration, target, actor=getattr(world, who), reason="lý do")
        assert exc.value.code == "permission"
        registration.refresh_from_db()
        assert registration.state == start
    set_registration_state(registration, target, actor=getattr(world, allowed), reason="lý do")
    registration.refresh_from_db()
    assert registration.state == target


@pytest.mark.parametrize(
    ("start", "target"),
    [(S.DRAFT, S.CONFIRMED), (S.DRAFT, S.ACCEPTED), (S.SUBMITTED, S.ACCEPTED), (S.ACCEPTED, S.DRAFT)],
)
def test_forbidden_transitions(world, start, target):
    registration = _ready(world)
    Registration.objects.filter(pk=registration.pk).update(state=start)
    with pytest.raises(RegistrationError) as exc:
        set_registration_state(registration, target, actor=world.home_affairs)
    assert exc.value.code == "transition"


def test_return_requires_reason(world):
    registration = _ready(world)
    Registration.objects.filter(pk=registration.pk).update(state=S.CONFIRMED)
    with pytest.raises(RegistrationError) as exc:
        set_registration_state(registration, S.RETURNED, actor=world.home_affairs, reason="  ")
    assert exc.value.messages == ["Phải ghi lý do trả lại."]


def test_initiative_required_by_plan(world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    save_draft(registration, actor=world.staff, pledge="Hoàn thành 100% nhiệm vụ")
    with pytest.raises(RegistrationError) as exc:
        set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    assert exc.value.code == "initiative"


def test_a_commitment_is_required_before_submitting(world):
    """A plan without the initiative requirement still needs a pledge or a per-content commitment."""
    world.group.initiative_required = False
    world.group.save(update_fields=["initiative_required"])
    registration = start_registration(world.round, world.ward, actor=world.staff)
    save_draft(registration, actor=world.staff, pledge="   ")
    with pytest.raises(RegistrationError) as exc:
        set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    assert (exc.value.code, exc.value.messages) == (
        "commitment",
        [
            "Chưa có cam kết nào: hãy ghi cam kết chung hoặc cam kết cho ít nhất một nội dung "
            "thi đua trước khi gửi đăng ký."
        ],
    )
    registration.refresh_from_db()
    assert registration.state == S.DRAFT
    content = world.campaign.contents.get(title="Cải cách thể chế")
    save_draft(registration, actor=world.staff, commitments={content.pk: "Giảm 30% hồ sơ trễ hạn"})
    set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    registration.refresh_from_db()
    assert registration.state == S.SUBMITTED


def test_general_pledge_alone_is_enough(world):
    world.group.initiative_required = False
    world.group.save(update_fields=["initiative_required"])
    registration = start_registration(world.round, world.ward, actor=world.staff)
    save_draft(registration, actor=world.staff, pledge="Hoàn thành 100% nhiệm vụ")
    set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    registration.refresh_from_db()
    assert registration.state == S.SUBMITTED


def test_submit_without_commitment_shows_the_message_on_the_page(client, world):
    world.group.initiative_required = False
    world.group.save(update_fields=["initiative_required"])
    registration = start_registration(world.round, world.ward, actor=world.staff)
    client.force_login(world.staff)
    response = client.post(
        reverse("registrations:transition", args=[registration.pk]), {"target": S.SUBMITTED}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Chưa có cam kết nào: hãy ghi cam kết chung hoặc cam kết cho ít nhất một nội dung "
        "thi đua trước khi gửi đăng ký."
    ]


def test_home_affairs_of_another_branch_cannot_review(world):
    from tests.factories import AgencyFactory

    elsewhere = AgencyFactory(code="other-city")
    outsider = user_with_role(Role.HOME_AFFAIRS, elsewhere)
    registration = _ready(world)
    Registration.objects.filter(pk=registration.pk).update(state=S.CONFIRMED)
    with pytest.raises(RegistrationError) as exc:
        set_registration_state(registration, S.ACCEPTED, actor=outsider)
    assert exc.value.code == "permission"


def test_after_deadline_refused_then_extension_lets_it_through(world):
    registration = _ready(world)
    late = world.deadline.deadline_at + dt.timedelta(seconds=1)
    with pytest.raises(RegistrationError) as exc:
        set_registration_state(registration, S.SUBMITTED, actor=world.staff, now=late)
    assert exc.value.code == "deadline"
    assert "Đã quá hạn đăng ký thi đua" in exc.value.messages[0]
    assert world.deadline.due_on.strftime("%d/%m/%Y") in exc.value.messages[0]
    registration.refresh_from_db()
    assert registration.state == S.DRAFT

    with pytest.raises(RegistrationError):
        grant_extension(
            world.ward,
            world.deadline,
            world.deadline.due_on + dt.timedelta(days=3),
            "",
            actor=world.home_affairs,
        )
    with pytest.raises(RegistrationError):
        grant_extension(
            world.ward, world.deadline, world.deadline.due_on + dt.timedelta(days=3), "x", actor=world.staff
        )
    ext = grant_extension(
        world.ward,
        world.deadline,
        world.deadline.due_on + dt.timedelta(days=3),
        "Sáp nhập đơn vị",
        actor=world.home_affairs,
    )
    assert DeadlineExtension.objects.get().reason == "Sáp nhập đơn vị"
    assert ext.granted_by == world.home_affairs
    set_registration_state(registration, S.SUBMITTED, actor=world.staff, now=late)
    registration.refresh_from_db()
    assert registration.state == S.SUBMITTED
    too_late = effective_deadline(world.ward, world.deadline) + dt.timedelta(seconds=1)
    assert too_late.date() == world.deadline.due_on + dt.timedelta(days=4)


def test_extension_is_per_agency(world):
    grant_extension(
        world.other_ward,
        world.deadline,
        world.deadline.due_on + dt.timedelta(days=3),
        "x",
        actor=world.home_affairs,
    )
    registration = _ready(world)
    with pytest.raises(RegistrationError):
        set_registration_state(
            registration,
            S.SUBMITTED,
            actor=world.staff,
            now=world.deadline.deadline_at + dt.timedelta(hours=1),
        )


def test_just_before_deadline_passes(world):
    registration = _ready(world)
    set_registration_state(
        registration, S.SUBMITTED, actor=world.staff, now=world.deadline.deadline_at - dt.timedelta(seconds=1)
    )
    registration.refresh_from_db()
    assert registration.state == S.SUBMITTED


def test_signal_and_notification_on_return(world, django_capture_on_commit_callbacks):
    from common.models import Notification

    received = []

    def listener(sender, **kwargs):
        received.append((kwargs["old_state"], kwargs["new_state"], kwargs["reason"]))

    registration_state_changed.connect(listener)
    try:
        registration = _ready(world)
        Registration.objects.filter(pk=registration.pk).update(state=S.CONFIRMED)
        with django_capture_on_commit_callbacks(execute=True):
            set_registration_state(registration, S.RETURNED, actor=world.home_affairs, reason="Bổ sung")
    finally:
        registration_state_changed.disconnect(listener)
    assert received == [("confirmed", "returned", "Bổ sung")]
    assert sorted(
        Notification.objects.filter(kind="registration_returned").values_list(
            "recipient__username", flat=True
        )
    ) == [
        "head-a",
        "staff-a",
    ]


def test_edit_locked_after_submission(world):
    registration = _ready(world)
    set_registration_state(registration, S.SUBMITTED, actor=world.staff)
    registration.refresh_from_db()
    with pytest.raises(RegistrationError) as exc:
        save_draft(registration, actor=world.staff, pledge="mới")
    assert exc.value.code == "locked"


def test_bulk_accept_reports_refusals(world):
    a = _ready(world)
    b = start_registration(world.round, world.other_ward, actor=world.other_staff)
    Registration.objects.filter(pk=a.pk).update(state=S.CONFIRMED)
    result = bulk_set_state(Registration.objects.order_by("pk"), S.ACCEPTED, actor=world.home_affairs)
    assert [r.pk for r in result.done] == [a.pk]
    assert [(r.pk, code) for r, code in result.refused] == [
        (b.pk, "Không thể chuyển đăng ký từ “Đang soạn” sang “Nội vụ đã chấp nhận”.")
    ]


def test_time_left(world):
    now = timezone.now()
    assert time_left(world.deadline.deadline_at, now) == world.deadline.deadline_at - now
