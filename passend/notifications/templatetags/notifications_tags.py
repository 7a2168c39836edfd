"""`{% notification_bell %}`: the header's link to the notifications with the
unread count, one indexed COUNT per page, only for a member of an organisation."""

from __future__ import annotations

from typing import Any

from django import template

from passend.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"show": False}
    return {"show": True, "unread": unread_count(membership), "request": request}
