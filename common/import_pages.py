"""The one page of every browser import: upload -> preview (nothing written) -> confirm.

A view checks the permission and calls ``import_page`` with its ``TableImport`` (see
``common.importing``). Uploading a file reads it and runs the planner: the page shows the row
errors (all or nothing: nothing is written) or the preview with a confirm button. The file waits
in Django's default storage (``common.staging``) under a token only the uploader's session knows;
confirming reads that copy again and runs the writer, which checks every row again against the
database as it is then.

An import with options chosen on the upload form (the PAR Index import's plan) names the form's
extra ``fields``; their values are staged with the file, so the confirmation imports exactly what
the preview showed, and ``options`` turns them into the keyword arguments of the planner and the
writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import TableUploadForm
from .importing import TableImport
from .staging import discard, stage, staged_file
from .tabular import ImportErrors, TableError, read_table

PREVIEW_ROWS = 200
TOKEN_FIELD = "token"


def import_page(
    request: HttpRequest,
    importer: TableImport,
    *,
    template: str,
    success_url: str,
    fields: Iterable[str] = (),
    options: Callable[[Mapping[str, str]], dict[str, Any]] | None = None,
    scope: str = "",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Answer the import's page: GET shows the form, a POST with a file previews it, a POST with
    the preview's token imports the staged file and redirects to ``success_url``. ``scope`` names
    the object an import is for (a registration): a file staged for one is not confirmed for
    another. A rule of a service that refuses the whole import (``PortalError``) is shown as the
    page's error messages."""
    kind = f"{importer.kind}:{scope}" if scope else importer.kind
    form = TableUploadForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {"errors": [], "errors_more": "", "preview": None, "staged": None}
    values = {name: request.POST.get(name, "") for name in fields}
    if request.method == "POST" and TOKEN_FIELD in request.POST:
        staged = staged_file(request, kind, request.POST.get(TOKEN_FIELD))
        form = TableUploadForm()
        if staged is None:
            messages.error(
                request,
                _("Không tìm thấy tệp đã xem trước (có thể đã nhập hoặc đã quá hạn); hãy tải tệp lên lại."),
            )
        else:
            values = dict(staged.fields)
            try:
                with staged.open() as handle:
                    rows = read_table(handle, staged.filename, importer.spec)
                result = importer.write(rows, actor=request.user, **_options(options, values))
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
            except ValidationError as exc:  # PortalError: a rule refused the whole import
                _refused(request, exc)
            else:
                discard(request, staged)
                messages.success(request, str(result))
                return redirect(success_url)
            discard(request, staged)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_table(upload, upload.name, importer.spec)
            preview = importer.plan(rows, actor=request.user, **_options(options, values))
        except TableError as exc:
            form.add_error("file", str(exc))
        except ImportErrors as exc:
            ctx["errors"], ctx["errors_more"] = exc.errors, exc.more_text()
            messages.error(
                request, _("Tệp có %(n)s dòng lỗi; chưa có dòng nào được nhập.") % {"n": exc.total}
            )
        except ValidationError as exc:  # PortalError: a rule refused the whole import
            _refused(request, exc)
        else:
            ctx["preview"] = preview
            ctx["preview_rows"] = preview.changes[:PREVIEW_ROWS]
            ctx["preview_more"] = max(len(preview.changes) - PREVIEW_ROWS, 0)
            ctx["staged"] = stage(request, kind, upload, fields=values)
            ctx["filename"] = upload.name
    ctx["form"] = form
    ctx["values"] = values
    ctx.update(context or {})
    return render(request, template, ctx)


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _options(
    options: Callable[[Mapping[str, str]], dict[str, Any]] | None, values: Mapping[str, str]
) -> dict[str, Any]:
    return options(values) if options is not None else {}
