"""Responses with personal data are never stored by a browser or a proxy cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from passend.api.services import api_token_create

pytestmark = pytest.mark.django_db

NO_STORE = {"no-store", "private"}


def _directives(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_it_keeps_my_data_out_of_every_cache(as_persona: Any) -> None:
    response = as_persona("carla", "a").get("/my-data/")

    assert response.status_code == 200
    assert _directives(response) >= NO_STORE


def test_it_keeps_a_signed_in_page_out_of_every_cache(as_persona: Any) -> None:
    response = as_persona("bob", "a").get("/candidates/")

    assert response.status_code == 200
    assert _directives(response) >= NO_STORE


def test_it_keeps_api_answers_and_their_errors_out_of_every_cache(personas: Any) -> None:
    _token, secret = api_token_create(
        user=personas["alice"],
        organisation=personas.organisations["a"],
        name="t",
        expires_in_days=1,
    )
    client = Client(headers={"Authorization": f"Bearer {secret}"})

    answer = client.get("/api/v1/candidates")
    problem = client.get("/api/v1/candidates/00000000-0000-0000-0000-000000000000")

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/json")
    assert _directives(answer) >= NO_STORE
    assert problem.status_code == 404
    assert _directives(problem) >= NO_STORE


def test_it_keeps_error_pages_and_anonymous_pages_out_of_every_cache(
    client: Client, as_persona: Any
) -> None:
    not_found = as_persona("bob", "a").get("/candidates/00000000-0000-0000-0000-000000000000/")
    login = client.get("/accounts/login/")

    assert not_found.status_code == 404
    assert _directives(not_found) >= NO_STORE
    assert _directives(login) >= NO_STORE


def test_it_leaves_static_files_cacheable(client: Client) -> None:
    response = client.get("/static/web/passend.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
