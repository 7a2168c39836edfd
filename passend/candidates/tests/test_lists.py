"""Lists cost a constant number of queries, whatever the number of candidates."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from passend.candidates import services
from passend.common.scope import organisation_scope
from passend.tenancy.models import Membership


def add_candidates(personas: Any, django_user_model: Any, count: int) -> None:
    org = personas.organisations["a"]
    with organisation_scope(org):
        for n in range(count):
            user = django_user_model.objects.create_user(f"c{n}@example.org", None, name=f"C {n}")
            member = Membership.objects.create(organisation=org, user=user, role="candidate")
            if n % 2:
                services.candidate_profile_ensure(membership=member)


def queries_for_list(client: Any, django_assert_max_num_queries: Any, limit: int) -> None:
    with django_assert_max_num_queries(limit):
        response = client.get(reverse("candidates:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_it_lists_candidates_in_a_constant_number_of_queries(
    personas, as_persona, django_user_model, django_assert_max_num_queries, count
):
    add_candidates(personas, django_user_model, count)
    client = as_persona("bob", "a")
    client.get(reverse("candidates:list"))  # warm the session and caches

    queries_for_list(client, django_assert_max_num_queries, 12)


def test_it_pages_and_searches_the_list_by_name(personas, as_persona, django_user_model):
    add_candidates(personas, django_user_model, 30)
    client = as_persona("alice", "a")

    first = client.get(reverse("candidates:list")).content.decode()
    second = client.get(reverse("candidates:list"), {"page": 2}).content.decode()
    found = client.get(reverse("candidates:list"), {"q": "C 17"}, headers={"HX-Request": "true"})

    assert "31 candidates" in first  # carla too
    assert "Page 2 of 2" in second
    assert "C 17" in found.content.decode()
    assert "C 18" not in found.content.decode()
    assert "<html" not in found.content.decode()  # the htmx answer is the rows only


def test_it_opens_a_profile_for_a_candidate_who_has_none_yet(personas, as_persona, scope_a):
    carla = personas.memberships["carla"]

    response = as_persona("bob", "a").post(reverse("candidates:start", args=[carla.pk]))

    assert response.status_code == 302
    carla.refresh_from_db()
    assert response["Location"].endswith(f"/candidates/{carla.candidate_profile.pk}/")
    other = as_persona("bob", "a").post(
        reverse("candidates:start", args=[personas.memberships["alice"].pk])
    )
    assert other.status_code == 404  # not a candidate


@pytest.mark.parametrize("persona", ["carla", "dave"])
def test_it_keeps_the_list_to_advisors_and_admins(as_persona, persona):
    assert as_persona(persona, "a").get(reverse("candidates:list")).status_code == 403
