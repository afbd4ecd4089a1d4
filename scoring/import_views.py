"""Pages of the PAR Index and staff-rating imports (kết quả chỉ số CCHC, xếp loại cán bộ) and their
XLSX templates: the one import page (upload -> preview -> confirm) of ``common.import_pages``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.rules import require_perm
from campaigns.models import StaffRating
from campaigns.rules import managed_campaigns
from common.errors import PortalError
from common.import_pages import import_page
from common.tabular import template_response

from .import_tables import PAR_TABLE, STAFF_TABLE
from .imports import PAR_IMPORT, STAFF_IMPORT

PERM = "scoring.import_results"


@login_required
@require_http_methods(["GET", "POST"])
def import_par(request):
    """PAR Index results; the rating of a row without one comes from the bands of the plan chosen
    on the upload form (staged with the file, so the confirmation rates as the preview did)."""
    require_perm(request.user, PERM)
    plans = managed_campaigns(request.user).order_by("-period_start", "code")

    def options(values) -> dict:
        code = values.get("campaign", "")
        campaign = plans.filter(code=code).first() if code else None
        if code and campaign is None:
            raise PortalError(_("Kế hoạch đã chọn để xếp loại không còn trong phạm vi của anh/chị."))
        return {"campaign": campaign}

    return import_page(
        request,
        PAR_IMPORT,
        template="scoring/import_par.html",
        success_url=reverse("scoring:par_list"),
        fields=["campaign"],
        options=options,
        context={"plans": plans, "fields_template": "scoring/_par_fields.html"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_staff(request):
    require_perm(request.user, PERM)
    return import_page(
        request,
        STAFF_IMPORT,
        template="scoring/import_staff.html",
        success_url=reverse("scoring:staff_list"),
        context={"ratings": StaffRating},
    )


@login_required
def import_template(request, kind):
    """The XLSX template of the PAR Index or staff-rating import."""
    require_perm(request.user, PERM)
    return template_response(PAR_TABLE if kind == "par" else STAFF_TABLE)
