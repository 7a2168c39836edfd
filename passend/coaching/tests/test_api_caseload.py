"""The caseload in the API (issue 11, point 2): the page's search, filters and
order, through the same `selectors.CaseloadFilter`, with 422 problem details
for values it cannot take."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from passend.api.tests.helpers import problem
from passend.candidates.models import Scheme
from passend.coaching import services
from passend.coaching.models import Trajectory
from passend.coaching.tests.conftest import profile_of
from passend.coaching.tests.test_api import call
from passend.coaching.tests.test_pages import html, other_candidate
from passend.common.scope import organisation_scope
from passend.tenancy.models import Membership, Role

NAMES = ("Carla Bakker", "Hanna Kok", "Ivo Smit")


@pytest.fixture
def three(personas: Any, coaching: Any) -> dict[str, Any]:
    """Carla: active, Participatiewet, bob's, appointment next week, two open
    tasks not yet due. Hanna: active since February, no scheme or advisor, one
    task past its due date, no appointment. Ivo: no trajectory at all."""
    organisation = personas.organisations["a"]
    hanna = other_candidate(personas)
    user = get_user_model().objects.create_user("ivo@passend.test", "x", name="Ivo Smit")
    with organisation_scope(organisation):
        personas.memberships["ivo"] = Membership.objects.create(
            organisation=organisation, user=user, role=Role.CANDIDATE
        )
    ivo = profile_of(personas, "ivo")
    with organisation_scope(organisation):
        services.task_create(
            trajectory=Trajectory.objects.get(candidate=hanna["profile"]),
            title="Overdue",
            due_date=timezone.localdate() - timedelta(days=2),
        )
    return {"carla": coaching, "hanna": hanna, "ivo": ivo}


def caseload(personas: Any, query: dict[str, Any], who: str = "bob") -> Any:
    return call(personas, who, "GET", f"/caseload?{urlencode(query)}")


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_it_searches_the_api_caseload_by_name(personas: Any, three: Any) -> None:
    assert names(caseload(personas, {"q": "hanna"})) == ["Hanna Kok"]
    assert names(caseload(personas, {"q": " BAKKER "})) == ["Carla Bakker"]
    assert names(caseload(personas, {"q": "nobody"})) == []


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", ["Carla Bakker", "Hanna Kok"]),
        ("none", ["Ivo Smit"]),
        ("paused", []),
        ("planned", []),
    ],
)
def test_it_filters_the_api_caseload_by_status(
    personas: Any, three: Any, status: str, expected: list[str]
) -> None:
    assert names(caseload(personas, {"status": status})) == expected


def test_it_filters_the_api_caseload_by_scheme(personas: Any, three: Any) -> None:
    scheme = three["carla"]["scheme"].pk

    assert names(caseload(personas, {"scheme": scheme})) == ["Carla Bakker"]


def test_it_filters_the_api_caseload_to_overdue_tasks(personas: Any, three: Any) -> None:
    response = caseload(personas, {"overdue": "true"})

    assert names(response) == ["Hanna Kok"]
    assert response.json()["items"][0]["overdue_tasks"] == 1
    assert response.json()["items"][0]["open_tasks"] == 2


def test_it_filters_the_api_caseload_to_no_appointment_planned(personas: Any, three: Any) -> None:
    response = caseload(personas, {"no_appointment": "true"})

    # Ivo has no appointment either, but no active trajectory to plan one for.
    assert names(response) == ["Hanna Kok"]
    assert response.json()["items"][0]["no_appointment_planned"] is True


def test_it_combines_the_api_caseload_filters(personas: Any, three: Any) -> None:
    assert names(caseload(personas, {"status": "active", "overdue": "true", "q": "carla"})) == []
    assert names(caseload(personas, {"status": "active", "mine": "true"})) == ["Carla Bakker"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Carla Bakker", "Hanna Kok", "Ivo Smit"]),
        # Carla has an appointment next week; the others none (last, by name).
        ("next_appointment", ["Carla Bakker", "Hanna Kok", "Ivo Smit"]),
        # Hanna's overdue task came last, just after Ivo's profile was opened.
        ("last_activity", ["Hanna Kok", "Ivo Smit", "Carla Bakker"]),
    ],
)
def test_it_sorts_the_api_caseload(
    personas: Any, three: Any, sort: str, expected: list[str]
) -> None:
    assert names(caseload(personas, {"sort": sort})) == expected


def test_it_sorts_the_api_caseload_by_name_unasked(personas: Any, three: Any) -> None:
    assert names(caseload(personas, {})) == ["Carla Bakker", "Hanna Kok", "Ivo Smit"]


def test_it_describes_each_api_caseload_row(personas: Any, three: Any) -> None:
    rows = {item["name"]: item for item in caseload(personas, {}).json()["items"]}

    assert rows["Carla Bakker"]["current_status"] == "active"
    assert rows["Carla Bakker"]["no_appointment_planned"] is False
    assert rows["Carla Bakker"]["overdue_tasks"] == 0
    assert rows["Ivo Smit"]["current_status"] is None
    assert rows["Ivo Smit"]["no_appointment_planned"] is False
    assert rows["Hanna Kok"]["last_activity_at"]


def test_it_pages_the_filtered_api_caseload(personas: Any, three: Any) -> None:
    body = caseload(personas, {"status": "active", "page_size": 1, "page": 2}).json()

    assert body["count"] == 2
    assert [item["name"] for item in body["items"]] == ["Hanna Kok"]


@pytest.mark.parametrize(
    "query",
    [
        {"q": "hanna"},
        {"status": "active", "sort": "last_activity"},
        {"status": "none"},
        {"overdue": "on"},
        {"no_appointment": "on"},
        {"mine": "on", "sort": "next_appointment"},
    ],
)
def test_it_answers_the_api_and_the_page_alike(
    personas: Any, as_persona: Any, three: Any, query: dict[str, str]
) -> None:
    page = html(as_persona("bob", "a").get(f"/coaching/caseload/?{urlencode(query)}"))
    on_page = sorted((name for name in NAMES if name in page), key=page.index)
    api_query = {key: "true" if value == "on" else value for key, value in query.items()}

    assert names(caseload(personas, api_query)) == on_page


# Bad values: 422 problem details, the value's place in `errors`


def refused(response: Any, location: str) -> dict[str, Any]:
    assert response.status_code == 422, response.content
    body = problem(response)
    assert [error["location"] for error in body["errors"]] == [location]
    return body


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ({"status": "finished"}, "query.status"),
        ({"status": ""}, "query.status"),
        ({"sort": "age"}, "query.sort"),
        ({"scheme": "not-a-uuid"}, "query.scheme"),
        ({"overdue": "maybe"}, "query.overdue"),
        ({"q": "x" * 101}, "query.q"),
    ],
)
def test_it_refuses_bad_api_caseload_values(
    personas: Any, three: Any, query: dict[str, str], location: str
) -> None:
    refused(caseload(personas, query), location)


def test_it_refuses_a_bsn_as_api_caseload_search_key(personas: Any, three: Any) -> None:
    body = refused(caseload(personas, {"q": "111222333"}), "query.q")

    assert "never a search key" in body["errors"][0]["message"]
    assert "111222333" not in str(body)


# A 422 marks the test's transaction for rollback (problems._roll_back): one
# refused request per test.
NOT_OURS = [{"location": "query.scheme", "message": "Choose a scheme of this organisation."}]


def test_it_refuses_an_unknown_scheme_in_the_api_caseload(personas: Any, three: Any) -> None:
    body = refused(caseload(personas, {"scheme": uuid.uuid4()}), "query.scheme")

    assert body["errors"] == NOT_OURS


def test_it_treats_another_organisations_scheme_as_unknown(personas: Any, three: Any) -> None:
    with organisation_scope(personas.organisations["b"]):
        theirs = Scheme.objects.create(organisation=personas.organisations["b"], name="Secret")

    answer = caseload(personas, {"scheme": theirs.pk})

    # Exactly the answer to a scheme that does not exist.
    assert refused(answer, "query.scheme")["errors"] == NOT_OURS
    assert "Secret" not in answer.content.decode()


def test_it_documents_the_api_caseload_filters(db: Any) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/v1/coaching/caseload"]["get"]["parameters"]
    }

    assert {"q", "status", "scheme", "overdue", "no_appointment", "mine", "sort"} <= set(parameters)
    assert "page" in parameters
    components = schema["components"]["schemas"]

    def enum_of(name: str) -> list[str]:
        found = parameters[name]["schema"]
        for option in [found, *found.get("anyOf", []), *found.get("allOf", [])]:
            if "$ref" in option:
                option = components[option["$ref"].rsplit("/", 1)[-1]]
            if "enum" in option:
                return list(option["enum"])
        raise AssertionError(found)

    assert enum_of("status") == ["planned", "active", "paused", "completed", "stopped", "none"]
    assert enum_of("sort") == ["name", "next_appointment", "last_activity"]
    assert parameters["status"]["description"]


def test_the_unfiltered_api_caseload_takes_its_total_from_the_cached_count(
    personas: Any, three: Any
) -> None:
    first = caseload(personas, {"page_size": 2})
    assert first.json()["count"] == 3
    assert len(first.json()["items"]) == 2

    # Counted once and cached: the next call reads only its page, no COUNT.
    with CaptureQueriesContext(connection) as queries:
        again = caseload(personas, {"page_size": 2, "page": 2})
    assert again.json()["count"] == 3
    assert names(again) == ["Ivo Smit"]
    assert not [q for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(")]


def test_a_filtered_api_caseload_counts_its_own_matches(personas: Any, three: Any) -> None:
    assert caseload(personas, {"status": "active"}).json()["count"] == 2
    assert caseload(personas, {"mine": "true"}).json()["count"] == 1
    assert caseload(personas, {"sort": "last_activity"}).json()["count"] == 3
