"""Reads for the start pages. They run inside the request's organisation scope,
so every query goes through the scoped managers and sees one organisation only;
each costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from passend.tenancy import selectors as tenancy_selectors
from passend.tenancy.models import Employer, Invitation, Membership, Role


@dataclass(frozen=True)
class RoleCount:
    role: str
    label: str
    count: int


@dataclass(frozen=True)
class OrganisationOverview:
    role_counts: list[RoleCount]
    members: int
    pending_invitations: int
    employers: int


def organisation_overview() -> OrganisationOverview:
    """The admin's organisation at a glance: members per role, open invitations, employers."""
    by_role = tenancy_selectors.member_counts_by_role()
    role_counts = [
        RoleCount(role.value, str(role.label), by_role.get(role.value, 0)) for role in Role
    ]
    return OrganisationOverview(
        role_counts=role_counts,
        members=sum(row.count for row in role_counts),
        pending_invitations=tenancy_selectors.pending_invitation_count(),
        employers=Employer.objects.count(),
    )


def pending_invitations_sent_by(actor: Membership) -> QuerySet[Invitation]:
    """Invitations this member sent that nobody has answered yet, newest first."""
    return (
        Invitation.objects.filter(
            invited_by=actor,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("employer")
        .order_by("-created_at")
    )
