from django.contrib import admin
from django.urls import include, path

from agencies import invitation_views
from agencies import views as agency_views
from common.health import healthz

urlpatterns = [
    path("", agency_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/invitation/<str:token>/", invitation_views.invitation, name="invitation"),
    path(
        "accounts/invitation/<str:token>/resend/",
        invitation_views.invitation_resend,
        name="invitation_resend",
    ),
    # Single sign-on (OpenID Connect): no pattern at all unless OIDC_RP_CLIENT_ID is set.
    path("accounts/oidc/", include("agencies.oidc_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", include("common.urls")),
    path("agencies/", include("agencies.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("registrations/", include("registrations.urls")),
    path("scoring/", include("scoring.urls")),
    path("awards/", include("awards.urls")),
    path("admin/", admin.site.urls),
]
