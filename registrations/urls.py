from django.urls import path

import agencies.converters  # noqa: F401 - registers <agency:…>

from . import views, views_report, views_review

app_name = "registrations"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/<int:round_pk>/<agency:agency_code>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/people/add/", views.individual_add, name="individual_add"),
    path("<int:pk>/people/import/", views.individual_import, name="individual_import"),
    path("people/mau-nhap-ca-nhan-dang-ky.xlsx", views.people_template, name="people_template"),
    path("<int:pk>/people/<int:item_pk>/remove/", views.individual_remove, name="individual_remove"),
    path("<int:pk>/initiatives/new/", views.initiative_edit, name="initiative_new"),
    path("<int:pk>/initiatives/<int:item_pk>/", views.initiative_edit, name="initiative_edit"),
    path("<int:pk>/initiatives/<int:item_pk>/delete/", views.initiative_delete, name="initiative_delete"),
    path("<int:pk>/files/<int:file_pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/extension/", views_review.extension, name="extension"),
    path("<int:pk>/report/", views_report.report, name="report"),
    path(
        "<int:pk>/report/criteria/<int:criterion_pk>/evidence/",
        views_report.report_evidence,
        name="report_evidence",
    ),
    path("<int:pk>/report/submit/", views_report.report_submit, name="report_submit"),
    path("files/<int:file_pk>/", views.evidence_download, name="evidence_download"),
    path("campaign/<slug:code>/", views_review.review_list, name="review_list"),
    path("campaign/<slug:code>/bulk/", views_review.review_bulk, name="review_bulk"),
    path("campaign/<slug:code>/progress/", views_review.dashboard, name="dashboard"),
    path(
        "campaign/<slug:code>/registrations.xlsx",
        views_review.export_registrations,
        name="export_registrations",
    ),
    path("campaign/<slug:code>/initiatives.xlsx", views_review.export_initiatives, name="export_initiatives"),
]
