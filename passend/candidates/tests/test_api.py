"""The /api/v1/candidates endpoints."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from passend.api.tests.helpers import make_token, problem
from passend.candidates.models import CandidateProfile, WorkExperience
from passend.candidates.services import section_entry_create
from passend.common.scope import organisation_scope


def call(personas, key, method, path, body=None, org="a"):
    raw = make_token(personas[key], personas.organisations[org])
    return Client().generic(
        method,
        path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )


def test_it_gives_a_candidate_their_own_profile(carla_profile, personas):
    response = call(personas, "carla", "GET", "/api/v1/candidates/me")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(carla_profile.pk)
    assert body["bsn"] == "111222333"
    assert body["phone"] == "+31612345678"


def test_it_changes_my_profile_with_patch(carla_profile, personas, scope_a):
    response = call(
        personas,
        "carla",
        "PATCH",
        "/api/v1/candidates/me",
        {"city": "Amersfoort", "phone": "0612345679", "gender": None},
    )

    assert response.status_code == 200
    profile = CandidateProfile.objects.get(pk=carla_profile.pk)
    assert (profile.city, profile.phone, profile.gender) == ("Amersfoort", "+31612345679", "")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"bsn": "123456789"}, "eleven test"),
        ({"postcode": "99"}, "postcode"),
        ({"iban": "NL00XXXX"}, "IBAN"),
        ({"is_worker": False}, "invalid values"),
    ],
)
def test_it_refuses_invalid_changes_with_422(carla_profile, personas, body, message):
    response = call(personas, "carla", "PATCH", "/api/v1/candidates/me", body)

    assert response.status_code == 422
    body = problem(response)
    said = [body["detail"], *(f"{e['location']}: {e['message']}" for e in body["errors"])]
    assert any(message in line for line in said)


def test_it_refuses_my_profile_to_non_candidates(personas):
    response = call(personas, "bob", "GET", "/api/v1/candidates/me")

    assert response.status_code == 403
    problem(response)


@pytest.mark.parametrize(
    "query", ["111222333", "1112.22.333", "NL91ABNA0417164300", "NL91 ABNA 0417 1643 00"]
)
def test_it_refuses_a_bsn_or_iban_as_a_search_key(carla_profile, personas, query):
    response = call(personas, "bob", "GET", f"/api/v1/candidates?{urlencode({'q': query})}")

    assert response.status_code == 422
    assert "never a search key" in problem(response)["detail"]


def test_it_lists_candidates_for_advisors_only(carla_profile, personas):
    listed = call(personas, "bob", "GET", "/api/v1/candidates?q=carla")
    assert listed.status_code == 200
    assert [item["name"] for item in listed.json()["items"]] == ["Carla Bakker"]
    for key in ("carla", "dave"):
        assert call(personas, key, "GET", "/api/v1/candidates").status_code == 403
    other = call(personas, "charlie", "GET", "/api/v1/candidates", org="b")
    assert other.status_code == 200
    assert other.json()["count"] == 0


def test_the_unfiltered_list_counts_every_profile_once_and_then_from_the_cache(
    carla_profile, personas
):
    first = call(personas, "bob", "GET", "/api/v1/candidates")
    assert (
        first.json()["count"]
        == CandidateProfile.objects.unscoped()
        .filter(organisation=personas.organisations["a"])
        .count()
    )

    with CaptureQueriesContext(connection) as queries:
        again = call(personas, "bob", "GET", "/api/v1/candidates")
    assert again.json()["count"] == first.json()["count"]
    assert not [q for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    searched = call(personas, "bob", "GET", "/api/v1/candidates?q=nobody")
    assert searched.json()["count"] == 0


def test_it_gives_one_candidate_per_the_access_rules(carla_profile, personas):
    path = f"/api/v1/candidates/{carla_profile.pk}"

    assert call(personas, "alice", "GET", path).json()["iban"] == "NL02ABNA0123456789"
    assert call(personas, "carla", "GET", path).status_code == 200
    assert call(personas, "dave", "GET", path).status_code == 404
    assert call(personas, "charlie", "GET", path, org="b").status_code == 404


def test_it_lists_section_entries_and_hides_private_sections_from_employers(
    carla_profile, personas
):
    from passend.candidates.services import profile_share

    with organisation_scope(personas.organisations["a"]):
        section_entry_create(
            profile=carla_profile,
            model=WorkExperience,
            data={"employer_name": "Bakkerij", "role": "Baker", "started_on": "2020-01-01"},
        )
        employer = personas.memberships["dave"].employer
        profile_share(profile=carla_profile, employer=employer, by=personas.memberships["bob"])
        profile_share(profile=carla_profile, employer=employer, by=personas.memberships["carla"])
    base = f"/api/v1/candidates/{carla_profile.pk}/sections"

    work = call(personas, "dave", "GET", f"{base}/work")
    assert work.status_code == 200
    assert work.json()[0]["role"] == "Baker"
    assert work.json()[0]["started_on"] == "2020-01-01"
    assert call(personas, "dave", "GET", f"{base}/schemes").status_code == 404
    assert call(personas, "bob", "GET", f"{base}/schemes").status_code == 200
    assert call(personas, "bob", "GET", f"{base}/nonsense").status_code == 404
    assert call(personas, "charlie", "GET", f"{base}/work", org="b").status_code == 404
