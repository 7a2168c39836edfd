"""Tenancy's services record their writes of personal data themselves."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from passend.common.scope import organisation_scope
from passend.privacy.audit.middleware import Actor, acting_as
from passend.privacy.audit.models import AuditEvent
from passend.tenancy import services
from passend.tenancy.models import Invitation, Membership, OrganisationContact


def events(org: Any) -> list[AuditEvent]:
    with organisation_scope(org):
        return list(AuditEvent.objects.order_by("sequence"))


def member(user: Any, org: Any) -> Membership:
    with organisation_scope(org):
        return Membership.objects.get(user=user)


def test_it_records_a_contact_added_and_removed_through_the_pages(
    as_persona: Any, org_a: Any, alice: Any
) -> None:
    client = as_persona("alice", "a")
    response = client.post(
        "/organisations/current/contacts/",
        {"name": "Piet", "email": "piet@werkpad.test", "phone": "030 123 4567", "function": ""},
    )
    assert response.status_code == 302
    with organisation_scope(org_a):
        contact = OrganisationContact.objects.get(email="piet@werkpad.test")
    client.post(f"/organisations/current/contacts/{contact.pk}/delete/")
    created, deleted = events(org_a)
    admin = member(alice, org_a)
    for event in (created, deleted):
        assert (event.actor_user_id, event.actor_membership_id) == (alice.pk, admin.pk)
        assert event.target_id == str(contact.pk)
        assert event.purpose == "organisation_admin"
    assert (created.action, created.fields) == ("create", ["email", "function", "name", "phone"])
    assert (deleted.action, deleted.fields) == ("delete", [])
    assert "piet" not in str([e.as_hashed() for e in (created, deleted)]).lower()


def test_it_records_which_organisation_details_changed(
    as_persona: Any, org_a: Any, alice: Any
) -> None:
    data = {
        "name": org_a.name,
        "street": org_a.street,
        "postcode": org_a.postcode,
        "city": "Amersfoort",
        "kvk_number": org_a.kvk_number,
        "vat_number": org_a.vat_number,
        "iban": org_a.iban,
        "require_two_factor": "on",
    }
    response = as_persona("alice", "a").post("/organisations/current/", data)
    assert response.status_code == 302
    [event] = events(org_a)
    assert (event.action, event.fields) == ("update", ["city", "require_two_factor"])
    assert event.actor_user_id == alice.pk


def test_it_records_a_membership_change_about_its_person(
    org_a: Any, alice: Any, bob: Any, carla: Any
) -> None:
    membership = member(carla, org_a)
    with organisation_scope(org_a), acting_as(Actor.for_membership(member(alice, org_a))):
        services.membership_update(membership=membership, role="candidate", is_active=False)
        services.membership_update(membership=membership, role="candidate", is_active=False)
    [event] = events(org_a)  # the second call changed nothing
    assert (event.action, event.fields, event.subject_user_id) == (
        "update",
        ["is_active"],
        carla.pk,
    )
    assert event.actor_user_id == alice.pk
    assert event.purpose == "account"


def test_it_records_invitations_from_sending_to_accepting(org_a: Any, bob: Any) -> None:
    inviter = member(bob, org_a)
    with organisation_scope(org_a), acting_as(Actor.for_membership(inviter)):
        first = services.invitation_create(
            invited_by=inviter, email="new@example.org", role="candidate"
        )
        second = services.invitation_create(
            invited_by=inviter, email="new@example.org", role="candidate"
        )
        revoked = services.invitation_create(
            invited_by=inviter, email="gone@example.org", role="candidate"
        )
        services.invitation_revoke(invitation=revoked)
    newcomer = get_user_model().objects.create_user("new@example.org", "a-long-password-1")
    with organisation_scope(org_a):
        second = Invitation.objects.get(pk=second.pk)
    membership = services.invitation_accept(invitation=second, user=newcomer)
    trail = [(e.action, e.target_id, e.fields, e.detail) for e in events(org_a)]
    assert trail == [
        ("create", str(first.pk), ["email", "employer", "expires_at", "invited_by", "role"], ""),
        ("update", str(first.pk), ["revoked_at"], "superseded by a new invitation"),
        ("create", str(second.pk), ["email", "employer", "expires_at", "invited_by", "role"], ""),
        ("create", str(revoked.pk), ["email", "employer", "expires_at", "invited_by", "role"], ""),
        ("update", str(revoked.pk), ["revoked_at"], "revoked"),
        (
            "create",
            str(membership.pk),
            ["employer", "is_active", "role", "user"],
            "invitation accepted",
        ),
        ("update", str(second.pk), ["accepted_at", "accepted_by"], ""),
    ]
    accepted = events(org_a)[-2:]
    assert all(e.actor_user_id == newcomer.pk for e in accepted)
    assert all(e.subject_user_id == newcomer.pk for e in accepted)
    assert all(e.actor_user_id == bob.pk for e in events(org_a)[:5])


def test_it_records_an_employer_contact_added(org_a: Any, personas: Any) -> None:
    employer = personas.employers["Bakkerij De Korenaar"]
    with organisation_scope(org_a):
        services.employer_contact_create(employer=employer, name="Jan", email="jan@korenaar.test")
    [event] = events(org_a)
    assert (event.action, event.fields, event.purpose) == (
        "create",
        ["email", "employer", "name"],
        "mediation",
    )


def test_it_records_nothing_when_the_write_fails(org_a: Any, alice: Any) -> None:
    from django.core.exceptions import ValidationError

    with organisation_scope(org_a), pytest.raises(ValidationError):
        services.membership_update(
            membership=member(alice, org_a), role="candidate", is_active=True
        )
    assert events(org_a) == []
