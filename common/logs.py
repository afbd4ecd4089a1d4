"""Structured logs: one JSON object per line, each with the request id of what caused it.

``RequestIdMiddleware`` gives every request an id (the proxy's ``X-Request-ID`` when it sends a
sane one, else a new one), returns it in the response's ``X-Request-ID`` header and puts it on every
log record of the request (``RequestIdFilter``). Tasks sent while handling the request carry it in
their message headers (``before_task_publish``) and the worker logs under it (``task_prerun``), so
one id follows an action from the click to the last document a worker renders. A task started by
beat logs under its own task id. ``LOG_FORMAT=json`` (production's default) writes JSON lines
(python-json-logger); ``plain`` the classic one-line text.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def request_id_context(value: str) -> Iterator[str]:
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Every record gets ``request_id`` ("-" outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get() or "-"
        return True


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        value = incoming if _SANE.match(incoming) else new_request_id()
        with request_id_context(value):
            response = self.get_response(request)
        response[HEADER] = value
        return response


# --- Celery: the id travels in the task's headers ----------------------------------------------------

_task_tokens: dict[str, contextvars.Token[str]] = {}


def _before_publish(headers: dict[str, Any] | None = None, **_: Any) -> None:
    if headers is not None and _request_id.get():
        headers.setdefault("request_id", _request_id.get())


def _task_started(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    request = getattr(task, "request", None)
    value = getattr(request, "request_id", None) or (
        (getattr(request, "headers", None) or {}).get("request_id")
    )
    if task_id:
        _task_tokens[task_id] = _request_id.set(str(value or _request_id.get() or task_id))


def _task_finished(task_id: str | None = None, **_: Any) -> None:
    token = _task_tokens.pop(task_id or "", None)
    if token is not None:
        with contextlib.suppress(ValueError):
            _request_id.reset(token)


def connect_celery() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(_before_publish, weak=False, dispatch_uid="common.logs.publish")
    task_prerun.connect(_task_started, weak=False, dispatch_uid="common.logs.prerun")
    task_postrun.connect(_task_finished, weak=False, dispatch_uid="common.logs.postrun")
