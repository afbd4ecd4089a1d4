from django.urls import path

from . import (  # noqa: F401 - converters registers <agency:…>
    account_views,
    converters,
    people_views,
    views,
)

app_name = "agencies"

urlpatterns = [
    path("", views.agency_list, name="list"),
    path("import/", views.agency_import, name="import"),
    path("import/mau-nhap-danh-ba-co-quan.xlsx", views.agency_import_template, name="import_template"),
    path("accounts/", account_views.account_list, name="accounts"),
    path("accounts/new/", account_views.account_add, name="account_add"),
    path("accounts/import/", account_views.account_import, name="account_import"),
    path("accounts/import/confirm/", account_views.account_import_confirm, name="account_import_confirm"),
    path(
        "accounts/import/mau-nhap-tai-khoan.xlsx",
        account_views.account_import_template,
        name="account_import_template",
    ),
    path("accounts/<int:pk>/", account_views.account_detail, name="account"),
    path("accounts/<int:pk>/edit/", account_views.account_edit, name="account_edit"),
    path("accounts/<int:pk>/roles/", account_views.account_roles, name="account_roles"),
    path("accounts/<int:pk>/deactivate/", account_views.account_deactivate, name="account_deactivate"),
    path("accounts/<int:pk>/reactivate/", account_views.account_reactivate, name="account_reactivate"),
    path("accounts/<int:pk>/invite/", account_views.account_invite, name="account_invite"),
    path("people/import/", people_views.people_import, name="people_import"),
    path("people/import/mau-nhap-ca-nhan.xlsx", people_views.people_import_template, name="people_template"),
    path("people/<int:pk>/", people_views.person_detail, name="person"),
    path("<agency:code>/", views.agency_detail, name="detail"),
    path("<agency:code>/people/", people_views.agency_people, name="people"),
]
