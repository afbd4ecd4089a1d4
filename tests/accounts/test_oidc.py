"""Issue 12: optional single sign-on. A real OpenID Connect provider (oidc-provider-mock, from PyPI)
runs on 127.0.0.1 in a thread; mozilla-django-oidc does the real authorization-code flow with it
over HTTP: discovery document, authorization, token exchange, signature check against the
provider's keys, userinfo. Accounts are matched by e-mail; SSO never creates one."""

from __future__ import annotations

import importlib
import threading
from urllib.parse import urlsplit

import oidc_provider_mock
import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import NoReverseMatch, clear_url_caches, resolve, reverse
from django.urls.exceptions import Resolver404
from werkzeug.serving import make_server

from agencies.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
User = get_user_model()
PEOPLE = [
    oidc_provider_mock.User(sub="hanh", claims={"email": "NTH@AnLac.gov.vn", "email_verified": True}),
    oidc_provider_mock.User(sub="stranger", claims={"email": "stranger@tinh.gov.vn", "email_verified": True}),
    oidc_provider_mock.User(sub="unverified", claims={"email": "nth@anlac.gov.vn", "email_verified": False}),
]


@pytest.fixture(scope="module")
def provider():
    server = make_server(
        "127.0.0.1", 0, oidc_provider_mock.app(user_claims=PEOPLE, require_nonce=True), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def reload_urls():
    """The URL patterns as the settings now say (the resolvers are built when the modules load)."""
    import agencies.oidc_urls
    import campaign_portal.urls

    importlib.reload(agencies.oidc_urls)
    importlib.reload(campaign_portal.urls)
    clear_url_caches()


@pytest.fixture
def sso(settings, provider):
    """The settings OIDC_RP_CLIENT_ID and OIDC_OP_DISCOVERY give (campaign_portal/settings.py)."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "cong-thi-dua"
    settings.OIDC_RP_CLIENT_SECRET = "bi-mat"
    settings.OIDC_OP_DISCOVERY = f"{provider}/.well-known/openid-configuration"
    for name in ("AUTHORIZATION", "TOKEN", "USER", "JWKS"):
        setattr(settings, f"OIDC_OP_{name}_ENDPOINT", None)
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_USE_PKCE = True
    settings.OIDC_VERIFY_SSL = True
    settings.OIDC_TIMEOUT = 10
    settings.OIDC_LOGIN_LABEL = ""
    settings.OIDC_CREATE_USER = False
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "agencies.oidc.PortalOIDCBackend"]
    cache.clear()
    reload_urls()
    yield provider
    settings.OIDC_ENABLED = False
    reload_urls()


def sign_in(client, subject: str, next_url: str = ""):
    """The browser's round trip: the portal sends it to the provider, the person picks ``subject``
    there, the provider sends it back to the portal's callback."""
    start = reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302
    authorize = response["Location"]
    assert authorize.startswith("http://127.0.0.1:")
    answer = requests.post(authorize, data={"sub": subject}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    back = urlsplit(answer.headers["Location"])
    assert back.path == reverse("oidc_authentication_callback")
    return client.get(f"{back.path}?{back.query}")


def test_login_round_trip_matches_the_imported_account_by_email(client, sso):
    user = user_with_role(Role.STAFF, _ward(), username="nth", email="nth@anlac.gov.vn")
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập bằng tài khoản một cửa / SSO" in page
    users_before = User.objects.count()
    response = sign_in(client, "hanh", next_url="/registrations/")
    assert response.status_code == 302 and response["Location"] == "/registrations/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(reverse("home")).context["user"] == user
    assert User.objects.count() == users_before
    assert list(user.memberships.values_list("role", flat=True)) == ["staff"]


def test_an_unknown_email_is_refused_in_vietnamese_and_nothing_is_created(client, sso):
    users_before = User.objects.count()
    response = sign_in(client, "stranger")
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert (
        "Tài khoản một cửa (stranger@tinh.gov.vn) chưa được cấp quyền trên Cổng thi đua. "
        "Cổng không tự tạo tài khoản: hãy liên hệ cán bộ Nội vụ để được tạo tài khoản "
        "với đúng địa chỉ thư điện tử này."
    ) in page
    assert User.objects.count() == users_before


def test_an_unverified_email_and_a_locked_account_are_refused(client, sso):
    user = user_with_role(Role.STAFF, _ward(), username="nth", email="nth@anlac.gov.vn")
    response = sign_in(client, "unverified")
    assert "_auth_user_id" not in client.session
    assert "chưa được hệ thống một cửa xác minh" in client.get(response["Location"]).content.decode()
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = sign_in(client, "hanh")
    assert "_auth_user_id" not in client.session
    assert (
        "Tài khoản NTH@AnLac.gov.vn trên Cổng thi đua đang bị khoá; hãy liên hệ cán bộ Nội vụ."
        in client.get(response["Location"]).content.decode()
    )


def test_a_provider_that_does_not_answer(client, sso, settings):
    settings.OIDC_OP_DISCOVERY = "http://127.0.0.1:9/.well-known/openid-configuration"
    cache.clear()
    response = client.get(reverse("oidc_authentication_init"), follow=True)
    assert "Không kết nối được hệ thống đăng nhập một cửa" in response.content.decode()
    # A password login does not ask the provider anything.
    user_with_role(Role.STAFF, _ward(), username="nth", email="nth@anlac.gov.vn")
    response = client.post(reverse("login"), {"username": "nth", "password": "demo-2026"})
    assert response.status_code == 302


def test_without_the_settings_nothing_changes(client):
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    with pytest.raises(Resolver404):
        resolve("/accounts/oidc/authenticate/")
    assert "SSO" not in client.get(reverse("login")).content.decode()


def _ward():
    from tests.factories import AgencyFactory

    return AgencyFactory(code="p-anlac", name="Phường An Lạc")
