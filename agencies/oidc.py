"""Optional single sign-on (đăng nhập một lần) through the province's OpenID Connect provider.

Built on mozilla-django-oidc (authorization code flow with PKCE, signed ID token checked against
the provider's keys). Switched on by ``OIDC_RP_CLIENT_ID`` (see ``settings`` and docs/accounts.md);
without it no URL, backend or button exists.

The portal's rules on top of the library:

- the account is found by e-mail, case-insensitively, among the accounts home affairs imported or
  added; SSO never creates an account and never gives a role (``OIDC_CREATE_USER = False``);
- an unknown, unverified (``email_verified: false``), ambiguous or locked account is refused with
  a Vietnamese message on the login page;
- the provider's endpoints come from the settings or, with ``OIDC_OP_DISCOVERY``, from its
  discovery document, fetched when first needed (never at start-up, never for a password login)
  and cached for an hour.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

#: Setting -> key of the provider's discovery document (OpenID Connect Discovery 1.0).
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_CACHE_SECONDS = 3600


class ProviderUnavailable(Exception):
    """The provider did not answer (network, HTTP error, a document that is not JSON)."""


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


def discovery() -> dict:
    url = settings.OIDC_OP_DISCOVERY
    key = f"oidc-discovery:{url}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(
                url,
                timeout=getattr(settings, "OIDC_TIMEOUT", 10),
                verify=getattr(settings, "OIDC_VERIFY_SSL", True),
            )
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(str(exc)) from exc
        if not isinstance(document, dict):
            raise ProviderUnavailable("discovery document is not an object")
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def oidc_setting(attr: str, *default):
    """A setting of the library; the provider's endpoints from the discovery document when they are
    not set one by one."""
    if (
        attr in DISCOVERED
        and not getattr(settings, attr, None)
        and getattr(settings, "OIDC_OP_DISCOVERY", None)
    ):
        value = discovery().get(DISCOVERED[attr])
        if not value:
            raise ProviderUnavailable(f"discovery document has no {DISCOVERED[attr]}")
        return value
    return import_from_settings(attr, *default)


def login_label() -> str:
    return getattr(settings, "OIDC_LOGIN_LABEL", "") or _("Đăng nhập bằng tài khoản một cửa / SSO")


class PortalOIDCBackend(OIDCAuthenticationBackend):
    """Matches the provider's e-mail to an existing active account; never creates one."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every login, password logins too: read nothing from the
        # provider here (the library's __init__ would fetch the discovery document).
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = import_from_settings("OIDC_RP_CLIENT_ID")
        self.OIDC_RP_CLIENT_SECRET = import_from_settings("OIDC_RP_CLIENT_SECRET")
        self.OIDC_RP_SIGN_ALGO = import_from_settings("OIDC_RP_SIGN_ALGO", "RS256")
        self.OIDC_RP_IDP_SIGN_KEY = import_from_settings("OIDC_RP_IDP_SIGN_KEY", None)

    def _load_endpoints(self) -> None:
        self.OIDC_OP_TOKEN_ENDPOINT = self.get_settings("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = self.get_settings("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = self.get_settings("OIDC_OP_JWKS_ENDPOINT", None)
        if self.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")) and not (
            self.OIDC_RP_IDP_SIGN_KEY or self.OIDC_OP_JWKS_ENDPOINT
        ):
            raise ImproperlyConfigured("OIDC: an RS/ES algorithm needs the provider's JWKS endpoint.")

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET or "state" not in request.GET:
            return None
        try:
            self._load_endpoints()
            return super().authenticate(request, **kwargs)
        except (ProviderUnavailable, requests.RequestException) as exc:
            logger.warning("OIDC provider unavailable: %s", exc)
            _refuse(request, "provider")
        except SuspiciousOperation as exc:  # a token that does not verify
            logger.warning("OIDC login refused: %s", exc)
            _refuse(request, "token")
        return None

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = str(claims.get("email") or "").strip()
        if not email:
            _refuse(self.request, "no_email")
            return None
        if claims.get("email_verified") is False:
            _refuse(self.request, "unverified", email)
            return None
        users = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if not users:
            _refuse(self.request, "unknown", email)
            return None
        if len(users) > 1:
            _refuse(self.request, "ambiguous", email)
            return None
        user = users[0]
        if not user.is_active:
            _refuse(self.request, "inactive", email)
            return None
        return user

    def retrieve_matching_jwk(self, token):
        """The provider's signing key for this token: by its key id when the provider names its keys
        (Keycloak does), else the one signing key of the token's algorithm."""
        header = jwt.get_unverified_header(token)
        response = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT,
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
        )
        response.raise_for_status()
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("use", "sig") == "sig" and key.get("alg", header.get("alg")) == header.get("alg")
        ]
        kid = header.get("kid")
        if kid and any("kid" in key for key in keys):
            keys = [key for key in keys if key.get("kid") == kid]
        if len(keys) != 1:
            raise SuspiciousOperation("Could not find the provider's signing key.")
        return jwt.PyJWK(keys[0])

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def _refuse(request, reason: str, email: str = "") -> None:
    request.oidc_refusal = (reason, email)


def refusal_message(reason: str, email: str) -> str:
    texts = {
        "unknown": _(
            "Tài khoản một cửa (%(email)s) chưa được cấp quyền trên Cổng thi đua. Cổng không tự tạo tài "
            "khoản: hãy liên hệ cán bộ Nội vụ để được tạo tài khoản với đúng địa chỉ thư điện tử này."
        ),
        "inactive": _("Tài khoản %(email)s trên Cổng thi đua đang bị khoá; hãy liên hệ cán bộ Nội vụ."),
        "unverified": _(
            "Địa chỉ thư điện tử %(email)s chưa được hệ thống một cửa xác minh "
            "nên không dùng để đăng nhập được."
        ),
        "ambiguous": _(
            "Có nhiều tài khoản cùng địa chỉ %(email)s trên Cổng thi đua; hãy liên hệ quản trị hệ thống."
        ),
        "no_email": _("Hệ thống một cửa không cung cấp địa chỉ thư điện tử nên không tìm được tài khoản."),
        "provider": _(
            "Không kết nối được hệ thống đăng nhập một cửa; "
            "vui lòng thử lại sau hoặc đăng nhập bằng mật khẩu."
        ),
        "token": _("Không xác thực được phản hồi của hệ thống đăng nhập một cửa; vui lòng thử lại."),
    }
    return texts.get(reason, _("Đăng nhập một cửa không thành công; vui lòng thử lại.")) % {"email": email}


class PortalOIDCRequestView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = import_from_settings("OIDC_RP_CLIENT_ID")

    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            logger.warning("OIDC provider unavailable: %s", exc)
            messages.error(request, refusal_message("provider", ""))
            return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
        return super().get(request)


class PortalOIDCCallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_URL)

    def login_failure(self):
        reason, email = getattr(self.request, "oidc_refusal", ("", ""))
        if self.request.GET.get("error") and not reason:
            reason = "cancelled"
        if reason == "cancelled":
            messages.warning(self.request, _("Đăng nhập một cửa đã bị huỷ."))
        else:
            messages.error(self.request, refusal_message(reason, email))
        return HttpResponseRedirect(self.failure_url)

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation:  # a callback whose state is not in the session (replayed, other tab)
            messages.error(request, _("Phiên đăng nhập một cửa đã hết hạn; vui lòng đăng nhập lại."))
            return HttpResponseRedirect(self.failure_url)
