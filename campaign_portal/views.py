"""Error views the project needs beyond Django's defaults."""

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    """A refused form (stale or missing CSRF token) in the portal's frame, in Vietnamese.

    Django's default page is English and developer-worded; ``reason`` is for the logs, not for users.
    """
    return render(request, "403_csrf.html", status=403)
