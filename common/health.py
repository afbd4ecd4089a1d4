"""``/healthz``: is this process able to serve? The database, the broker and the file storage each
get one round trip, with a short timeout.

Anyone may ask (the container's probe, the load balancer): the answer is 200 ``{"status": "ok"}`` or
503 ``{"status": "unavailable"}`` and nothing more. The administrator (a superuser) also gets each
check's result, its time and the error, for the operator's eyes (docs/operations.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from . import storage


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker() -> None:
    """The Redis broker answers (no broker configured: tasks run in-process, nothing to check)."""
    if not getattr(settings, "REDIS_URL", None):
        return
    from celery import current_app

    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
        cast(Any, conn.default_channel).client.ping()  # a round trip: the pool may connect lazily


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "broker": _broker,
    "storage": lambda: storage.check(),
}


def run_checks() -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:  # every failure is a "no", with its reason for the administrator
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round(1000 * (time.monotonic() - started), 1)
    return results


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    results = run_checks()
    ok = all(r["ok"] for r in results.values())
    body: dict[str, object] = {"status": "ok" if ok else "unavailable"}
    if request.user.is_authenticated and request.user.is_superuser:
        body["checks"] = results
    return JsonResponse(body, status=200 if ok else 503)
