from django.urls import path

from . import register_views, views

app_name = "awards"

urlpatterns = [
    path("", views.index, name="index"),
    path("make/<slug:code>/", views.make_list, name="make_list"),
    path("list/<int:pk>/", views.list_detail, name="list"),
    path("list/<int:pk>/add/", views.add_proposal, name="add"),
    path("list/<int:pk>/remove/<int:proposal>/", views.remove_proposal, name="remove"),
    path("list/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("list/<int:pk>/session/", views.open_session, name="open_session"),
    path("list/<int:pk>/approve/", views.approve, name="approve"),
    path("list/<int:pk>/return/", views.return_list, name="return"),
    path("list/<int:pk>/amend/", views.amend, name="amend"),
    path("list/<int:pk>/export.xlsx", views.export, name="export"),
    path("session/<int:pk>/", views.session_detail, name="session"),
    path("session/<int:pk>/vote/", views.vote, name="vote"),
    path("session/<int:pk>/written/", views.written_opinion, name="written"),
    path("session/<int:pk>/tie/", views.decide_tie, name="tie"),
    path("session/<int:pk>/close/", views.close_session, name="close"),
    path("results/<slug:code>/", views.public_results, name="public"),
    path("register/", register_views.register, name="register"),
    path("register/export.xlsx", register_views.register_export, name="register_export"),
    path("register/import/", register_views.register_import, name="register_import"),
    path(
        "register/import/mau-nhap-khen-thuong.xlsx",
        register_views.register_template,
        name="register_template",
    ),
]
