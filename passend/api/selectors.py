"""Reads for the API and the token pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from passend.api.models import ApiToken
from passend.tenancy.models import Membership, Organisation, OrganisationContact


def memberships_of(user: Any, *, only: Organisation | None = None) -> QuerySet[Membership]:
    """A person's active memberships; a token sees only its own organisation's."""
    memberships = Membership.objects.of_user(user)
    if only is not None:
        memberships = memberships.filter(organisation=only)
    return memberships


def organisation_contacts() -> QuerySet[OrganisationContact]:
    """The contact persons of the organisation in scope."""
    return OrganisationContact.objects.order_by("name")


def members() -> QuerySet[Membership]:
    """Active members of the organisation in scope, by name."""
    return (
        Membership.objects.filter(is_active=True, user__is_active=True)
        .select_related("user", "employer")
        .order_by("user__name", "user__email", "pk")
    )


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.of_user(user).order_by("-created_at")
