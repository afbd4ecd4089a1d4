from django.urls import path

from . import views, views_edit

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("manage/", views.manage_list, name="manage"),
    path("new/", views_edit.create, name="create"),
    path("import/", views.import_view, name="import"),
    path("<slug:code>/", views.campaign_detail, name="detail"),
    path("<slug:code>/plan.yaml", views.export, name="export"),
    path("<slug:code>/state/", views.change_state, name="state"),
    path("<slug:code>/copy/", views.copy, name="copy"),
    path("<slug:code>/edit/", views_edit.edit_step, name="edit_start"),
    path("<slug:code>/edit/<slug:step>/", views_edit.edit_step, name="edit"),
]
