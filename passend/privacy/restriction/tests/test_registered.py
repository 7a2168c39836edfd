"""Restrictions and objections an administrator records on a person's behalf
(received by letter, e-mail, phone or at the request desk)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from passend.common.scope import organisation_scope
from passend.privacy.restriction import services
from passend.privacy.restriction.models import Objection, Restriction
from passend.privacy.restriction.tests.conftest import events

NEW = reverse("restriction:admin_restrict")


def test_the_admin_list_links_to_recording_a_restriction_received_by_letter(alice, org_a):
    body = client_for(alice, org_a).get(reverse("restriction:admin_list")).content.decode()

    assert NEW in body


def test_an_admin_records_a_restriction_received_by_letter_for_a_member(alice, members, org_a):
    carla_m = members["carla"]
    page = client_for(alice, org_a).get(NEW)
    assert page.status_code == 200
    assert "Carla Bakker (Candidate)" in page.content.decode()

    response = client_for(alice, org_a).post(
        NEW,
        {"membership": str(carla_m.pk), "reason": "legal_claims", "note": "Letter of 3 March"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("restriction:admin_list")
    with organisation_scope(org_a):
        restriction = Restriction.objects.get(membership=carla_m)
    assert restriction.started_by == members["alice"]
    assert restriction.note == "Letter of 3 March"
    [event] = events(org_a, target_id=str(restriction.pk))
    assert event.detail == "processing restricted, registered by an administrator"
    assert event.actor_user_id == members["alice"].user_id
    assert event.subject_user_id == carla_m.user_id


def test_the_letter_form_keeps_what_was_typed_when_the_person_is_already_restricted(
    alice, members, org_a, carla_restricted
):
    response = client_for(alice, org_a).post(
        NEW,
        {"membership": str(members["carla"].pk), "reason": "legal_claims", "note": "Kept text"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "already restricted" in body
    assert "Kept text" in body
    with organisation_scope(org_a):
        assert Restriction.objects.count() == 1


def test_the_letter_form_offers_only_members_of_the_own_organisation(alice, personas, org_a, org_b):
    fatima_b = personas.memberships["fatima"]

    response = client_for(alice, org_a).post(
        NEW, {"membership": str(fatima_b.pk), "reason": "legal_claims"}
    )

    assert response.status_code == 400
    assert "Fatima" not in client_for(alice, org_a).get(NEW).content.decode()
    with organisation_scope(org_b):
        assert Restriction.objects.count() == 0


def test_the_letter_form_is_for_admins_only(bob, carla, org_a):
    assert client_for(bob, org_a).get(NEW).status_code == 403
    assert client_for(carla, org_a).post(NEW, {}).status_code == 403


def test_an_admin_registers_an_objection_that_names_who_recorded_it(members, scope_a):
    objection = services.objection_register(
        membership=members["carla"], purpose="offers", by=members["alice"]
    )

    assert objection.made_by == members["alice"]
    assert objection.registered_for_the_person
    [event] = events(scope_a, target_id=str(objection.pk))
    assert event.detail == "objection registered by an administrator"
    assert event.actor_user_id == members["alice"].user_id


def test_the_persons_own_objection_names_them_as_the_one_who_recorded_it(members, scope_a):
    objection = services.objection_make(
        membership=members["carla"], purpose="offers", by=members["carla"]
    )

    assert objection.made_by == members["carla"]
    assert not objection.registered_for_the_person


def test_only_an_admin_of_the_same_organisation_registers_an_objection(personas, members, scope_a):
    for key in ("bob", "charlie"):
        with pytest.raises(ValidationError):
            services.objection_register(
                membership=members["carla"], purpose="offers", by=personas.memberships[key]
            )
    assert Objection.objects.count() == 0


def test_an_admin_cannot_use_the_persons_own_path_to_object_for_them(members, scope_a):
    with pytest.raises(ValidationError):
        services.objection_make(membership=members["carla"], purpose="offers", by=members["alice"])


def test_the_admin_list_shows_who_recorded_an_objection(alice, members, org_a):
    with organisation_scope(org_a):
        services.objection_register(
            membership=members["carla"], purpose="offers", by=members["alice"]
        )
        services.objection_make(membership=members["bob"], purpose="offers", by=members["bob"])

    body = client_for(alice, org_a).get(reverse("restriction:admin_list")).content.decode()

    assert '<td data-label="Recorded by">Alice de Vries</td>' in body
    assert '<td data-label="Recorded by">the person</td>' in body
