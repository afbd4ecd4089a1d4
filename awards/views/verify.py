"""Xác minh Giấy khen, Bằng khen: the public page a certificate's QR code leads to, and the lookup by the
code typed by hand. No login; rate-limited per client address through the shared cache
(``awards.verification.throttled``): over the limit the page answers 429 and looks nothing up."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.parsing import search_param

from .. import verification


def _throttled(request):
    if verification.throttled(get_client_ip_address(request) or "unknown"):
        response = render(
            request,
            "awards/verify.html",
            {
                "error": _(
                    "Anh/chị đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau ít phút."
                )
            },
            status=429,
        )
        response["Retry-After"] = str(verification.window())
        return response
    return None


def lookup(request):
    """The form: a code typed by hand goes to its page."""
    code = search_param(request.GET.get("code", ""), max_length=40)
    if not code:
        return render(request, "awards/verify.html", {})
    refused = _throttled(request)
    if refused:
        return refused
    if verification.line_id_of(code) is None:
        return render(
            request, "awards/verify.html",
            {"code": code, "error": _("Mã tra cứu “%(code)s” không đúng. Kiểm tra lại mã in dưới mã QR.")
             % {"code": code}},
            status=404,
        )  # fmt: skip
    return redirect("awards:verify_code", code=verification.code_for(verification.line_id_of(code)))


def certificate(request, code):
    refused = _throttled(request)
    if refused:
        return refused
    found = verification.lookup(code)
    if found is None:
        return render(
            request, "awards/verify.html",
            {"code": code, "error": _("Không tìm thấy khen thưởng nào có mã tra cứu này.")},
            status=404,
        )  # fmt: skip
    return render(
        request, "awards/verify.html", {"code": verification.code_for(found.line.pk), "found": found}
    )
