"""Pages of the personnel directory: the import (upload, preview, confirm), an agency's people
(with search) and a person's page with their history. Another agency's person is 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from common.import_pages import import_page
from common.pages import PERSON_PAGE, render_sections
from common.parsing import page_param, search_param
from common.tabular import template_response

from .people_import import PEOPLE_IMPORT, PEOPLE_TABLE
from .queries import person_history, search_people
from .rules import get_agency_for_user, get_person_for_user, require_perm

PAGE_SIZE = 100


@login_required
@require_http_methods(["GET", "POST"])
def people_import(request):
    require_perm(request.user, "agencies.import_people")
    return import_page(
        request,
        PEOPLE_IMPORT,
        template="agencies/people_import.html",
        success_url=reverse("agencies:list"),  # the directory, with each agency's people count
    )


@login_required
def people_import_template(request):
    require_perm(request.user, "agencies.import_people")
    return template_response(PEOPLE_TABLE)


@login_required
def agency_people(request, code):
    agency = get_agency_for_user(request.user, code)
    query = search_param(request.GET.get("q"))
    people = search_people(agency.people.all(), query).order_by(
        "-is_head", "-is_reform_deputy", "full_name", "pk"
    )
    page = Paginator(people, PAGE_SIZE).get_page(page_param(request.GET.get("page")))
    return render(
        request,
        "agencies/people_list.html",
        {"agency": agency, "page": page, "people": page.object_list, "q": query},
    )


@login_required
def person_detail(request, pk):
    person = get_person_for_user(request.user, pk)
    return render(
        request,
        "agencies/person_detail.html",
        {
            "person": person,
            "history": person_history(person),
            "sections": render_sections(PERSON_PAGE, request, person),
        },
    )
