"""The bell, the list, opening and marking as read."""

import pytest
from django.urls import reverse

from common.models import Notification, NotificationKind
from common.notifications import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notes(user, n):
    return [
        notify([user], NotificationKind.OTHER, title=f"Thông báo {i}", url="/registrations/", email=False)[0]
        for i in range(n)
    ]


def test_bell_shows_the_unread_count(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert 'id="notification-bell"' in page
    assert "data-unread" not in page
    _notes(user, 3)
    Notification.objects.filter(pk=Notification.objects.order_by("pk").first().pk).update(
        read_at="2027-01-01T00:00Z"
    )
    page = client.get(reverse("home")).content.decode()
    assert 'data-unread="2"' in page
    assert 'aria-label="Thông báo (2)"' in page


def test_anonymous_pages_have_no_bell(client):
    assert 'id="notification-bell"' not in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("rows", [1, 25])
def test_list_query_count(client, django_assert_max_num_queries, rows):
    user = UserFactory()
    _notes(user, rows)
    _notes(UserFactory(), 2)  # someone else's
    client.force_login(user)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("common:notifications"))
    assert response.status_code == 200
    assert len(response.context["notifications"]) == rows
    assert (
        response.content.decode().count('class="btn btn-link p-0 text-start fw-semibold notification-title"')
        == rows
    )


def test_unread_filter_and_mark_all_read(client):
    user = UserFactory()
    first, second = _notes(user, 2)
    client.force_login(user)
    client.post(reverse("common:notification_open", args=[first.pk]), {"stay": "1"})
    response = client.get(reverse("common:notifications") + "?unread=1")
    assert [n.pk for n in response.context["notifications"]] == [second.pk]
    response = client.post(reverse("common:notifications_read_all"))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 0


def test_open_marks_read_and_follows_the_link(client):
    user = UserFactory()
    (note,) = _notes(user, 1)
    client.force_login(user)
    response = client.post(reverse("common:notification_open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/registrations/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_open_never_leaves_the_site(client):
    user = UserFactory()
    note = notify([user], NotificationKind.OTHER, title="Lạ", url="https://evil.example/", email=False)[0]
    client.force_login(user)
    response = client.post(reverse("common:notification_open", args=[note.pk]))
    assert response["Location"] == reverse("common:notifications")


def test_other_users_notifications_are_404(client):
    (note,) = _notes(UserFactory(), 1)
    client.force_login(UserFactory())
    assert client.post(reverse("common:notification_open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_open_is_post_only(client):
    user = UserFactory()
    (note,) = _notes(user, 1)
    client.force_login(user)
    assert client.get(reverse("common:notification_open", args=[note.pk])).status_code == 405
