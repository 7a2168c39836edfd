"""The start page per role, and for people without an organisation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import client_for
from passend.common.scope import organisation_scope
from passend.tenancy.models import Employer, Invitation, Membership, Role, hash_token
from passend.web.tests.html import main_part

pytestmark = pytest.mark.django_db

ORG_B_WORDS = ["Flexkracht", "Hotel De Maas", "Logistiek Centrum Waalhaven", "Charlie", "Erik"]


def _invite(personas: Any, org_key: str, by: str, email: str) -> Invitation:
    organisation = personas.organisations[org_key]
    with organisation_scope(organisation):
        inviter = Membership.objects.get(user=personas[by])
        return Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=Role.CANDIDATE,
            invited_by=inviter,
            token_hash=hash_token(f"token-for-{email}"),
            expires_at=timezone.now() + timedelta(days=7),
        )


def test_it_sends_anonymous_visitors_to_the_login_page(client: Any) -> None:
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_it_shows_alice_her_organisation_at_a_glance(as_persona: Any) -> None:
    response = as_persona("alice").get("/")

    assert response.status_code == 200
    assert "web/home_admin.html" in [t.name for t in response.templates]
    overview = response.context["overview"]
    assert overview.members == 4
    assert overview.employers == 2
    assert {row.role: row.count for row in overview.role_counts} == {
        Role.ADMIN: 1,
        Role.PROFESSIONAL: 1,
        Role.EMPLOYER: 1,
        Role.CANDIDATE: 1,
    }
    html = response.content.decode()
    assert "Werkpad Re-integratie" in html
    assert 'href="/organisations/invitations/new/"' in html
    assert 'href="/organisations/members/"' in html


def test_it_counts_only_the_admins_own_organisation(personas: Any, as_persona: Any) -> None:
    _invite(personas, "b", "charlie", "someone@elsewhere.test")
    _invite(personas, "a", "alice", "newcomer@passend.test")

    alice_view = as_persona("alice").get("/").context["overview"]
    charlie_view = as_persona("charlie").get("/").context["overview"]

    assert alice_view.pending_invitations == 1
    assert charlie_view.pending_invitations == 1
    # Bob is a career advisor in both organisations: each admin counts him once.
    assert {r.role: r.count for r in charlie_view.role_counts}[Role.PROFESSIONAL] == 2
    assert {r.role: r.count for r in alice_view.role_counts}[Role.PROFESSIONAL] == 1


def test_it_leaves_expired_and_revoked_invitations_out_of_the_count(
    personas: Any, as_persona: Any
) -> None:
    expired = _invite(personas, "a", "alice", "late@passend.test")
    revoked = _invite(personas, "a", "alice", "withdrawn@passend.test")
    with organisation_scope(personas.organisations["a"]):
        Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
        Invitation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())

    overview = as_persona("alice").get("/").context["overview"]

    assert overview.pending_invitations == 0


@pytest.mark.parametrize("persona", ["alice", "bob", "carla", "dave"])
def test_it_shows_nothing_of_organisation_b_on_a_home_page(
    personas: Any, as_persona: Any, persona: str
) -> None:
    _invite(personas, "b", "charlie", "secret-b@elsewhere.test")

    html = main_part(as_persona(persona, "a").get("/").content.decode())

    for word in [*ORG_B_WORDS, "secret-b@elsewhere.test"]:
        assert word not in html


def test_it_shows_bob_his_caseload_with_an_invite_button(as_persona: Any) -> None:
    response = as_persona("bob", "a").get("/")

    html = main_part(response.content.decode())
    assert "web/home_professional.html" in [t.name for t in response.templates]
    assert "Candidates appear here once invited" in html
    assert 'href="/organisations/invitations/new/?role=candidate"' in html


def test_it_lists_only_the_invitations_bob_sent_in_this_organisation(
    personas: Any, as_persona: Any
) -> None:
    _invite(personas, "a", "bob", "mine@passend.test")
    _invite(personas, "a", "alice", "alices@passend.test")
    _invite(personas, "b", "bob", "bobs-other-org@elsewhere.test")

    response = as_persona("bob", "a").get("/")

    html = main_part(response.content.decode())
    assert response.context["pending_count"] == 1
    assert "mine@passend.test" in html
    assert "alices@passend.test" not in html
    assert "bobs-other-org@elsewhere.test" not in html


def test_it_shows_dave_his_own_company_only(as_persona: Any) -> None:
    response = as_persona("dave").get("/")

    html = main_part(response.content.decode())
    assert "web/home_employer.html" in [t.name for t in response.templates]
    assert "Bakkerij De Korenaar" in html
    assert "Zorggroep Het Baken" not in html
    assert "No vacancies yet" in html
    assert "My company" in response.content.decode()


def test_it_welcomes_carla_with_true_empty_states(as_persona: Any) -> None:
    response = as_persona("carla").get("/")

    html = main_part(response.content.decode())
    assert "web/home_candidate.html" in [t.name for t in response.templates]
    assert "Welcome, Carla" in html
    assert "Your profile is still empty" not in html
    assert "Your profile is 0% complete: 0 of 9 parts filled in." in html
    assert "No plan yet" in html
    assert "No appointments planned" in html
    # A candidate gets no management links.
    assert "/organisations/members/" not in response.content.decode()
    assert "/organisations/invitations/" not in response.content.decode()


def test_it_tells_a_person_without_organisation_how_to_join(db: Any) -> None:
    user = get_user_model().objects.create_user("loner@passend.test", "pw-loner-2026", name="Lena")

    response = client_for(user).get("/")

    html = main_part(response.content.decode())
    assert response.status_code == 200
    assert "web/home_none.html" in [t.name for t in response.templates]
    assert "You are not part of an organisation yet" in html
    assert 'id="org-switch"' not in response.content.decode()


def test_it_treats_a_deactivated_membership_as_no_organisation(
    personas: Any, as_persona: Any
) -> None:
    with organisation_scope(personas.organisations["a"]):
        Membership.objects.filter(user=personas["carla"]).update(is_active=False)

    response = as_persona("carla").get("/")

    assert "web/home_none.html" in [t.name for t in response.templates]
    assert "Werkpad" not in response.content.decode()


def test_it_tells_platform_staff_they_see_no_personal_data(personas: Any) -> None:
    staff = get_user_model().objects.create_user(
        "staff@passend.test", "pw-staff-2026", name="Sam", is_platform_staff=True
    )

    response = client_for(staff).get("/")

    html = response.content.decode()
    assert "You see no organisation's personal data by default" in html
    for word in ["Werkpad", *ORG_B_WORDS]:
        assert word not in html


def test_it_shows_bob_the_organisation_switcher(as_persona: Any, org_a: Any, org_b: Any) -> None:
    html = as_persona("bob", "a").get("/").content.decode()

    assert '<select id="org-switch" name="organisation" data-autosubmit' in html
    assert f'<option value="{org_a.pk}" selected>Werkpad Re-integratie' in html
    assert f'<option value="{org_b.pk}">Flexkracht Uitzendbureau' in html
    assert 'name="next" value="/"' in html


def test_it_shows_no_switcher_to_someone_in_one_organisation(as_persona: Any) -> None:
    html = as_persona("alice").get("/").content.decode()

    assert 'id="org-switch"' not in html
    assert '<span class="org-current">Werkpad Re-integratie</span>' in html


def test_it_switches_bob_to_his_other_organisation(as_persona: Any, org_b: Any) -> None:
    client = as_persona("bob", "a")

    response = client.post(
        "/organisations/switch/", {"organisation": str(org_b.pk), "next": "/"}, follow=True
    )

    html = main_part(response.content.decode())
    assert "Flexkracht Uitzendbureau" in html
    assert "Werkpad" not in html


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_it_costs_the_same_queries_however_much_data_there_is(
    personas: Any, as_persona: Any, persona: str
) -> None:
    client = as_persona(persona, "a")
    client.get("/")  # the organisation's totals are counted once, then cached
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    organisation = personas.organisations["a"]
    for n in range(4):
        _invite(personas, "a", persona, f"extra-{n}@passend.test")
        with organisation_scope(organisation):
            Employer.objects.create(organisation=organisation, name=f"Extra employer {n}")

    with CaptureQueriesContext(connection) as many:
        client.get("/")

    assert len(many) == len(few)
