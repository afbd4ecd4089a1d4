"""Production-mode error pages (issue 9, item 13): Vietnamese, in the portal's frame, no developer words."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from agencies.models import Role
from tests.factories import AgencyFactory, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ui.urls")]

ENGLISH = ("Not Found", "Server Error", "Forbidden", "CSRF", "requested resource", "Traceback", "DEBUG")


@pytest.fixture(autouse=True)
def _production_mode(settings):
    settings.DEBUG = False


def _assert_no_english(html: str) -> None:
    for word in ENGLISH:
        assert word not in html, word


def test_404_is_vietnamese_in_the_portal_frame(client):
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<h1 class="h3">Không tìm thấy trang</h1>' in html
    assert 'class="navbar navbar-expand-xxl navbar-dark portal-navbar"' in html
    assert 'href="/">' in html  # the way home
    _assert_no_english(html)


def test_404_for_a_logged_in_user_keeps_the_menu(client):
    user = user_with_role(Role.HOME_AFFAIRS, AgencyFactory())
    client.force_login(user)
    html = client.get("/scoring/result/999999/").content.decode()
    assert "Không tìm thấy trang" in html
    assert "Danh bạ cơ quan" in html  # the navigation of the user's role
    _assert_no_english(html)


def test_403_is_vietnamese(client):
    response = client.get("/test-errors/forbidden/")
    html = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="h3">Không có quyền truy cập</h1>' in html
    assert "internal reason" not in html
    _assert_no_english(html)


def test_csrf_failure_is_vietnamese_and_explains_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/test-errors/form/", {"x": "1"})
    html = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="h3">Phiên làm việc đã hết hạn</h1>' in html
    assert "tải lại trang rồi thực hiện lại" in html
    assert "portal-navbar" in html
    _assert_no_english(html)


def test_500_is_vietnamese_and_shows_no_traceback():
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Hệ thống đang gặp sự cố</h1>" in html
    assert "developer" not in html
    _assert_no_english(html)


def test_500_page_needs_no_database_nor_context_processors(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in html
    assert "{%" not in html and "static/" not in html  # self-contained: inline style, no static files


def test_english_user_gets_english_error_pages(client):
    client.cookies["django_language"] = "en"
    html = client.get("/khong-co-trang-nay/").content.decode()
    assert "Page not found" in html


def test_csrf_failure_of_an_autosave_is_one_sentence():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/test-errors/form/", {"x": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response["Content-Type"] == "text/plain; charset=utf-8"  # the page's status line shows it
    assert (
        response.content.decode()
        == "Phiên làm việc đã hết hạn: chưa lưu được. Hãy tải lại trang rồi nhập lại."
    )
