"""The single sign-on addresses, present only when OpenID Connect is configured (OIDC_RP_CLIENT_ID):
without it this list is empty and the library is never imported."""

from django.conf import settings
from django.urls import path

urlpatterns = []

if getattr(settings, "OIDC_ENABLED", False):
    from .oidc import PortalOIDCCallbackView, PortalOIDCRequestView

    urlpatterns = [
        path("authenticate/", PortalOIDCRequestView.as_view(), name="oidc_authentication_init"),
        path("callback/", PortalOIDCCallbackView.as_view(), name="oidc_authentication_callback"),
    ]
