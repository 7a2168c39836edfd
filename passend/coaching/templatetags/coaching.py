"""Coaching on the home pages: a career advisor's own candidates, a
candidate's plan, tasks and appointments. The home view belongs to the web
app; these tags let its templates show coaching without it knowing the
coaching models."""

from __future__ import annotations

from typing import Any

from django import template

from passend.coaching import selectors
from passend.coaching.access import may_manage

register = template.Library()

HOME_ROWS = 10


@register.simple_tag(takes_context=True)
def coaching_caseload(context: Any) -> dict[str, Any]:
    """The first candidates whose current trajectory the advisor is responsible
    for, by name: one query, read in the order of an index. The counts come
    with the home page's others (passend.web.selectors.advisor_home)."""
    actor = getattr(context.get("request"), "membership", None)
    if actor is None or not may_manage(actor):
        return {"rows": []}
    return {"rows": list(selectors.caseload(professional=actor, brief=True)[:HOME_ROWS])}
