class VietnameseByDefaultMiddleware:
    """Vietnamese unless the user chose English with the language switch.

    Government PCs often run an English browser; the browser's Accept-Language must not
    turn the portal English. Placed before LocaleMiddleware, it hides that header so only
    the language cookie (set by the switch) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A page opened with the wrong method (a form's address typed or bookmarked, e.g. "…/approve/")
    answers 405 with the portal's page in Vietnamese instead of Django's empty response; the Allow
    header is kept. Machine endpoints (JSON) keep their plain answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseNotAllowed
        from django.template.loader import render_to_string

        response = self.get_response(request)
        wants_json = "application/json" in request.headers.get("Accept", "")
        if isinstance(response, HttpResponseNotAllowed) and not response.content and not wants_json:
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
