"""The public job pages (issue 13, part 2): published vacancies of the
organisations that opted in, for anyone, with JobPosting data and a feed."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from passend.common.scope import organisation_scope
from passend.vacancies import services
from passend.vacancies.models import Vacancy
from passend.vacancies.tests.conftest import make_vacancy

pytestmark = pytest.mark.django_db


def publish(personas: Any, vacancy: Vacancy) -> Vacancy:
    with organisation_scope(personas.organisations["a"]):
        return services.vacancy_publish(vacancy=vacancy, by=None)


@pytest.fixture
def publishing(personas: Any) -> Any:
    organisation = personas.organisations["a"]
    organisation.publishes_vacancies = True
    organisation.save(update_fields=["publishes_vacancies"])
    return organisation


def test_anyone_reads_the_published_vacancies_of_an_organisation_that_publishes(
    personas: Any, publishing: Any
) -> None:
    published = publish(personas, make_vacancy(personas, title="Broodbakker",
                                                description="**Vers** brood"))  # fmt: skip
    make_vacancy(personas, title="Nog een concept")

    listed = Client().get("/jobs/")
    of_org = Client().get(f"/jobs/{publishing.slug}/")
    detail = Client().get(f"/jobs/{publishing.slug}/{published.pk}/")

    for response in (listed, of_org, detail):
        assert response.status_code == 200
        assert "Broodbakker" in response.content.decode()
        assert "Nog een concept" not in response.content.decode()
        assert response["Cache-Control"] == "private, max-age=300"
    assert "<strong>Vers</strong>" in detail.content.decode()
    # Nothing about who wrote it.
    assert "Bob Jansen" not in detail.content.decode()


def test_it_shows_nothing_of_an_organisation_that_does_not_publish(personas: Any) -> None:
    vacancy = publish(personas, make_vacancy(personas))
    slug = personas.organisations["a"].slug

    assert "Bakker" not in Client().get("/jobs/").content.decode()
    assert Client().get(f"/jobs/{slug}/").status_code == 404
    assert Client().get(f"/jobs/{slug}/{vacancy.pk}/").status_code == 404
    assert Client().get(f"/jobs/{slug}/feed.atom").status_code == 404


def test_a_draft_or_closed_vacancy_or_another_organisations_slug_is_not_found(
    personas: Any, publishing: Any
) -> None:
    draft = make_vacancy(personas)
    closed = publish(personas, make_vacancy(personas, title="Dicht"))
    with organisation_scope(publishing):
        services.vacancy_close(vacancy=closed, reason="filled", by=None)
    other = personas.organisations["b"]
    other.publishes_vacancies = True
    other.save(update_fields=["publishes_vacancies"])
    live = publish(personas, make_vacancy(personas, title="Open"))

    assert Client().get(f"/jobs/{publishing.slug}/{draft.pk}/").status_code == 404
    assert Client().get(f"/jobs/{publishing.slug}/{closed.pk}/").status_code == 404
    # The right vacancy under another organisation's address: not found.
    assert Client().get(f"/jobs/{other.slug}/{live.pk}/").status_code == 404
    assert Client().get("/jobs/nobody/").status_code == 404


def test_the_detail_page_carries_schema_org_job_posting_data(
    personas: Any, publishing: Any
) -> None:
    vacancy = publish(
        personas,
        make_vacancy(
            personas,
            title="Bakker </script><script>alert(1)</script>",
            city="Utrecht",
            postcode="3511 AB",
            salary_min=2400,
            salary_max=2900,
            salary_period="month",
            work_mode="remote",
        ),
    )

    html = Client().get(f"/jobs/{publishing.slug}/{vacancy.pk}/").content.decode()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)

    assert found is not None
    posting = json.loads(found.group(1))
    assert posting["@type"] == "JobPosting"
    assert posting["title"] == "Bakker </script><script>alert(1)</script>"
    assert posting["hiringOrganization"]["name"] == "Bakkerij De Korenaar"
    assert posting["jobLocation"]["address"]["postalCode"] == "3511 AB"
    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue", "unitText": "MONTH", "minValue": 2400.0, "maxValue": 2900.0
    }  # fmt: skip
    assert posting["validThrough"].startswith(vacancy.closing_date.isoformat())
    assert "<script>alert(1)</script>" not in html


def test_it_offers_an_atom_feed_of_all_and_of_one_organisation(
    personas: Any, publishing: Any
) -> None:
    vacancy = publish(personas, make_vacancy(personas, title="Broodbakker"))

    for path in ("/jobs/feed.atom", f"/jobs/{publishing.slug}/feed.atom"):
        response = Client().get(path)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        body = response.content.decode()
        assert "Broodbakker — Bakkerij De Korenaar" in body
        assert f"/jobs/{publishing.slug}/{vacancy.pk}/" in body


def test_a_signed_in_person_gets_no_cacheable_page(
    personas: Any, publishing: Any, as_persona: Any
) -> None:
    response = as_persona("carla", "a").get("/jobs/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_public_list_runs_the_same_queries_however_long_the_page(
    personas: Any, publishing: Any
) -> None:
    for number in range(3):
        publish(personas, make_vacancy(personas, title=f"Vacature {number}"))
    Client().get("/jobs/")
    with CaptureQueriesContext(connection) as few:
        Client().get("/jobs/")
    for number in range(3, 25):
        publish(personas, make_vacancy(personas, title=f"Vacature {number}"))
    with CaptureQueriesContext(connection) as many:
        Client().get("/jobs/")

    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_managers_page_links_to_the_public_page_once_published(
    personas: Any, publishing: Any, as_persona: Any
) -> None:
    vacancy = make_vacancy(personas)
    public_link = f'href="/jobs/{publishing.slug}/{vacancy.pk}/"'
    dave = as_persona("dave", "a")

    assert public_link not in dave.get(f"/vacancies/{vacancy.pk}/").content.decode()
    publish(personas, vacancy)
    assert public_link in dave.get(f"/vacancies/{vacancy.pk}/").content.decode()


def test_the_lists_total_is_cached_until_a_vacancy_is_published_or_closed(
    personas: Any, publishing: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from passend.vacancies import public

    first = make_vacancy(personas, title="Eerste")
    second = make_vacancy(personas, title="Tweede")
    with django_capture_on_commit_callbacks(execute=True):
        publish(personas, first)
    assert public.published_count(publishing) == 1

    with django_capture_on_commit_callbacks(execute=True):
        publish(personas, second)
    assert public.published_count(publishing) == 2
    assert "2 vacancies" in Client().get(f"/jobs/{publishing.slug}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True), organisation_scope(publishing):
        services.vacancy_close(vacancy=second, reason="filled", by=None)
    assert public.published_count(publishing) == 1


def test_an_organisation_that_stops_publishing_leaves_the_list_at_once(
    personas: Any, publishing: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        publish(personas, make_vacancy(personas, title="Broodbakker"))
    assert "Broodbakker" in Client().get("/jobs/").content.decode()  # now in the cache

    with django_capture_on_commit_callbacks(execute=True):
        publishing.publishes_vacancies = False
        publishing.save(update_fields=["publishes_vacancies"])

    assert "Broodbakker" not in Client().get("/jobs/").content.decode()


def test_the_page_links_keep_each_visitors_own_query_string(personas: Any, publishing: Any) -> None:
    for number in range(21):
        publish(personas, make_vacancy(personas, title=f"Vacature {number}"))

    Client().get("/jobs/?from=first")  # the rows are cached now
    second = Client().get("/jobs/?from=second").content.decode()

    assert "from=second" in second
    assert "from=first" not in second
