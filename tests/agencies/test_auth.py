import pytest
from django.core import mail

from agencies.models import Role
from tests.factories import AgencyFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def canbo(db):
    """Staff of phường Bình Tân, as in the README's tour (password demo-2026)."""
    ward = AgencyFactory(code="p-binhtan", name="Ủy ban nhân dân phường Bình Tân")
    return user_with_role(
        Role.STAFF, ward, username="canbo", first_name="Thu Hà", last_name="Lê Thị", email="canbo@demo.gov.vn"
    )


def test_login_page_is_vietnamese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()
    assert '<html lang="vi">' in response.content.decode()


def test_canbo_logs_in_and_sees_the_ward(client, canbo):
    response = client.post("/accounts/login/", {"username": "canbo", "password": "demo-2026"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "Ủy ban nhân dân phường Bình Tân" in page
    assert "Cán bộ phụ trách thi đua" in page


def test_failed_logins_are_throttled(client, canbo):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "canbo", "password": "wrong"})
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khoá" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post("/accounts/login/", {"username": "canbo", "password": "demo-2026"})
    assert response.status_code == 429


def test_english_is_available(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True)
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page


def test_password_reset_sends_vietnamese_mail(client, canbo):
    response = client.post("/accounts/password_reset/", {"email": "canbo@demo.gov.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Đặt lại mật khẩu Cổng thi đua CCHC"
    assert "/accounts/reset/" in mail.outbox[0].body


def test_browser_language_does_not_override_vietnamese(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page


def test_lockout_says_how_long_in_words(client, canbo):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "canbo", "password": "wrong"})
    page = response.content.decode()
    assert "thử lại sau 1 giờ, hoặc" in page
    assert "PT1H" not in page


def test_names_are_shown_family_name_first(client, canbo):
    client.force_login(canbo)
    page = client.get("/").content.decode()
    assert "Xin chào, Lê Thị Thu Hà" in page
