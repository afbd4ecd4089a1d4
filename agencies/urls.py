from django.urls import path

from . import converters, notification_views, people_views, views  # noqa: F401 - converters registers <agency:…>

app_name = "agencies"

urlpatterns = [
    path("", views.agency_list, name="list"),
    path("import/", views.agency_import, name="import"),
    path("import/mau-nhap-danh-ba-co-quan.xlsx", views.agency_import_template, name="import_template"),
    path("people/import/", people_views.people_import, name="people_import"),
    path("people/import/mau-nhap-ca-nhan.xlsx", people_views.people_import_template, name="people_template"),
    path("people/<int:pk>/", people_views.person_detail, name="person"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read-all/", notification_views.notification_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/open/", notification_views.notification_open, name="notification_open"),
    path("<agency:code>/", views.agency_detail, name="detail"),
    path("<agency:code>/people/", people_views.agency_people, name="people"),
]
