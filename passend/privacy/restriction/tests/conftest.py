"""Carla (candidate of A) with a profile shared with Dave's company, and helpers."""

from __future__ import annotations

from typing import Any

import pytest

from passend.candidates import services as candidate_services
from passend.privacy.audit.models import AuditEvent
from passend.privacy.restriction import services
from passend.privacy.restriction.models import Restriction, RestrictionReason


@pytest.fixture
def members(personas: Any) -> dict[str, Any]:
    return personas.memberships


@pytest.fixture
def carla_profile(scope_a: Any, members: Any) -> Any:
    profile = candidate_services.candidate_profile_ensure(membership=members["carla"])
    return candidate_services.candidate_profile_update(
        profile=profile,
        by=members["bob"],
        data={"first_name": "Carla", "last_name": "Bakker", "city": "Utrecht"},
    )


@pytest.fixture
def shared_with_dave(carla_profile: Any, members: Any) -> Any:
    company = members["dave"].employer
    candidate_services.profile_share(profile=carla_profile, employer=company, by=members["bob"])
    return candidate_services.profile_share(
        profile=carla_profile, employer=company, by=members["carla"]
    )


def restrict(membership: Any, reason: str = RestrictionReason.CONTESTS_ACCURACY) -> Restriction:
    return services.restriction_start(
        membership=membership, reason=reason, note="My address is wrong.", by=membership
    )


@pytest.fixture
def carla_restricted(scope_a: Any, members: Any) -> Restriction:
    return restrict(members["carla"])


def events(organisation: Any, **filters: Any) -> Any:
    return AuditEvent.objects.unscoped().filter(organisation_id=organisation.pk, **filters)
