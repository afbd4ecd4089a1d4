from django.urls import path, re_path

from . import assign_views, import_views, review_views, sheet_views, views

app_name = "scoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/par/", import_views.import_par, name="import_par"),
    path("import/staff/", import_views.import_staff, name="import_staff"),
    path(
        "import/mau-nhap-chi-so-cchc.xlsx", import_views.import_template, {"kind": "par"}, name="par_template"
    ),
    path(
        "import/mau-nhap-xep-loai-can-bo.xlsx",
        import_views.import_template,
        {"kind": "staff"},
        name="staff_template",
    ),
    path("par/", views.par_list, name="par_list"),
    path("par/<int:pk>/", views.par_history, name="par_history"),
    path("staff-ratings/", views.staff_list, name="staff_list"),
    path("reviews/", review_views.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", review_views.review, name="review"),
    path("result/<int:pk>/", views.result_by_id, name="result"),
    path("<slug:code>/", views.results, name="results"),
    path("<slug:code>/compute/", views.compute, name="compute"),
    re_path(r"^(?P<code>[-\w]+)/export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("<slug:code>/bloc/<str:bloc>/", views.bloc_results, name="bloc"),
    # Stable candidate addresses (plan, award form, kind, agency, person): they survive a recompute.
    path("<slug:code>/candidate/<slug:form>/<slug:kind>/<str:agency>/", views.candidate, name="candidate"),
    path(
        "<slug:code>/candidate/<slug:form>/<slug:kind>/<str:agency>/<str:person>/",
        views.candidate,
        name="person_candidate",
    ),
    path("<slug:code>/warnings/", views.warnings, name="warnings"),
    re_path(
        r"^(?P<code>[-\w]+)/warnings/export\.(?P<fmt>csv|xlsx)$",
        views.warnings_export,
        name="warnings_export",
    ),
    path("<slug:code>/assign/", assign_views.assign, name="assign"),
    path("<slug:code>/sheet/", sheet_views.score_sheet, name="score_sheet"),
    path("<slug:code>/sheet/phieu-cham.xlsx", sheet_views.score_sheet_download, name="score_sheet_download"),
    path("<slug:code>/sheet/confirm/", sheet_views.score_sheet_confirm, name="score_sheet_confirm"),
    path("<slug:code>/initiatives/", review_views.initiatives, name="initiatives"),
    path(
        "<slug:code>/initiatives/<int:pk>/select/", review_views.select_initiative, name="select_initiative"
    ),
]
