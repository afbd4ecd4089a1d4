"""``{% unread_notifications as n %}``: the bell's unread count, one query per page."""

from django import template

from common.notifications import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return unread_count(user) if user is not None else 0
