"""Opens the organisation scope for a request from the membership the user chose."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from django.http import HttpRequest, HttpResponse

from passend.common.scope import organisation_scope
from passend.tenancy.http import ScopedRequest
from passend.tenancy.models import Membership

SESSION_KEY = "passend_organisation"


def pick_membership(memberships: list[Membership], chosen: str | None) -> Membership | None:
    for membership in memberships:
        if str(membership.organisation_id) == chosen:
            return membership
    return memberships[0] if memberships else None


class OrganisationScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: ScopedRequest) -> HttpResponse:
        request.membership = None
        request.organisation = None
        request.memberships = []
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            memberships = list(Membership.objects.of_user(user))
            membership = pick_membership(memberships, request.session.get(SESSION_KEY))
            request.memberships = memberships
            request.membership = membership
            if membership is not None:
                request.organisation = membership.organisation
        organisation = request.organisation
        scope = organisation_scope(organisation) if organisation else nullcontext()
        with scope:
            return self.get_response(request)
