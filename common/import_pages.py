"""The page shape of an import with a preview: upload -> preview (nothing written) -> confirm.

A view names its table, the function that checks a file and says what it will do (``plan``) and
the one that imports it (``write``); both take the rows and ``actor=``. The page shows the row
errors (all-or-nothing: nothing is written), or the preview with a confirm button; confirming
reads the staged file again and imports it, checked again against the database as it is then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import TableUploadForm
from .staging import discard, stage, staged_file
from .tabular import ImportErrors, TableError, TableSpec, read_table

PREVIEW_ROWS = 200


def import_page(
    request: HttpRequest,
    *,
    kind: str,
    spec: TableSpec,
    plan: Callable[..., Any],
    write: Callable[..., Any],
    template: str,
    success_url: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    form = TableUploadForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {"errors": [], "errors_more": "", "preview": None, "token": ""}
    if request.method == "POST" and "token" in request.POST:
        staged = staged_file(request, kind, request.POST.get("token"))
        form = TableUploadForm()
        if staged is None:
            messages.error(request, _("Tệp đã tải lên không còn; hãy tải tệp lên lại."))
        else:
            try:
                with staged.open() as handle:
                    rows = read_table(handle, staged.filename, spec)
                result = write(rows, actor=request.user)
            except TableError as exc:
                messages.error(request, str(exc))
            except ImportErrors as exc:
                ctx["errors"], ctx["errors_more"] = exc.errors, exc.more_text()
                messages.error(
                    request,
                    _(
                        "Dữ liệu đã thay đổi từ lúc xem trước: tệp có %(n)s dòng lỗi; "
                        "chưa có dòng nào được nhập."
                    )
                    % {"n": exc.total},
                )
            else:
                discard(request, staged)
                messages.success(request, str(result))
                return redirect(success_url)
            discard(request, staged)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_table(upload, upload.name, spec)
            preview = plan(rows, actor=request.user)
        except TableError as exc:
            form.add_error("file", str(exc))
        except ImportErrors as exc:
            ctx["errors"], ctx["errors_more"] = exc.errors, exc.more_text()
            messages.error(
                request, _("Tệp có %(n)s dòng lỗi; chưa có dòng nào được nhập.") % {"n": exc.total}
            )
        else:
            ctx["preview"] = preview
            ctx["preview_rows"] = preview.changes[:PREVIEW_ROWS]
            ctx["preview_more"] = max(len(preview.changes) - PREVIEW_ROWS, 0)
            ctx["token"] = stage(request, kind, upload).token
            ctx["filename"] = upload.name
    ctx["form"] = form
    ctx.update(context or {})
    return render(request, template, ctx)
