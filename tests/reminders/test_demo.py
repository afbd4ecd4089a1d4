"""After load_demo, canbo's bell shows the reminder of demo-2027's next deadline."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from campaigns.models import Campaign, MilestoneKind
from common.models import EmailStatus, Notification
from registrations.notices import RegistrationNotice

pytestmark = pytest.mark.django_db


def test_canbo_sees_the_next_deadline_reminder(client):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # idempotent
    campaign = Campaign.objects.get(code="demo-2027")
    deadline = campaign.milestones.get(kind=MilestoneKind.REGISTRATION_DEADLINE).due_on
    days_left = (deadline - timezone.localdate()).days
    canbo = get_user_model().objects.get(username="canbo")

    reminder = Notification.objects.get(recipient=canbo, kind=RegistrationNotice.DEADLINE_REMINDER)
    assert reminder.title == (
        f"Nhắc hạn: Hạn đăng ký thi đua – còn {days_left} ngày (hết ngày {date_format(deadline, 'd/m/Y')})"
    )
    assert reminder.email_status == EmailStatus.NOT_REQUESTED
    assert reminder.read_at is None
    assert deadline > timezone.localdate() - dt.timedelta(days=1)
    mail.outbox.clear()

    client.force_login(canbo)
    unread = Notification.objects.filter(recipient=canbo, read_at__isnull=True).count()
    page = client.get(reverse("home")).content.decode()
    assert f'data-unread="{unread}"' in page
    listing = client.get(reverse("common:notifications")).content.decode()
    assert reminder.title in listing
