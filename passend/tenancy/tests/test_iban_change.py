"""Issue 9: the organisation's bank account changes only by its own admin, after a
fresh two-factor check; validated, encrypted, audited, and told to every admin."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from passend.accounts.models import User
from passend.accounts.tests.two_factor import activate_totp, pass_two_factor
from passend.common.scope import organisation_scope
from passend.privacy.audit.models import AuditEvent
from passend.privacy.crypto.tests.test_organisation_iban import raw_iban
from passend.tenancy.models import Membership, Role
from passend.tenancy.services import organisation_update

pytestmark = pytest.mark.django_db

URL = "/organisations/current/bank-account/"
OLD = "NL91ABNA0417164300"
NEW = "NL20INGB0001234567"


def checked_client(user, organisation):
    client = client_for(user, organisation)
    pass_two_factor(client, user)
    return client


def iban_events(organisation):
    return AuditEvent.objects.unscoped().filter(
        organisation_id=organisation.pk, target_model="tenancy.organisation", action="update"
    )


def test_it_sends_an_admin_without_an_authenticator_to_set_one_up(alice, org_a):
    client = client_for(alice, org_a)

    for response in (client.get(URL), client.post(URL, {"iban": NEW})):
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    org_a.refresh_from_db()
    assert org_a.iban == OLD


def test_it_asks_for_a_code_first_and_then_changes_the_iban(alice, org_a):
    activate_totp(alice)
    client = client_for(alice, org_a)  # signed in, but no two-factor check in this session

    refused = client.post(URL, {"iban": NEW.lower()})

    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("mfa_reauthenticate"))
    assert "next=%2Forganisations%2Fcurrent%2Fbank-account%2F" in refused["Location"]
    org_a.refresh_from_db()
    assert org_a.iban == OLD
    assert not iban_events(org_a).exists()

    pass_two_factor(client, alice)
    page = client.get(URL)
    assert page.status_code == 200
    assert "NL•• •••• 4300" in page.content.decode()
    assert OLD not in page.content.decode()
    changed = client.post(URL, {"iban": "nl20 ingb 0001 2345 67"})

    assert changed.status_code == 302
    org_a.refresh_from_db()
    assert org_a.iban == NEW
    assert "INGB" not in raw_iban(org_a)


def test_it_does_not_take_a_two_factor_check_that_is_no_longer_fresh(alice, org_a):
    client = checked_client(alice, org_a)
    session = client.session
    for entry in session["account_authentication_methods"]:
        entry["at"] = time.time() - 3600
    session.save()

    response = client.post(URL, {"iban": NEW})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    org_a.refresh_from_db()
    assert org_a.iban == OLD


def test_it_audits_the_change_and_tells_every_admin_without_the_iban(
    alice, charlie, org_a, personas, django_capture_on_commit_callbacks
):
    second = User.objects.create_user(
        "anna@werkpad.test", "x", name="Anna", preferred_language="nl"
    )
    former = User.objects.create_user("oud@werkpad.test", "x", name="Oud")
    with organisation_scope(org_a):
        Membership.objects.create(organisation=org_a, user=second, role=Role.ADMIN)
        Membership.objects.create(organisation=org_a, user=former, role=Role.ADMIN, is_active=False)
    client = checked_client(alice, org_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"iban": NEW})

    assert response.status_code == 302
    [event] = iban_events(org_a)
    assert event.fields == ["iban"]
    assert event.actor_user_id == alice.pk
    assert NEW not in str(event.as_hashed())
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@passend.test", "anna@werkpad.test"]
    for message in mail.outbox:
        assert len(message.to) == 1  # no admin sees the others' addresses
        assert NEW not in message.body.replace(" ", "")
        assert "NL•• •••• 4567" in message.body
        assert org_a.name in message.subject


def test_it_rejects_an_invalid_iban_and_changes_nothing(alice, org_a):
    client = checked_client(alice, org_a)

    response = client.post(URL, {"iban": "NL00ABNA0000000000"})

    assert response.status_code == 400
    assert "Enter a valid IBAN" in response.content.decode()
    client.cookies["django_language"] = "nl"
    assert "Vul een geldig IBAN in" in client.post(URL, {"iban": "NL00"}).content.decode()
    translation.activate("en")
    org_a.refresh_from_db()
    assert org_a.iban == OLD
    assert not iban_events(org_a).exists()


@pytest.mark.parametrize("persona", ["bob", "carla", "dave"])
def test_it_lets_no_one_but_an_admin_change_it(personas, org_a, persona):
    user = personas[persona]
    client = checked_client(user, org_a)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"iban": NEW}).status_code == 403
    org_a.refresh_from_db()
    assert org_a.iban == OLD


def test_it_never_changes_another_organisations_iban(charlie, org_a, org_b):
    # Charlie's session names organisation A: he is no member there, so he
    # works in his own organisation, and A's account stays as it was.
    client = checked_client(charlie, org_a)

    response = client.post(URL, {"iban": NEW})

    assert response.status_code == 302
    org_a.refresh_from_db()
    org_b.refresh_from_db()
    assert org_a.iban == OLD
    assert org_b.iban == NEW


def test_it_no_longer_takes_the_iban_on_the_settings_page(alice, org_a):
    response = client_for(alice, org_a).post(
        "/organisations/current/",
        {
            "name": org_a.name,
            "street": org_a.street,
            "postcode": org_a.postcode,
            "city": org_a.city,
            "kvk_number": org_a.kvk_number,
            "vat_number": org_a.vat_number,
            "iban": NEW,
        },
    )

    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.iban == OLD
    with pytest.raises(ValueError, match="organisation_iban_change"):
        organisation_update(organisation=org_a, data={"iban": NEW})


@pytest.mark.parametrize("method", ["put", "patch", "post", "delete"])
def test_it_offers_no_way_to_change_the_iban_through_the_api(alice, org_a, method):
    client = checked_client(alice, org_a)

    response = getattr(client, method)(
        "/api/v1/organisation", {"iban": NEW}, content_type="application/json"
    )

    assert response.status_code == 405
    org_a.refresh_from_db()
    assert org_a.iban == OLD
