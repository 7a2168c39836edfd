"""The Django admin is no back door (P9, issue 9): nothing of an organisation
(its people, its address, KvK, VAT or bank account) without a live support
grant, read-only and audited with one; never a change of the bank account;
and only for staff who passed a two-factor check."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from conftest import client_for
from passend.accounts.tests.two_factor import activate_totp, pass_two_factor
from passend.privacy.crypto.models import DataKey
from passend.privacy.datamap import NotPersonal, Personal, declaration_for
from passend.privacy.support.admin_base import NonPersonalAdmin, SupportGrantedAdmin
from passend.privacy.support.tests.conftest import events, expire
from passend.tenancy.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationOwned,
)

PERSONAL_DATA_URLS = [
    "/platform-admin/accounts/user/",
    "/platform-admin/account/emailaddress/",
    "/platform-admin/account/emailconfirmation/",
    "/platform-admin/mfa/authenticator/",
    "/platform-admin/sessions/session/",
    "/platform-admin/admin/logentry/",
    "/platform-admin/api/apitoken/",
    "/platform-admin/audit/auditevent/",
    "/platform-admin/support/supportgrant/",
    "/platform-admin/tenancy/membership/",
    "/platform-admin/tenancy/invitation/",
    "/platform-admin/tenancy/organisationcontact/",
    "/platform-admin/tenancy/employer/",
    "/platform-admin/tenancy/employercontact/",
    "/platform-admin/tenancy/organisation/",
]

# Registered models tied to an organisation that are platform machinery, not the
# organisation's data: key metadata (the wrapped key itself is hidden).
PLATFORM_MODELS = {DataKey}


def staff_client(user):
    """Signed in as platform staff, with an authenticator and a passed two-factor check."""
    client = client_for(user)
    pass_two_factor(client, user)
    return client


def _organisation_url(organisation):
    return reverse("admin:tenancy_organisation_change", args=[organisation.pk])


def _organisation_post(organisation, **changes):
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "street": "Stolen Street 1",
        "postcode": organisation.postcode,
        "city": organisation.city,
        "country": "NL",
        "kvk_number": "87654321",
        "vat_number": organisation.vat_number,
        "iban": "NL20INGB0001234567",
        "is_active": "on",
        "require_two_factor": "on",
    }
    data.update(changes)
    return data


def _membership_url(personas, key):
    pk = personas.memberships[key].pk
    return reverse("admin:tenancy_membership_change", args=[pk])


def test_it_admits_only_platform_staff_to_the_admin(as_persona, staff, alice):
    response = as_persona("alice", "a").get("/platform-admin/")
    assert response.status_code == 302
    assert "/platform-admin/login/" in response.url
    assert alice.is_staff is False
    assert staff.is_staff is True
    assert staff_client(staff).get("/platform-admin/").status_code == 200


def test_it_sends_staff_without_an_authenticator_to_set_one_up(staff):
    client = client_for(staff)

    for url in ("/platform-admin/", "/platform-admin/tenancy/organisation/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


def test_it_asks_for_a_code_when_the_staff_session_passed_no_two_factor(staff):
    # An authenticator exists, but this session signed in without using it.
    activate_totp(staff)
    client = client_for(staff)

    response = client.get("/platform-admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert "next=%2Fplatform-admin%2F" in response["Location"]


def test_it_has_no_password_form_of_its_own(client, staff, alice):
    """/platform-admin/login/ sends everyone to the site's login (rate limits,
    two-factor step); a password posted to it signs no one in."""
    staff.set_password("correct horse battery")
    staff.save()

    response = client.post(
        "/platform-admin/login/",
        {"username": staff.email, "password": "correct horse battery"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    member = client_for(alice)
    assert member.get("/platform-admin/login/").status_code == 403


@pytest.mark.parametrize("url", PERSONAL_DATA_URLS)
def test_it_shows_no_personal_data_without_a_grant(staff, personas, url):
    assert staff_client(staff).get(url).status_code == 404


def test_it_shows_no_record_of_a_person_without_a_grant(staff, personas):
    client = staff_client(staff)
    assert client.get(_membership_url(personas, "alice")).status_code == 404
    index = client.get("/platform-admin/").content.decode()
    assert "Memberships" not in index
    assert "alice@passend.test" not in index


def test_it_shows_no_organisation_details_without_a_grant(staff, org_a, personas):
    """Issue 9: a superuser without a grant saw address, KvK, VAT and IBAN."""
    client = staff_client(staff)

    listing = client.get(reverse("admin:tenancy_organisation_changelist"))
    page = client.get(_organisation_url(org_a))
    index = client.get("/platform-admin/").content.decode()

    assert listing.status_code == 404
    assert page.status_code == 404
    for value in (org_a.kvk_number, org_a.vat_number, org_a.street, org_a.iban, org_a.name):
        assert value not in index
    assert not events(org_a, action="grant_use").exists()


def test_it_changes_nothing_of_an_organisation_without_a_grant(staff, org_a):
    """Issue 9: a superuser without a grant changed the organisation's IBAN."""
    before = (org_a.iban, org_a.kvk_number, org_a.street, org_a.require_two_factor)

    response = staff_client(staff).post(_organisation_url(org_a), _organisation_post(org_a))

    assert response.status_code == 404
    org_a.refresh_from_db()
    assert (org_a.iban, org_a.kvk_number, org_a.street, org_a.require_two_factor) == before


def test_it_shows_an_organisation_read_only_and_audited_with_a_grant(staff, org_a, org_b, live):
    client = staff_client(staff)

    page = client.get(_organisation_url(org_a))

    assert page.status_code == 200
    content = page.content.decode()
    for value in (org_a.kvk_number, org_a.vat_number, org_a.street, org_a.city):
        assert value in content
    assert org_a.iban not in content
    assert org_a.iban_masked in content
    assert 'name="iban"' not in content
    use = events(org_a, action="grant_use").get()
    assert use.detail == "admin view of tenancy.organisation"
    assert "kvk_number" in use.fields
    assert client.get(_organisation_url(org_b)).status_code == 404


def test_it_never_changes_an_iban_through_the_admin_even_with_a_grant(staff, org_a, live):
    client = staff_client(staff)
    before = org_a.iban

    response = client.post(_organisation_url(org_a), _organisation_post(org_a))

    assert response.status_code == 404
    org_a.refresh_from_db()
    assert org_a.iban == before
    assert org_a.kvk_number != "87654321"
    assert client.get(reverse("admin:tenancy_organisation_add")).status_code == 404


def test_it_deletes_no_organisation_through_the_admin(staff, org_a, live):
    url = reverse("admin:tenancy_organisation_delete", args=[org_a.pk])
    assert staff_client(staff).post(url, {"post": "yes"}).status_code == 404
    assert Organisation.objects.filter(pk=org_a.pk).exists()


def test_it_shows_only_the_granted_organisations_people(staff, personas, org_a, org_b, live):
    client = staff_client(staff)

    listing = client.get(reverse("admin:tenancy_membership_changelist"))

    assert listing.status_code == 200
    content = listing.content.decode()
    assert "Alice de Vries" in content
    assert "Carla Bakker" in content
    assert "Charlie Smit" not in content
    assert client.get(_membership_url(personas, "carla")).status_code == 200
    assert client.get(_membership_url(personas, "charlie")).status_code == 404
    assert events(org_a, action="grant_use").count() == 2
    assert not events(org_b, action="grant_use").exists()


def test_it_audits_each_record_viewed_in_the_admin(staff, personas, org_a, carla, live):
    response = staff_client(staff).get(_membership_url(personas, "carla"))

    assert response.status_code == 200
    use = events(org_a, action="grant_use").get()
    assert use.target_id == str(live.pk)
    assert use.subject_user_id == carla.pk
    assert use.actor_user_id == staff.pk
    assert use.detail == "admin view of tenancy.membership"
    assert "role" in use.fields


def test_it_keeps_the_admin_read_only_even_with_a_grant(staff, personas, live):
    client = staff_client(staff)
    url = _membership_url(personas, "carla")
    membership = personas.memberships["carla"]

    assert client.post(url, {"role": "admin", "is_active": "on"}).status_code == 404
    assert client.get(reverse("admin:tenancy_membership_add")).status_code == 404
    delete = reverse("admin:tenancy_membership_delete", args=[membership.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 404
    history = reverse("admin:tenancy_membership_history", args=[membership.pk])
    assert client.get(history).status_code == 404
    membership.refresh_from_db()
    assert membership.role == "candidate"


def test_it_closes_the_admin_when_the_grant_expires(staff, personas, live):
    expire(live)
    client = staff_client(staff)
    assert client.get(reverse("admin:tenancy_membership_changelist")).status_code == 404
    assert client.get(_membership_url(personas, "carla")).status_code == 404


def test_it_keeps_the_admin_closed_to_another_staff_member(other_staff, personas, live):
    other_staff.is_superuser = True
    other_staff.save()
    client = staff_client(other_staff)
    assert client.get(reverse("admin:tenancy_membership_changelist")).status_code == 404
    assert client.get(_membership_url(personas, "carla")).status_code == 404


def test_it_never_shows_sensitive_fields_in_the_admin():
    fields = admin.site._registry[Invitation].shown_fields()
    assert "token_hash" not in fields
    assert "email" in fields


def test_it_registers_no_personal_data_except_through_a_grant():
    """Every registered model either holds no personal data and shows only
    non-personal fields, or is organisation-owned behind a support grant."""
    for model, model_admin in admin.site._registry.items():
        declaration = declaration_for(model)
        assert declaration is not None, model
        if isinstance(model_admin, SupportGrantedAdmin):
            assert model is Organisation or issubclass(model, OrganisationOwned), model
            for name in model_admin.shown_fields():
                decl = declaration.fields[name]
                assert not (isinstance(decl, Personal) and decl.sensitive), (model, name)
            continue
        if isinstance(model_admin, NonPersonalAdmin):
            for name in model_admin.shown_fields():
                assert isinstance(declaration.fields[name], NotPersonal), (model, name)
            continue
        # Library admins left in place (auth's Group) must hold nothing personal.
        assert not declaration.personal_fields(), model
    assert Membership in admin.site._registry


def test_it_shows_data_keys_as_read_only_metadata(staff, org_a):
    from passend.privacy.crypto.models import DataKey

    key = DataKey.objects.filter(organisation=org_a).first()
    assert key is not None
    client = staff_client(staff)

    assert client.get(reverse("admin:crypto_datakey_changelist")).status_code == 200
    page = client.get(reverse("admin:crypto_datakey_change", args=[key.pk]))

    assert page.status_code == 200
    assert key.key_id in page.content.decode()
    assert "wrapped_key" not in page.content.decode()
    assert client.post(reverse("admin:crypto_datakey_change", args=[key.pk]), {}).status_code == 403


def test_it_puts_every_organisations_data_in_the_admin_behind_a_grant():
    """The organisation itself and every row of one (issue 9: not only the
    personal data) are registered through SupportGrantedAdmin."""
    for model, model_admin in admin.site._registry.items():
        if model in PLATFORM_MODELS:
            continue
        tied = model is Organisation or any(
            getattr(f, "related_model", None) is Organisation for f in model._meta.fields
        )
        if tied:
            assert isinstance(model_admin, SupportGrantedAdmin), model
    assert isinstance(admin.site._registry[Organisation], SupportGrantedAdmin)
