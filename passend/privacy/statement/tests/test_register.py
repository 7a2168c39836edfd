"""The record of processing activities (GDPR Art. 30): each organisation's as
controller for its admins, the platform's as processor for platform staff."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from conftest import client_for
from passend.privacy.datamap import Purpose, default_map
from passend.privacy.recipients import recipients
from passend.privacy.statement.generate import collect_facts
from passend.tenancy.models import OrganisationContact


def rows_of(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def contacts(org_a: Any, org_b: Any) -> None:
    for org, name in ((org_a, "Anna Contactpersoon"), (org_b, "Bram Contactpersoon")):
        OrganisationContact.objects.unscoped().create(
            organisation=org, name=name, email=f"{name.split()[0].lower()}@example.test",
            function="Privacy officer",
        )  # fmt: skip


@pytest.fixture
def staff(db: Any) -> Any:
    return get_user_model().objects.create_user(
        "staff@passend.test", "x" * 12, is_platform_staff=True
    )


def used_purposes() -> list[str]:
    facts = collect_facts(default_map(), recipients())
    used = {p for f in facts["fields"].values() for p in f["purposes"]}
    with translation.override("en"):
        return [str(p.label) for p in Purpose if p.value in used]


def test_it_gives_an_admin_her_organisations_register(
    alice: Any, org_a: Any, contacts: None
) -> None:
    client = client_for(alice, org_a)
    text = client.get("/privacy/register/").content.decode()
    assert "Werkpad Re-integratie" in text
    assert "Anna Contactpersoon" in text
    assert "Flexkracht" not in text
    assert "Bram Contactpersoon" not in text
    for label in used_purposes():
        assert label[0].upper() + label[1:] in text


def test_it_downloads_the_controller_register_as_csv(
    alice: Any, org_a: Any, contacts: None
) -> None:
    rows = rows_of(client_for(alice, org_a).get("/privacy/register/", {"format": "csv"}))
    head, body = rows[0], rows[1:]
    assert head[:6] == ["Controller", "KvK number", "Address", "Contact persons", "Processor",
                        "Purpose"]  # fmt: skip
    assert {row[0] for row in body} == {"Werkpad Re-integratie"}
    assert all("Anna Contactpersoon" in row[3] for row in body)
    assert len(body) == len(used_purposes())
    assert all(row[head.index("Retention")] for row in body)
    assert all(row[head.index("Security measures")] for row in body)


def test_it_shows_charlie_only_his_own_organisations_register(
    charlie: Any, org_b: Any, contacts: None
) -> None:
    client = client_for(charlie, org_b)
    text = client.get("/privacy/register/").content.decode()
    assert "Flexkracht Uitzendbureau" in text
    assert "Bram Contactpersoon" in text
    assert "Werkpad" not in text
    assert "Anna Contactpersoon" not in text
    rows = rows_of(client.get("/privacy/register/", {"format": "csv"}))
    assert {row[0] for row in rows[1:]} == {"Flexkracht Uitzendbureau"}


@pytest.mark.parametrize("persona", ["bob", "carla", "dave"])
def test_it_refuses_the_register_to_members_who_are_not_admins(
    as_persona: Any, persona: str
) -> None:
    client = as_persona(persona, "a")
    assert client.get("/privacy/register/").status_code == 403
    assert client.get("/privacy/register/", {"format": "csv"}).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in_for_the_register(client: Client, db: Any) -> None:
    response = client.get("/privacy/register/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_answers_404_to_a_signed_in_person_without_organisation(staff: Any) -> None:
    assert client_for(staff).get("/privacy/register/").status_code == 404


def test_it_gives_platform_staff_the_processor_register_for_every_controller(
    staff: Any, contacts: None
) -> None:
    client = client_for(staff)
    text = client.get("/privacy/register/processor/").content.decode()
    assert "Werkpad Re-integratie" in text
    assert "Flexkracht Uitzendbureau" in text
    assert "Anna Contactpersoon" in text
    assert "Bram Contactpersoon" in text
    with translation.override("en"):
        for recipient in recipients():
            if recipient.kind == "processor":
                assert str(recipient.name) in text
    rows = rows_of(client.get("/privacy/register/processor/", {"format": "csv"}))
    assert rows[0][:2] == ["Processor", "Controller"]
    assert sorted(row[1] for row in rows[1:]) == [
        "Flexkracht Uitzendbureau",
        "Werkpad Re-integratie",
    ]


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie"])
def test_it_hides_the_processor_register_from_everyone_but_staff(
    as_persona: Any, persona: str
) -> None:
    client = as_persona(persona)
    assert client.get("/privacy/register/processor/").status_code == 404
    assert client.get("/privacy/register/processor/", {"format": "csv"}).status_code == 404


def test_it_hides_the_processor_register_from_anonymous_visitors(client: Client, db: Any) -> None:
    assert client.get("/privacy/register/processor/").status_code == 404


def test_it_neutralises_spreadsheet_formulas_in_the_csv(alice: Any, org_a: Any) -> None:
    OrganisationContact.objects.unscoped().create(
        organisation=org_a, name='=HYPERLINK("http://evil.example")', email="x@example.test"
    )
    org_a.name = "@Werkpad"
    org_a.save()
    rows = rows_of(client_for(alice, org_a).get("/privacy/register/", {"format": "csv"}))
    assert rows[1][0] == "'@Werkpad"
    assert rows[1][3].startswith("'=HYPERLINK")
