from django.contrib import admin
from django.urls import include, path

from agencies import views as agency_views

urlpatterns = [
    path("", agency_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("agencies/", include("agencies.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("registrations/", include("registrations.urls")),
    path("scoring/", include("scoring.urls")),
    path("awards/", include("awards.urls")),
    path("admin/", admin.site.urls),
]
