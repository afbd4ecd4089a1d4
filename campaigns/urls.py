from django.urls import path, re_path

from . import views, views_edit

app_name = "campaigns"
#: The editor's steps: another word in the address is not a page (404 from the resolver).
STEP = "|".join(name for name, _label in views_edit.STEPS)

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
    re_path(rf"^(?P<code>[-a-zA-Z0-9_]+)/edit/(?P<step>{STEP})/$", views_edit.edit_step, name="edit"),
]
