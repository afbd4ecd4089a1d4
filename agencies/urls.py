from django.urls import path

from . import notification_views, views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_list, name="list"),
    path("import/", views.agency_import, name="import"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read-all/", notification_views.notification_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/open/", notification_views.notification_open, name="notification_open"),
    path("<slug:code>/", views.agency_detail, name="detail"),
]
