"""Celery tasks handed to the broker from an outbox, after the commit.

A service calls ``send("awards.render_dossier_document", [[12], [13]], ref=..., what=...)`` inside
its transaction: an ``OutboxTask`` row is written with the rest of its work, and once the transaction
commits the row is claimed (a conditional UPDATE with a token, like the notification e-mails and the
reminders) and its messages published. If the broker is unreachable (Redis down, a network cut), the
action that committed still succeeds: the row stays unsent, the page says in Vietnamese what will
happen later (``OutboxNoticeMiddleware``), and the beat task ``common.relay_outbox`` publishes what
the broker never took, every minute, once it is back. A row whose sender died mid-way is claimed again
after ``LEASE``.

The contract for the tasks: **at least once**. A row may be published twice (its sender died after
publishing and before marking it sent); every task sent this way claims its own work (a dossier
document's state, a notification's e-mail claim), so a second delivery does nothing.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import logs
from .models import OutboxTask

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger("common.outbox")

#: A claimed row not marked sent after this long was abandoned by its sender: claim it again.
LEASE = dt.timedelta(minutes=2)
#: Sent rows are kept this long (for the administrator's eyes), then removed by the beat task.
KEEP_SENT = dt.timedelta(days=7)
RELAY_TASK = "common.relay_outbox"

#: What this request (or task) could not hand to the broker, as Vietnamese phrases for the page.
_undelivered: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "outbox_undelivered", default=()
)


def broker_errors() -> tuple[type[BaseException], ...]:
    """What publishing raises when the broker cannot be reached."""
    from kombu.exceptions import OperationalError

    errors: list[type[BaseException]] = [OperationalError, OSError, TimeoutError]
    try:
        from redis.exceptions import RedisError

        errors.append(RedisError)
    except ImportError:  # pragma: no cover - the Redis client comes with celery[redis]
        pass
    return tuple(errors)


def send(task: str, calls: Iterable[Iterable[Any]], *, ref: str = "", what: StrOrPromise = "") -> OutboxTask:
    """Queue one message of ``task`` per item of ``calls`` (each a list of positional arguments),
    published once the current transaction commits. ``ref`` lets a page ask whether its work still
    waits for the broker (``waiting``); ``what`` says in Vietnamese what would be delayed."""
    row = OutboxTask.objects.create(
        task=task, calls=[list(args) for args in calls], ref=ref[:100], request_id=logs.current_request_id()
    )

    def after_commit() -> None:
        if relay([row.pk]).failed:
            phrase = str(what or _("các việc xử lý nền"))
            if phrase not in _undelivered.get():  # a worker's context is never taken: keep it small
                _undelivered.set((*_undelivered.get(), phrase))

    transaction.on_commit(after_commit)
    return row


@dataclass(frozen=True)
class Relayed:
    sent: int = 0
    failed: int = 0  # rows claimed but not published: the broker did not take them
    error: str = ""


def _claim(ids: list[int] | None, token: str, now: dt.datetime, limit: int) -> list[OutboxTask]:
    free = Q(sent_at__isnull=True) & (Q(claim="") | Q(claimed_at__lt=now - LEASE))
    candidates = OutboxTask.objects.filter(free)
    if ids is not None:
        candidates = candidates.filter(pk__in=ids)
    pks = list(candidates.order_by("pk").values_list("pk", flat=True)[:limit])
    OutboxTask.objects.filter(Q(pk__in=pks) & free).update(
        claim=token, claimed_at=now, attempts=F("attempts") + 1
    )
    return list(OutboxTask.objects.filter(pk__in=pks, claim=token, sent_at__isnull=True).order_by("pk"))


def _publish(row: OutboxTask) -> None:
    from celery import current_app

    app = current_app
    if row.task not in app.tasks:  # a web process imports the apps' tasks modules on first need
        app.loader.import_default_modules()
    task = app.tasks[row.task]
    with logs.request_id_context(row.request_id or logs.current_request_id()):
        if app.conf.task_always_eager:  # no broker (``make run``, tests): the tasks run here, now
            OutboxTask.objects.filter(pk=row.pk).update(sent_at=timezone.now(), claim="")
            for args in row.calls:
                task.apply_async(args)
            return
        with app.producer_or_acquire() as producer:
            for args in row.calls:
                task.apply_async(args, producer=producer)


def relay(ids: list[int] | None = None, *, now: dt.datetime | None = None, limit: int = 500) -> Relayed:
    """Publish the unsent rows ``ids`` (or every unsent row, oldest first, at most ``limit``). Stops at
    the first broker error: the rest stay for the next relay."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    rows = _claim(ids, token, now, limit)
    sent = 0
    for i, row in enumerate(rows):
        try:
            _publish(row)
        except broker_errors() as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
            left = [r.pk for r in rows[i:]]
            OutboxTask.objects.filter(pk__in=left, claim=token).update(claim="", last_error=error)
            logger.warning(
                "broker unreachable: %s task rows wait in the outbox (%s)", len(left), error,
                extra={"outbox_rows": left},
            )  # fmt: skip
            return Relayed(sent=sent, failed=len(left), error=error)
        OutboxTask.objects.filter(pk=row.pk, claim=token).update(sent_at=timezone.now(), claim="")
        sent += 1
    return Relayed(sent=sent)


def relay_pending(now: dt.datetime | None = None) -> Relayed:
    """The beat task's body: everything the broker never took, then the old sent rows removed."""
    now = now or timezone.now()
    total = Relayed()
    while True:
        result = relay(now=now)
        total = Relayed(total.sent + result.sent, result.failed, result.error)
        if result.failed or result.sent < 500:
            break
    OutboxTask.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    return total


def waiting(ref: str, now: dt.datetime | None = None) -> bool:
    """Whether work recorded under ``ref`` waits for the broker: it was offered and refused, or it has
    been waiting longer than a relay takes."""
    now = now or timezone.now()
    refused = Q(attempts__gt=0, claim="") | Q(created_at__lt=now - LEASE)
    return OutboxTask.objects.filter(Q(ref=ref, sent_at__isnull=True) & refused).exists()


def unsent_count() -> int:
    return OutboxTask.objects.filter(sent_at__isnull=True).count()


def take_undelivered() -> tuple[str, ...]:
    """What this context could not hand to the broker since the last call (then forgotten)."""
    value = _undelivered.get()
    _undelivered.set(())
    return value


def undelivered_message(what: Iterable[str]) -> str:
    phrases = list(dict.fromkeys(what))
    return _(
        "Việc đã được lưu. Hàng đợi xử lý nền tạm thời không kết nối được: %(what)s sẽ được thực hiện "
        "tự động khi hàng đợi hoạt động trở lại."
    ) % {"what": ", ".join(phrases)}


class OutboxNoticeMiddleware:
    """After an action whose tasks the broker did not take, the page says so (a warning message
    shown with the action's own success message)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        take_undelivered()
        response = self.get_response(request)
        what = take_undelivered()
        if what and hasattr(request, "_messages"):
            messages.warning(request, undelivered_message(what))
        return response
