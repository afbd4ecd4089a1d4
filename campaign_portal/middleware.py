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
