"""The statement page: open to anyone; signed in, it names your organisation."""

from __future__ import annotations

from typing import Any

from django.test import Client

from conftest import client_for
from passend.privacy.statement.models import StatementVersion
from passend.tenancy.models import OrganisationContact


def test_it_shows_the_statement_to_anonymous_visitors(
    client: Client, published_statement: Any
) -> None:
    response = client.get("/privacy/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>Privacy statement</h1>" in text
    assert "statement-controller-title" not in text
    assert "This statement has changed" not in text
    for path in ("/privacy/versions/", "/privacy/versions/1.0/", "/privacy/changes/"):
        assert client.get(path).status_code == 200, path


def test_it_names_the_controller_and_its_contact_persons_when_signed_in(
    alice: Any, bob: Any, org_a: Any, org_b: Any, charlie: Any, published_statement: Any
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


def test_it_says_plainly_that_nothing_is_published_yet_and_publishes_nothing(
    client: Client, alice: Any, org_a: Any
) -> None:
    # Given a site where publish_statement has not run yet
    assert not StatementVersion.objects.exists()
    # When anyone opens the statement pages
    for path in ("/privacy/", "/privacy/versions/", "/privacy/versions/1.0/", "/privacy/changes/"):
        response = client.get(path)
        # Then they read that it is not published yet, and no version was created
        assert response.status_code == 503, path
        assert "has not been published yet" in response.content.decode(), path
    acknowledge = client_for(alice, org_a).get("/privacy/acknowledge/")
    assert acknowledge.status_code == 503
    register = client_for(alice, org_a).get("/privacy/register/")
    assert register.status_code == 200
    assert "Generated from the data map on" in register.content.decode()
    assert not StatementVersion.objects.exists()
