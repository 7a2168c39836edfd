"""The audit pages: admins browse their own organisation's trail; everyone sees
who looked at their data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from conftest import client_for
from passend.common.scope import organisation_scope
from passend.privacy.audit.models import Action, AuditEvent
from passend.privacy.audit.services import Target, record, record_read
from passend.privacy.datamap import Purpose
from passend.tenancy.models import Membership, OrganisationContact


def member(user: Any, org: Any) -> Membership:
    with organisation_scope(org):
        return Membership.objects.get(user=user)


def contact_change(
    org: Any, actor: Membership, *, purpose: str = "organisation_admin"
) -> AuditEvent:
    with organisation_scope(org):
        contact = OrganisationContact.objects.create(
            organisation=org, name="Contact", email="contact@example.test"
        )
        return record(
            action=Action.UPDATE, target=contact, fields=["phone"], purpose=purpose, actor=actor
        )


def test_it_shows_an_admin_their_organisation_trail(
    as_persona: Any, org_a: Any, org_b: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    contact_change(org_a, member(bob, org_a))
    contact_change(org_b, member(charlie, org_b), purpose="security")
    response = as_persona("alice", "a").get("/audit/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 1
    assert rows[0].event.organisation_id == org_a.pk
    assert "Bob Jansen (Career advisor)" in rows[0].actor
    assert rows[0].fields == ["phone number"]
    content = response.content.decode()
    assert "<caption>" in content
    assert "Charlie" not in content


def test_it_never_shows_charlie_organisation_a_events(
    as_persona: Any, org_a: Any, org_b: Any, alice: Any, charlie: Any
) -> None:
    ours = contact_change(org_a, member(alice, org_a))
    response = as_persona("charlie", "b").get("/audit/")
    assert response.status_code == 200
    assert all(row.event.organisation_id == org_b.pk for row in response.context["rows"])
    assert ours.target_id not in response.content.decode()
    # Filtering by a membership of A yields nothing either.
    filtered = as_persona("charlie", "b").get("/audit/", {"actor": str(member(alice, org_a).pk)})
    assert filtered.context["rows"] == []


def test_it_forbids_members_who_are_not_admins(as_persona: Any) -> None:
    assert as_persona("bob", "a").get("/audit/").status_code == 403
    assert as_persona("carla", "a").get("/audit/").status_code == 403
    assert as_persona("dave", "a").get("/audit/").status_code == 403


def test_it_hides_the_trail_from_people_without_a_membership(personas: Any) -> None:
    outsider = get_user_model().objects.create_user("outsider@example.test", "x-password-1")
    assert client_for(outsider).get("/audit/").status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client: Any, personas: Any) -> None:
    for path in ["/audit/", "/audit/my-data/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_it_filters_the_trail(as_persona: Any, org_a: Any, alice: Any, bob: Any) -> None:
    by_bob = contact_change(org_a, member(bob, org_a))
    by_alice = contact_change(org_a, member(alice, org_a), purpose="security")
    with organisation_scope(org_a):
        read = record_read(
            target=Target("candidates.profile", "p-1"),
            fields=["bsn"],
            purpose=Purpose.PAYMENTS,
            actor=member(bob, org_a),
        )
    client = as_persona("alice", "a")

    def shown(**params: str) -> list[int]:
        response = client.get("/audit/", params)
        assert response.status_code == 200
        return [row.event.pk for row in response.context["rows"]]

    assert shown() == [read.pk, by_alice.pk, by_bob.pk]
    assert shown(action="read") == [read.pk]
    assert shown(actor=str(member(bob, org_a).pk)) == [read.pk, by_bob.pk]
    assert shown(actor="system") == []
    assert shown(target_model="tenancy.organisationcontact") == [by_alice.pk, by_bob.pk]
    assert shown(purpose="security") == [by_alice.pk]
    today = timezone.localdate()
    assert len(shown(date_from=str(today), date_to=str(today))) == 3
    assert shown(date_from=str(today + timedelta(days=1))) == []
    assert shown(date_to=str(today - timedelta(days=1))) == []


def test_it_explains_bad_filters_and_ignores_them(as_persona: Any, org_a: Any, alice: Any) -> None:
    contact_change(org_a, member(alice, org_a))
    today = timezone.localdate()
    response = as_persona("alice", "a").get(
        "/audit/",
        {"action": "peek", "date_from": str(today), "date_to": str(today - timedelta(days=2))},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(response.context["rows"]) == 1


def test_it_paginates_the_trail(as_persona: Any, org_a: Any, alice: Any) -> None:
    actor = member(alice, org_a)
    with organisation_scope(org_a):
        contact = OrganisationContact.objects.create(
            organisation=org_a, name="Contact", email="contact@example.test"
        )
        first_id = min(
            record(
                action=Action.UPDATE,
                target=contact,
                fields=["phone"],
                purpose="security",
                actor=actor,
            ).pk
            for _ in range(55)
        )
    client = as_persona("alice", "a")
    first = client.get("/audit/", {"action": "update"})
    assert len(first.context["rows"]) == 50
    assert "page=2" in first.content.decode()
    assert "action=update" in first.content.decode()
    second = client.get("/audit/", {"action": "update", "page": "2"})
    assert len(second.context["rows"]) == 5
    assert second.context["rows"][-1].event.pk == first_id


def test_it_shows_a_person_who_looked_at_their_data(
    as_persona: Any, org_a: Any, bob: Any, carla: Any
) -> None:
    with organisation_scope(org_a):
        record_read(
            target=Target("candidates.profile", "p-1"),
            fields=["bsn"],
            purpose=Purpose.PAYMENTS,
            subject=carla,
            actor=member(bob, org_a),
        )
    response = as_persona("carla", "a").get("/audit/my-data/")
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row.organisation == "Werkpad Re-integratie"
    assert row.viewer == "Bob Jansen"
    assert row.role == "Career advisor"
    assert row.fields == ["bsn"]
    assert row.purpose == "processing payments"
    assert "<caption>" in response.content.decode()


def test_it_shows_nobody_else_reads_of_a_person_data(
    as_persona: Any, org_a: Any, org_b: Any, bob: Any, carla: Any, charlie: Any
) -> None:
    with organisation_scope(org_a):
        record_read(
            target=Target("candidates.profile", "p-1"),
            fields=["bsn"],
            purpose=Purpose.PAYMENTS,
            subject=carla,
            actor=member(bob, org_a),
        )
        # A change (not a disclosure) to Carla's membership is not listed.
        record(
            action=Action.UPDATE, target=member(carla, org_a), fields=["role"], purpose="account"
        )
    for persona, org in [("bob", "a"), ("dave", "a"), ("charlie", "b")]:
        response = as_persona(persona, org).get("/audit/my-data/")
        assert response.status_code == 200
        assert response.context["rows"] == []
    [row] = as_persona("carla", "a").get("/audit/my-data/").context["rows"]
    assert row.event.action == "read"


def test_it_shows_reads_from_every_organisation_and_names_automated_ones(
    as_persona: Any, org_a: Any, org_b: Any, bob: Any
) -> None:
    with organisation_scope(org_b):
        record_read(
            target=Target("flexwork.worker", "w-1"),
            fields=["iban"],
            purpose="payments",
            subject=bob,
        )
    with organisation_scope(org_a):
        record_read(
            target=Target("candidates.profile", "p-2"),
            fields=["bsn"],
            purpose="payments",
            subject=bob,
            actor=member(bob, org_a),
        )
    rows = as_persona("bob", "a").get("/audit/my-data/").context["rows"]
    assert [(r.organisation, r.viewer) for r in rows] == [
        ("Werkpad Re-integratie", "you"),
        ("Flexkracht Uitzendbureau", "an automated process"),
    ]
