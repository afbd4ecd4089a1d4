"""Template helpers of the registrations pages."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from common.display import number

register = template.Library()


@register.filter
def time_left(deadline: dt.datetime | None) -> str:
    """ "còn 12 ngày 3 giờ" / "còn 45 phút" / "đã quá hạn" (Vietnamese has no plural forms)."""
    if deadline is None:
        return ""
    left = deadline - timezone.now()
    if left.total_seconds() <= 0:
        return _("đã quá hạn")
    days, seconds = left.days, left.seconds
    hours, minutes = seconds // 3600, (seconds % 3600) // 60
    if days:
        return _("còn %(days)s ngày %(hours)s giờ") % {"days": days, "hours": hours}
    if hours:
        return _("còn %(hours)s giờ %(minutes)s phút") % {"hours": hours, "minutes": minutes}
    return _("còn %(minutes)s phút") % {"minutes": minutes}


@register.filter
def points(value) -> str:
    """Points and indicator values as everywhere (common.display.number): 20,00, 7,50."""
    return number(value)
