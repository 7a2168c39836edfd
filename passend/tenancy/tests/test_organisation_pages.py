import pytest
from django.utils import translation

from passend.common.scope import organisation_scope
from passend.tenancy.models import Employer, OrganisationContact

pytestmark = pytest.mark.django_db


def _org_data(**overrides):
    data = {
        "name": "Werkpad Re-integratie",
        "street": "Oudegracht 120",
        "postcode": "3511 AX",
        "city": "Utrecht",
        "kvk_number": "12345678",
        "vat_number": "NL000099998B57",
    }
    data.update(overrides)
    return data


def test_it_saves_valid_organisation_details_in_canonical_form(as_persona, org_a):
    response = as_persona("alice").post(
        "/organisations/current/", _org_data(kvk_number="1234 5678", postcode="3511ax")
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert (org_a.kvk_number, org_a.postcode) == ("12345678", "3511 AX")


@pytest.mark.parametrize(
    ("field", "value", "english", "dutch"),
    [
        ("kvk_number", "1234", "Enter a valid KvK number", "Vul een geldig KvK-nummer in"),
        ("vat_number", "NL123456789B01", "Enter a valid Dutch VAT", "Vul een geldig btw-nummer in"),
        ("postcode", "ABCD 12", "Enter a valid Dutch postcode", "Vul een geldige postcode in"),
    ],
)
def test_it_rejects_invalid_identifiers_with_a_message_in_both_languages(
    as_persona, org_a, field, value, english, dutch
):
    client = as_persona("alice")
    response = client.post("/organisations/current/", _org_data(**{field: value}))
    assert response.status_code == 200
    assert english in response.content.decode()
    client.cookies["django_language"] = "nl"
    response = client.post("/organisations/current/", _org_data(**{field: value}))
    assert dutch in response.content.decode()
    # Nothing was lost: what the person typed is still in the form.
    assert value in response.content.decode()
    translation.activate("en")


def test_it_keeps_organisation_settings_for_admins(as_persona):
    assert as_persona("bob", "a").get("/organisations/current/").status_code == 403
    assert as_persona("carla").get("/organisations/current/").status_code == 403


def test_it_adds_and_removes_contact_persons(as_persona, org_a):
    client = as_persona("alice")
    response = client.post(
        "/organisations/current/contacts/",
        {"name": "Petra Pieters", "email": "petra@werkpad.test", "phone": "", "function": "FG"},
    )
    assert response.status_code == 302
    with organisation_scope(org_a):
        contact = OrganisationContact.objects.get(name="Petra Pieters")
    assert client.post(f"/organisations/current/contacts/{contact.pk}/delete/").status_code == 302
    with organisation_scope(org_a):
        assert not OrganisationContact.objects.filter(pk=contact.pk).exists()


def test_it_returns_404_for_another_organisations_contact(as_persona, org_a):
    with organisation_scope(org_a):
        contact = OrganisationContact.objects.create(
            organisation=org_a, name="Geheim", email="g@werkpad.test"
        )
    response = as_persona("charlie").post(f"/organisations/current/contacts/{contact.pk}/delete/")
    assert response.status_code == 404


def test_it_switches_to_an_organisation_the_person_belongs_to(as_persona, org_a, org_b):
    client = as_persona("bob", "a")
    response = client.post("/organisations/switch/", {"organisation": str(org_b.pk)})
    assert response.status_code == 302
    assert client.session["passend_organisation"] == str(org_b.pk)
    assert "Flexkracht" in client.get("/").content.decode()


def test_it_answers_404_when_switching_to_an_organisation_of_someone_else(as_persona, org_b):
    client = as_persona("carla")
    response = client.post("/organisations/switch/", {"organisation": str(org_b.pk)})
    assert response.status_code == 404
    response = client.post("/organisations/switch/", {"organisation": "not-a-uuid"})
    assert response.status_code == 404


def test_it_shows_an_employer_only_their_own_company(as_persona, personas):
    dave = as_persona("dave")
    own = personas.employers["Bakkerij De Korenaar"]
    other = personas.employers["Zorggroep Het Baken"]
    assert dave.get(f"/organisations/employers/{own.pk}/").status_code == 200
    assert dave.get(f"/organisations/employers/{other.pk}/").status_code == 404
    assert dave.post(f"/organisations/employers/{own.pk}/", {"name": "X"}).status_code == 404


def test_it_creates_an_employer_with_validated_numbers(as_persona, org_a):
    client = as_persona("bob", "a")
    bad = client.post("/organisations/employers/new/", {"name": "Nieuw BV", "kvk_number": "12"})
    assert bad.status_code == 400
    good = client.post(
        "/organisations/employers/new/",
        {"name": "Nieuw BV", "kvk_number": "1234 5679", "vat_number": "nl000099998b57"},
    )
    assert good.status_code == 302
    with organisation_scope(org_a):
        employer = Employer.objects.get(name="Nieuw BV")
    assert (employer.kvk_number, employer.vat_number) == ("12345679", "NL000099998B57")


def test_it_refuses_a_duplicate_employer_name_with_a_message(as_persona):
    response = as_persona("alice").post(
        "/organisations/employers/new/", {"name": "bakkerij de korenaar"}
    )
    assert response.status_code == 400


def test_it_keeps_the_last_admin(as_persona, personas):
    alice_membership = personas.memberships["alice"]
    response = as_persona("alice").post(
        f"/organisations/members/{alice_membership.pk}/",
        {"role": "professional", "is_active": "on"},
    )
    assert response.status_code == 400
    assert b"at least one active administrator" in response.content
