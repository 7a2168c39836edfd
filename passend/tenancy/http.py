"""The requests views receive, typed.

`OrganisationScopeMiddleware` (and, for a token, `ApiMiddleware`) sets these
attributes on every request. Views name `MemberRequest` in their signature
instead of reading untyped attributes; behind `require_role` the membership
and the organisation are never None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from passend.tenancy.models import Membership, Organisation


class ScopedRequest(HttpRequest):
    """Any request: signed in or not, a member of an organisation or not."""

    membership: Membership | None
    organisation: Organisation | None
    memberships: list[Membership]
    htmx: HtmxDetails


class MemberRequest(ScopedRequest):
    """A request that `require_role` let through: a member, in their organisation."""

    membership: Membership
    organisation: Organisation
