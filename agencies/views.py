"""The directory's pages: the home page (work list), the list of agencies, one agency, and the
directory import (through the one import page)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.audit import history_for
from common.import_pages import import_page
from common.pages import AGENCY_PAGE, render_sections
from common.parsing import search_param
from common.tabular import template_response
from common.worklist import work_for

from .agency_import import AGENCY_IMPORT, AGENCY_TABLE
from .models import Agency, AgencyKind, Membership, Person, Role
from .rules import get_agency_for_user, has_perm, require_perm, visible_agencies


@login_required
def home(request):
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("agency", "agency__parent")
        .order_by("agency__path", "role")
    )
    by_agency: dict[Agency, list[Membership]] = {}
    for m in memberships:
        by_agency.setdefault(m.agency, []).append(m)
    person = Person.objects.filter(user=request.user).select_related("agency").first()
    work = work_for(request.user)
    roles = {m.role for m in memberships}
    upcoming = [str(text) for role, text in UPCOMING if role in roles] if not work else []
    return render(
        request,
        "agencies/home.html",
        {"by_agency": by_agency, "person": person, "work": work, "upcoming": upcoming},
    )


#: With nothing waiting, what will come to the user next, per role (the work list's empty state).
UPCOMING = [
    (Role.STAFF, gettext_lazy("Khi kế hoạch mở đăng ký hoặc đến hạn báo cáo, việc sẽ hiện ở đây.")),
    (
        Role.HEAD,
        gettext_lazy("Khi cán bộ phụ trách thi đua gửi đăng ký, đăng ký sẽ hiện ở đây để anh/chị xác nhận."),
    ),
    (
        Role.HOME_AFFAIRS,
        gettext_lazy("Khi có đăng ký chờ xét duyệt hoặc danh sách cần lập, việc sẽ hiện ở đây."),
    ),
    (
        Role.COUNCIL,
        gettext_lazy(
            "Khi Phòng/Sở Nội vụ phân công anh/chị chấm điểm hoặc mở phiên bình xét, hồ sơ và phiên họp "
            "sẽ hiện ở đây."
        ),
    ),
    (
        Role.LEADERSHIP,
        gettext_lazy(
            "Khi Hội đồng Thi đua - Khen thưởng bình xét xong, danh sách đề nghị khen thưởng sẽ hiện ở "
            "đây để anh/chị phê duyệt."
        ),
    ),
]


@login_required
def agency_list(request):
    require_perm(request.user, "agencies.view_directory")
    agencies = (
        visible_agencies(request.user)
        .select_related("parent")
        .annotate(people_count=Count("people", distinct=True))
        .order_by("path")
    )
    kind = request.GET.get("kind", "")
    if kind in AgencyKind.values:
        agencies = agencies.filter(kind=kind)
    query = search_param(request.GET.get("q"))
    if query:
        agencies = agencies.filter(name__icontains=query) | agencies.filter(code__iexact=query)
    return render(
        request,
        "agencies/agency_list.html",
        {"agencies": agencies, "kinds": AgencyKind.choices, "kind": kind, "q": query},
    )


@login_required
def agency_detail(request, code):
    agency = get_agency_for_user(request.user, code)
    people = agency.people.all()
    children = agency.children.order_by("name")
    history = history_for(agency)[:50] if has_perm(request.user, "agencies.view_history") else None
    return render(
        request,
        "agencies/agency_detail.html",
        {
            "agency": agency,
            "people": people,
            "children": children,
            "history": history,
            "sections": render_sections(AGENCY_PAGE, request, agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_import(request):
    require_perm(request.user, "agencies.import_agencies")
    return import_page(
        request,
        AGENCY_IMPORT,
        template="agencies/agency_import.html",
        success_url=reverse("agencies:list"),
        context={"kinds": AgencyKind.choices},
    )


@login_required
def agency_import_template(request):
    """The XLSX template of the directory import."""
    require_perm(request.user, "agencies.import_agencies")
    return template_response(AGENCY_TABLE)
