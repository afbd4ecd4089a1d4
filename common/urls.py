from django.urls import path

from . import notification_views

app_name = "common"

urlpatterns = [
    path("", notification_views.notification_list, name="notifications"),
    path("read-all/", notification_views.notification_read_all, name="notifications_read_all"),
    path("<int:pk>/open/", notification_views.notification_open, name="notification_open"),
]
