from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from passend.accounts.models import User
from passend.privacy.audit.models import AuditEvent
from passend.privacy.support import services
from passend.privacy.support.models import SupportGrant


@pytest.fixture
def staff(db: Any) -> User:
    """Sam works for the platform; even as a superuser he sees no organisation's people."""
    return User.objects.create_user(
        "sam@platform.test", "x", name="Sam Support", is_platform_staff=True, is_superuser=True
    )


@pytest.fixture
def other_staff(db: Any) -> User:
    return User.objects.create_user("tess@platform.test", "x", name="Tess", is_platform_staff=True)


@pytest.fixture
def pending(staff: User, org_a: Any) -> SupportGrant:
    return services.grant_request(
        staff=staff, organisation=org_a, reason="Carla cannot sign in; checking her membership."
    )


@pytest.fixture
def live(pending: SupportGrant, personas: Any) -> SupportGrant:
    return services.grant_approve(
        grant=pending, by=personas.memberships["alice"], duration=timedelta(hours=4)
    )


def expire(grant: SupportGrant) -> None:
    """Move a live grant into the past, as if its time had run out."""
    SupportGrant.objects.unscoped().filter(pk=grant.pk).update(
        approved_at=grant.approved_at - timedelta(hours=10),
        expires_at=grant.approved_at - timedelta(hours=6),
    )


def events(organisation: Any, **filters: Any) -> Any:
    return AuditEvent.objects.unscoped().filter(organisation_id=organisation.pk, **filters)
