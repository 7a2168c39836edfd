"""Who sees what: own profile, the caseload, shares with employers, field-level hiding."""

from __future__ import annotations

import json

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from passend.api.tests.helpers import make_token
from passend.candidates import services
from passend.candidates.access import get_candidate_for_actor
from passend.candidates.models import ProfileShare
from passend.common.scope import organisation_scope

HIDDEN_FROM_EMPLOYERS = [
    "111222333",  # BSN
    "NL02ABNA0123456789",  # IBAN
    "1990-04-17",  # date of birth, as the API writes it
    "17 april 1990",
    "April 17, 1990",
    "Portugese",  # nationality
    "Living together",  # marital status
    "cohabiting",
    "Female",
    "female",
    "carla.private@example.org",
    "Lange Nieuwstraat",
]


def share_fully(profile, personas):
    with organisation_scope(personas.organisations["a"]):
        employer = personas.memberships["dave"].employer
        services.profile_share(profile=profile, employer=employer, by=personas.memberships["bob"])
        return services.profile_share(
            profile=profile, employer=employer, by=personas.memberships["carla"]
        )


def detail(client, profile):
    return client.get(reverse("candidates:detail", args=[profile.pk]))


def test_it_shows_carla_her_own_profile(carla_profile, as_persona):
    response = detail(as_persona("carla", "a"), carla_profile)

    assert response.status_code == 200
    assert "111222333" in response.content.decode()


def test_it_hides_another_candidates_profile_from_carla(personas, as_persona, django_user_model):
    from passend.tenancy.models import Membership

    with organisation_scope(personas.organisations["a"]):
        user = django_user_model.objects.create_user("other@example.org", "x", name="Other")
        member = Membership.objects.create(
            organisation=personas.organisations["a"], user=user, role="candidate"
        )
        other = services.candidate_profile_ensure(membership=member)

    assert detail(as_persona("carla", "a"), other).status_code == 404
    assert (
        as_persona("carla", "a").get(reverse("candidates:edit", args=[other.pk])).status_code == 404
    )


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_it_shows_the_caseload_to_advisors_and_admins(carla_profile, as_persona, persona):
    assert detail(as_persona(persona, "a"), carla_profile).status_code == 200
    assert as_persona(persona, "a").get(reverse("candidates:list")).status_code == 200


def test_it_answers_charlie_of_another_organisation_with_404(carla_profile, as_persona):
    charlie = as_persona("charlie", "b")

    assert detail(charlie, carla_profile).status_code == 404
    assert charlie.get(reverse("candidates:edit", args=[carla_profile.pk])).status_code == 404
    api = charlie.get(f"/api/v1/candidates/{carla_profile.pk}")
    assert api.status_code == 404


def test_it_hides_an_unshared_profile_from_dave(carla_profile, as_persona):
    assert detail(as_persona("dave", "a"), carla_profile).status_code == 404


def test_it_needs_both_the_candidate_and_the_advisor_to_share(carla_profile, personas, as_persona):
    dave = as_persona("dave", "a")
    with organisation_scope(personas.organisations["a"]):
        employer = personas.memberships["dave"].employer
        half = services.profile_share(
            profile=carla_profile, employer=employer, by=personas.memberships["bob"]
        )
    assert half.status == "awaiting_candidate"
    assert detail(dave, carla_profile).status_code == 404

    share = share_fully(carla_profile, personas)

    assert share.is_active
    assert detail(dave, carla_profile).status_code == 200
    assert "Carla" in dave.get(reverse("candidates:shared")).content.decode()


def test_it_lets_the_candidate_agree_first(carla_profile, personas, as_persona):
    carla = as_persona("carla", "a")
    employer = personas.memberships["dave"].employer

    response = carla.post(
        reverse("candidates:share", args=[carla_profile.pk]), {"employer": employer.pk}
    )

    assert response.status_code == 302
    assert detail(as_persona("dave", "a"), carla_profile).status_code == 404
    as_persona("bob", "a").post(
        reverse("candidates:share", args=[carla_profile.pk]), {"employer": employer.pk}
    )
    assert detail(as_persona("dave", "a"), carla_profile).status_code == 200


def test_it_does_not_share_with_an_employer_of_another_organisation(
    carla_profile, personas, as_persona
):
    foreign = personas.employers["Hotel De Maas"]

    response = as_persona("bob", "a").post(
        reverse("candidates:share", args=[carla_profile.pk]), {"employer": foreign.pk}
    )

    assert response.status_code == 302
    with organisation_scope(personas.organisations["a"]):
        assert not ProfileShare.objects.exists()


@pytest.mark.parametrize("revoker", ["carla", "bob"])
def test_it_takes_a_revoked_share_away_at_once(carla_profile, personas, as_persona, revoker):
    share = share_fully(carla_profile, personas)
    dave = as_persona("dave", "a")
    assert detail(dave, carla_profile).status_code == 200

    response = as_persona(revoker, "a").post(reverse("candidates:share_revoke", args=[share.pk]))

    assert response.status_code == 302
    assert detail(dave, carla_profile).status_code == 404
    assert dave.get(f"/api/v1/candidates/{carla_profile.pk}").status_code == 404
    assert "Carla" not in dave.get(reverse("candidates:shared")).content.decode()


def test_it_does_not_let_the_employer_revoke_or_share(carla_profile, personas, as_persona):
    share = share_fully(carla_profile, personas)
    dave = as_persona("dave", "a")

    assert dave.post(reverse("candidates:share_revoke", args=[share.pk])).status_code == 403
    assert dave.get(reverse("candidates:edit", args=[carla_profile.pk])).status_code == 403


def test_it_never_shows_employers_the_protected_fields_on_the_page(
    carla_profile, personas, as_persona
):
    share_fully(carla_profile, personas)

    response = detail(as_persona("dave", "a"), carla_profile)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Carla Bakker" in body
    for value in HIDDEN_FROM_EMPLOYERS:
        assert value not in body, value


def test_it_never_shows_employers_the_protected_fields_in_the_api(carla_profile, personas, dave):
    share_fully(carla_profile, personas)
    raw = make_token(dave, personas.organisations["a"])

    response = json.loads(
        Client()
        .get(f"/api/v1/candidates/{carla_profile.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
        .content
    )

    assert response["name"] == "Carla Bakker"
    for key in ("bsn", "iban", "date_of_birth", "gender", "nationality", "marital_status"):
        assert key not in response
    text = json.dumps(response)
    for value in HIDDEN_FROM_EMPLOYERS:
        assert value not in text, value


def test_it_raises_404_from_the_access_function_for_a_bad_id(personas, scope_a):
    with pytest.raises(Http404):
        get_candidate_for_actor(personas.memberships["bob"], "not-a-uuid")
