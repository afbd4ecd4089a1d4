"""The one shape of a view that acts: call the service, say the result, go back.

``perform(request, lambda: service(obj, actor=request.user), success=..., redirect_to=...)`` runs
the service; a ``PortalError`` becomes the page's error messages and a redirect back (nothing was
written), success a message and a redirect. Legal acts and other steps that cannot be undone ask
first: ``confirmation(request, ...)`` renders one page that restates what will happen and posts the
same form again with ``confirmed=1`` (no JavaScript needed); ``is_confirmed(request)`` tells the
view which of the two it is answering.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import PortalError

T = TypeVar("T")

Target = str | Callable[[Any], str | HttpResponse] | HttpResponse


def _go(target: Target, result: Any) -> HttpResponse:
    if callable(target) and not isinstance(target, HttpResponse):
        target = target(result)
    if isinstance(target, HttpResponse):
        return target
    return redirect(target)


def report_error(request: HttpRequest, exc: PortalError) -> None:
    """Each message of the refusal as a page error message."""
    for message in exc.messages:
        messages.error(request, message)


def perform(
    request: HttpRequest,
    action: Callable[[], T],
    *,
    redirect_to: Target,
    success: str | Callable[[T], str] | None = None,
    on_error: Target | None = None,
) -> HttpResponse:
    """Run ``action``; on a ``PortalError`` show its messages and go to ``on_error`` (by default
    ``redirect_to``), else show ``success`` (text, or made from the result) and go to ``redirect_to``
    (a URL, a URL name, a response, or a function of the result giving one)."""
    try:
        result = action()
    except PortalError as exc:
        report_error(request, exc)
        return _go(on_error if on_error is not None else redirect_to, None)
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return _go(redirect_to, result)


CONFIRM_FIELD = "confirmed"


def is_confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


def confirmation(
    request: HttpRequest,
    *,
    title: str,
    statements: Iterable[str],
    action_url: str,
    cancel_url: str,
    button: str,
    fields: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    danger: bool = False,
    warnings: Iterable[str] = (),
) -> HttpResponse:
    """The page that asks before an act: ``title``, the sentences saying exactly what will happen,
    the form's own fields carried as hidden inputs, the confirm button and a cancel link. Nothing
    is written until the confirm button posts ``confirmed=1``."""
    if fields is None:
        items = [
            (k, v)
            for k in request.POST
            for v in request.POST.getlist(k)
            if k not in {"csrfmiddlewaretoken", CONFIRM_FIELD}
        ]
    elif isinstance(fields, Mapping):
        items = list(fields.items())
    else:
        items = list(fields)
    return render(
        request,
        "common/confirm.html",
        {
            "title": title,
            "statements": list(statements),
            "warnings": list(warnings),
            "action_url": action_url,
            "cancel_url": cancel_url,
            "button": button,
            "fields": items,
            "danger": danger,
            "confirm_field": CONFIRM_FIELD,
        },
    )
