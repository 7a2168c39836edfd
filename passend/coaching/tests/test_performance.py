"""The caseload costs the same number of queries for 5 candidates as for 60,
and for a page of 10 as for a page of 100."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from passend.api.tests.helpers import make_token
from passend.coaching.tests.factories import build_caseload


def queries_of(client: Any, url: str, **extra: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(captured)


def test_it_renders_the_caseload_page_in_a_constant_number_of_queries(
    personas: Any, as_persona: Any, django_assert_max_num_queries: Any
) -> None:
    organisation, bob = personas.organisations["a"], personas.memberships["bob"]
    client = as_persona("bob", "a")
    build_caseload(organisation, 5, professional=bob)
    client.get("/coaching/caseload/")  # sessions and caches warm
    with_5 = queries_of(client, "/coaching/caseload/?page_size=100")
    # Filtered, the page counts its matches (the whole caseload's total is cached).
    mine_with_5 = queries_of(client, "/coaching/caseload/?page_size=10&mine=1")
    build_caseload(organisation, 55, professional=bob)
    client.get("/coaching/caseload/")  # the totals counted anew once, then cached

    with django_assert_max_num_queries(with_5):
        response = client.get("/coaching/caseload/?page_size=100")
    with django_assert_max_num_queries(mine_with_5):
        small_page = client.get("/coaching/caseload/?page_size=10&mine=1")

    assert len(response.context["page"]) == 60
    assert len(small_page.context["page"]) == 10
    assert "Candidate 00054" in response.content.decode()


def test_it_answers_the_caseload_api_in_a_constant_number_of_queries(
    personas: Any, django_assert_max_num_queries: Any
) -> None:
    from django.test import Client

    organisation, bob = personas.organisations["a"], personas.memberships["bob"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {make_token(personas['bob'], organisation)}"}
    client = Client()
    client.get("/api/v1/coaching/caseload", **auth)
    # Each time after the caseload changed: the cached total is counted anew.
    build_caseload(organisation, 5, professional=bob)
    with_5 = queries_of(client, "/api/v1/coaching/caseload?page_size=100", **auth)
    build_caseload(organisation, 55, professional=bob)

    with django_assert_max_num_queries(with_5):
        response = client.get("/api/v1/coaching/caseload?page_size=100", **auth)

    assert response.json()["count"] == 60
    assert len(response.json()["items"]) == 60


def test_it_renders_the_candidate_page_in_a_constant_number_of_queries(
    personas: Any, as_persona: Any, coaching: Any, django_assert_max_num_queries: Any
) -> None:
    from passend.coaching import services
    from passend.common.scope import organisation_scope

    client = as_persona("bob", "a")
    url = f"/coaching/candidates/{coaching['profile'].pk}/"
    client.get(url)
    few = queries_of(client, url)
    with organisation_scope(personas.organisations["a"]):
        for n in range(20):
            services.task_create(trajectory=coaching["trajectory"], title=f"Step {n}")
            services.note_create(
                candidate=coaching["profile"], author=personas.memberships["bob"], text=f"N{n}"
            )

    with django_assert_max_num_queries(few):
        response = client.get(url)

    page = response.content.decode()
    # A window on the plan: the first 20 open tasks and a link to all 22.
    assert "Step 17" in page
    assert "Step 18" not in page
    assert "Show all tasks (22)" in page
