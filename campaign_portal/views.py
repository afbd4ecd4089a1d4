"""Error views the project needs beyond Django's defaults."""

from django.http import HttpResponseForbidden
from django.shortcuts import render
from django.utils.translation import gettext as _


def csrf_failure(request, reason: str = ""):
    """A refused form (stale or missing CSRF token) in the portal's frame, in Vietnamese.

    Django's default page is English and developer-worded; ``reason`` is for the logs, not for users.
    An autosave (htmx) shows the answer inside the page's status line, so it gets one sentence.
    """
    if request.headers.get("HX-Request"):
        return HttpResponseForbidden(
            _("Phiên làm việc đã hết hạn: chưa lưu được. Hãy tải lại trang rồi nhập lại."),
            content_type="text/plain; charset=utf-8",
        )
    return render(request, "403_csrf.html", status=403)
