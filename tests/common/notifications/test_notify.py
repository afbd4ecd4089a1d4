"""notify(): recipients, bell rows, e-mails queued after commit, Vietnamese e-mail text."""

import pytest
from django.core import mail

from agencies.models import Role
from campaigns.notices import CampaignNotice
from common.models import EmailStatus, Notification, NotificationKind
from common.notifications import notify, resolve_recipients
from tests.factories import AgencyFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_agency_recipients_are_its_staff_and_head_only():
    agency = AgencyFactory()
    staff = user_with_role(Role.STAFF, agency)
    head = user_with_role(Role.HEAD, agency)
    user_with_role(Role.HOME_AFFAIRS, agency)
    user_with_role(Role.STAFF, AgencyFactory())  # another agency
    inactive = user_with_role(Role.STAFF, agency, is_active=False)

    ids = resolve_recipients([agency, staff])  # staff named twice: once

    assert sorted(ids) == sorted([staff.pk, head.pk])
    assert inactive.pk not in ids


def test_recipients_may_be_a_single_user_or_querysets():
    agency = AgencyFactory()
    staff = user_with_role(Role.STAFF, agency)
    other = UserFactory()
    from django.contrib.auth import get_user_model

    from agencies.models import Agency

    assert resolve_recipients(other) == [other.pk]
    assert resolve_recipients(Agency.objects.filter(pk=agency.pk)) == [staff.pk]
    assert sorted(resolve_recipients(get_user_model().objects.filter(pk__in=[staff.pk, other.pk]))) == sorted(
        [staff.pk, other.pk]
    )
    with pytest.raises(TypeError):
        resolve_recipients(["not a user"])


def test_notify_writes_bell_rows_and_sends_mail_after_commit(
    eager_celery, django_capture_on_commit_callbacks
):
    agency = AgencyFactory(name="UBND phường Bình Tân")
    staff = user_with_role(Role.STAFF, agency, first_name="Lan", last_name="Trần", email="lan@example.gov.vn")
    head = user_with_role(Role.HEAD, agency, email="")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = notify(
            agency,
            CampaignNotice.CAMPAIGN_PUBLISHED,
            agency,
            title="Phát động phong trào thi đua CCHC năm 2027",
            body="Đề nghị đơn vị đăng ký trước ngày 14/03/2027.",
            url="/campaigns/demo-2027/",
        )
        assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()

    assert len(rows) == 2
    by_user = {n.recipient_id: n for n in Notification.objects.all()}
    assert by_user[staff.pk].email_status == EmailStatus.SENT
    assert by_user[staff.pk].emailed_at is not None
    assert by_user[head.pk].email_status == EmailStatus.NO_ADDRESS
    assert by_user[staff.pk].content_object == agency
    assert by_user[staff.pk].read_at is None

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lan@example.gov.vn"]
    assert message.subject == "[Thi đua CCHC] Phát động phong trào thi đua CCHC năm 2027"
    assert "Kính gửi Trần Lan," in message.body  # Vietnamese order, as in the HTML part
    assert "Đề nghị đơn vị đăng ký trước ngày 14/03/2027." in message.body
    assert "Xem chi tiết: /campaigns/demo-2027/" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_notify_without_email_sends_nothing(eager_celery, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], NotificationKind.OTHER, title="Chỉ hiện trong chuông", email=False)
    assert Notification.objects.get().email_status == EmailStatus.NOT_REQUESTED
    assert len(mail.outbox) == 0


def test_notify_nobody_is_a_no_op(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify(AgencyFactory(), NotificationKind.OTHER, title="Không ai nhận") == []
    assert callbacks == []
    assert Notification.objects.count() == 0


def test_email_links_are_absolute_with_the_portal_address(settings, django_capture_on_commit_callbacks):
    settings.PORTAL_BASE_URL = "https://thidua.example.gov.vn/"
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user, NotificationKind.OTHER, title="Có liên kết", url="/registrations/")
    assert "Xem chi tiết: https://thidua.example.gov.vn/registrations/" in mail.outbox[0].body
    assert 'href="https://thidua.example.gov.vn/registrations/"' in mail.outbox[0].alternatives[0][0]
