"""The portal's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_protect

from campaign_portal.urls import urlpatterns as portal_urlpatterns


def boom(request):
    raise RuntimeError("a developer's traceback text that users must never see")


def forbidden(request):
    raise PermissionDenied("internal reason")


@csrf_protect
def form_target(request):
    return HttpResponse("ok")


urlpatterns = [
    path("test-errors/boom/", boom),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/form/", form_target),
    *portal_urlpatterns,
]
