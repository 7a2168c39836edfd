"""The Django admin is no back door (P9): it serves platform configuration;
organisations' personal data only through a live support grant, audited."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from conftest import client_for
from passend.privacy.datamap import NotPersonal, Personal, declaration_for
from passend.privacy.support.admin_base import NonPersonalAdmin, SupportGrantedAdmin
from passend.privacy.support.tests.conftest import events, expire
from passend.tenancy.models import Invitation, Membership, OrganisationOwned

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
]


def _membership_url(personas, key):
    pk = personas.memberships[key].pk
    return reverse("admin:tenancy_membership_change", args=[pk])


def test_it_admits_only_platform_staff_to_the_admin(as_persona, staff, alice):
    response = as_persona("alice", "a").get("/platform-admin/")
    assert response.status_code == 302
    assert "/platform-admin/login/" in response.url
    assert alice.is_staff is False
    assert staff.is_staff is True
    assert client_for(staff).get("/platform-admin/").status_code == 200


def test_it_refuses_an_admin_login_by_a_member(client, alice):
    alice.set_password("correct horse battery")
    alice.save()

    response = client.post(
        "/platform-admin/login/",
        {"username": alice.email, "password": "correct horse battery"},
    )

    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", PERSONAL_DATA_URLS)
def test_it_shows_no_personal_data_without_a_grant(staff, personas, url):
    assert client_for(staff).get(url).status_code == 404


def test_it_shows_no_record_of_a_person_without_a_grant(staff, personas):
    client = client_for(staff)
    assert client.get(_membership_url(personas, "alice")).status_code == 404
    index = client.get("/platform-admin/").content.decode()
    assert "Memberships" not in index
    assert "alice@passend.test" not in index


def test_it_shows_platform_configuration_without_personal_data(staff, org_a, personas):
    client = client_for(staff)
    listing = client.get(reverse("admin:tenancy_organisation_changelist"))
    assert listing.status_code == 200
    assert org_a.name in listing.content.decode()
    page = client.get(reverse("admin:tenancy_organisation_change", args=[org_a.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "alice@passend.test" not in content
    assert "Alice de Vries" not in content
    assert not events(org_a, action="grant_use").exists()


def test_it_saves_an_organisation_through_the_service(staff, org_a):
    client = client_for(staff)
    url = reverse("admin:tenancy_organisation_change", args=[org_a.pk])
    response = client.post(
        url,
        {
            "name": org_a.name,
            "slug": org_a.slug,
            "kind": org_a.kind,
            "street": org_a.street,
            "postcode": org_a.postcode,
            "city": org_a.city,
            "country": "NL",
            "kvk_number": org_a.kvk_number,
            "vat_number": org_a.vat_number,
            "iban": "nl91 abna 0417 1643 00",
            "is_active": "on",
            "require_two_factor": "on",
        },
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.require_two_factor is True
    assert org_a.iban == "NL91ABNA0417164300"


def test_it_deletes_no_organisation_through_the_admin(staff, org_a):
    url = reverse("admin:tenancy_organisation_delete", args=[org_a.pk])
    assert client_for(staff).post(url, {"post": "yes"}).status_code == 403


def test_it_shows_only_the_granted_organisations_people(staff, personas, org_a, org_b, live):
    client = client_for(staff)

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
    response = client_for(staff).get(_membership_url(personas, "carla"))

    assert response.status_code == 200
    use = events(org_a, action="grant_use").get()
    assert use.target_id == str(live.pk)
    assert use.subject_user_id == carla.pk
    assert use.actor_user_id == staff.pk
    assert use.detail == "admin view of tenancy.membership"
    assert "role" in use.fields


def test_it_keeps_the_admin_read_only_even_with_a_grant(staff, personas, live):
    client = client_for(staff)
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
    client = client_for(staff)
    assert client.get(reverse("admin:tenancy_membership_changelist")).status_code == 404
    assert client.get(_membership_url(personas, "carla")).status_code == 404


def test_it_keeps_the_admin_closed_to_another_staff_member(other_staff, personas, live):
    other_staff.is_superuser = True
    other_staff.save()
    client = client_for(other_staff)
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
            assert issubclass(model, OrganisationOwned), model
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
    client = client_for(staff)

    assert client.get(reverse("admin:crypto_datakey_changelist")).status_code == 200
    page = client.get(reverse("admin:crypto_datakey_change", args=[key.pk]))

    assert page.status_code == 200
    assert key.key_id in page.content.decode()
    assert "wrapped_key" not in page.content.decode()
    assert client.post(reverse("admin:crypto_datakey_change", args=[key.pk]), {}).status_code == 403
