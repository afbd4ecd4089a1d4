"""The audit trail (django-auditlog): who changed what, when, before and after.

Models register with auditlog in their app's ``ready()``; every save then writes a
``LogEntry``. State-change functions wrap their save in ``audit_context`` so the entry
carries the actor (also outside a request: commands, Celery) and a note such as the
reason a registration was returned. Bulk writes, which bypass signals, call ``record``.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import partial

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _


def _attach_note(sender, instance, note: str, **kwargs):
    if instance.pk is None:
        instance.additional_data = {**(instance.additional_data or {}), "note": note}


@contextmanager
def audit_context(actor=None, note: str = ""):
    """Every log entry written inside carries ``actor`` and ``note``."""
    with set_actor(actor):
        if not note:
            yield
            return
        uid = f"audit-note-{id(note)}"
        pre_save.connect(partial(_attach_note, note=note), sender=LogEntry, dispatch_uid=uid, weak=False)
        try:
            yield
        finally:
            pre_save.disconnect(sender=LogEntry, dispatch_uid=uid)


def record(obj: Model, *, actor, changes: dict[str, tuple], note: str = "", action=LogEntry.Action.UPDATE):
    """Write one entry by hand, for changes made with ``update()`` or ``bulk_update()``."""
    data = {"note": note} if note else None
    return LogEntry.objects.log_create(
        obj,
        action=action,
        changes={field: [_plain(before), _plain(after)] for field, (before, after) in changes.items()},
        actor=actor,
        additional_data=data,
        force_log=True,
    )


def _plain(value):
    return None if value is None else str(value)


def history_for(obj: Model) -> QuerySet[LogEntry]:
    return LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp", "-pk")


# Fields that say nothing to a reader of the history: keys, bookkeeping, derived values.
_HIDDEN_FIELDS = {"id", "path", "created_at", "updated_at", "version", "search_vector"}


def display_value(value) -> str:
    if value is None or value in ("None", ""):
        return "–"
    if value in (True, "True"):
        return str(_("Có"))
    if value in (False, "False"):
        return str(_("Không"))
    return str(value)


def change_rows(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(label, before, after) for each change a person would care about.

    Skips primary keys, reverse relations and bookkeeping fields that auditlog records on
    creation, and shows None/True/False as "–"/"Có"/"Không".
    """
    model = entry.content_type.model_class()
    display = entry.changes_display_dict if model is not None else {}
    rows = []
    for name, values in (entry.changes_dict or {}).items():
        if name in _HIDDEN_FIELDS:
            continue
        label = name
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is not None:
                if not field.concrete or getattr(field, "primary_key", False) or not field.editable:
                    continue
                label = str(getattr(field, "verbose_name", name))
                values = display.get(field.verbose_name, display.get(name, values))
        before, after = (list(values) + [None, None])[:2]
        rows.append((label[:1].upper() + label[1:], display_value(before), display_value(after)))
    return rows
