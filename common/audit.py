"""The audit trail (django-auditlog): who changed what, when, before and after.

Models register with auditlog in their app's ``ready()``; every save then writes a
``LogEntry``. State-change functions wrap their save in ``audit_context`` so the entry
carries the actor (also outside a request: commands, Celery) and a note such as the
reason a registration was returned. Bulk writes, which bypass signals, call ``record``.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.db.models.signals import pre_save
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from .display import number, user_display_name
from .parsing import id_param


def _attach_note(sender: object, instance: Any, note: str, **kwargs: object) -> None:
    if instance.pk is None:
        instance.additional_data = {**(instance.additional_data or {}), "note": note}


@contextmanager
def audit_context(actor: Any = None, note: str = "") -> Iterator[None]:
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


def record(
    obj: Model,
    *,
    actor: Any,
    changes: dict[str, tuple[object, object]],
    note: str = "",
    action: int = LogEntry.Action.UPDATE,
) -> Any:
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


def record_created(
    objs: Sequence[Model], *, actor: Any, note: str = "", repr_of: Callable[[Any], str] = str
) -> None:
    """The "created" entries of rows written with ``bulk_create`` (which sends no signal), in one
    insert: what auditlog writes for ``save()`` (each concrete field, None -> the value as text)."""
    from auditlog.cid import get_cid
    from django.contrib.contenttypes.models import ContentType

    if not objs:
        return
    content_type = ContentType.objects.get_for_model(objs[0])
    cid = get_cid()
    now = timezone.now()
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(obj.pk),
                object_id=obj.pk if isinstance(obj.pk, int) else None,
                object_repr=repr_of(obj),
                action=LogEntry.Action.CREATE,
                changes={
                    f.name: ["None", _plain(f.value_from_object(obj))] for f in obj._meta.concrete_fields
                },
                actor=actor if actor is not None and getattr(actor, "pk", None) else None,
                additional_data={"note": note} if note else None,
                cid=cid,
                timestamp=now,
            )
            for obj in objs
        ],
        batch_size=500,
    )


def _plain(value: object) -> str | None:
    return None if value is None else str(value)


def history_for(obj: Model) -> QuerySet[Any]:
    entries: QuerySet[Any] = LogEntry.objects.get_for_object(obj)
    return entries.select_related("actor").order_by("-timestamp", "-pk")


# Fields that say nothing to a reader of the history: keys, bookkeeping, derived values.
_HIDDEN_FIELDS = {"id", "path", "created_at", "updated_at", "version", "search_vector"}
EMPTY = "–"


def model_field(model: type[Model] | None, name: str) -> Any:
    """The model's field (or relation) of that name, or None."""
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field removed since the entry was written
        return None


def _name(obj: Any) -> str:
    if hasattr(obj, "get_username"):
        return user_display_name(obj)
    return str(obj)


def resolve_references(
    entries: Iterable[Any],
    models_by_ct: dict[int, type[Model] | None],
    known: Iterable[Model] = (),
    hidden: Iterable[str] = frozenset(),
) -> dict[tuple[Any, str], str]:
    """{(related model, pk string): name} for every foreign key value in the entries, one query per
    related model; ``known`` objects need no query."""
    wanted: defaultdict[Any, set[str]] = defaultdict(set)
    for entry in entries:
        model = models_by_ct[entry.content_type_id]
        for name, values in (entry.changes_dict or {}).items():
            field = model_field(model, name)
            if field is None or name in hidden or not field.many_to_one or isinstance(values, dict):
                continue
            for value in values:
                if value not in (None, "None", ""):
                    wanted[field.related_model].add(str(value))
    resolved = {(type(obj), str(obj.pk)): _name(obj) for obj in known}
    for related, keys in wanted.items():
        missing = [k for k in keys if id_param(k) is not None and (related, k) not in resolved]
        if missing:
            for obj in related._default_manager.filter(pk__in=missing):
                resolved[(related, str(obj.pk))] = _name(obj)
    return resolved


def display_value(field: Any, value: object, resolved: dict[tuple[Any, str], str]) -> str:
    """A logged value as a reader should see it: names for references, labels for choices,
    dd/mm/yyyy dates, the decimal comma, Có/Không, "–" for nothing."""
    if value in (None, "None", ""):
        return EMPTY
    value = str(value)
    if field is None:
        return value
    if field.many_to_one:
        return resolved.get((field.related_model, value), value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    labels = getattr(field, "item_choices", None)
    if labels:
        items = _list_value(value)
        if items is not None:
            return ", ".join(str(labels.get(item, item)) for item in items) or EMPTY
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        parsed = parse_datetime(value)
        if parsed is not None:
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed, dt.UTC)
            return formats.date_format(timezone.localtime(parsed), "d/m/Y H:i")
    if internal == "DateField":
        day = parse_date(value)
        if day is not None:
            return formats.date_format(day, "d/m/Y")
    if internal == "BooleanField":
        return _("Có") if value == "True" else _("Không")
    if internal in ("DecimalField", "FloatField"):
        return number(value)
    return value


def _list_value(value: str) -> list[object] | None:
    """A logged list: JSON (``["official"]``) or, from older entries, Python's repr (``['official']``)."""
    for parse in (json.loads, ast.literal_eval):
        try:
            parsed = parse(value)
        except (ValueError, SyntaxError, TypeError, RecursionError):
            continue
        return parsed if isinstance(parsed, list) else None
    return None


def _is_user_model(model: Any) -> bool:
    return model is not None and model._meta.label_lower == settings.AUTH_USER_MODEL.lower()


def _user_labels() -> dict[str, str]:
    """Vietnamese labels of the account fields the history shows (Django's own are English in
    some catalogues)."""
    return {
        "username": _("Tên đăng nhập"),
        "email": _("Thư điện tử"),
        "is_active": _("Đang hoạt động"),
        "first_name": _("Tên"),
        "last_name": _("Họ"),
    }


def model_label(model: type[Model] | None) -> str:
    """The kind of object an entry is about, in Vietnamese ("Tài khoản" for the user model)."""
    if model is None:
        return ""
    if _is_user_model(model):
        return _("Tài khoản")
    return str(model._meta.verbose_name)


def _merge_names(
    model: type[Model] | None, rows: list[tuple[str, str, str]], changes: dict[str, Any]
) -> list[tuple[str, str, str]]:
    """An account's rename as one row "Họ và tên: Trần Văn → Trần Văn Mới" when both parts changed."""
    if not _is_user_model(model):
        return rows
    first, last = changes.get("first_name"), changes.get("last_name")
    if not (isinstance(first, list | tuple) and isinstance(last, list | tuple)):
        return rows
    labels = _user_labels()

    def full(i: int) -> str:
        return " ".join(str(v) for v in (last[i], first[i]) if v not in (None, "None", "")) or EMPTY

    merged = (_("Họ và tên"), full(0), full(1) if len(first) > 1 and len(last) > 1 else EMPTY)
    out, placed = [], False
    for row in rows:
        if row[0] in (labels["first_name"], labels["last_name"]):
            if not placed:
                out.append(merged)
                placed = True
            continue
        out.append(row)
    return out


def change_rows(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(label, before, after) for each change a person would care about.

    Skips primary keys, reverse relations and bookkeeping fields that auditlog records on
    creation; values are shown with ``display_value``.
    """
    model = entry.content_type.model_class()
    resolved = resolve_references([entry], {entry.content_type_id: model}) if model is not None else {}
    rows = []
    is_user = _is_user_model(model)
    user_labels = _user_labels() if is_user else {}
    changes = entry.changes_dict or {}
    for name, values in changes.items():
        if name in _HIDDEN_FIELDS or isinstance(values, dict):
            continue
        field = model_field(model, name) if model is not None else None
        if field is not None and (not field.concrete or field.primary_key or not field.editable):
            continue
        label = str(field.verbose_name) if field is not None else name
        if is_user and name in user_labels:
            label = user_labels[name]
        elif field is not None and field.many_to_one and _is_user_model(field.related_model):
            label = _("Tài khoản")  # a reference to an account (Membership.user, ...): not "User"
        before, after = (list(values) + [None, None])[:2]
        rows.append(
            (
                label[:1].upper() + label[1:],
                display_value(field, before, resolved),
                display_value(field, after, resolved),
            )
        )
    return _merge_names(model, rows, changes)


def record_many(
    items: Iterable[tuple[Any, ...]], *, actor: Any, note: str = "", action: int = LogEntry.Action.UPDATE
) -> int:
    """``record`` for many objects at once (one INSERT per 500): ``items`` are ``(obj, changes)`` or
    ``(obj, action, changes)`` tuples, ``changes`` mapping a field to its ``(before, after)`` values.
    For set-based writes (``bulk_create``/``bulk_update``, which signals do not see) whose audit must
    not cost a query per row. The entries carry the fields ``record`` writes, except the serialized
    copy."""
    from auditlog.cid import get_cid
    from django.contrib.contenttypes.models import ContentType

    data = {"note": note} if note else None
    cid = get_cid()
    now = timezone.now()
    who = actor if getattr(actor, "pk", None) else None
    types: dict[type, ContentType] = {}
    entries = []
    for item in items:
        obj, changes = item[0], item[-1]
        model = type(obj)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model)
        entries.append(
            LogEntry(
                content_type=types[model],
                object_pk=str(obj.pk),
                object_id=obj.pk if isinstance(obj.pk, int) else None,
                object_repr=str(obj)[:200],
                action=item[1] if len(item) == 3 else action,
                changes={f: [_plain(before), _plain(after)] for f, (before, after) in changes.items()},
                actor=who,
                actor_email=getattr(who, "email", None),
                additional_data=data,
                cid=cid,
                timestamp=now,
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)
