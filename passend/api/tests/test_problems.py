"""Every error under /api/v1/ is an RFC 9457 problem document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from passend.api import selectors
from passend.api.api import api
from passend.api.tests.helpers import bearer, get, make_token, problem
from passend.candidates.services import candidate_profile_ensure
from passend.coaching import services as coaching_services
from passend.common.scope import organisation_scope
from passend.common.tests.ratelimit import hold_rate_window


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    hold_rate_window(monkeypatch)  # the fixed window cannot turn mid-test
    cache.clear()
    yield
    cache.clear()


def test_it_answers_401_as_a_problem(personas: Any) -> None:
    response = Client().get("/api/v1/organisation")

    body = problem(response)
    assert response.status_code == 401
    assert body["title"] == "Unauthorized"
    assert body["instance"] == "/api/v1/organisation"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_answers_403_as_a_problem(bob: Any, org_a: Any) -> None:
    response = get("/api/v1/organisation/members", make_token(bob, org_a))

    body = problem(response)
    assert response.status_code == 403
    assert body["title"] == "Forbidden"
    assert "administrators" in body["detail"]


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/me/", "/api/v1/members/1"])
def test_it_answers_unknown_paths_with_a_404_problem(alice: Any, org_a: Any, path: str) -> None:
    anonymous = Client().get(path)
    signed_in = get(path, make_token(alice, org_a))

    for response in (anonymous, signed_in):
        body = problem(response)
        assert response.status_code == 404
        assert body["title"] == "Not Found"
        assert body["instance"] == path


def test_it_answers_a_wrong_method_with_a_405_problem(alice: Any, org_a: Any) -> None:
    response = Client().post("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {make_token(alice, org_a)}")

    body = problem(response)
    assert response.status_code == 405
    assert body["title"] == "Method Not Allowed"
    assert response["Allow"] == "GET"


@pytest.mark.parametrize(
    ("query", "location"),
    [("page=0", "query.page"), ("page=abc", "query.page"), ("page_size=101", "query.page_size")],
)
def test_it_answers_invalid_values_with_a_422_problem(
    alice: Any, org_a: Any, query: str, location: str
) -> None:
    response = get(f"/api/v1/organisation/members?{query}", make_token(alice, org_a))

    body = problem(response)
    assert response.status_code == 422
    assert body["errors"]
    assert body["errors"][0]["location"] == location
    assert body["errors"][0]["message"]


def test_it_answers_a_crash_with_a_500_problem_that_leaks_nothing(
    alice: Any, org_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode() -> Any:
        raise RuntimeError("secret internals of the members query")

    monkeypatch.setattr(selectors, "members", explode)

    response = get("/api/v1/organisation/members", make_token(alice, org_a))

    body = problem(response)
    assert response.status_code == 500
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content
    assert body["title"] == "Internal Server Error"


@pytest.mark.parametrize(("error", "status"), [(Http404, 404), (PermissionDenied, 403)])
def test_it_turns_djangos_access_errors_into_problems(
    alice: Any, org_a: Any, monkeypatch: pytest.MonkeyPatch, error: type[Exception], status: int
) -> None:
    def refuse() -> Any:
        raise error("internal reason")

    monkeypatch.setattr(selectors, "members", refuse)

    response = get("/api/v1/organisation/members", make_token(alice, org_a))

    assert response.status_code == status
    problem(response)
    assert b"internal reason" not in response.content


def test_it_answers_a_crash_outside_an_operation_with_a_500_problem(
    personas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals of the docs page")

    monkeypatch.setattr(api.docs, "render_page", explode)

    response = Client(raise_request_exception=False).get("/api/v1/docs")

    assert response.status_code == 500
    problem(response)
    assert b"secret internals" not in response.content


# On PostgreSQL every request runs in a transaction; on SQLite only writing
# ones do, reads run in autocommit (docs/adr/0009-sqlite-concurrency.md).
@pytest.mark.postgres
def test_it_rolls_back_what_a_crashing_read_operation_wrote(
    alice: Any, org_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write_then_explode() -> Any:
        type(alice).objects.filter(pk=alice.pk).update(name="Half-written")
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "members", write_then_explode)

    response = get("/api/v1/organisation/members", make_token(alice, org_a))

    alice.refresh_from_db()
    assert response.status_code == 500
    assert alice.name == "Alice de Vries"


def test_it_rolls_back_what_a_crashing_write_operation_wrote(
    alice: Any, org_a: Any, personas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write_then_explode(**kwargs: Any) -> Any:
        type(alice).objects.filter(pk=alice.pk).update(name="Half-written")
        raise RuntimeError("boom")

    with organisation_scope(org_a):
        profile = candidate_profile_ensure(membership=personas.memberships["carla"])
    monkeypatch.setattr(coaching_services, "note_create", write_then_explode)

    response = Client(raise_request_exception=False).post(
        f"/api/v1/coaching/candidates/{profile.pk}/notes",
        {"text": "A note", "visibility": "shared"},
        content_type="application/json",
        **bearer(make_token(alice, org_a)),  # type: ignore[arg-type]
    )

    alice.refresh_from_db()
    assert response.status_code == 500
    assert alice.name == "Alice de Vries"


def test_it_answers_too_many_requests_with_a_429_problem(
    alice: Any, org_a: Any, settings: Any
) -> None:
    settings.API_RATE_LIMIT = "2/m"
    raw = make_token(alice, org_a)

    statuses = [get("/api/v1/me", raw).status_code for _ in range(3)]
    limited = get("/api/v1/me", raw)

    assert statuses == [200, 200, 429]
    problem(limited)
    assert int(limited["Retry-After"]) >= 1


def test_it_counts_the_rate_per_person(alice: Any, bob: Any, org_a: Any, settings: Any) -> None:
    settings.API_RATE_LIMIT = "1/m"
    alice_raw = make_token(alice, org_a)

    assert get("/api/v1/me", alice_raw).status_code == 200
    assert get("/api/v1/me", alice_raw).status_code == 429
    assert get("/api/v1/me", make_token(bob, org_a)).status_code == 200


def test_it_leaves_successful_answers_as_plain_json(alice: Any, org_a: Any) -> None:
    response = get("/api/v1/me", make_token(alice, org_a))

    assert response["Content-Type"].startswith("application/json")
