"""Applications in the API (issue 13, part 6): the pages' rules, problem details.

Whoever handles a vacancy sees and moves its applications and keeps notes; a
candidate applies, reads their own in their own words, withdraws and answers
proposals; advisors propose. Another organisation's or company's object is a
404; bad input is a 422 problem and saves nothing.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from passend.api.tests.helpers import make_token, problem
from passend.candidates.models import CandidateProfile
from passend.candidates.services import candidate_profile_ensure
from passend.coaching.models import Appointment
from passend.common.scope import organisation_scope
from passend.documents.models import Document, DocumentKind
from passend.documents.services import document_upload
from passend.privacy.audit.models import AuditEvent
from passend.privacy.restriction.services import restriction_start
from passend.tenancy.models import Membership, Role
from passend.vacancies import services
from passend.vacancies.models import (
    Application,
    ApplicationDocument,
    ApplicationNote,
    PipelineStage,
    Proposal,
    ProposalStatus,
    Stage,
    Vacancy,
)
from passend.vacancies.tests.conftest import BAKERY, CARE, make_vacancy

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def in_a(personas: Any) -> Any:
    return organisation_scope(personas.organisations["a"])


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


def said(response: Any) -> str:
    """Everything a problem document says: its detail and each error's message."""
    document = problem(response)
    return " ".join([document["detail"], *(e["message"] for e in document.get("errors", []))])


def fields(response: Any) -> list[str]:
    """The fields a 422 names: `body.payload.stage` (the schema) and `body.stage`
    (a service) both name `stage`."""
    return [error["location"].rsplit(".", 1)[-1] for error in problem(response).get("errors", [])]


def published(personas: Any, employer: str = BAKERY, **fields: Any) -> Vacancy:
    vacancy = make_vacancy(personas, employer, **fields)
    with in_a(personas):
        return services.vacancy_publish(vacancy=vacancy, by=None)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def carla(personas: Any) -> dict[str, Any]:
    """carla's profile and her CV."""
    with in_a(personas):
        profile = candidate_profile_ensure(membership=personas.memberships["carla"])
        cv = document_upload(candidate=profile, kind=DocumentKind.CV, name="cv.pdf",
                             chunks=[PDF], by=personas.memberships["carla"])  # fmt: skip
    return {"profile": profile, "cv": cv}


@pytest.fixture
def vacancy(personas: Any) -> Vacancy:
    """A published vacancy of dave's company, the bakery."""
    return published(personas, title="Broodbakker")


@pytest.fixture
def applied(personas: Any, carla: dict[str, Any], vacancy: Vacancy) -> Application:
    """carla applied to it with her CV and a motivation."""
    with in_a(personas):
        return services.application_create(
            vacancy=vacancy,
            candidate=carla["profile"],
            motivation="Ik bak al tien jaar brood.",
            documents=[carla["cv"]],
            by=personas.memberships["carla"],
        )


def another_candidate(personas: Any, name: str = "Eva Kok") -> CandidateProfile:
    user = get_user_model().objects.create_user(f"{name.split()[0].lower()}@example.org", "x",
                                                name=name)  # fmt: skip
    with in_a(personas):
        membership = Membership.objects.create(
            organisation=personas.organisations["a"], user=user, role=Role.CANDIDATE
        )
        return candidate_profile_ensure(membership=membership)


# --- The pipeline ---------------------------------------------------------------


def test_whoever_handles_the_vacancy_lists_its_applications_without_the_motivation(
    personas: Any, applied: Application, carla: dict[str, Any]
) -> None:
    path = f"/vacancies/{applied.vacancy_id}/applications"

    dave = call(personas, "dave", "GET", path)
    bob = call(personas, "bob", "GET", path)
    at_interview = call(personas, "bob", "GET", f"{path}?stage=interview")

    assert dave.status_code == 200, dave.content
    [item] = dave.json()["items"]
    assert item["candidate"] == {"id": str(carla["profile"].pk), "name": "Carla Bakker"}
    assert (item["stage"], item["stage_name"], item["source"]) == ("new", "new", "applied")
    assert item["documents"] == [{"id": str(carla["cv"].pk), "kind": "cv", "name": "cv.pdf"}]
    assert item["interview"] is None
    assert "motivation" not in item
    assert "Ik bak" not in dave.content.decode()
    assert bob.json()["count"] == 1
    assert at_interview.json()["count"] == 0


def test_candidates_and_another_organisation_do_not_list_a_vacancys_applications(
    personas: Any, applied: Application
) -> None:
    path = f"/vacancies/{applied.vacancy_id}/applications"

    assert call(personas, "carla", "GET", path).status_code == 403
    assert call(personas, "charlie", "GET", path).status_code == 404


def test_an_employer_does_not_see_another_companys_applications(
    personas: Any, carla: dict[str, Any]
) -> None:
    care = published(personas, CARE, title="Verzorgende IG")
    with in_a(personas):
        application = services.application_create(vacancy=care, candidate=carla["profile"])

    listed = call(personas, "dave", "GET", f"/vacancies/{care.pk}/applications")
    read = call(personas, "dave", "GET", f"/applications/{application.pk}")
    moved = call(personas, "dave", "POST", f"/applications/{application.pk}/move",
                 {"stage": "screening"})  # fmt: skip

    assert (listed.status_code, read.status_code, moved.status_code) == (404, 404, 404)
    problem(moved)
    application.refresh_from_db()
    assert application.stage == Stage.NEW


def test_the_list_runs_the_same_queries_however_many_applications(
    personas: Any, vacancy: Vacancy, applied: Application
) -> None:
    raw = make_token(personas["dave"], personas.organisations["a"])
    path = f"/api/v1/vacancies/{vacancy.pk}/applications"
    headers = {"Authorization": f"Bearer {raw}"}
    Client().get(path, headers=headers)  # warm up whatever is cached per token
    with CaptureQueriesContext(connection) as one:
        Client().get(path, headers=headers)
    for name in ("Eva Kok", "Fenna Dijk", "Gert Bos"):
        with in_a(personas):
            services.application_create(
                vacancy=vacancy, candidate=another_candidate(personas, name)
            )
    with CaptureQueriesContext(connection) as four:
        response = Client().get(path, headers=headers)

    assert response.json()["count"] == 4
    assert len(four) == len(one)


# --- One application ---------------------------------------------------------------


def test_a_handler_reads_the_motivation_and_the_history_with_who_moved_it(
    personas: Any, applied: Application
) -> None:
    call(personas, "bob", "POST", f"/applications/{applied.pk}/move", {"stage": "screening"})

    response = call(personas, "dave", "GET", f"/applications/{applied.pk}")

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["motivation"] == "Ik bak al tien jaar brood."
    assert data["vacancy_title"] == "Broodbakker"
    assert [(e["stage"], e["by_name"]) for e in data["history"]] == [
        ("new", "Carla Bakker"),
        ("screening", "Bob Jansen"),
    ]


def test_the_candidate_reads_her_own_application_in_her_own_words_without_who_did_what(
    personas: Any, applied: Application
) -> None:
    call(personas, "dave", "POST", f"/applications/{applied.pk}/move", {"stage": "interview"})

    response = call(personas, "carla", "GET", f"/applications/{applied.pk}")

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["stage"], data["stage_name"]) == ("interview", "invited for an interview")
    assert [e["stage_name"] for e in data["history"]] == ["received", "invited for an interview"]
    assert all(e["by_name"] is None for e in data["history"])
    assert "Dave Visser" not in response.content.decode()
    assert data["motivation"] == "Ik bak al tien jaar brood."


def test_another_candidates_and_another_organisations_application_is_not_found(
    personas: Any, applied: Application
) -> None:
    other = another_candidate(personas)
    path = f"/applications/{applied.pk}"
    with in_a(personas):
        other_user = other.membership.user

    assert call(personas, "charlie", "GET", path).status_code == 404
    raw = make_token(other_user, personas.organisations["a"])
    response = Client().get(f"/api/v1{path}", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 404
    assert "Carla" not in response.content.decode()


# --- Moving ----------------------------------------------------------------------


def test_it_moves_to_a_stage_of_the_organisations_own_and_shows_its_name(
    personas: Any, applied: Application
) -> None:
    with in_a(personas):
        call_back = services.stage_create(
            organisation_id=personas.organisations["a"].pk, name="Belronde", phase="screening"
        )

    moved = call(personas, "dave", "POST", f"/applications/{applied.pk}/move",
                 {"stage_id": str(call_back.pk)})  # fmt: skip
    listed = call(personas, "dave", "GET", f"/vacancies/{applied.vacancy_id}/applications")

    assert moved.status_code == 200, moved.content
    assert (moved.json()["stage"], moved.json()["stage_name"]) == ("screening", "Belronde")
    assert listed.json()["items"][0]["stage_name"] == "Belronde"


def test_a_rejection_without_a_reason_is_refused_and_a_closed_application_moves_no_more(
    personas: Any, applied: Application
) -> None:
    path = f"/applications/{applied.pk}/move"

    no_reason = call(personas, "bob", "POST", path, {"stage": "rejected"})
    with in_a(personas):
        applied.refresh_from_db()
        assert applied.stage == Stage.NEW
    rejected = call(personas, "bob", "POST", path,
                    {"stage": "rejected", "rejection_reason": "requirements"})  # fmt: skip
    again = call(personas, "bob", "POST", path, {"stage": "interview"})

    assert no_reason.status_code == 422
    assert fields(no_reason) == ["rejection_reason"]
    assert "Say why" in said(no_reason)
    assert rejected.status_code == 200
    assert rejected.json()["closed_at"] is not None
    assert rejected.json()["rejection_reason"] == "requirements"
    assert again.status_code == 422
    assert "closed" in said(again)


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"stage": "withdrawn"}, "stage"),  # the candidate's own step
        ({"stage": "hired", "stage_id": "00000000-0000-0000-0000-000000000000"}, "stage"),
        ({}, "stage"),
        ({"stage_id": "00000000-0000-0000-0000-000000000000"}, "stage_id"),
        ({"stage": "promoted"}, "stage"),
        ({"stage": "rejected", "rejection_reason": "bad mood"}, "rejection_reason"),
    ],
)
def test_it_refuses_a_bad_stage_as_a_problem(
    personas: Any, applied: Application, body: dict[str, Any], location: str
) -> None:
    response = call(personas, "dave", "POST", f"/applications/{applied.pk}/move", body)

    assert response.status_code == 422
    assert location in fields(response)
    with in_a(personas):
        applied.refresh_from_db()
        assert applied.stage == Stage.NEW
        assert applied.events.count() == 1


def test_another_organisations_stage_is_refused(personas: Any, applied: Application) -> None:
    with organisation_scope(personas.organisations["b"]):
        theirs = services.stage_create(
            organisation_id=personas.organisations["b"].pk, name="Sollicitatie", phase="interview"
        )

    response = call(personas, "dave", "POST", f"/applications/{applied.pk}/move",
                    {"stage_id": str(theirs.pk)})  # fmt: skip

    assert response.status_code == 422
    assert fields(response) == ["stage_id"]


def test_the_candidate_does_not_move_her_own_application(
    personas: Any, applied: Application
) -> None:
    response = call(personas, "carla", "POST", f"/applications/{applied.pk}/move",
                    {"stage": "hired"})  # fmt: skip

    assert response.status_code == 404


# --- Notes and interviews ---------------------------------------------------------


def test_notes_are_for_whoever_handles_the_vacancy_and_never_for_the_candidate(
    personas: Any, applied: Application
) -> None:
    path = f"/applications/{applied.pk}/notes"

    added = call(personas, "dave", "POST", path, {"text": "  Sterke ervaring.  "})
    read = call(personas, "bob", "GET", path)
    carla_reads = call(personas, "carla", "GET", path)
    carla_writes = call(personas, "carla", "POST", path, {"text": "Hallo"})
    detail = call(personas, "carla", "GET", f"/applications/{applied.pk}")

    assert added.status_code == 201, added.content
    assert added.json()["text"] == "Sterke ervaring."
    assert [(n["text"], n["author_name"]) for n in read.json()] == [
        ("Sterke ervaring.", "Dave Visser")
    ]
    assert (carla_reads.status_code, carla_writes.status_code) == (404, 404)
    assert "Sterke" not in detail.content.decode()
    with in_a(personas):
        assert ApplicationNote.objects.count() == 1


@pytest.mark.parametrize(("text", "location"), [("", "text"), ("x" * 4001, "text")])
def test_a_note_needs_its_text(
    personas: Any, applied: Application, text: str, location: str
) -> None:
    response = call(personas, "bob", "POST", f"/applications/{applied.pk}/notes", {"text": text})

    assert response.status_code == 422
    assert location in fields(response)
    with in_a(personas):
        assert not ApplicationNote.objects.exists()


def test_an_interview_is_planned_as_an_appointment_and_moves_the_application_there(
    personas: Any, applied: Application
) -> None:
    starts = (timezone.localtime() + timedelta(days=3)).replace(microsecond=0, tzinfo=None)

    response = call(personas, "dave", "POST", f"/applications/{applied.pk}/interview",
                    {"starts_at": starts.isoformat(), "place": "Bakkerij, Utrecht"})  # fmt: skip

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["stage"] == "interview"
    assert data["interview"]["place"] == "Bakkerij, Utrecht"
    assert data["interview"]["with_whom"] == "Bakkerij De Korenaar"
    assert data["interview"]["duration_minutes"] == 45
    with in_a(personas):
        appointment = Appointment.objects.get()
        assert timezone.localtime(appointment.starts_at).replace(tzinfo=None) == starts
    carla = call(personas, "carla", "GET", f"/applications/{applied.pk}").json()
    assert carla["interview"]["place"] == "Bakkerij, Utrecht"


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({}, "place"),  # a place or an online link
        ({"online_link": "http://meet.example.org/x"}, "online_link"),
        ({"place": "Utrecht", "duration_minutes": 1}, "duration_minutes"),
    ],
)
def test_an_interview_without_a_place_or_with_a_bad_value_is_refused(
    personas: Any, applied: Application, body: dict[str, Any], location: str
) -> None:
    starts = (timezone.now() + timedelta(days=3)).isoformat()

    response = call(personas, "bob", "POST", f"/applications/{applied.pk}/interview",
                    {"starts_at": starts, **body})  # fmt: skip

    assert response.status_code == 422
    assert location in fields(response)
    with in_a(personas):
        assert not Appointment.objects.exists()
        applied.refresh_from_db()
        assert applied.stage == Stage.NEW


# --- The candidate: applying, her list, withdrawing ------------------------------


def test_carla_applies_once_with_her_own_cv(
    personas: Any, carla: dict[str, Any], vacancy: Vacancy
) -> None:
    path = f"/vacancies/{vacancy.pk}/applications"
    body = {"motivation": "Ik bak graag.", "document_ids": [str(carla["cv"].pk)]}

    first = call(personas, "carla", "POST", path, body)
    second = call(personas, "carla", "POST", path, body)

    assert first.status_code == 201, first.content
    data = first.json()
    assert (data["stage"], data["stage_name"]) == ("new", "received")
    assert data["documents"] == [{"id": str(carla["cv"].pk), "kind": "cv", "name": "cv.pdf"}]
    assert second.status_code == 422
    assert "applied to this vacancy already" in said(second)
    with in_a(personas):
        assert Application.objects.count() == 1


def test_it_refuses_another_persons_document_and_saves_nothing(
    personas: Any, carla: dict[str, Any], vacancy: Vacancy
) -> None:
    eva = another_candidate(personas)
    with in_a(personas):
        hers = document_upload(candidate=eva, kind=DocumentKind.CV, name="eva.pdf", chunks=[PDF],
                               by=eva.membership)  # fmt: skip

    response = call(personas, "carla", "POST", f"/vacancies/{vacancy.pk}/applications",
                    {"document_ids": [str(carla["cv"].pk), str(hers.pk)]})  # fmt: skip

    assert response.status_code == 422
    assert fields(response) == ["document_ids"]
    assert "own documents" in said(response)
    with in_a(personas):
        assert not Application.objects.exists()


def test_a_closed_vacancy_takes_no_application_and_a_draft_is_not_found(
    personas: Any, carla: dict[str, Any], vacancy: Vacancy
) -> None:
    draft = make_vacancy(personas, title="Concept")
    with in_a(personas):
        services.vacancy_close(vacancy=vacancy, reason="filled", by=None)

    closed = call(personas, "carla", "POST", f"/vacancies/{vacancy.pk}/applications", {})
    unseen = call(personas, "carla", "POST", f"/vacancies/{draft.pk}/applications", {})

    assert closed.status_code == 422
    assert "not open" in said(closed)
    assert unseen.status_code == 404
    with in_a(personas):
        assert not Application.objects.exists()


def test_only_candidates_apply_and_another_organisations_vacancy_is_not_found(
    personas: Any, carla: dict[str, Any], vacancy: Vacancy
) -> None:
    with organisation_scope(personas.organisations["b"]):
        candidate_profile_ensure(membership=personas.memberships["fatima"])
    raw = make_token(personas["fatima"], personas.organisations["b"])

    dave = call(personas, "dave", "POST", f"/vacancies/{vacancy.pk}/applications", {})
    elsewhere = Client().post(
        f"/api/v1/vacancies/{vacancy.pk}/applications",
        "{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )

    assert dave.status_code == 403
    assert elsewhere.status_code == 404
    with in_a(personas):
        assert not Application.objects.exists()


def test_a_candidate_without_a_profile_is_asked_to_fill_it_in_first(
    personas: Any, vacancy: Vacancy
) -> None:
    response = call(personas, "carla", "POST", f"/vacancies/{vacancy.pk}/applications", {})

    assert response.status_code == 422
    assert "profile" in said(response)


def test_my_applications_are_only_her_own_and_only_for_candidates(
    personas: Any, applied: Application, vacancy: Vacancy
) -> None:
    with in_a(personas):
        services.application_create(vacancy=vacancy, candidate=another_candidate(personas))

    mine = call(personas, "carla", "GET", "/me/applications")
    dave = call(personas, "dave", "GET", "/me/applications")

    assert mine.status_code == 200
    [item] = mine.json()["items"]
    assert (item["id"], item["stage_name"]) == (str(applied.pk), "received")
    assert item["employer_name"] == "Bakkerij De Korenaar"
    assert "motivation" not in item
    assert dave.status_code == 403


def test_only_carla_withdraws_her_application_and_only_once(
    personas: Any, applied: Application
) -> None:
    path = f"/applications/{applied.pk}/withdraw"

    dave = call(personas, "dave", "POST", path)
    withdrawn = call(personas, "carla", "POST", path)
    again = call(personas, "carla", "POST", path)

    assert dave.status_code == 404
    assert withdrawn.status_code == 200, withdrawn.content
    assert (withdrawn.json()["stage"], withdrawn.json()["stage_name"]) == (
        "withdrawn",
        "withdrawn by you",
    )
    assert withdrawn.json()["closed_at"] is not None
    assert again.status_code == 422
    assert "closed" in said(again)


# --- Proposals -------------------------------------------------------------------


def test_an_advisor_proposes_and_carla_accepts_with_her_cv(
    personas: Any, carla: dict[str, Any], vacancy: Vacancy
) -> None:
    body = {"candidate_id": str(carla["profile"].pk), "message": "Past bij je."}
    proposed = call(personas, "bob", "POST", f"/vacancies/{vacancy.pk}/proposals", body)
    pending = call(personas, "carla", "GET", "/me/proposals")
    proposal_id = proposed.json()["id"]
    dave_accepts = call(personas, "dave", "POST", f"/proposals/{proposal_id}/accept", {})
    accepted = call(personas, "carla", "POST", f"/proposals/{proposal_id}/accept",
                    {"motivation": "Graag!", "document_ids": [str(carla["cv"].pk)]})  # fmt: skip

    assert proposed.status_code == 201, proposed.content
    assert proposed.json()["status"] == "pending"
    [item] = pending.json()["items"]
    assert (item["vacancy_title"], item["message"], item["proposed_by_name"]) == (
        "Broodbakker",
        "Past bij je.",
        "Bob Jansen",
    )
    assert dave_accepts.status_code == 404
    assert accepted.status_code == 201, accepted.content
    assert (accepted.json()["source"], accepted.json()["motivation"]) == ("proposed", "Graag!")
    assert call(personas, "carla", "GET", "/me/proposals").json()["count"] == 0
    with in_a(personas):
        assert Proposal.objects.get().status == ProposalStatus.ACCEPTED


def test_carla_declines_a_proposal_once(
    personas: Any, carla: dict[str, Any], vacancy: Vacancy
) -> None:
    with in_a(personas):
        proposal = services.proposal_create(
            vacancy=vacancy, candidate=carla["profile"], by=personas.memberships["bob"]
        )
    path = f"/proposals/{proposal.pk}/decline"

    bob = call(personas, "bob", "POST", path)
    declined = call(personas, "carla", "POST", path)
    again = call(personas, "carla", "POST", path)

    assert bob.status_code == 404
    assert declined.status_code == 200, declined.content
    assert declined.json()["status"] == "declined"
    assert again.status_code == 422
    assert "decided already" in said(again)
    with in_a(personas):
        assert not Application.objects.exists()


def test_only_advisors_and_admins_propose(
    personas: Any, carla: dict[str, Any], vacancy: Vacancy
) -> None:
    body = {"candidate_id": str(carla["profile"].pk)}

    dave = call(personas, "dave", "POST", f"/vacancies/{vacancy.pk}/proposals", body)
    carla_herself = call(personas, "carla", "POST", f"/vacancies/{vacancy.pk}/proposals", body)
    charlie = call(personas, "charlie", "POST", f"/vacancies/{vacancy.pk}/proposals", body)

    assert (dave.status_code, carla_herself.status_code, charlie.status_code) == (403, 403, 404)
    with in_a(personas):
        assert not Proposal.objects.exists()


def test_proposing_a_restricted_candidate_is_refused_with_the_gates_message(
    personas: Any, carla: dict[str, Any], vacancy: Vacancy
) -> None:
    carla_membership = personas.memberships["carla"]
    with in_a(personas):
        restriction_start(membership=carla_membership, reason="contests_accuracy",
                          by=carla_membership)  # fmt: skip

    response = call(personas, "bob", "POST", f"/vacancies/{vacancy.pk}/proposals",
                    {"candidate_id": str(carla["profile"].pk)})  # fmt: skip

    assert response.status_code == 422
    assert fields(response) == ["candidate_id"]
    assert "restricted the processing of their data" in said(response)
    with in_a(personas):
        assert not Proposal.objects.exists()


@pytest.mark.parametrize("case", ["unknown", "elsewhere", "applied", "twice", "not_a_candidate"])
def test_it_refuses_a_proposal_that_cannot_be(
    personas: Any, carla: dict[str, Any], vacancy: Vacancy, case: str
) -> None:
    candidate_id = str(carla["profile"].pk)
    if case == "elsewhere":  # fatima, of organisation B: unknown here
        with organisation_scope(personas.organisations["b"]):
            fatima = candidate_profile_ensure(membership=personas.memberships["fatima"])
        candidate_id = str(fatima.pk)
    with in_a(personas):
        if case == "unknown":
            candidate_id = "00000000-0000-0000-0000-000000000000"
        if case == "applied":
            services.application_create(vacancy=vacancy, candidate=carla["profile"])
        if case == "twice":
            services.proposal_create(
                vacancy=vacancy, candidate=carla["profile"], by=personas.memberships["bob"]
            )
        if case == "not_a_candidate":
            bob_profile = CandidateProfile.objects.create(
                organisation=personas.organisations["a"], membership=personas.memberships["bob"]
            )
            candidate_id = str(bob_profile.pk)

    response = call(personas, "alice", "POST", f"/vacancies/{vacancy.pk}/proposals",
                    {"candidate_id": candidate_id})  # fmt: skip

    assert response.status_code == 422
    if case in ("unknown", "elsewhere", "not_a_candidate"):
        assert fields(response) == ["candidate_id"]
        assert "Fatima" not in response.content.decode()
    with in_a(personas):
        assert Proposal.objects.count() == (1 if case == "twice" else 0)


def test_accepting_a_proposal_for_a_closed_vacancy_saves_nothing(
    personas: Any, carla: dict[str, Any], vacancy: Vacancy
) -> None:
    with in_a(personas):
        proposal = services.proposal_create(
            vacancy=vacancy, candidate=carla["profile"], by=personas.memberships["bob"]
        )
        services.vacancy_close(vacancy=vacancy, reason="filled", by=None)

    response = call(personas, "carla", "POST", f"/proposals/{proposal.pk}/accept",
                    {"document_ids": [str(carla["cv"].pk)]})  # fmt: skip

    assert response.status_code == 422
    assert "not open" in said(response)
    with in_a(personas):
        assert Proposal.objects.get().status == ProposalStatus.PENDING
        assert not Application.objects.exists()
        assert Document.objects.count() == 1


# --- Moving several at once --------------------------------------------------------


def test_a_handler_moves_several_applications_at_once_and_a_closed_one_is_skipped(
    personas: Any, applied: Application, vacancy: Vacancy
) -> None:
    with in_a(personas):
        eva = services.application_create(vacancy=vacancy, candidate=another_candidate(personas))
        gert_profile = another_candidate(personas, "Gert Bos")
        gert = services.application_create(vacancy=vacancy, candidate=gert_profile)
        services.application_withdraw(application=gert, by=gert_profile.membership)
        call_back = services.stage_create(
            organisation_id=personas.organisations["a"].pk, name="Belronde", phase="screening"
        )
    ids = [str(applied.pk), str(eva.pk), str(gert.pk)]

    response = call(personas, "dave", "POST", f"/vacancies/{vacancy.pk}/applications/move",
                    {"application_ids": ids, "stage_id": str(call_back.pk)})  # fmt: skip

    assert response.status_code == 200, response.content
    assert response.json() == {"moved": 2, "skipped": 1}
    with in_a(personas):
        moved = Application.objects.filter(step=call_back)
        assert sorted(a.pk for a in moved) == sorted([applied.pk, eva.pk])
        assert {a.stage for a in moved} == {Stage.SCREENING}
        gert.refresh_from_db()
        assert gert.stage == Stage.WITHDRAWN


def test_a_bulk_rejection_without_a_reason_moves_nothing(
    personas: Any, applied: Application, vacancy: Vacancy
) -> None:
    with in_a(personas):
        eva = services.application_create(vacancy=vacancy, candidate=another_candidate(personas))
    path = f"/vacancies/{vacancy.pk}/applications/move"
    ids = [str(applied.pk), str(eva.pk)]

    no_reason = call(personas, "bob", "POST", path, {"application_ids": ids, "stage": "rejected"})
    with in_a(personas):
        assert set(Application.objects.values_list("stage", flat=True)) == {Stage.NEW}
    rejected = call(personas, "bob", "POST", path,
                    {"application_ids": ids, "stage": "rejected",
                     "rejection_reason": "requirements"})  # fmt: skip

    assert no_reason.status_code == 422
    assert fields(no_reason) == ["rejection_reason"]
    assert "Say why" in said(no_reason)
    assert rejected.json() == {"moved": 2, "skipped": 0}
    with in_a(personas):
        assert applied.events.count() == 2
        assert set(Application.objects.values_list("stage", flat=True)) == {Stage.REJECTED}


@pytest.mark.parametrize(
    ("case", "location"),
    [
        ("another_vacancy", "application_ids"),
        ("unknown_application", "application_ids"),
        ("no_applications", "application_ids"),
        ("unknown_stage", "stage_id"),
        ("both", "stage"),
        ("withdrawn", "stage"),
    ],
)
def test_a_bulk_move_that_cannot_be_moves_nothing(
    personas: Any, applied: Application, carla: dict[str, Any], case: str, location: str
) -> None:
    care = published(personas, CARE, title="Verzorgende IG")
    with in_a(personas):
        elsewhere = services.application_create(vacancy=care, candidate=carla["profile"])
    ids = [str(applied.pk)]
    body: dict[str, Any] = {"stage": "screening"}
    if case == "another_vacancy":
        ids.append(str(elsewhere.pk))
    if case == "unknown_application":
        ids.append("00000000-0000-0000-0000-000000000000")
    if case == "no_applications":
        ids = []
    if case == "unknown_stage":
        body = {"stage_id": "00000000-0000-0000-0000-000000000000"}
    if case == "both":
        body = {"stage": "screening", "stage_id": "00000000-0000-0000-0000-000000000000"}
    if case == "withdrawn":
        body = {"stage": "withdrawn"}

    response = call(personas, "alice", "POST", f"/vacancies/{applied.vacancy_id}/applications/move",
                    {"application_ids": ids, **body})  # fmt: skip

    assert response.status_code == 422
    assert location in fields(response)
    with in_a(personas):
        assert set(Application.objects.values_list("stage", flat=True)) == {Stage.NEW}
        assert applied.events.count() == 1


def test_a_bulk_move_is_for_whoever_handles_the_vacancy(
    personas: Any, applied: Application, carla: dict[str, Any]
) -> None:
    care = published(personas, CARE, title="Verzorgende IG")
    with in_a(personas):
        elsewhere = services.application_create(vacancy=care, candidate=carla["profile"])

    def move(who: str, vacancy_id: Any, application: Application) -> Any:
        return call(personas, who, "POST", f"/vacancies/{vacancy_id}/applications/move",
                    {"application_ids": [str(application.pk)], "stage": "screening"})  # fmt: skip

    assert move("carla", applied.vacancy_id, applied).status_code == 403
    assert move("charlie", applied.vacancy_id, applied).status_code == 404
    assert move("dave", care.pk, elsewhere).status_code == 404
    with in_a(personas):
        assert set(Application.objects.values_list("stage", flat=True)) == {Stage.NEW}


# --- The employment's end ------------------------------------------------------------


def test_the_end_of_a_hires_employment_closes_the_application(
    personas: Any, applied: Application
) -> None:
    with in_a(personas):
        services.application_move(
            application=applied, stage=Stage.HIRED, by=personas.memberships["bob"]
        )
    today = timezone.localdate()

    response = call(personas, "dave", "POST", f"/applications/{applied.pk}/employment-end",
                    {"ended_on": today.isoformat()})  # fmt: skip
    again = call(personas, "dave", "POST", f"/applications/{applied.pk}/employment-end",
                 {"ended_on": today.isoformat()})  # fmt: skip

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["stage"], data["motivation"]) == ("hired", "Ik bak al tien jaar brood.")
    assert timezone.localtime(datetime.fromisoformat(data["closed_at"])).date() == today
    assert again.status_code == 422
    assert "Only a hire whose employment runs" in said(again)


@pytest.mark.parametrize(
    ("case", "location"),
    [("not_hired", "body"), ("before_the_hire", "ended_on"), ("in_the_future", "ended_on"),
     ("no_date", "ended_on")],
)  # fmt: skip
def test_an_employment_end_that_cannot_be_is_refused(
    personas: Any, applied: Application, case: str, location: str
) -> None:
    today = timezone.localdate()
    if case != "not_hired":
        with in_a(personas):
            services.application_move(
                application=applied, stage=Stage.HIRED, by=personas.memberships["bob"]
            )
    ended_on: date | None = {
        "before_the_hire": today - timedelta(days=1),
        "in_the_future": today + timedelta(days=1),
        "no_date": None,
    }.get(case, today)
    body = {"ended_on": ended_on.isoformat()} if ended_on else {}

    response = call(personas, "bob", "POST", f"/applications/{applied.pk}/employment-end", body)

    assert response.status_code == 422
    assert fields(response) == [location]
    with in_a(personas):
        applied.refresh_from_db()
        assert applied.closed_at is None


def test_the_candidate_and_another_organisation_do_not_end_an_employment(
    personas: Any, applied: Application
) -> None:
    with in_a(personas):
        services.application_move(
            application=applied, stage=Stage.HIRED, by=personas.memberships["bob"]
        )
    body = {"ended_on": timezone.localdate().isoformat()}
    path = f"/applications/{applied.pk}/employment-end"

    assert call(personas, "carla", "POST", path, body).status_code == 404
    assert call(personas, "charlie", "POST", path, body).status_code == 404
    with in_a(personas):
        applied.refresh_from_db()
        assert applied.closed_at is None


# --- The documents included ------------------------------------------------------------


def test_a_handler_downloads_an_included_document_and_the_read_is_audited(
    personas: Any, applied: Application, carla: dict[str, Any]
) -> None:
    response = call(personas, "dave", "GET",
                    f"/applications/{applied.pk}/documents/{carla['cv'].pk}")  # fmt: skip

    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "cv.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    with in_a(personas):
        read = AuditEvent.objects.get(target_id=str(carla["cv"].pk), action="read")
    assert read.actor_user_id == personas["dave"].pk


def test_a_document_not_included_or_not_theirs_is_not_found(
    personas: Any, applied: Application, carla: dict[str, Any]
) -> None:
    with in_a(personas):
        letter = document_upload(candidate=carla["profile"], kind=DocumentKind.CV,
                                 name="brief.pdf", chunks=[PDF],
                                 by=personas.memberships["carla"])  # fmt: skip
    cv = f"/applications/{applied.pk}/documents/{carla['cv'].pk}"

    not_included = call(personas, "dave", "GET",
                        f"/applications/{applied.pk}/documents/{letter.pk}")  # fmt: skip
    carla_herself = call(personas, "carla", "GET", cv)
    charlie = call(personas, "charlie", "GET", cv)
    with in_a(personas):
        ApplicationDocument.objects.filter(application=applied).delete()
    no_longer = call(personas, "dave", "GET", cv)

    assert not_included.status_code == 404
    assert carla_herself.status_code == 404
    assert charlie.status_code == 404
    assert no_longer.status_code == 404
    problem(no_longer)
    with in_a(personas):
        assert not AuditEvent.objects.filter(action="read").exists()


# --- The organisation's stages ---------------------------------------------------------


def test_whoever_handles_vacancies_reads_the_default_stages_and_a_candidate_does_not(
    personas: Any,
) -> None:
    dave = call(personas, "dave", "GET", "/pipeline/stages")
    carla = call(personas, "carla", "GET", "/pipeline/stages")

    assert dave.status_code == 200, dave.content
    assert [(s["id"], s["key"], s["phase"], s["position"]) for s in dave.json()] == [
        (None, phase, phase, number)
        for number, phase in enumerate(
            ["new", "screening", "interview", "offer", "hired", "rejected"]
        )
    ]
    assert dave.json()[0]["name"] == "New"
    assert carla.status_code == 403
    with in_a(personas):
        assert not PipelineStage.objects.exists()


def test_an_admin_adds_a_stage_last_of_its_meaning_and_the_defaults_are_written_down(
    personas: Any,
) -> None:
    added = call(personas, "alice", "POST", "/pipeline/stages",
                 {"name": "  Belronde ", "phase": "screening"})  # fmt: skip
    read = call(personas, "bob", "GET", "/pipeline/stages")

    assert added.status_code == 201, added.content
    stage = added.json()
    assert (stage["name"], stage["phase"], stage["position"]) == ("Belronde", "screening", 2)
    assert stage["key"] == stage["id"]
    assert [s["name"] for s in read.json()] == [
        "New", "Screening", "Belronde", "Interview", "Offer", "Hired", "Rejected"
    ]  # fmt: skip
    assert all(s["id"] is not None and s["key"] == s["id"] for s in read.json())


def test_an_admin_renames_a_default_stage_by_its_meaning_and_moves_a_stage_up(
    personas: Any,
) -> None:
    renamed = call(personas, "alice", "PATCH", "/pipeline/stages/screening",
                   {"name": "Eerste blik"})  # fmt: skip
    with in_a(personas):
        call_back = services.stage_create(
            organisation_id=personas.organisations["a"].pk, name="Belronde", phase="screening"
        )
    moved = call(personas, "alice", "PATCH", f"/pipeline/stages/{call_back.pk}", {"move": "up"})
    beyond = call(personas, "alice", "PATCH", f"/pipeline/stages/{call_back.pk}", {"move": "up"})
    stages = call(personas, "dave", "GET", "/pipeline/stages").json()

    assert renamed.status_code == 200, renamed.content
    assert (renamed.json()["name"], renamed.json()["phase"]) == ("Eerste blik", "screening")
    assert renamed.json()["id"] is not None
    assert moved.status_code == 200, moved.content
    assert (moved.json()["name"], moved.json()["position"]) == ("Belronde", 1)
    assert beyond.json()["position"] == 1  # the first of its meaning: "new" stays first
    assert [s["name"] for s in stages][:3] == ["New", "Belronde", "Eerste blik"]


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"name": "Interview", "phase": "screening"}, "name"),  # taken already
        ({"name": "  ", "phase": "screening"}, "name"),
        ({"name": "x" * 61, "phase": "screening"}, "name"),
        ({"name": "Teruggetrokken", "phase": "withdrawn"}, "phase"),  # the candidate's own
        ({"name": "Assessment", "phase": "promoted"}, "phase"),
    ],
)
def test_a_stage_that_cannot_be_is_refused_and_nothing_is_written_down(
    personas: Any, body: dict[str, Any], location: str
) -> None:
    response = call(personas, "alice", "POST", "/pipeline/stages", body)

    assert response.status_code == 422
    assert location in fields(response)
    with in_a(personas):
        assert not PipelineStage.objects.exists()


def test_renaming_to_a_name_taken_already_is_refused(personas: Any) -> None:
    response = call(personas, "alice", "PATCH", "/pipeline/stages/offer", {"name": "Hired"})

    assert response.status_code == 422
    assert fields(response) == ["name"]
    assert "already" in said(response)


def test_only_admins_change_the_stages(personas: Any) -> None:
    added = call(personas, "bob", "POST", "/pipeline/stages",
                 {"name": "Belronde", "phase": "screening"})  # fmt: skip
    renamed = call(personas, "dave", "PATCH", "/pipeline/stages/screening", {"name": "Blik"})
    removed = call(personas, "carla", "DELETE", "/pipeline/stages/offer")

    assert (added.status_code, renamed.status_code, removed.status_code) == (403, 403, 403)
    assert "administrator" in said(added)
    with in_a(personas):
        assert not PipelineStage.objects.exists()


def test_an_unknown_key_and_another_organisations_stage_are_not_found(personas: Any) -> None:
    with organisation_scope(personas.organisations["b"]):
        theirs = services.stage_create(
            organisation_id=personas.organisations["b"].pk, name="Sollicitatie", phase="interview"
        )

    unknown = call(personas, "alice", "PATCH", "/pipeline/stages/promoted", {"name": "Blik"})
    withdrawn = call(personas, "alice", "DELETE", "/pipeline/stages/withdrawn")
    elsewhere = call(personas, "alice", "PATCH", f"/pipeline/stages/{theirs.pk}",
                     {"name": "Blik"})  # fmt: skip
    removed = call(personas, "alice", "DELETE", f"/pipeline/stages/{theirs.pk}")

    assert [r.status_code for r in (unknown, withdrawn, elsewhere, removed)] == [404] * 4
    assert "Sollicitatie" not in elsewhere.content.decode()
    with in_a(personas):
        assert not PipelineStage.objects.exists()  # nothing written down for a 404
    with organisation_scope(personas.organisations["b"]):
        assert PipelineStage.objects.get(pk=theirs.pk).name == "Sollicitatie"


def test_an_admin_removes_an_empty_stage(personas: Any) -> None:
    response = call(personas, "alice", "DELETE", "/pipeline/stages/offer")
    stages = call(personas, "alice", "GET", "/pipeline/stages").json()

    assert response.status_code == 204, response.content
    assert [s["phase"] for s in stages] == ["new", "screening", "interview", "hired", "rejected"]


@pytest.mark.parametrize("phase", ["new", "hired", "rejected"])
def test_the_last_stage_meaning_new_hired_or_rejected_is_not_removed(
    personas: Any, phase: str
) -> None:
    response = call(personas, "alice", "DELETE", f"/pipeline/stages/{phase}")

    assert response.status_code == 422
    assert "rename this one instead" in said(response)
    stages = call(personas, "alice", "GET", "/pipeline/stages").json()
    assert [s["phase"] for s in stages].count(phase) == 1


def test_a_stage_holding_open_applications_is_not_removed(
    personas: Any, applied: Application
) -> None:
    with in_a(personas):
        call_back = services.stage_create(
            organisation_id=personas.organisations["a"].pk, name="Belronde", phase="screening"
        )
        services.application_move(application=applied, step=call_back, by=None)

    response = call(personas, "alice", "DELETE", f"/pipeline/stages/{call_back.pk}")

    assert response.status_code == 422
    assert "Applications are in this stage" in said(response)
    with in_a(personas):
        assert PipelineStage.objects.filter(pk=call_back.pk).exists()
