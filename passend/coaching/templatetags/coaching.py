"""Coaching on the home pages: a career advisor's own candidates, a
candidate's plan, tasks and appointments. The home view belongs to the web
app; these tags let its templates show coaching without it knowing the
coaching models."""

from __future__ import annotations

from typing import Any

from django import template

from passend.coaching import selectors
from passend.coaching.access import may_manage, own_candidate_profile

register = template.Library()

HOME_ROWS = 10


@register.simple_tag(takes_context=True)
def coaching_caseload(context: Any) -> dict[str, Any]:
    """The first candidates whose current trajectory the advisor is responsible
    for, and how many candidates the organisation has in all."""
    actor = getattr(context.get("request"), "membership", None)
    if actor is None or not may_manage(actor):
        return {"rows": [], "mine_count": 0, "total": 0}
    mine = selectors.caseload(professional=actor)
    return {
        "rows": list(mine[:HOME_ROWS]),
        "mine_count": mine.count(),
        "total": selectors.caseload().count(),
    }


@register.simple_tag(takes_context=True)
def coaching_dashboard(context: Any) -> dict[str, Any]:
    """The signed-in candidate's current trajectories, open tasks, upcoming appointments."""
    actor = getattr(context.get("request"), "membership", None)
    profile = own_candidate_profile(actor) if actor is not None else None
    if profile is None:
        return {"profile": None, "trajectories": [], "open_tasks": [], "appointments": []}
    trajectories = [
        t for t in selectors.trajectories_of(profile) if t.status in ("planned", "active", "paused")
    ]
    return {
        "profile": profile,
        "trajectories": trajectories,
        "open_tasks": list(selectors.tasks_of(profile).filter(done_at__isnull=True)[:HOME_ROWS]),
        "appointments": list(selectors.appointments_of(profile, upcoming=True)[:3]),
        "completion": selectors.completion_of(profile),
    }
