"""The less travelled paths of the organisation pages and tenancy's services:
same-value changes, second clicks, stale copies, former members, and stored
details that no longer pass validation."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from conftest import client_for
from passend.accounts.tests.two_factor import pass_two_factor
from passend.common.scope import organisation_scope
from passend.privacy.audit.models import AuditEvent
from passend.tenancy import services
from passend.tenancy.models import (
    Employer,
    EmployerContact,
    Invitation,
    Membership,
    Organisation,
    OrganisationContact,
    Role,
)

pytestmark = pytest.mark.django_db

IBAN_URL = "/organisations/current/bank-account/"
OLD_IBAN = "NL91ABNA0417164300"
NEW_IBAN = "NL20INGB0001234567"
INVALID_SLUG = "werkpad re-integratie!"


def checked_client(user, organisation):
    """An admin who has just passed a two-factor check, as the IBAN page asks."""
    client = client_for(user, organisation)
    pass_two_factor(client, user)
    return client


def events(organisation, **filters):
    with organisation_scope(organisation):
        return list(AuditEvent.objects.filter(**filters).order_by("id"))


def link_from_mail() -> str:
    match = re.search(r"http://[^\s]+/organisations/join/[^/\s]+/", str(mail.outbox[-1].body))
    assert match is not None
    return match.group(0)


def invite(client, email, role, **extra):
    return client.post("/organisations/invitations/new/", {"email": email, "role": role, **extra})


def store_invalid_slug(organisation):
    # Stored before validation existed, say: a value no form on these pages shows.
    Organisation.objects.filter(pk=organisation.pk).update(slug=INVALID_SLUG)


# Switching organisations


def test_it_returns_to_the_page_the_person_switched_from(as_persona, org_b):
    client = as_persona("bob", "a")

    response = client.post(
        "/organisations/switch/",
        {"organisation": str(org_b.pk), "next": "/organisations/employers/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/organisations/employers/"
    assert client.session["passend_organisation"] == str(org_b.pk)


def test_it_does_not_follow_a_next_address_on_another_site_after_switching(as_persona, org_b):
    client = as_persona("bob", "a")

    response = client.post(
        "/organisations/switch/",
        {"organisation": str(org_b.pk), "next": "//elders.example/organisations/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


# Organisation details and bank account


def test_it_tells_an_admin_when_no_bank_account_is_set_yet(alice, org_a):
    org_a.iban = ""
    org_a.save(update_fields=["iban"])

    page = checked_client(alice, org_a).get(IBAN_URL)

    assert page.status_code == 200
    assert "No bank account has been set yet." in page.content.decode()
    assert "Current account:" not in page.content.decode()


def test_it_changes_nothing_and_tells_no_one_when_the_same_iban_is_entered(
    alice, org_a, django_capture_on_commit_callbacks
):
    client = checked_client(alice, org_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IBAN_URL, {"iban": "nl91 abna 0417 1643 00"})

    assert response.status_code == 302
    assert response["Location"] == "/organisations/current/"
    org_a.refresh_from_db()
    assert org_a.iban == OLD_IBAN
    assert events(org_a, target_model="tenancy.organisation", action="update") == []
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["bob", "charlie", "inactive alice"])
def test_it_lets_only_an_active_admin_of_the_organisation_change_its_iban(personas, org_a, who):
    if who == "inactive alice":
        by = personas.memberships["alice"]
        by.is_active = False
    else:
        by = personas.memberships[who]

    with pytest.raises(PermissionDenied):
        services.organisation_iban_change(organisation=org_a, iban=NEW_IBAN, by=by)

    org_a.refresh_from_db()
    assert org_a.iban == OLD_IBAN
    assert events(org_a, target_model="tenancy.organisation") == []


def test_it_shows_a_problem_with_stored_details_instead_of_saving_the_organisation(
    as_persona, org_a
):
    store_invalid_slug(org_a)

    response = as_persona("alice").post(
        "/organisations/current/",
        {
            "name": "Werkpad Nieuw",
            "street": "Oudegracht 120",
            "postcode": "3511 AX",
            "city": "Utrecht",
            "kvk_number": "12345678",
            "vat_number": "NL000099998B57",
        },
    )

    assert response.status_code == 200
    assert "Enter a valid “slug”" in response.content.decode()
    org_a.refresh_from_db()
    assert org_a.name == "Werkpad Re-integratie"
    assert events(org_a, target_model="tenancy.organisation") == []


def test_it_shows_a_problem_with_stored_details_instead_of_changing_the_iban(
    alice, org_a, django_capture_on_commit_callbacks
):
    store_invalid_slug(org_a)
    client = checked_client(alice, org_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IBAN_URL, {"iban": NEW_IBAN})

    assert response.status_code == 400
    assert "Enter a valid “slug”" in response.content.decode()
    org_a.refresh_from_db()
    assert org_a.iban == OLD_IBAN
    assert mail.outbox == []


# Members


def test_it_deactivates_an_employer_contact_and_keeps_their_company(as_persona, personas, org_a):
    dave = personas.memberships["dave"]

    # The role field is locked for an employer contact: a posted role is ignored.
    response = as_persona("alice").post(
        f"/organisations/members/{dave.pk}/", {"role": "professional"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/organisations/members/"
    with organisation_scope(org_a):
        dave = Membership.objects.get(pk=dave.pk)
    assert (dave.role, dave.is_active) == (Role.EMPLOYER, False)
    assert dave.employer == personas.employers["Bakkerij De Korenaar"]
    [event] = events(org_a, target_model="tenancy.membership", target_id=str(dave.pk))
    assert (event.action, event.fields) == ("update", ["is_active"])


def test_it_shows_an_employer_contacts_role_as_locked(as_persona, personas):
    dave = personas.memberships["dave"]

    page = as_persona("alice").get(f"/organisations/members/{dave.pk}/")

    assert page.status_code == 200
    assert re.search(r'<select name="role"[^>]*disabled', page.content.decode())


# Invitations


def test_it_invites_an_employer_contact_for_their_company(as_persona, personas, org_a):
    korenaar = personas.employers["Bakkerij De Korenaar"]

    response = invite(
        as_persona("alice"), "inkoop@korenaar.test", Role.EMPLOYER, employer=str(korenaar.pk)
    )

    assert response.status_code == 302
    with organisation_scope(org_a):
        invitation = Invitation.objects.get(email="inkoop@korenaar.test")
    assert (invitation.role, invitation.employer) == (Role.EMPLOYER, korenaar)


def test_it_refuses_an_employer_invitation_without_a_company_in_the_service(personas, scope_a):
    # The form asks first; the service holds the rule for every other caller.
    with pytest.raises(ValidationError) as refused:
        services.invitation_create(
            invited_by=personas.memberships["alice"],
            email="werkgever@example.org",
            role=Role.EMPLOYER,
        )

    assert refused.value.message_dict == {
        "employer": ["Choose the company this employer contact acts for."]
    }
    assert not Invitation.objects.filter(email="werkgever@example.org").exists()


def test_it_withdraws_an_invitation_only_once(as_persona, org_a):
    client = as_persona("alice")
    invite(client, "twijfel@example.org", Role.CANDIDATE)
    with organisation_scope(org_a):
        invitation = Invitation.objects.get(email="twijfel@example.org")
    url = f"/organisations/invitations/{invitation.pk}/revoke/"

    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    first_revoked_at = invitation.revoked_at
    assert client.post(url).status_code == 302

    invitation.refresh_from_db()
    assert invitation.revoked_at == first_revoked_at
    revocations = events(org_a, target_id=str(invitation.pk), detail="revoked")
    assert len(revocations) == 1


def test_it_asks_before_withdrawing_an_invitation_and_withdraws_nothing_yet(as_persona, org_a):
    client = as_persona("alice")
    invite(client, "twijfel@example.org", Role.CANDIDATE)
    with organisation_scope(org_a):
        invitation = Invitation.objects.get(email="twijfel@example.org")

    page = client.get(f"/organisations/invitations/{invitation.pk}/revoke/")

    assert page.status_code == 200
    assert "Withdraw the invitation to twijfel@example.org?" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert events(org_a, target_id=str(invitation.pk), detail="revoked") == []


def test_it_asks_before_removing_a_contact_person_and_removes_nothing_yet(as_persona, org_a):
    with organisation_scope(org_a):
        contact = OrganisationContact.objects.create(
            organisation=org_a, name="Petra Pieters", email="petra@werkpad.test"
        )

    page = as_persona("alice").get(f"/organisations/current/contacts/{contact.pk}/delete/")

    assert page.status_code == 200
    assert "Remove the contact person Petra Pieters?" in page.content.decode()
    with organisation_scope(org_a):
        assert OrganisationContact.objects.filter(pk=contact.pk).exists()


def test_it_answers_an_overlong_invitation_token_as_unknown(db):
    response = Client().get("/organisations/join/" + "x" * 101 + "/")

    assert response.status_code == 410
    assert b"do not recognise" in response.content


def test_it_accepts_an_invitation_only_once_even_from_a_stale_copy(personas, org_a, scope_a):
    invitation = services.invitation_create(
        invited_by=personas.memberships["alice"], email="carla@elders.test", role=Role.CANDIDATE
    )
    newcomer = type(personas["carla"]).objects.create_user("carla@elders.test", "x", name="C")
    stale = Invitation.objects.get(pk=invitation.pk)  # a second tab, opened before the first
    services.invitation_accept(invitation=invitation, user=newcomer)

    with pytest.raises(services.InvitationUnusable):
        services.invitation_accept(invitation=stale, user=newcomer)

    assert Membership.objects.filter(user=newcomer).count() == 1


def test_it_refuses_an_invitation_for_someone_elses_address_in_the_service(
    personas, org_a, scope_a
):
    invitation = services.invitation_create(
        invited_by=personas.memberships["alice"], email="iemand@example.org", role=Role.CANDIDATE
    )

    with pytest.raises(services.InvitationUnusable):
        services.invitation_accept(invitation=invitation, user=personas["charlie"])

    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Membership.objects.filter(user=personas["charlie"]).exists()


def test_it_takes_a_former_member_back_with_the_role_of_the_new_invitation(
    as_persona, personas, org_a, django_capture_on_commit_callbacks
):
    carla = personas.memberships["carla"]
    alice = as_persona("alice")
    alice.post(f"/organisations/members/{carla.pk}/", {"role": "candidate"})  # deactivated
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(alice, "carla@passend.test", Role.PROFESSIONAL).status_code == 302
    link = link_from_mail()
    carla_client = client_for(personas["carla"])

    response = carla_client.post(link)

    assert response.status_code == 302
    with organisation_scope(org_a):
        membership = Membership.objects.get(user=personas["carla"])
    assert membership.pk == carla.pk
    assert (membership.role, membership.is_active) == (Role.PROFESSIONAL, True)
    [event] = events(
        org_a,
        target_model="tenancy.membership",
        target_id=str(carla.pk),
        detail="invitation accepted",
    )
    assert event.action == "update"
    assert carla_client.session["passend_organisation"] == str(org_a.pk)


# Employers


def test_it_creates_an_employer_with_no_numbers_at_all(as_persona, org_a):
    response = as_persona("alice").post("/organisations/employers/new/", {"name": "Kaal BV"})

    assert response.status_code == 302
    with organisation_scope(org_a):
        employer = Employer.objects.get(name="Kaal BV")
    assert (employer.kvk_number, employer.vat_number) == ("", "")
    assert response["Location"] == f"/organisations/employers/{employer.pk}/"


def test_it_saves_an_employers_details(as_persona, personas, org_a):
    baken = personas.employers["Zorggroep Het Baken"]

    response = as_persona("bob", "a").post(
        f"/organisations/employers/{baken.pk}/",
        {"name": "Zorggroep Het Baken", "city": "Amersfoort", "kvk_number": "1234 5679"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/organisations/employers/{baken.pk}/"
    with organisation_scope(org_a):
        baken = Employer.objects.get(pk=baken.pk)
    assert (baken.city, baken.kvk_number) == ("Amersfoort", "12345679")


def test_it_refuses_renaming_an_employer_to_another_ones_name(as_persona, personas, org_a):
    baken = personas.employers["Zorggroep Het Baken"]

    response = as_persona("bob", "a").post(
        f"/organisations/employers/{baken.pk}/", {"name": "bakkerij de korenaar"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Your organisation already has an employer with this name." in page
    assert "employer_unique_name_per_organisation" not in page
    with organisation_scope(org_a):
        assert Employer.objects.get(pk=baken.pk).name == "Zorggroep Het Baken"


def test_it_adds_a_contact_person_to_an_employer(as_persona, personas, org_a):
    korenaar = personas.employers["Bakkerij De Korenaar"]

    response = as_persona("bob", "a").post(
        f"/organisations/employers/{korenaar.pk}/contacts/",
        {"name": "Jan Bakker", "email": "jan@korenaar.test", "phone": "", "function": "Inkoop"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/organisations/employers/{korenaar.pk}/"
    with organisation_scope(org_a):
        contact = EmployerContact.objects.get(employer=korenaar)
    assert (contact.name, contact.email, contact.function) == (
        "Jan Bakker",
        "jan@korenaar.test",
        "Inkoop",
    )
    [event] = events(org_a, target_model="tenancy.employercontact", target_id=str(contact.pk))
    assert event.action == "create"
