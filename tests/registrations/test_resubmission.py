"""Issue 9 items 20 and 25: a return keeps the first on-time sending; home affairs may set a
resubmission date (a re-send after it is refused, like a first sending after the deadline); the
return form is a labelled textarea with the date beside it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import AwardForm
from registrations.domain.registration import save_draft, set_registration_state, start_registration
from registrations.errors import RegistrationError
from registrations.models import DeadlineExtension, Initiative, Registration
from registrations.models import RegistrationState as S
from registrations.queries.deadlines import resubmission_deadline
from scoring.explain import explain
from scoring.models import CandidateResult
from scoring.results import compute_results


def _confirmed(world, now=None) -> Registration:
    registration = start_registration(world.round, world.ward, actor=world.staff)
    save_draft(registration, actor=world.staff, pledge="Hoàn thành 100% nhiệm vụ")
    Initiative.objects.create(registration=registration, title="Một cửa số")
    set_registration_state(registration, S.SUBMITTED, actor=world.staff, now=now)
    set_registration_state(registration, S.CONFIRMED, actor=world.head)
    return registration


def test_resent_after_the_deadline_within_the_resubmission_date_stays_on_time(world):
    first = timezone.now()
    registration = _confirmed(world, now=first)
    resubmit_by = world.deadline.due_on + dt.timedelta(days=5)
    set_registration_state(
        registration,
        S.RETURNED,
        actor=world.home_affairs,
        reason="Bổ sung sáng kiến",
        resubmit_by=resubmit_by,
    )
    registration.refresh_from_db()
    assert (registration.resubmit_by, registration.first_submitted_at) == (resubmit_by, first)
    resent = world.deadline.deadline_at + dt.timedelta(days=2)
    set_registration_state(registration, S.RESUBMITTED, actor=world.staff, now=resent)
    set_registration_state(registration, S.CONFIRMED, actor=world.head)
    set_registration_state(registration, S.ACCEPTED, actor=world.home_affairs)
    registration.refresh_from_db()
    assert (registration.first_submitted_at, registration.submitted_at) == (first, resent)

    form = AwardForm.objects.create(
        campaign=world.campaign, code="bk", name="Bằng khen", require_on_time_registration=True
    )
    run = compute_results(world.campaign)
    result = CandidateResult.objects.get(run=run, agency=world.ward)
    assert (result.gate_on_time, result.registered_at, result.resubmitted_at) == (True, first, resent)
    local = timezone.localtime
    assert explain(result, form, "", world.round.year)[0] == (
        f"Gửi đăng ký thi đua lần đầu lúc {local(first):%d/%m/%Y %H:%M}, gửi lại lúc "
        f"{local(resent):%d/%m/%Y %H:%M}, trong hạn gửi lại Nội vụ cho (hết ngày "
        f"{resubmit_by:%d/%m/%Y}); thời hạn tính theo lần gửi đầu: đạt điều kiện “đăng ký thi đua đúng hạn”."
    )


def test_resending_after_the_resubmission_date_is_refused_until_an_extension(world):
    registration = _confirmed(world)
    resubmit_by = world.deadline.due_on + dt.timedelta(days=2)
    set_registration_state(
        registration, S.RETURNED, actor=world.home_affairs, reason="Thiếu cam kết", resubmit_by=resubmit_by
    )
    registration.refresh_from_db()
    late = resubmission_deadline(registration) + dt.timedelta(seconds=1)
    with pytest.raises(RegistrationError) as exc:
        set_registration_state(registration, S.RESUBMITTED, actor=world.staff, now=late)
    assert exc.value.code == "deadline"
    assert exc.value.messages == [
        f"Đã quá hạn gửi lại đăng ký (hạn Nội vụ cho khi trả lại: hết ngày {resubmit_by:%d/%m/%Y}). "
        "Cơ quan chỉ gửi lại được khi Phòng/Sở Nội vụ cho gia hạn."
    ]
    registration.refresh_from_db()
    assert registration.state == S.RETURNED
    # Just before the end of the day is on time.
    set_registration_state(registration, S.RESUBMITTED, actor=world.staff, now=late - dt.timedelta(seconds=2))
    registration.refresh_from_db()
    assert registration.state == S.RESUBMITTED


def test_an_extension_reopens_a_missed_resubmission_date(world):
    registration = _confirmed(world)
    resubmit_by = world.deadline.due_on
    set_registration_state(
        registration, S.RETURNED, actor=world.home_affairs, reason="Thiếu cam kết", resubmit_by=resubmit_by
    )
    DeadlineExtension.objects.create(
        agency=world.ward,
        milestone=world.deadline,
        extended_until=resubmit_by + dt.timedelta(days=4),
        reason="Sáp nhập",
    )
    resent = world.deadline.deadline_at + dt.timedelta(days=3)
    set_registration_state(registration, S.RESUBMITTED, actor=world.staff, now=resent)
    assert Registration.objects.get(pk=registration.pk).state == S.RESUBMITTED


def test_without_a_resubmission_date_a_resend_is_never_late(world):
    registration = _confirmed(world)
    set_registration_state(registration, S.RETURNED, actor=world.home_affairs, reason="Thiếu cam kết")
    set_registration_state(
        registration, S.RESUBMITTED, actor=world.staff, now=world.deadline.deadline_at + dt.timedelta(days=30)
    )
    assert Registration.objects.get(pk=registration.pk).state == S.RESUBMITTED


def test_resubmission_date_must_not_be_past_and_only_goes_with_a_return(world):
    registration = _confirmed(world)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(RegistrationError) as exc:
        set_registration_state(
            registration, S.RETURNED, actor=world.home_affairs, reason="Thiếu", resubmit_by=yesterday
        )
    assert exc.value.messages == ["Hạn gửi lại không được trước ngày hôm nay."]
    with pytest.raises(RegistrationError) as exc:
        set_registration_state(
            registration, S.ACCEPTED, actor=world.home_affairs, resubmit_by=timezone.localdate()
        )
    assert exc.value.messages == ["Hạn gửi lại chỉ ghi khi trả lại đăng ký."]


def test_return_form_is_a_labelled_textarea_with_the_date_beside_it(client, world):
    registration = _confirmed(world)
    client.force_login(world.home_affairs)
    url = reverse("registrations:detail", args=[registration.pk])
    html = client.get(url).content.decode()
    assert '<label class="form-label small mb-1" for="return-reason">Lý do trả lại (bắt buộc)</label>' in html
    assert (
        '<textarea id="return-reason" name="reason" class="form-control form-control-sm" rows="3" required>'
        in html
    )
    assert (
        '<label class="form-label small mb-1" for="return-resubmit-by">Hạn gửi lại (không bắt buộc)</label>'
        in html
    )
    assert '<input id="return-resubmit-by" name="resubmit_by" type="date"' in html

    transition = reverse("registrations:transition", args=[registration.pk])
    response = client.post(transition, {"target": S.RETURNED, "reason": "Thiếu", "resubmit_by": "31/02/2027"})
    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).state == S.CONFIRMED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Hạn gửi lại không phải là ngày hợp lệ."]

    day = world.deadline.due_on + dt.timedelta(days=2)  # after the registration deadline
    response = client.post(
        transition, {"target": S.RETURNED, "reason": "Bổ sung minh chứng", "resubmit_by": day.isoformat()}
    )
    registration.refresh_from_db()
    assert (registration.state, registration.return_reason, registration.resubmit_by) == (
        S.RETURNED,
        "Bổ sung minh chứng",
        day,
    )
    client.force_login(world.staff)
    html = client.get(url).content.decode()
    assert f"Gửi lại trước hết ngày {day:%d/%m/%Y}." in html
    assert f"Hạn gửi lại: {day:%d/%m/%Y} 23:59" in html


def test_bulk_return_takes_the_resubmission_date(client, world):
    registration = _confirmed(world)
    client.force_login(world.home_affairs)
    day = timezone.localdate() + dt.timedelta(days=3)
    page = client.get(reverse("registrations:review_list", args=[world.campaign.code])).content.decode()
    assert (
        '<label class="form-label small" for="bulk-resubmit-by">Hạn gửi lại (không bắt buộc)</label>' in page
    )
    client.post(
        reverse("registrations:review_bulk", args=[world.campaign.code]),
        {"ids": [registration.pk], "target": S.RETURNED, "reason": "Thiếu", "resubmit_by": day.isoformat()},
    )
    registration.refresh_from_db()
    assert (registration.state, registration.resubmit_by) == (S.RETURNED, day)
