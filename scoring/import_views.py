"""Pages of the PAR Index and staff-rating imports (kết quả chỉ số CCHC, xếp loại cán bộ) and their
XLSX templates. Thin: parse, call the import, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.rules import has_perm
from campaigns.models import StaffRating
from common.forms import TableUploadForm
from common.tabular import ImportErrors, TableError, read_table, template_response

from . import imports
from .import_tables import PAR_TABLE, STAFF_TABLE


def _import_view(request, *, kind: str):
    if not has_perm(request.user, "scoring.import_results"):
        raise PermissionDenied
    form = TableUploadForm(request.POST or None, request.FILES or None)
    errors, errors_more = [], ""
    if kind == "par":
        spec, template = PAR_TABLE, "scoring/import_par.html"
    else:
        spec, template = STAFF_TABLE, "scoring/import_staff.html"
    from campaigns.rules import managed_campaigns

    plans = managed_campaigns(request.user).order_by("-period_start", "code")
    plan_code = request.POST.get("campaign", "")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_table(upload, upload.name, spec)
            if kind == "par":
                plan = plans.filter(code=plan_code).first() if plan_code else None
                summary = imports.import_par_index(rows, actor=request.user, campaign=plan)
            else:
                summary = imports.import_staff_ratings(rows, actor=request.user)
        except TableError as exc:
            form.add_error("file", str(exc))
        except ImportErrors as exc:
            errors, errors_more = exc.errors, exc.more_text()
            messages.error(
                request, _("Tệp có %(n)s dòng lỗi; chưa có dòng nào được nhập.") % {"n": exc.total}
            )
        else:
            messages.success(request, str(summary))
            return redirect("scoring:par_list" if kind == "par" else "scoring:staff_list")
    context = {
        "form": form,
        "errors": errors,
        "errors_more": errors_more,
        "plans": plans,
        "plan_code": plan_code,
        "ratings": StaffRating,
    }
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def import_par(request):
    return _import_view(request, kind="par")


@login_required
@require_http_methods(["GET", "POST"])
def import_staff(request):
    return _import_view(request, kind="staff")


@login_required
def import_template(request, kind):
    """The XLSX template of the PAR Index or staff-rating import."""
    if not has_perm(request.user, "scoring.import_results"):
        raise PermissionDenied
    return template_response(PAR_TABLE if kind == "par" else STAFF_TABLE)
