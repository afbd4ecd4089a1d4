"""The platform's action helper, confirmation page, state badges and query-string tag."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.template import Context, Template
from django.test import RequestFactory

from common.actions import confirmation, is_confirmed, perform
from common.errors import PortalError


def _request(method="post", data=None):
    request = getattr(RequestFactory(), method)("/x/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_becomes_the_messages_and_a_redirect_back():
    request = _request()

    def refuse():
        raise PortalError(["Hạn gửi đã qua.", "Thiếu tệp minh chứng."])

    response = perform(request, refuse, redirect_to="/back/", success="Đã gửi.")
    assert (response.status_code, response["Location"]) == (302, "/back/")
    assert [str(m) for m in get_messages(request)] == ["Hạn gửi đã qua.", "Thiếu tệp minh chứng."]


def test_success_says_so_and_goes_where_the_result_leads():
    request = _request()
    response = perform(
        request, lambda: 42, redirect_to=lambda n: f"/item/{n}/", success=lambda n: f"Đã lập hồ sơ {n}."
    )
    assert response["Location"] == "/item/42/"
    assert [str(m) for m in get_messages(request)] == ["Đã lập hồ sơ 42."]


def test_an_error_target_apart_from_the_success_target():
    request = _request()

    def refuse():
        raise PortalError("Không được.")

    assert perform(request, refuse, redirect_to="/ok/", on_error="/form/")["Location"] == "/form/"


def test_other_exceptions_are_not_swallowed():
    with pytest.raises(ZeroDivisionError):
        perform(_request(), lambda: 1 / 0, redirect_to="/x/")


@pytest.mark.django_db
def test_the_confirmation_page_carries_the_form_and_asks_first():
    request = _request(data={"number": "05/QĐ-UBND", "ids": ["1", "2"], "csrfmiddlewaretoken": "t"})
    request.user = type("U", (), {"is_authenticated": False})()
    assert not is_confirmed(request)
    response = confirmation(
        request,
        title="Phê duyệt danh sách",
        statements=["Ban hành Quyết định 05/QĐ-UBND ngày 06/12/2026: 15 trường hợp, tổng 14.742.000 đ"],
        action_url="/approve/",
        cancel_url="/list/",
        button="Phê duyệt",
    )
    html = response.content.decode()
    assert "Ban hành Quyết định 05/QĐ-UBND ngày 06/12/2026: 15 trường hợp, tổng 14.742.000 đ" in html
    assert '<input type="hidden" name="number" value="05/QĐ-UBND">' in html
    assert html.count('name="ids"') == 2
    assert '<input type="hidden" name="confirmed" value="1">' in html
    assert 'name="csrfmiddlewaretoken" value="t"' not in html
    assert 'href="/list/"' in html
    assert is_confirmed(_request(data={"confirmed": "1"}))


def test_state_badges_take_their_colour_from_one_table():
    html = Template(
        "{% load portal %}{% state_badge 'returned' 'Trả lại' %}{% state_badge 'x' 'Khác' %}"
    ).render(Context())
    assert html == (
        '<span class="badge text-bg-danger">Trả lại</span>\n'
        '<span class="badge text-bg-secondary">Khác</span>\n'
    )


def test_query_with_keeps_the_other_parameters():
    request = RequestFactory().get("/list/", {"q": "Bình Tân", "page": "2"})
    out = Template("{% load portal %}{% query_with page=3 %}").render(Context({"request": request}))
    assert out == "q=B%C3%ACnh+T%C3%A2n&amp;page=3"
