"""The statement page: open to anyone; signed in, it names your organisation."""

from __future__ import annotations

from typing import Any

from django.test import Client

from conftest import client_for
from passend.tenancy.models import OrganisationContact


def test_it_shows_the_statement_to_anonymous_visitors(client: Client, db: Any) -> None:
    response = client.get("/privacy/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>Privacy statement</h1>" in text
    assert "statement-controller-title" not in text
    assert "This statement has changed" not in text
    for path in ("/privacy/versions/", "/privacy/versions/1.0/", "/privacy/changes/"):
        assert client.get(path).status_code == 200, path


def test_it_names_the_controller_and_its_contact_persons_when_signed_in(
    alice: Any, bob: Any, org_a: Any, org_b: Any, charlie: Any
) -> None:
    OrganisationContact.objects.unscoped().create(
        organisation=org_a, name="Anna Contactpersoon", email="anna@example.test"
    )
    as_alice = client_for(alice, org_a).get("/privacy/").content.decode()
    assert "You use Passend through Werkpad Re-integratie" in as_alice
    assert "Anna Contactpersoon" in as_alice
    assert 'href="mailto:anna@example.test"' in as_alice
    assert 'href="/privacy/register/"' in as_alice
    as_bob = client_for(bob, org_a).get("/privacy/").content.decode()
    assert "Anna Contactpersoon" in as_bob
    assert 'href="/privacy/register/"' not in as_bob
    as_charlie = client_for(charlie, org_b).get("/privacy/").content.decode()
    assert "Flexkracht Uitzendbureau" in as_charlie
    assert "Anna Contactpersoon" not in as_charlie
    assert "has not listed contact persons yet" in as_charlie
