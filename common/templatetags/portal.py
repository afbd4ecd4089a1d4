"""Template helpers shared by every app: names in Vietnamese order, audit rows."""

import datetime as dt
from typing import Any

from django import template
from django.http import QueryDict

from ..audit import change_rows, model_label
from ..display import number as format_number
from ..display import user_display_name
from ..states import tone

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    """Họ tên in Vietnamese order (family name first), or the login name."""
    return user_display_name(user)


@register.filter
def number(value: object) -> str:
    """Every score, point and threshold on a page: two decimals, the decimal comma ("78,90")."""
    return format_number(value)


@register.filter
def audit_changes(entry: Any) -> list[tuple[str, str, str]]:
    """The entry's rows: precomputed by a page gathering its own history (``entry.rows``), else computed."""
    rows: list[tuple[str, str, str]] | None = getattr(entry, "rows", None)
    return rows if rows is not None else change_rows(entry)


@register.filter
def timeuntil_delta(delta: dt.timedelta | None) -> str:
    """A duration in words ("1 giờ", "30 phút") in the active language."""
    from django.utils.translation import ngettext

    if delta is None:
        return ""
    minutes = max(1, round(delta.total_seconds() / 60))
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)s giờ", "%(n)s giờ", hours) % {"n": hours})
    if rest:
        parts.append(ngettext("%(n)s phút", "%(n)s phút", rest) % {"n": rest})
    return " ".join(parts)


@register.filter
def audit_subject(entry: Any) -> str:
    """What an entry is about: "Mốc thời gian: Hạn đăng ký", for pages that list several objects;
    a page's own ``entry.label`` wins."""
    label = getattr(entry, "label", None)
    if label:
        return str(label)
    model = entry.content_type.model_class()
    kind = model_label(model) if model is not None else entry.content_type.model
    return f"{kind[:1].upper()}{kind[1:]}: {entry.object_repr}"


@register.inclusion_tag("includes/state_badge.html")
def state_badge(state: str, label: object) -> dict[str, object]:
    """A workflow state as a badge, its colour from ``common.states`` (one table for every workflow)."""
    return {"tone": tone(state), "label": label}


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with ``changes`` applied (``page=3``): pagination and filters keep
    each other's parameters. A value of None removes the parameter."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return params.urlencode()
