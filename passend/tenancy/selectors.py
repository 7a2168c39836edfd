"""Reads for tenancy; each costs a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from passend.tenancy.models import Employer, Invitation, Membership, OrganisationContact, Role


def member_list() -> QuerySet[Membership]:
    return Membership.objects.select_related("user", "employer").order_by("role", "user__name")


def member_counts_by_role() -> dict[str, int]:
    rows = Membership.objects.filter(is_active=True).values("role").annotate(n=Count("id"))
    return {row["role"]: row["n"] for row in rows}


def invitation_list_for(actor: Membership) -> QuerySet[Invitation]:
    invitations = Invitation.objects.select_related("employer", "invited_by__user")
    if actor.role != Role.ADMIN:
        invitations = invitations.filter(invited_by=actor)
    return invitations


def pending_invitation_count() -> int:
    return Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()


def employer_list() -> QuerySet[Employer]:
    """The organisation's companies, for its admins and advisors (an employer contact
    sees only their own company's page)."""
    return Employer.objects.annotate(
        n_members=Count("memberships", filter=Q(memberships__is_active=True), distinct=True),
        n_contacts=Count("contacts", distinct=True),
    )


def organisation_contact_list() -> QuerySet[OrganisationContact]:
    return OrganisationContact.objects.all()
