"""Reads for support grants.

Organisation admins read their own organisation's grants through the scoped
manager. Platform staff belong to no organisation, so their own grants are
read across organisations with `unscoped()`, always bounded to the staff
member (the privacy engine may do that; see tenancy/managers.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from passend.privacy.support.models import SupportGrant
from passend.tenancy.models import Organisation


def _live() -> Q:
    return Q(
        approved_at__isnull=False,
        refused_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def grant_list_for_organisation() -> QuerySet[SupportGrant]:
    """Every grant of the active organisation, newest first: its grant history."""
    return SupportGrant.objects.select_related(
        "staff", "approved_by__user", "refused_by__user", "revoked_by__user"
    ).order_by("-requested_at")


def grant_list_for_staff(staff: Any) -> QuerySet[SupportGrant]:
    return (
        SupportGrant.objects.unscoped()
        .filter(staff=staff)
        .select_related("organisation")
        .order_by("-requested_at")
    )


def live_grant(staff: Any, organisation: Organisation) -> SupportGrant | None:
    """The staff member's live grant for the organisation, if there is one."""
    if not getattr(staff, "is_platform_staff", False):
        return None
    grant: SupportGrant | None = (
        SupportGrant.objects.unscoped()
        .filter(_live(), staff=staff, organisation=organisation)
        .select_related("organisation")
        .order_by("-expires_at")
        .first()
    )
    return grant


def live_grants(staff: Any) -> QuerySet[SupportGrant]:
    """All of a staff member's live grants (the admin shows their organisations' data)."""
    if not getattr(staff, "is_platform_staff", False):
        return SupportGrant.objects.unscoped().none()
    return (
        SupportGrant.objects.unscoped()
        .filter(_live(), staff=staff)
        .select_related("organisation")
        .order_by("-expires_at")
    )


def organisations_to_choose() -> QuerySet[Organisation]:
    """What staff choose from when they ask for access: active organisations."""
    return Organisation.objects.filter(is_active=True).order_by("name")
