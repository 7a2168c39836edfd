import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from passend.common.scope import organisation_scope
from passend.tenancy.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db(transaction=False)


def _invite(client, email, role="candidate", **extra):
    data = {"email": email, "role": role, **extra}
    return client.post("/organisations/invitations/new/", data)


def _link_from_mail():
    body = mail.outbox[-1].body
    return re.search(r"http://[^\s]+/organisations/join/([^/\s]+)/", body).group(0)


def test_it_sends_an_invitation_email_with_a_single_use_link(
    as_persona, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(as_persona("alice"), "nieuw@example.org", "professional")
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nieuw@example.org"]
    with organisation_scope(org_a):
        invitation = Invitation.objects.get(email="nieuw@example.org")
    token = _link_from_mail().rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash


def test_it_lets_an_invited_person_sign_up_and_join(
    as_persona, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(as_persona("bob", "a"), "nieuw@example.org")
    link = _link_from_mail()
    visitor = Client()
    response = visitor.get(link)
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/signup/")
    response = visitor.get("/accounts/signup/")
    assert b"nieuw@example.org" in response.content
    response = visitor.post(
        "/accounts/signup/",
        {
            "email": "nieuw@example.org",
            "password1": "lang-en-sterk-42",
            "password2": "lang-en-sterk-42",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nieuw@example.org")
    with organisation_scope(org_a):
        membership = Membership.objects.get(user=user)
    assert membership.role == Role.CANDIDATE
    assert user.emailaddress_set.get().verified


def test_it_refuses_sign_up_without_an_invitation(db):
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "zomaar@example.org",
            "password1": "lang-en-sterk-42",
            "password2": "lang-en-sterk-42",
        },
    )
    assert not get_user_model().objects.filter(email="zomaar@example.org").exists()
    assert response.status_code in (200, 302)


def test_it_refuses_sign_up_with_another_address_than_invited(
    as_persona, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(as_persona("alice"), "juist@example.org")
    visitor = Client()
    visitor.get(_link_from_mail())
    response = visitor.post(
        "/accounts/signup/",
        {
            "email": "anders@example.org",
            "password1": "lang-en-sterk-42",
            "password2": "lang-en-sterk-42",
        },
    )
    assert response.status_code == 200
    assert b"juist@example.org" in response.content
    assert not get_user_model().objects.filter(email="anders@example.org").exists()


def test_it_shows_a_clear_page_for_a_reused_invitation(
    as_persona, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(as_persona("alice"), "twee@example.org")
    link = _link_from_mail()
    visitor = Client()
    visitor.get(link)
    visitor.post(
        "/accounts/signup/",
        {
            "email": "twee@example.org",
            "password1": "lang-en-sterk-42",
            "password2": "lang-en-sterk-42",
        },
    )
    again = Client().get(link)
    assert again.status_code == 410
    assert b"already been accepted" in again.content


def test_it_shows_a_clear_page_for_an_expired_invitation_and_creates_nothing(
    as_persona, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(as_persona("alice"), "laat@example.org")
    with organisation_scope(org_a):
        Invitation.objects.filter(email="laat@example.org").update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    visitor = Client()
    response = visitor.get(_link_from_mail())
    assert response.status_code == 410
    assert b"expired" in response.content
    visitor.post(
        "/accounts/signup/",
        {
            "email": "laat@example.org",
            "password1": "lang-en-sterk-42",
            "password2": "lang-en-sterk-42",
        },
    )
    assert not get_user_model().objects.filter(email="laat@example.org").exists()


def test_it_answers_an_unknown_invitation_token_without_creating_anything(db):
    response = Client().get("/organisations/join/not-a-real-token/")
    assert response.status_code == 410
    assert b"do not recognise" in response.content


def test_it_lets_an_existing_user_accept_after_logging_in(
    as_persona, charlie, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(as_persona("alice"), "charlie@passend.test", "professional")
    link = _link_from_mail()
    anonymous = Client().get(link)
    assert "/accounts/login/" in anonymous["Location"]
    charlie_client = as_persona("charlie")
    assert charlie_client.get(link).status_code == 200
    response = charlie_client.post(link)
    assert response.status_code == 302
    with organisation_scope(org_a):
        assert Membership.objects.get(user=charlie).role == Role.PROFESSIONAL


def test_it_refuses_an_invitation_opened_by_another_account(
    as_persona, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(as_persona("alice"), "iemand@example.org")
    response = as_persona("carla").get(_link_from_mail())
    assert response.status_code == 403


def test_it_requires_a_company_for_an_employer_invitation(as_persona):
    response = _invite(as_persona("alice"), "werkgever@example.org", "employer")
    assert response.status_code == 400
    assert b"company" in response.content


def test_it_lets_professionals_invite_candidates_but_not_admins(as_persona):
    bob = as_persona("bob", "a")
    assert _invite(bob, "kandidaat@example.org", "candidate").status_code == 302
    response = _invite(bob, "baas@example.org", "admin")
    assert response.status_code == 400


def test_it_refuses_inviting_someone_who_is_already_a_member(as_persona):
    response = _invite(as_persona("alice"), "carla@passend.test")
    assert response.status_code == 400
    assert b"already a member" in response.content


def test_it_hides_other_organisations_invitations(
    as_persona, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(as_persona("alice"), "geheim@example.org")
    with organisation_scope(org_a):
        invitation = Invitation.objects.get(email="geheim@example.org")
    charlie = as_persona("charlie")
    assert b"geheim@example.org" not in charlie.get("/organisations/invitations/").content
    response = charlie.post(f"/organisations/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 404


def test_it_withdraws_an_invitation(as_persona, org_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(as_persona("alice"), "weg@example.org")
    link = _link_from_mail()
    with organisation_scope(org_a):
        invitation = Invitation.objects.get(email="weg@example.org")
    as_persona("alice").post(f"/organisations/invitations/{invitation.pk}/revoke/")
    assert Client().get(link).status_code == 410
