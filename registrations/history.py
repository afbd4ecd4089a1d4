"""The audit history of a registration page: the registration's own entries and its children's.

Every step of a registration is shown in one list, newest first: adding or removing people,
initiatives and evidence files, changing a per-content commitment, extensions granted to the
agency for the round's milestones. Each entry gets a ``label`` (what was changed, e.g.
"Cam kết: Cải cách thể chế") and ``rows``: (field name, before, after) ready to display, with the
parent link left out, empty values as "–", references resolved to names in one query per model.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from common.audit import EMPTY, display_value, model_field, resolve_references

from .models import (
    Commitment,
    DeadlineExtension,
    EvidenceFile,
    IndividualRegistration,
    Initiative,
    Registration,
)

CHILDREN = (Commitment, IndividualRegistration, Initiative, EvidenceFile)
#: Fields not shown: the link to the parent the page is about.
HIDDEN = {"registration"}


def _labels():
    return {
        Registration: _("Đăng ký"),
        Commitment: _("Cam kết: %(name)s"),
        IndividualRegistration: _("Cá nhân: %(name)s"),
        Initiative: _("Sáng kiến: %(name)s"),
        EvidenceFile: _("Tệp minh chứng: %(name)s"),
        DeadlineExtension: _("Gia hạn: %(name)s"),
    }


def _child_query(registration: Registration, types: dict) -> Q:
    """Entries of the children: current rows and deleted ones (their create/delete entries name the
    registration). Subqueries, so the whole history is one query."""
    key = str(registration.pk)
    query = Q()
    for model in CHILDREN:
        logged = LogEntry.objects.filter(
            Q(changes__registration__0=key) | Q(changes__registration__1=key),
            content_type=types[model],
            action__in=[LogEntry.Action.CREATE, LogEntry.Action.DELETE],
        ).values("object_pk")
        current = (
            model.objects.filter(registration=registration)
            .annotate(key=Cast("pk", CharField()))
            .values("key")
        )
        query |= Q(content_type=types[model]) & (Q(object_pk__in=logged) | Q(object_pk__in=current))
    return query


def registration_history(registration: Registration, limit: int = 100) -> list[LogEntry]:
    """The registration's and its children's log entries, newest first, each with ``label`` and ``rows``."""
    models = (Registration, *CHILDREN, DeadlineExtension)
    types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    commitment_titles = {
        str(pk): title
        for pk, title in Commitment.objects.filter(registration=registration).values_list(
            "pk", "content__title"
        )
    }
    milestones = registration.campaign.milestones.filter(Q(round=registration.round) | Q(round__isnull=True))
    extension_names = {
        str(ext.pk): str(ext.milestone)
        for ext in DeadlineExtension.objects.filter(
            agency=registration.agency, milestone__in=milestones
        ).select_related("milestone")
    }
    query = Q(content_type=types[Registration], object_pk=str(registration.pk)) | _child_query(
        registration, types
    )
    if extension_names:
        query |= Q(content_type=types[DeadlineExtension], object_pk__in=list(extension_names))
    entries = list(
        LogEntry.objects.filter(query).select_related("actor").order_by("-timestamp", "-pk")[:limit]
    )
    by_ct = {ct.pk: model for model, ct in types.items()}
    labels = _labels()
    names = {Commitment: commitment_titles, DeadlineExtension: extension_names}
    known = [registration.round, registration.agency, registration.campaign, registration.target_group]
    resolved = resolve_references(entries, by_ct, [obj for obj in known if obj is not None], hidden=HIDDEN)
    for entry in entries:
        model = by_ct[entry.content_type_id]
        name = names.get(model, {}).get(entry.object_pk) or entry.object_repr
        entry.label = labels[model] % {"name": name} if model is not Registration else labels[model]
        entry.rows = _rows(entry, model, resolved)
    return entries


def _rows(entry: LogEntry, model, resolved) -> list[tuple[str, str, str]]:
    """In the model's field order (PostgreSQL's jsonb does not keep the order the entry was written in)."""
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())}
    rows = []
    changes = entry.changes_dict or {}
    for name in sorted(changes, key=lambda n: order.get(n, len(order))):
        values = changes[name]
        if name in HIDDEN:
            continue
        field = model_field(model, name)
        if field is None:
            continue
        label = str(field.verbose_name)
        if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": "add", "objects": [...]}
            objects = ", ".join(str(o) for o in values.get("objects", []))
            if values.get("operation") == "delete":
                rows.append((label, objects or EMPTY, EMPTY))
            else:
                rows.append((label, EMPTY, objects or EMPTY))
            continue
        before, after = (list(values) + [None, None])[:2]
        rows.append((label, display_value(field, before, resolved), display_value(field, after, resolved)))
    return rows
