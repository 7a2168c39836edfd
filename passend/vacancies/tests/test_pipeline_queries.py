"""The pipeline page's cost (issue 13, Performance): the same number of queries
however many applications a vacancy has, with everything a card shows
(included documents, notes, the interview, the organisation's own stages);
benchmarks/bench_pipeline.py measures 2,000. Another company's employer gets
a 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import client_for
from passend.candidates.services import candidate_profile_ensure
from passend.common.scope import organisation_scope
from passend.documents.models import Document, DocumentKind
from passend.documents.services import document_upload
from passend.tenancy.models import Membership, Role
from passend.vacancies import services
from passend.vacancies.models import ApplicationDocument, PipelineStage, Vacancy
from passend.vacancies.tests.conftest import CARE, make_vacancy

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture
def vacancy(personas: Any, settings: Any, tmp_path: Any) -> Vacancy:
    settings.MEDIA_ROOT = str(tmp_path)
    with organisation_scope(personas.organisations["a"]):
        return services.vacancy_publish(vacancy=make_vacancy(personas), by=None)


@pytest.fixture
def own_stage(personas: Any) -> PipelineStage:
    """A stage of the organisation's own ("Phone call", within screening); the
    defaults are written down with it."""
    with organisation_scope(personas.organisations["a"]):
        return services.stage_create(
            organisation_id=personas.organisations["a"].pk, name="Phone call", phase="screening"
        )


def add_applications(personas: Any, vacancy: Vacancy, stage: PipelineStage, numbers: range) -> None:
    """Applications of every kind a card shows, in turn: with a CV, a note and an
    interview; at the organisation's own stage; rejected; withdrawn; new."""
    organisation = personas.organisations["a"]
    bob = personas.memberships["bob"]
    user_model = get_user_model()
    with organisation_scope(organisation):
        for number in numbers:
            user = user_model.objects.create_user(
                f"sollicitant-{number}@passend.test", "x", name=f"Sollicitant {number:02d}"
            )
            membership = Membership.objects.create(
                organisation=organisation, user=user, role=Role.CANDIDATE
            )
            profile = candidate_profile_ensure(membership=membership)
            kind = number % 5
            documents = []
            if kind == 0:
                documents = [
                    document_upload(
                        candidate=profile,
                        kind=DocumentKind.CV,
                        name="cv.pdf",
                        chunks=[PDF],
                        by=membership,
                    )
                ]
            application = services.application_create(
                vacancy=vacancy, candidate=profile, documents=documents
            )
            if kind == 0:
                services.application_note_add(application=application, by=bob, text="Sterk.")
                services.application_interview_schedule(
                    application=application,
                    by=bob,
                    starts_at=timezone.now() + timedelta(days=3),
                    place="De bakkerij",
                )
            elif kind == 1:
                services.application_move(application=application, step=stage, by=bob)
            elif kind == 2:
                services.application_move(
                    application=application, stage="rejected", rejection_reason="filled", by=bob
                )
            elif kind == 3:
                services.application_withdraw(application=application, by=membership)


@pytest.mark.parametrize("persona", ["dave", "bob"])
def test_the_pipeline_runs_the_same_queries_for_5_and_for_30_applications(
    personas: Any, as_persona: Any, vacancy: Vacancy, own_stage: PipelineStage, persona: str
) -> None:
    """Five cards show every kind once (documents, a note and the interview;
    an own stage; rejected; withdrawn; new); thirty show each six times."""
    client = as_persona(persona, "a")
    url = f"/vacancies/{vacancy.pk}/applications/"
    add_applications(personas, vacancy, own_stage, range(5))
    client.get(url)  # the session and the language, once
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="pipeline-card"') == 5

    add_applications(personas, vacancy, own_stage, range(5, 30))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="pipeline-card"') == 30
    # Every kind of card is on the page: what it shows costs no query of its own.
    assert "Phone call" in body
    assert "Interview:" in body
    assert ">CV</a>" in body
    assert "1 note" in body
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_it_shows_more_than_a_thousand_included_documents(
    personas: Any, as_persona: Any, vacancy: Vacancy
) -> None:
    """Past a thousand documents, prefetching `attachments__document` failed on
    SQLite under Django 5.2 ("Expression tree is too large"): the documents
    now come joined to their rows."""
    organisation = personas.organisations["a"]
    with organisation_scope(organisation):
        profile = candidate_profile_ensure(membership=personas.memberships["carla"])
        application = services.application_create(vacancy=vacancy, candidate=profile)
        documents = Document.objects.bulk_create(
            Document(
                organisation=organisation,
                candidate=profile,
                kind=DocumentKind.CV,
                file=f"documents/{organisation.pk}/cv-{number}",
                original_name="cv.pdf",
                content_type="application/pdf",
                size=len(PDF),
                sha256="0" * 64,
            )
            for number in range(1001)
        )
        ApplicationDocument.objects.bulk_create(
            ApplicationDocument(organisation=organisation, application=application, document=d)
            for d in documents
        )

    response = as_persona("dave", "a").get(f"/vacancies/{vacancy.pk}/applications/")

    assert response.status_code == 200
    assert response.content.decode().count(">CV</a>") == 1001


def test_an_employer_of_another_company_gets_a_404(personas: Any, vacancy: Vacancy) -> None:
    """The care group's contact, in the same organisation, and an employer of
    another organisation, do not see the bakery's pipeline; dave does."""
    organisation = personas.organisations["a"]
    user = get_user_model().objects.create_user("eva@passend.test", "x", name="Eva Smit")
    with organisation_scope(organisation):
        Membership.objects.create(
            organisation=organisation,
            user=user,
            role=Role.EMPLOYER,
            employer=personas.employers[CARE],
        )
    url = f"/vacancies/{vacancy.pk}/applications/"

    assert client_for(user, organisation).get(url).status_code == 404
    assert client_for(personas["gijs"], personas.organisations["b"]).get(url).status_code == 404
    # dave's company is the bakery.
    assert client_for(personas["dave"], organisation).get(url).status_code == 200
