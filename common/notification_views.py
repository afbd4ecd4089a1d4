"""The notification centre's pages: the list, open (mark read and follow), mark all read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import notifications
from .models import Notification

PAGE_SIZE = 30

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    class AuthenticatedRequest(HttpRequest):
        """A request behind ``login_required``."""

        user: User


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    qs = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk")
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "common/notifications.html",
        {"page": page, "notifications": page.object_list, "unread_only": unread_only},
    )


@login_required
@require_POST
def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponseRedirect:
    """Mark one notification read, then go where it leads (or back to the list)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.mark_read(request.user, [notification.pk])
    target = notification.url
    if (
        request.POST.get("stay")
        or not target
        or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return redirect("common:notifications")
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request: AuthenticatedRequest) -> HttpResponseRedirect:
    notifications.mark_read(request.user)
    return redirect("common:notifications")
