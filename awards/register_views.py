"""Pages of the awards register (sổ theo dõi khen thưởng): search, export, import of earlier
years' awards (upload, preview, confirm), and its sections on the agency's and the person's pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from agencies.rules import has_perm, require_perm
from campaigns.models import AwardKind
from common.import_pages import import_page
from common.parsing import page_param, search_param, year_param
from common.spreadsheets import spreadsheet_response
from common.tabular import template_response

from .models import AwardRecord
from .register import AWARD_TABLE, AWARDS_IMPORT, register_xlsx, search_records, visible_records

PAGE_SIZE = 100
SECTION_ROWS = 50


def _filters(request) -> dict:
    form = search_param(request.GET.get("form"), max_length=100)
    return {
        "query": search_param(request.GET.get("q")),
        "year": year_param(request.GET.get("year")),
        "form": form,
    }


@login_required
def register(request):
    require_perm(request.user, "awards.view_register")
    filters = _filters(request)
    records = search_records(visible_records(request.user), **filters)
    page = Paginator(records, PAGE_SIZE).get_page(page_param(request.GET.get("page")))
    return render(
        request,
        "awards/register.html",
        {
            "page": page,
            "records": page.object_list,
            "q": filters["query"],
            "year": filters["year"] or "",
            "form": filters["form"],
            "kinds": AwardKind.choices,
            "query_string": _query_string(filters),
            "can_import": has_perm(request.user, "awards.import_register"),
        },
    )


def _query_string(filters: dict) -> str:
    return urlencode(
        {
            k: v
            for k, v in (("q", filters["query"]), ("year", filters["year"]), ("form", filters["form"]))
            if v
        }
    )


@login_required
def register_export(request):
    require_perm(request.user, "awards.view_register")
    records = search_records(visible_records(request.user), **_filters(request))
    return spreadsheet_response(register_xlsx(records), f"so-khen-thuong-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def register_import(request):
    require_perm(request.user, "awards.import_register")
    return import_page(
        request,
        AWARDS_IMPORT,
        template="awards/register_import.html",
        success_url=reverse("awards:register"),
    )


@login_required
def register_template(request):
    require_perm(request.user, "awards.import_register")
    return template_response(AWARD_TABLE)


# --- sections of the directory's pages (registered in AwardsConfig.ready) --------------------------


def agency_section(request, agency) -> str:
    records = (
        AwardRecord.objects.filter(agency=agency)
        .select_related("person")
        .order_by("-decided_on", "person__full_name", "pk")
    )
    total = records.count()
    return render_to_string(
        "awards/_register_section.html",
        {
            "records": records[:SECTION_ROWS],
            "total": total,
            "more": max(total - SECTION_ROWS, 0),
            "search": f"{reverse('awards:register')}?{urlencode({'q': agency.code})}",
            "show_person": True,
        },
        request=request,
    )


def person_section(request, person) -> str:
    records = list(
        AwardRecord.objects.filter(person=person).select_related("agency").order_by("-decided_on", "pk")
    )
    return render_to_string(
        "awards/_register_section.html",
        {"records": records, "total": len(records), "more": 0, "show_agency": True},
        request=request,
    )
