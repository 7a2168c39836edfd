"""The start page: one per role, and one for a person without an organisation; and /health/."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from passend.tenancy.models import Role
from passend.web import selectors

RECENT_INVITATIONS = 5


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """A trivial answer through every middleware: the load benchmark's baseline
    (benchmarks/load, docs/performance.md) and a liveness check for a proxy."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership: Any = getattr(request, "membership", None)
    if membership is None:
        return render(request, "web/home_none.html")
    context: dict[str, Any] = {}
    if membership.role == Role.ADMIN:
        context["overview"] = selectors.organisation_overview()
        context["desk"] = selectors.privacy_desk()
        context["pending_invitations"] = selectors.pending_invitations()
    elif membership.role == Role.PROFESSIONAL:
        pending = selectors.pending_invitations_sent_by(membership)
        context["pending_invitations"] = list(pending[:RECENT_INVITATIONS])
        context["pending_count"] = pending.count()
        context["day"] = selectors.advisor_home(membership)
    elif membership.role == Role.EMPLOYER:
        context["employer"] = membership.employer
        context["shares"] = selectors.employer_home(membership)
    elif membership.role == Role.CANDIDATE:
        context["home"] = selectors.candidate_home(membership)
    return render(request, f"web/home_{membership.role}.html", context)
