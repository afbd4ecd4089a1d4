"""URLconf of the benchmark and of the tests that compare with its floor: the portal's URLs plus the
bare view. Never the production ROOT_URLCONF (``tests.settings_bench`` and ``@pytest.mark.urls`` use it)."""

from django.contrib.auth.decorators import login_required
from django.template import engines
from django.urls import path

from campaign_portal.urls import urlpatterns as portal_urlpatterns

# The page shell with no data: same middleware, same layout, same context processors as a portal page.
BARE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Bench{% endblock %}'
    "{% block content %}<p>Bench</p>{% endblock %}"
)


@login_required
def bare(request):
    """The benchmark's floor: what any portal page costs before its own data."""
    from django.http import HttpResponse

    return HttpResponse(BARE.render({}, request))


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *portal_urlpatterns]
