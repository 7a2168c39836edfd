"""Bad input answers 4xx with a problem document, never 500 (issue 9, defects 11-14)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from passend.api.tests.helpers import make_token, problem
from passend.candidates.models import CandidateProfile
from passend.candidates.services import candidate_profile_ensure
from passend.common.scope import organisation_scope


@pytest.fixture
def carla_token(personas: Any) -> str:
    return make_token(personas["carla"], personas.organisations["a"])


@pytest.fixture
def bob_token(personas: Any) -> str:
    return make_token(personas["bob"], personas.organisations["a"])


def patch_me(token: str, body: Any) -> Any:
    return Client().patch(
        "/api/v1/candidates/me",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def carla_profile(personas: Any) -> CandidateProfile:
    with organisation_scope(personas.organisations["a"]):
        profile = candidate_profile_ensure(membership=personas.memberships["carla"])
        profile.refresh_from_db()
        return profile


# 11: null bytes and other control characters


@pytest.mark.parametrize("value", ["Carla\x00", "\x00", "Car\x1bla", "Carla\x7f", "Carla\ud800"])
def test_it_refuses_control_characters_in_a_json_body(
    personas: Any, carla_token: str, value: str
) -> None:
    before = carla_profile(personas).first_name

    response = patch_me(carla_token, {"first_name": value})

    assert response.status_code == 422
    body = problem(response)
    assert body["errors"][0]["location"] == "body.first_name"
    assert "control characters" in body["errors"][0]["message"]
    assert carla_profile(personas).first_name == before


def test_it_keeps_tabs_and_line_breaks(personas: Any, carla_token: str) -> None:
    response = patch_me(carla_token, {"interests": "Bakken\tkoken\r\nen tuinieren"})

    assert response.status_code == 200
    assert carla_profile(personas).interests == "Bakken\tkoken\r\nen tuinieren"


def test_it_refuses_control_characters_in_keys_and_nested_values(carla_token: str) -> None:
    response = patch_me(carla_token, {"first_name\x00": "x", "interests": ["a", {"b": "\x00"}]})

    assert response.status_code == 422
    locations = {error["location"] for error in problem(response)["errors"]}
    assert locations == {"body", "body.interests.1.b"}


def test_it_refuses_a_null_byte_in_a_query_string(bob_token: str) -> None:
    response = Client().get(
        "/api/v1/candidates", {"q": "car\x00la"}, headers={"Authorization": f"Bearer {bob_token}"}
    )

    assert response.status_code == 422
    assert problem(response)["errors"][0]["location"] == "query.q"


@pytest.mark.postgres
def test_it_refuses_a_null_byte_on_postgresql_too(personas: Any, carla_token: str) -> None:
    response = patch_me(carla_token, {"first_name": "Carla\x00", "city": "Gouda"})

    assert response.status_code == 422
    profile = carla_profile(personas)
    assert "\x00" not in profile.first_name
    assert profile.city != "Gouda"


# 12: a body over DATA_UPLOAD_MAX_MEMORY_SIZE


def test_it_answers_413_to_a_body_that_is_too_large(
    settings: Any, personas: Any, carla_token: str
) -> None:
    body = {"interests": "x" * (4 * 1024 * 1024)}
    assert len(json.dumps(body)) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = patch_me(carla_token, body)

    assert response.status_code == 413
    assert problem(response)["title"] == "Content Too Large"
    assert carla_profile(personas).interests == ""


def test_it_answers_413_to_a_session_too(settings: Any, personas: Any) -> None:
    from conftest import client_for

    client = client_for(personas["carla"], personas.organisations["a"])
    response = client.patch(
        "/api/v1/candidates/me",
        json.dumps({"interests": "x" * (4 * 1024 * 1024)}),
        content_type="application/json",
    )

    assert response.status_code == 413
    problem(response)


# 13: dates within bounds


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_of_birth", "0001-01-01"),
        ("date_of_birth", "1899-12-31"),
        ("date_of_birth", "9999-12-31"),
        ("date_of_birth", (date.today() + timedelta(days=2)).isoformat()),
        ("self_employment_valid_from", "0001-01-01"),
        ("self_employment_valid_until", "9999-12-31"),
    ],
)
def test_it_refuses_a_date_out_of_bounds(
    personas: Any, carla_token: str, field: str, value: str
) -> None:
    response = patch_me(carla_token, {field: value})

    assert response.status_code == 422
    [error] = problem(response)["errors"]
    assert error["location"] == f"body.{field}"
    assert "Enter a date between" in error["message"]
    assert getattr(carla_profile(personas), field) is None


def test_it_accepts_a_date_of_birth_within_bounds(personas: Any, carla_token: str) -> None:
    response = patch_me(carla_token, {"date_of_birth": "1900-01-01"})

    assert response.status_code == 200
    assert carla_profile(personas).date_of_birth == date(1900, 1, 1)


@pytest.mark.parametrize(
    ("part", "body"),
    [
        ("trajectories", {"goal": "Werk", "start_date": "9999-12-31"}),
        ("trajectories", {"goal": "Werk", "start_date": "2026-01-01", "end_date": "0001-01-01"}),
        ("appointments", {"starts_at": "9999-12-31T10:00:00+01:00"}),
        ("appointments", {"starts_at": "0001-01-01T10:00:00"}),
    ],
)
def test_it_refuses_coaching_dates_out_of_bounds(
    personas: Any, bob_token: str, part: str, body: dict[str, Any]
) -> None:
    candidate = carla_profile(personas)

    response = Client().post(
        f"/api/v1/coaching/candidates/{candidate.pk}/{part}",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {bob_token}"},
    )

    assert response.status_code == 422
    assert "Enter a date between" in json.dumps(problem(response)["errors"])


# 14: out-of-range and malformed parameters


@pytest.mark.parametrize(
    "path",
    ["/api/v1/candidates", "/api/v1/coaching/caseload", "/api/v1/organisation/members"],
)
@pytest.mark.parametrize(
    "query",
    [
        {"page": "99999999999999999999"},
        {"page": str(timezone.now().year * 10**6)},
        {"page": "-1"},
        {"page": "0"},
        {"page": "1e3"},
        {"page": "x"},
        {"page_size": "99999999999999999999"},
        {"page_size": "-5"},
    ],
)
def test_it_answers_422_to_a_page_out_of_range(
    personas: Any, path: str, query: dict[str, str]
) -> None:
    token = make_token(personas["alice"], personas.organisations["a"])

    response = Client().get(path, query, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 422
    problem(response)


def test_it_answers_the_last_page_that_exists(personas: Any, bob_token: str) -> None:
    response = Client().get(
        "/api/v1/candidates", {"page": "1000000"}, headers={"Authorization": f"Bearer {bob_token}"}
    )

    assert response.status_code == 200
    assert response.json()["items"] == []
