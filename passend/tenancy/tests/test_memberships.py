"""Changing a membership: an organisation keeps an active administrator,
employer contacts come through their company, and each change is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from passend.privacy.audit.models import AuditEvent
from passend.tenancy import services
from passend.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_it_refuses_to_demote_or_deactivate_the_last_active_admin(personas, scope_a):
    alice = personas.memberships["alice"]

    with pytest.raises(ValidationError, match="at least one active administrator"):
        services.membership_update(membership=alice, role=Role.PROFESSIONAL, is_active=True)
    with pytest.raises(ValidationError, match="at least one active administrator"):
        services.membership_update(membership=alice, role=Role.ADMIN, is_active=False)
    assert Membership.objects.get(pk=alice.pk).role == Role.ADMIN


def test_it_lets_an_admin_step_down_when_another_admin_remains(personas, scope_a):
    alice, bob = personas.memberships["alice"], personas.memberships["bob"]
    services.membership_update(membership=bob, role=Role.ADMIN, is_active=True)

    services.membership_update(membership=alice, role=Role.PROFESSIONAL, is_active=True)

    assert Membership.objects.get(pk=alice.pk).role == Role.PROFESSIONAL


def test_it_refuses_to_make_someone_an_employer_contact_without_a_company(personas, scope_a):
    bob = personas.memberships["bob"]

    with pytest.raises(ValidationError, match="through their company"):
        services.membership_update(membership=bob, role=Role.EMPLOYER, is_active=True)


def test_it_audits_a_change_and_only_a_change(personas, scope_a):
    carla = personas.memberships["carla"]
    updates = AuditEvent.objects.filter(action="update", target_id=str(carla.pk))

    services.membership_update(membership=carla, role=Role.CANDIDATE, is_active=True)
    assert updates.count() == 0

    services.membership_update(membership=carla, role=Role.CANDIDATE, is_active=False)
    assert updates.count() == 1
    assert updates.get().fields == ["is_active"]
