from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_list, name="list"),
    path("import/", views.agency_import, name="import"),
    path("<slug:code>/", views.agency_detail, name="detail"),
]
