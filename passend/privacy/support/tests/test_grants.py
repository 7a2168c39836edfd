"""Support grants (P9): requested with a reason, approved by the organisation's
admin with an expiry, revocable, and visible in the organisation's trail."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from passend.privacy.support import services
from passend.privacy.support.models import GrantStatus, SupportGrant
from passend.privacy.support.tests.conftest import events, expire

REQUEST = reverse("support:request")
INDEX = reverse("support:index")
MINE = reverse("support:mine")


def _grant(pk):
    return SupportGrant.objects.unscoped().get(pk=pk)


# --- staff ask --------------------------------------------------------------------


def test_it_lets_staff_request_access_with_a_reason(staff, org_a):
    response = client_for(staff).post(
        REQUEST, {"organisation": org_a.pk, "reason": "Ticket: invitations bounce."}
    )

    assert response.status_code == 302
    grant = SupportGrant.objects.unscoped().get(staff=staff)
    assert grant.organisation == org_a
    assert grant.reason == "Ticket: invitations bounce."
    assert grant.status == GrantStatus.PENDING
    event = events(org_a, action="create").get()
    assert event.target_id == str(grant.pk)
    assert event.actor_user_id == staff.pk


def test_it_refuses_a_request_without_a_reason(staff, org_a):
    response = client_for(staff).post(REQUEST, {"organisation": org_a.pk, "reason": "   "})

    assert response.status_code == 400
    assert "Give the reason you need access." in response.content.decode()
    assert not SupportGrant.objects.unscoped().exists()


def test_it_refuses_a_reason_at_the_service_too(staff, org_a):
    with pytest.raises(ValidationError):
        services.grant_request(staff=staff, organisation=org_a, reason="")


def test_it_lists_organisations_by_name_only(staff, org_a, org_b):
    content = client_for(staff).get(REQUEST).content.decode()

    assert org_a.name in content
    assert org_b.name in content
    for detail in (org_a.kvk_number, org_a.iban, org_a.street, "alice@passend.test"):
        assert detail not in content


def test_it_hides_the_request_page_from_everyone_but_staff(as_persona, org_a):
    client = as_persona("alice", "a")
    assert client.get(REQUEST).status_code == 404
    response = client.post(REQUEST, {"organisation": org_a.pk, "reason": "let me in"})
    assert response.status_code == 404
    assert not SupportGrant.objects.unscoped().exists()


def test_it_refuses_requests_by_non_staff_at_the_service(alice, org_a):
    with pytest.raises(ValidationError):
        services.grant_request(staff=alice, organisation=org_a, reason="curious")


def test_it_refuses_a_second_open_request_for_the_same_organisation(staff, org_a, pending):
    response = client_for(staff).post(REQUEST, {"organisation": org_a.pk, "reason": "again"})

    assert response.status_code == 400
    assert SupportGrant.objects.unscoped().count() == 1


def test_it_accepts_a_new_request_once_the_last_grant_expired(staff, org_a, live):
    expire(live)

    services.grant_request(staff=staff, organisation=org_a, reason="follow-up question")

    assert SupportGrant.objects.unscoped().filter(staff=staff).count() == 2


def test_it_refuses_a_request_for_an_inactive_organisation(staff, org_b):
    org_b.is_active = False
    org_b.save()
    with pytest.raises(ValidationError):
        services.grant_request(staff=staff, organisation=org_b, reason="closed down")


def test_it_shows_staff_their_own_grants_only(staff, other_staff, org_a, live):
    content = client_for(staff).get(MINE).content.decode()
    assert org_a.name in content
    assert reverse("support:members", args=[live.pk]) in content

    other = client_for(other_staff).get(MINE).content.decode()
    assert reverse("support:members", args=[live.pk]) not in other
    assert "checking her membership" not in other


def test_it_hides_the_staff_pages_from_members(as_persona):
    assert as_persona("alice", "a").get(MINE).status_code == 404


def test_it_sends_staff_from_the_index_to_their_grants(staff):
    response = client_for(staff).get(INDEX)
    assert response.status_code == 302
    assert response.url == MINE


# --- the organisation decides ---------------------------------------------------------


def test_it_shows_pending_requests_to_the_organisations_admins_only(as_persona, pending):
    alice_page = as_persona("alice", "a").get(INDEX)
    assert alice_page.status_code == 200
    assert "checking her membership" in alice_page.content.decode()
    assert "Sam Support" in alice_page.content.decode()

    charlie_page = as_persona("charlie", "b").get(INDEX).content.decode()
    assert "checking her membership" not in charlie_page


def test_it_hides_support_access_from_members_who_are_not_admins(as_persona, pending):
    bob = as_persona("bob", "a")
    assert bob.get(INDEX).status_code == 403
    assert bob.post(reverse("support:approve", args=[pending.pk]), {"hours": 4}).status_code == 403
    assert _grant(pending.pk).is_pending


def test_it_sends_anonymous_visitors_to_the_login(client, pending):
    assert client.get(INDEX).status_code == 302
    assert client.get(reverse("support:members", args=[pending.pk])).status_code == 302


def test_it_lets_an_admin_approve_with_an_expiry(as_persona, personas, org_a, pending):
    client = as_persona("alice", "a")
    url = reverse("support:approve", args=[pending.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"hours": 4})

    assert response.status_code == 302
    grant = _grant(pending.pk)
    assert grant.is_live
    assert grant.approved_by == personas.memberships["alice"]
    assert grant.expires_at - grant.approved_at == timedelta(hours=4)
    event = events(org_a, action="grant").get()
    assert event.target_id == str(grant.pk)
    assert event.actor_membership_id == personas.memberships["alice"].pk


def test_it_refuses_an_expiry_beyond_the_maximum(as_persona, pending):
    response = as_persona("alice", "a").post(
        reverse("support:approve", args=[pending.pk]), {"hours": 73}
    )

    assert response.status_code == 400
    assert _grant(pending.pk).is_pending


def test_it_refuses_an_expiry_beyond_the_maximum_at_the_service(personas, pending):
    with pytest.raises(ValidationError):
        services.grant_approve(
            grant=pending, by=personas.memberships["alice"], duration=timedelta(hours=100)
        )
    with pytest.raises(ValidationError):
        services.grant_approve(
            grant=pending, by=personas.memberships["alice"], duration=timedelta(0)
        )
    assert _grant(pending.pk).is_pending


def test_it_refuses_a_stored_expiry_beyond_the_maximum(pending):
    now = timezone.now()
    pending.approved_at = now
    pending.expires_at = now + timedelta(hours=73)
    with pytest.raises(ValidationError):
        pending.full_clean()
    pending.expires_at = now - timedelta(hours=1)
    with pytest.raises(ValidationError):
        pending.full_clean()


def test_it_lets_no_other_organisations_admin_revoke(as_persona, live):
    response = as_persona("charlie", "b").post(reverse("support:revoke", args=[live.pk]))

    assert response.status_code == 404
    assert _grant(live.pk).is_live


def test_it_lets_no_other_organisations_admin_approve_a_pending_request(as_persona, pending):
    charlie = as_persona("charlie", "b")
    approve = reverse("support:approve", args=[pending.pk])

    assert charlie.get(approve).status_code == 404
    assert charlie.post(approve, {"hours": 4}).status_code == 404
    assert charlie.post(reverse("support:refuse", args=[pending.pk])).status_code == 404
    assert _grant(pending.pk).is_pending


def test_it_refuses_another_organisations_admin_at_the_service(personas, pending):
    with pytest.raises(ValidationError):
        services.grant_approve(
            grant=pending, by=personas.memberships["charlie"], duration=timedelta(hours=1)
        )
    with pytest.raises(ValidationError):
        services.grant_refuse(grant=pending, by=personas.memberships["bob"])


def test_it_lets_an_admin_refuse(as_persona, org_a, staff, pending):
    response = as_persona("alice", "a").post(reverse("support:refuse", args=[pending.pk]))

    assert response.status_code == 302
    assert _grant(pending.pk).status == GrantStatus.REFUSED
    assert events(org_a, action="update", detail="support access refused").exists()
    assert client_for(staff).get(reverse("support:members", args=[pending.pk])).status_code == 404


def test_it_answers_a_request_only_once(as_persona, personas, live):
    alice = as_persona("alice", "a")
    assert alice.get(reverse("support:approve", args=[live.pk])).status_code == 404
    assert alice.post(reverse("support:refuse", args=[live.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.grant_approve(
            grant=live, by=personas.memberships["alice"], duration=timedelta(hours=1)
        )
    with pytest.raises(ValidationError):
        services.grant_refuse(grant=live, by=personas.memberships["alice"])


def test_it_lets_an_admin_revoke_a_live_grant_at_once(as_persona, org_a, staff, live):
    members_url = reverse("support:members", args=[live.pk])
    assert client_for(staff).get(members_url).status_code == 200

    response = as_persona("alice", "a").post(reverse("support:revoke", args=[live.pk]))

    assert response.status_code == 302
    assert _grant(live.pk).status == GrantStatus.REVOKED
    assert events(org_a, action="update", detail="support access revoked").exists()
    assert client_for(staff).get(members_url).status_code == 404


def test_it_cannot_revoke_what_has_ended(as_persona, personas, live):
    expire(live)
    assert (
        as_persona("alice", "a").post(reverse("support:revoke", args=[live.pk])).status_code == 404
    )
    with pytest.raises(ValidationError):
        services.grant_revoke(grant=_grant(live.pk), by=personas.memberships["alice"])


def test_it_shows_admins_the_grant_history(as_persona, staff, org_a, personas, live):
    expire(live)
    refused = services.grant_request(staff=staff, organisation=org_a, reason="second ticket")
    services.grant_refuse(grant=refused, by=personas.memberships["alice"])

    content = as_persona("alice", "a").get(INDEX).content.decode()

    assert "checking her membership" in content
    assert "second ticket" in content
    assert str(GrantStatus.EXPIRED.label) in content
    assert str(GrantStatus.REFUSED.label) in content


# --- using a grant ----------------------------------------------------------------------


def test_it_shows_the_members_through_a_live_grant_and_audits_it(staff, org_a, org_b, live):
    response = client_for(staff).get(reverse("support:members", args=[live.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "alice@passend.test" in content
    assert "carla@passend.test" in content
    assert "charlie@passend.test" not in content
    use = events(org_a, action="grant_use").get()
    assert use.target_model == "support.supportgrant"
    assert use.target_id == str(live.pk)
    assert use.actor_user_id == staff.pk
    assert use.detail == "support view of members"
    assert "user" in use.fields
    assert not events(org_b, action="grant_use").exists()


def test_it_hides_the_members_without_a_live_grant(staff, other_staff, pending):
    url = reverse("support:members", args=[pending.pk])
    assert client_for(staff).get(url).status_code == 404  # not yet approved
    assert not events(pending.organisation, action="grant_use").exists()


def test_it_hides_the_members_once_the_grant_expired(staff, live):
    expire(live)

    response = client_for(staff).get(reverse("support:members", args=[live.pk]))

    assert response.status_code == 404
    assert not events(live.organisation, action="grant_use").exists()


def test_it_hides_the_members_from_anyone_but_the_grants_staff_member(
    other_staff, as_persona, live
):
    url = reverse("support:members", args=[live.pk])
    assert client_for(other_staff).get(url).status_code == 404
    assert as_persona("alice", "a").get(url).status_code == 404
    missing = reverse("support:members", args=[uuid.uuid4()])
    assert client_for(other_staff).get(missing).status_code == 404
