"""My choices (/my-choices/) and the administrators' restrictions page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.template import Context, Template
from django.urls import reverse

from conftest import client_for
from passend.common.scope import organisation_scope
from passend.privacy.restriction import services
from passend.privacy.restriction.models import Objection, Restriction
from passend.privacy.restriction.tests.conftest import events, restrict

MINE = reverse("restriction:mine")
OBJECT = reverse("restriction:objection")
RESTRICT = reverse("restriction:restrict")
ADMIN_LIST = reverse("restriction:admin_list")


def _lift_url(restriction):
    return reverse("restriction:lift", args=[restriction.pk])


def _restrictions(**filters):
    return Restriction.objects.unscoped().filter(**filters)


def _objections(**filters):
    return Objection.objects.unscoped().filter(**filters)


# --- the person's own choices ---------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_the_login_page(db):
    response = client_for_anonymous().get(MINE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def client_for_anonymous():
    from django.test import Client

    return Client()


@pytest.mark.parametrize("persona", ["alice", "bob", "carla", "dave"])
def test_it_shows_every_member_their_choices_with_an_explanation(persona, personas, org_a):
    content = client_for(personas[persona], org_a).get(MINE).content.decode()

    for label in ("Matching with vacancies", "The newsletter", "Offers", "Statistics"):
        assert label in content
    assert "If you object:" in content
    assert "Restrict processing now" in content


def test_it_records_an_objection_and_its_withdrawal(carla, members, org_a):
    client = client_for(carla, org_a)

    response = client.post(OBJECT, {"purpose": "matching", "action": "object"})

    assert response.status_code == 302
    objection = _objections(membership=members["carla"]).get()
    assert objection.purpose == "matching"
    assert objection.is_active
    assert "You object" in client.get(MINE).content.decode()
    made = events(org_a, action="create", target_id=str(objection.pk)).get()
    assert made.subject_user_id == carla.pk
    assert made.detail == "objection made"

    client.post(OBJECT, {"purpose": "matching", "action": "withdraw"})

    objection.refresh_from_db()
    assert objection.withdrawn_at is not None
    assert events(org_a, action="update", detail="objection withdrawn").count() == 1


def test_it_answers_400_to_an_objection_to_an_unknown_purpose(carla, org_a):
    response = client_for(carla, org_a).post(OBJECT, {"purpose": "selling", "action": "object"})

    assert response.status_code == 400
    assert "Choose a purpose you can object to." in response.content.decode()
    assert not _objections().exists()


def test_it_restricts_processing_at_once_and_explains_the_lifting(carla, members, org_a):
    client = client_for(carla, org_a)

    response = client.post(
        RESTRICT, {"reason": "contests_accuracy", "note": "My work history is wrong."}
    )

    assert response.status_code == 302
    restriction = _restrictions(membership=members["carla"]).get()
    assert restriction.is_active
    assert restriction.started_by == members["carla"]
    assert restriction.note == "My work history is wrong."
    content = client.get(MINE).content.decode()
    assert "Processing of your data is restricted" in content
    assert "will tell you by e-mail before it lifts it" not in content
    assert "The organisation will tell you by e-mail before it does so." in content
    started = events(org_a, action="create", target_id=str(restriction.pk)).get()
    assert started.detail == "processing restricted"
    assert started.subject_user_id == carla.pk
    assert "note" in started.fields
    assert "My work history" not in str(started.fields)


def test_it_answers_400_without_a_reason_and_keeps_what_was_typed(carla, org_a):
    response = client_for(carla, org_a).post(
        RESTRICT, {"reason": "", "note": "Please check my diploma."}
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Choose the reason that applies to you." in content
    assert "Please check my diploma." in content
    assert not _restrictions().exists()


def test_it_answers_400_to_a_second_restriction(carla, members, org_a):
    with organisation_scope(org_a):
        restrict(members["carla"])

    response = client_for(carla, org_a).post(RESTRICT, {"reason": "legal_claims"})

    assert response.status_code == 400
    assert "already restricted" in response.content.decode()
    assert _restrictions().count() == 1


# --- the administrators' page ---------------------------------------------------------


def test_it_lists_the_organisations_restrictions_and_objections_for_its_admin(
    alice, charlie, members, org_a, org_b
):
    with organisation_scope(org_a):
        restrict(members["carla"])
        services.objection_make(membership=members["dave"], purpose="newsletter")

    content = client_for(alice, org_a).get(ADMIN_LIST).content.decode()

    assert "Carla Bakker" in content
    assert "My address is wrong." in content
    assert "Dave Visser" in content
    assert "The newsletter" in content
    other = client_for(charlie, org_b).get(ADMIN_LIST).content.decode()
    assert "Carla Bakker" not in other
    assert "Dave Visser" not in other


@pytest.mark.parametrize("persona", ["bob", "carla", "dave"])
def test_it_answers_403_to_members_who_are_not_admins(persona, personas, org_a):
    assert client_for(personas[persona], org_a).get(ADMIN_LIST).status_code == 403


def test_it_lifts_a_restriction_after_telling_the_person(alice, carla, members, org_a):
    with organisation_scope(org_a):
        restriction = restrict(members["carla"])
    client = client_for(alice, org_a)
    assert "carla@passend.test" in client.get(_lift_url(restriction)).content.decode()

    response = client.post(_lift_url(restriction))

    assert response.status_code == 302
    restriction.refresh_from_db()
    assert restriction.lifted_at is not None
    assert restriction.lift_notified_at is not None
    assert restriction.lifted_by == members["alice"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["carla@passend.test"]
    assert "/my-choices/" in mail.outbox[0].body
    assert "18(3)" in mail.outbox[0].body
    lifted = events(org_a, action="update", target_id=str(restriction.pk)).get()
    assert lifted.detail == "restriction lifted after notice"
    assert lifted.actor_user_id == alice.pk
    assert client.post(_lift_url(restriction)).status_code == 404  # lifted already


def test_it_keeps_the_restriction_when_the_notice_cannot_be_sent(
    alice, members, org_a, monkeypatch
):
    with organisation_scope(org_a):
        restriction = restrict(members["carla"])

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("passend.privacy.restriction.services.send_mail", refuse)
    with organisation_scope(org_a), pytest.raises(OSError, match="mail server down"):
        services.restriction_lift(restriction=restriction, by=members["alice"])

    restriction.refresh_from_db()
    assert restriction.is_active
    assert restriction.lift_notified_at is None


def test_it_answers_404_to_another_organisations_admin_on_the_lift_page(
    charlie, members, org_a, org_b
):
    with organisation_scope(org_a):
        restriction = restrict(members["carla"])
    client = client_for(charlie, org_b)

    assert client.get(_lift_url(restriction)).status_code == 404
    assert client.post(_lift_url(restriction)).status_code == 404
    assert _restrictions(pk=restriction.pk).get().is_active
    assert not mail.outbox


def test_it_answers_403_to_a_career_advisor_on_the_lift_page(bob, members, org_a):
    with organisation_scope(org_a):
        restriction = restrict(members["carla"])

    assert client_for(bob, org_a).post(_lift_url(restriction)).status_code == 403
    assert _restrictions(pk=restriction.pk).get().is_active


def test_it_refuses_a_lift_by_anyone_but_an_admin_at_the_service(members, scope_a):
    from django.core.exceptions import ValidationError

    restriction = restrict(members["carla"])
    with pytest.raises(ValidationError):
        services.restriction_lift(restriction=restriction, by=members["bob"])


# --- the banner for the advisor's page ------------------------------------------------


def test_the_banner_tells_the_advisor_about_a_restriction_and_objections(scope_a, members):
    template = Template("{% load restriction %}{% restriction_banner membership %}")
    assert template.render(Context({"membership": members["carla"]})).strip() == ""

    restrict(members["carla"])
    services.objection_make(membership=members["carla"], purpose="newsletter")

    html = template.render(Context({"membership": members["carla"]}))
    assert "Processing restricted" in html
    assert "I contest the accuracy of my data" in html
    assert "The newsletter" in html
    status = Template(
        "{% load restriction %}{% restriction_status membership as s %}{{ s.restricted }}"
    ).render(Context({"membership": members["carla"]}))
    assert status == "True"
