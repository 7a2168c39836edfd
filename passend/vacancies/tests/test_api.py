"""Vacancies in the API (issue 13, part 6): the pages' rules, problem details."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from passend.api.tests.helpers import make_token, problem
from passend.common.scope import organisation_scope
from passend.vacancies.models import Vacancy
from passend.vacancies.tests.conftest import BAKERY, CARE, make_vacancy

pytestmark = pytest.mark.django_db


def call(personas: Any, who: str, method: str, path: str, body: Any = None) -> Any:
    organisation = personas.organisations["b" if who == "charlie" else "a"]
    raw = make_token(personas[who], organisation)
    return Client().generic(
        method,
        f"/api/v1{path}",
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Broodbakker",
        "hours_per_week": 32,
        "salary_min": "2400",
        "salary_max": "2900",
        "salary_period": "month",
        "closing_date": (timezone.localdate() + timedelta(days=20)).isoformat(),
    }
    data.update(overrides)
    return data


def test_an_employer_posts_for_their_own_company_and_no_other(personas: Any) -> None:
    care = personas.employers[CARE]

    created = call(personas, "dave", "POST", "/vacancies", body(postcode="3511ab"))
    other = call(personas, "dave", "POST", "/vacancies", body(employer_id=str(care.pk)))

    assert created.status_code == 201, created.content
    assert created.json()["employer_name"] == BAKERY
    assert created.json()["postcode"] == "3511 AB"
    assert created.json()["status"] == "draft"
    assert other.status_code == 422
    assert "own company" in problem(other)["detail"]


def test_an_advisor_names_the_employer_and_never_another_organisations(personas: Any) -> None:
    hotel = personas.employers["Hotel De Maas"]

    missing = call(personas, "bob", "POST", "/vacancies", body())
    elsewhere = call(personas, "bob", "POST", "/vacancies", body(employer_id=str(hotel.pk)))
    care = call(personas, "bob", "POST", "/vacancies",
                body(employer_id=str(personas.employers[CARE].pk)))  # fmt: skip

    assert missing.status_code == 422
    assert elsewhere.status_code == 422
    assert "of this organisation" in problem(elsewhere)["detail"]
    assert care.status_code == 201


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"salary_min": "3000"}, "cannot be lower"),
        ({"hours_per_week": 61}, "60"),
        ({"closing_date": (timezone.localdate() - timedelta(days=1)).isoformat()}, "past"),
        ({"title": ""}, "title"),
        ({"occupation_id": 987654321}, "Unknown ESCO"),
        ({"postcode": "12"}, "valid Dutch postcode"),
        ({"description": "x" * 20_001}, "description"),
    ],
)
def test_it_refuses_bad_input_as_a_problem_and_saves_nothing(
    personas: Any, overrides: dict[str, Any], expected: str
) -> None:
    response = call(personas, "dave", "POST", "/vacancies", body(**overrides))

    assert response.status_code == 422
    document = problem(response)
    said = " ".join([document["detail"], *(str(e) for e in document.get("errors", []))])
    assert expected in said
    with organisation_scope(personas.organisations["a"]):
        assert not Vacancy.objects.exists()


def test_it_publishes_and_closes_through_the_api(personas: Any) -> None:
    vacancy = make_vacancy(personas)
    path = f"/vacancies/{vacancy.pk}"

    published = call(personas, "dave", "POST", f"{path}/publish")
    by_date = call(personas, "dave", "POST", f"{path}/close", {"reason": "closing_date"})
    closed = call(personas, "dave", "POST", f"{path}/close", {"reason": "filled"})

    assert published.json()["status"] == "published"
    assert by_date.status_code == 422
    assert (closed.json()["status"], closed.json()["close_reason"]) == ("closed", "filled")


def test_it_lists_only_the_employers_own_vacancies(personas: Any) -> None:
    make_vacancy(personas, title="Bakker")
    make_vacancy(personas, CARE, title="Verzorgende")

    dave = call(personas, "dave", "GET", "/vacancies").json()
    bob = call(personas, "bob", "GET", "/vacancies?status=draft").json()

    assert [item["title"] for item in dave["items"]] == ["Bakker"]
    assert sorted(item["title"] for item in bob["items"]) == ["Bakker", "Verzorgende"]


def test_the_public_feed_needs_no_token_and_shows_only_what_is_published(
    personas: Any,
) -> None:
    organisation = personas.organisations["a"]
    organisation.publishes_vacancies = True
    organisation.save(update_fields=["publishes_vacancies"])
    live = make_vacancy(personas, title="Live")
    make_vacancy(personas, title="Concept")
    with organisation_scope(organisation):
        from passend.vacancies import services

        services.vacancy_publish(vacancy=live, by=None)

    response = Client().get("/api/v1/public/vacancies")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["title"] for item in items] == ["Live"]
    assert items[0]["url"] == f"/jobs/{organisation.slug}/{live.pk}/"
    assert "created_by" not in items[0]


def test_it_takes_an_esco_occupation_by_its_id(personas: Any) -> None:
    from passend.taxonomy.models import Occupation

    baker = Occupation.objects.create(
        uri="http://data.europa.eu/esco/occupation/test-baker", pref_en="baker", pref_nl="bakker"
    )

    created = call(personas, "dave", "POST", "/vacancies", body(occupation_id=baker.pk))

    assert created.status_code == 201, created.content
    assert created.json()["occupation_id"] == baker.pk
