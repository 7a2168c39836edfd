"""What each endpoint returns, and to whom."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from conftest import client_for
from passend.api.tests.helpers import get, make_token, problem
from passend.common.scope import organisation_scope
from passend.tenancy.models import Membership, OrganisationContact, Role


def test_it_describes_the_person(alice: Any, org_a: Any) -> None:
    body = get("/api/v1/me", make_token(alice, org_a)).json()

    assert body == {
        "id": alice.pk,
        "email": alice.email,
        "name": alice.name,
        "preferred_language": alice.preferred_language,
    }


def test_it_lists_every_membership_to_the_session(bob: Any, org_a: Any, org_b: Any) -> None:
    body = client_for(bob, org_a).get("/api/v1/memberships").json()

    assert {m["organisation"]["slug"] for m in body} == {org_a.slug, org_b.slug}
    assert {m["role"] for m in body} == {Role.PROFESSIONAL}


def test_it_lists_only_the_tokens_membership_to_a_token(bob: Any, org_b: Any) -> None:
    body = get("/api/v1/memberships", make_token(bob, org_b)).json()

    assert [m["organisation"]["id"] for m in body] == [str(org_b.pk)]


def test_it_names_the_employer_of_an_employer_member(dave: Any, org_a: Any, personas: Any) -> None:
    body = get("/api/v1/memberships", make_token(dave, org_a)).json()

    employer = personas.employers["Bakkerij De Korenaar"]
    assert body[0]["employer"] == {"id": str(employer.pk), "name": employer.name}
    assert body[0]["role"] == Role.EMPLOYER


def test_it_shows_the_organisation_with_its_iban_to_an_admin(alice: Any, org_a: Any) -> None:
    with organisation_scope(org_a):
        OrganisationContact.objects.create(
            organisation=org_a, name="Petra Pieters", email="petra@werkpad.test"
        )

    body = get("/api/v1/organisation", make_token(alice, org_a)).json()

    assert body["name"] == org_a.name
    assert body["kind"] == org_a.kind
    assert body["kvk_number"] == org_a.kvk_number
    assert body["vat_number"] == org_a.vat_number
    assert body["address"]["postcode"] == org_a.postcode
    assert body["iban"] == org_a.iban
    assert [c["email"] for c in body["contacts"]] == ["petra@werkpad.test"]


@pytest.mark.parametrize("persona", ["bob", "carla", "dave"])
def test_it_hides_the_iban_from_non_admins(persona: Any, personas: Any, org_a: Any) -> None:
    body = get("/api/v1/organisation", make_token(personas[persona], org_a)).json()

    assert body["name"] == org_a.name
    assert body["iban"] is None


def test_it_scopes_a_token_to_its_organisation(
    bob: Any, charlie: Any, org_a: Any, org_b: Any
) -> None:
    with organisation_scope(org_a):
        OrganisationContact.objects.create(
            organisation=org_a, name="Contact A", email="a@werkpad.test"
        )
    with organisation_scope(org_b):
        OrganisationContact.objects.create(
            organisation=org_b, name="Contact B", email="b@flexkracht.test"
        )

    # Bob works in both; his token for B sees B, even while his session is in A.
    by_token = get("/api/v1/organisation", make_token(bob, org_b), client_for(bob, org_a))
    members = get("/api/v1/organisation/members", make_token(charlie, org_b)).json()

    assert by_token.json()["name"] == org_b.name
    assert [c["name"] for c in by_token.json()["contacts"]] == ["Contact B"]
    emails = {m["email"] for m in members["items"]}
    assert "charlie@passend.test" in emails
    assert "alice@passend.test" not in emails
    assert "carla@passend.test" not in emails


def test_it_uses_the_sessions_active_organisation(bob: Any, org_b: Any) -> None:
    body = client_for(bob, org_b).get("/api/v1/organisation").json()

    assert body["name"] == org_b.name


def test_it_lists_members_to_an_admin(alice: Any, org_a: Any, personas: Any) -> None:
    body = get("/api/v1/organisation/members", make_token(alice, org_a)).json()

    assert body["count"] == 4
    assert body["page"] == 1
    by_email = {m["email"]: m for m in body["items"]}
    assert set(by_email) == {f"{key}@passend.test" for key in ("alice", "bob", "carla", "dave")}
    assert by_email["dave@passend.test"]["role"] == Role.EMPLOYER
    assert by_email["dave@passend.test"]["employer"]["name"] == "Bakkerij De Korenaar"
    assert by_email["bob@passend.test"]["employer"] is None
    assert by_email["alice@passend.test"]["name"] == alice.name


def test_it_leaves_inactive_members_out(alice: Any, carla: Any, org_a: Any) -> None:
    with organisation_scope(org_a):
        Membership.objects.filter(user=carla).update(is_active=False)

    body = get("/api/v1/organisation/members", make_token(alice, org_a)).json()

    assert body["count"] == 3
    assert "carla@passend.test" not in {m["email"] for m in body["items"]}


def test_it_pages_the_members(alice: Any, org_a: Any) -> None:
    raw = make_token(alice, org_a)

    first = get("/api/v1/organisation/members?page_size=3", raw).json()
    second = get("/api/v1/organisation/members?page_size=3&page=2", raw).json()
    beyond = get("/api/v1/organisation/members?page_size=3&page=9", raw).json()

    assert (first["count"], len(first["items"]), first["page_size"]) == (4, 3, 3)
    assert (second["page"], len(second["items"])) == (2, 1)
    assert beyond["items"] == []
    emails = [m["email"] for m in first["items"] + second["items"]]
    assert len(set(emails)) == 4


@pytest.mark.parametrize("persona", ["bob", "carla", "dave"])
def test_it_refuses_the_members_list_to_non_admins(persona: str, personas: Any, org_a: Any) -> None:
    response = get("/api/v1/organisation/members", make_token(personas[persona], org_a))

    assert response.status_code == 403
    problem(response)


def test_it_refuses_the_members_list_to_a_non_admin_session(
    as_persona: Any,
) -> None:
    # Bob is a professional in B as well: no admin there either.
    response = as_persona("bob", "b").get("/api/v1/organisation/members")

    assert response.status_code == 403


def test_it_answers_404_about_an_organisation_to_someone_without_one(personas: Any) -> None:
    loner = get_user_model().objects.create_user("loner@passend.test", "pw-for-the-loner-1")
    client = client_for(loner)

    me = client.get("/api/v1/me")
    memberships = client.get("/api/v1/memberships")
    organisation = client.get("/api/v1/organisation")
    members = client.get("/api/v1/organisation/members")

    assert me.status_code == 200
    assert memberships.json() == []
    assert organisation.status_code == 404
    assert members.status_code == 404
    problem(organisation)
