"""The API's authorisation matrix: every operation x every kind of caller.

Callers: anonymous, each role in organisation A (alice admin, bob career
advisor, dave employer, carla candidate) and charlie, admin of organisation
B, each once with a personal access token and once with the browser session.
A new operation without a row fails `test_it_has_a_row_for_every_operation`.
Charlie works in B: whatever he may see, nothing of A may appear in it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from conftest import client_for
from passend.api.api import api_operations
from passend.api.tests.helpers import make_token, problem
from passend.common.scope import organisation_scope
from passend.vacancies import services as vacancy_services
from tests.test_authorisation_matrix import objects_of_a

ANON, ADMIN, PRO, EMP, CAND, OTHER = (
    "anon",
    "admin",
    "professional",
    "employer",
    "candidate",
    "other",
)
VISITORS = [ANON, ADMIN, PRO, EMP, CAND, OTHER]
PERSONA = {ADMIN: ("alice", "a"), PRO: ("bob", "a"), EMP: ("dave", "a"), CAND: ("carla", "a")}
PERSONA[OTHER] = ("charlie", "b")


def signed_in(status: int) -> dict[str, int]:
    return {ANON: 401, **dict.fromkeys([ADMIN, PRO, EMP, CAND, OTHER], status)}


def admins(status: int = 200, others: int = 403) -> dict[str, int]:
    return {ANON: 401, ADMIN: status, PRO: others, EMP: others, CAND: others, OTHER: status}


A_ONLY_WITH_SHARE = {ANON: 401, ADMIN: 200, PRO: 200, EMP: 200, CAND: 200, OTHER: 404}
COACHING_READ = {ANON: 401, ADMIN: 200, PRO: 200, EMP: 404, CAND: 200, OTHER: 404}
# Candidates' own collections (403 for other roles) and their own objects (404).
CANDIDATES = {ANON: 401, ADMIN: 403, PRO: 403, EMP: 403, CAND: 200, OTHER: 403}
CANDIDATE_ONLY = {ANON: 401, ADMIN: 404, PRO: 404, EMP: 404, CAND: 200, OTHER: 404}

MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("GET", "/api/v1/me"): signed_in(200),
    ("GET", "/api/v1/memberships"): signed_in(200),
    ("GET", "/api/v1/organisation"): signed_in(200),
    ("GET", "/api/v1/organisation/members"): admins(),
    # Candidate profiles; {candidate_id} is carla's, shared with dave's company.
    ("GET", "/api/v1/candidates/me"): {
        ANON: 401,
        ADMIN: 403,
        PRO: 403,
        EMP: 403,
        CAND: 200,
        OTHER: 403,
    },
    ("PATCH", "/api/v1/candidates/me"): signed_in(422),
    ("GET", "/api/v1/candidates"): {
        ANON: 401,
        ADMIN: 200,
        PRO: 200,
        EMP: 403,
        CAND: 403,
        OTHER: 200,
    },
    ("GET", "/api/v1/candidates/{candidate_id}"): A_ONLY_WITH_SHARE,
    ("GET", "/api/v1/candidates/{candidate_id}/sections/{kind}"): A_ONLY_WITH_SHARE,
    # Coaching: never for employers; another organisation's candidate is 404.
    ("GET", "/api/v1/coaching/caseload"): {
        ANON: 401,
        ADMIN: 200,
        PRO: 200,
        EMP: 403,
        CAND: 403,
        OTHER: 200,
    },
    **{
        ("GET", f"/api/v1/coaching/candidates/{{candidate_id}}/{part}"): COACHING_READ
        for part in ("trajectories", "tasks", "notes", "appointments", "timeline")
    },
    # Writes without a body fail validation before anything is looked up; their
    # access rules are tested with real bodies in passend/coaching/tests.
    **{
        ("POST", f"/api/v1/coaching/candidates/{{candidate_id}}/{part}"): signed_in(422)
        for part in ("trajectories", "notes", "appointments")
    },
    ("POST", "/api/v1/coaching/trajectories/{trajectory_id}/tasks"): signed_in(422),
    ("PATCH", "/api/v1/coaching/tasks/{task_id}"): signed_in(422),
    # Documents: {document_id} is carla's CV.
    ("GET", "/api/v1/documents/"): {
        ANON: 401,
        ADMIN: 404,
        PRO: 404,
        EMP: 404,
        CAND: 200,
        OTHER: 404,
    },
    ("POST", "/api/v1/documents/"): signed_in(422),
    ("GET", "/api/v1/documents/{document_id}"): A_ONLY_WITH_SHARE,
    ("GET", "/api/v1/documents/{document_id}/download"): A_ONLY_WITH_SHARE,
    ("DELETE", "/api/v1/documents/{document_id}"): {
        ANON: 401,
        ADMIN: 204,
        PRO: 204,
        EMP: 403,
        CAND: 204,
        OTHER: 404,
    },
    # Vacancies: advisors and admins every one of the organisation, dave his
    # company's ({vacancy_id}, published); candidates none; charlie 404 for A's.
    ("GET", "/api/v1/vacancies"): {
        ANON: 401,
        ADMIN: 200,
        PRO: 200,
        EMP: 200,
        CAND: 403,
        OTHER: 200,
    },
    ("POST", "/api/v1/vacancies"): signed_in(422),
    # Matching (issue 14): every signed-in caller normalises a title; advisors
    # and admins rank; a candidate reads their own vacancies.
    ("GET", "/api/v1/matching/normalise"): signed_in(200),
    ("GET", "/api/v1/matching/vacancies/{vacancy_id}/candidates"): {
        ANON: 401,
        ADMIN: 200,
        PRO: 200,
        EMP: 403,
        CAND: 403,
        OTHER: 404,
    },
    ("GET", "/api/v1/matching/candidates/{candidate_id}/vacancies"): {
        ANON: 401,
        ADMIN: 200,
        PRO: 200,
        EMP: 403,
        CAND: 403,
        OTHER: 404,
    },
    ("GET", "/api/v1/matching/me/vacancies"): CANDIDATES,
    ("GET", "/api/v1/vacancies/{vacancy_id}"): {
        ANON: 401,
        ADMIN: 200,
        PRO: 200,
        EMP: 200,
        CAND: 403,
        OTHER: 404,
    },
    # Published already: publishing again is refused.
    ("POST", "/api/v1/vacancies/{vacancy_id}/publish"): {
        ANON: 401,
        ADMIN: 422,
        PRO: 422,
        EMP: 422,
        CAND: 403,
        OTHER: 404,
    },
    ("POST", "/api/v1/vacancies/{vacancy_id}/close"): signed_in(422),
    # Applications: {application_id} is carla's, to dave's vacancy; {proposal_id}
    # a proposal to carla waiting for her answer. Whoever handles the vacancy
    # sees and moves it and keeps notes; carla sees her own, withdraws and
    # answers; everyone else's is a 404, and charlie finds nothing of A. Writes
    # with a body are a 422 without one; passend/vacancies/tests/
    # test_api_applications.py tests their access with real bodies.
    ("GET", "/api/v1/vacancies/{vacancy_id}/applications"): {
        ANON: 401,
        ADMIN: 200,
        PRO: 200,
        EMP: 200,
        CAND: 403,
        OTHER: 404,
    },
    ("POST", "/api/v1/vacancies/{vacancy_id}/applications"): signed_in(422),
    ("POST", "/api/v1/vacancies/{vacancy_id}/applications/move"): signed_in(422),
    ("POST", "/api/v1/vacancies/{vacancy_id}/proposals"): signed_in(422),
    ("GET", "/api/v1/applications/{application_id}"): {
        ANON: 401,
        ADMIN: 200,
        PRO: 200,
        EMP: 200,
        CAND: 200,
        OTHER: 404,
    },
    ("POST", "/api/v1/applications/{application_id}/move"): signed_in(422),
    ("GET", "/api/v1/applications/{application_id}/notes"): {
        ANON: 401,
        ADMIN: 200,
        PRO: 200,
        EMP: 200,
        CAND: 404,
        OTHER: 404,
    },
    ("POST", "/api/v1/applications/{application_id}/notes"): signed_in(422),
    ("POST", "/api/v1/applications/{application_id}/interview"): signed_in(422),
    ("POST", "/api/v1/applications/{application_id}/employment-end"): signed_in(422),
    # {document_id} is carla's CV, included in the application.
    ("GET", "/api/v1/applications/{application_id}/documents/{document_id}"): {
        ANON: 401,
        ADMIN: 200,
        PRO: 200,
        EMP: 200,
        CAND: 404,
        OTHER: 404,
    },
    ("POST", "/api/v1/applications/{application_id}/withdraw"): CANDIDATE_ONLY,
    ("GET", "/api/v1/me/applications"): CANDIDATES,
    ("GET", "/api/v1/me/proposals"): CANDIDATES,
    ("POST", "/api/v1/proposals/{proposal_id}/accept"): signed_in(422),
    ("POST", "/api/v1/proposals/{proposal_id}/decline"): CANDIDATE_ONLY,
    # The organisation's pipeline stages: whoever handles vacancies reads them
    # (charlie his own organisation's), only admins change them. {stage_key} is
    # A's "screening", written down and empty: alice removes it.
    ("GET", "/api/v1/pipeline/stages"): {
        ANON: 401,
        ADMIN: 200,
        PRO: 200,
        EMP: 200,
        CAND: 403,
        OTHER: 200,
    },
    ("POST", "/api/v1/pipeline/stages"): signed_in(422),
    ("PATCH", "/api/v1/pipeline/stages/{stage_key}"): signed_in(422),
    ("DELETE", "/api/v1/pipeline/stages/{stage_key}"): {
        ANON: 401,
        ADMIN: 204,
        PRO: 403,
        EMP: 403,
        CAND: 403,
        OTHER: 404,
    },
    # The public feed: anyone, no token; A publishes, so its name is in it by choice.
    ("GET", "/api/v1/public/vacancies"): dict.fromkeys(VISITORS, 200),
    # The ESCO taxonomy: reference data for everyone signed in.
    # A search needs its q; without one it is a 422 for everyone signed in.
    ("GET", "/api/v1/taxonomy/occupations"): signed_in(422),
    ("GET", "/api/v1/taxonomy/skills"): signed_in(422),
    ("GET", "/api/v1/taxonomy/occupations/{occupation_id}"): signed_in(200),
}

CASES = [
    (method, path, visitor, how)
    for method, path in MATRIX
    for visitor in VISITORS
    for how in (["token", "session"] if visitor != ANON else ["none"])
]


def test_it_has_a_row_for_every_operation(db: Any) -> None:
    assert sorted(MATRIX) == api_operations()


def fill(path: str, objects: dict[str, Any]) -> str:
    """Put organisation A's objects into the path: the matrix asks about real rows."""
    values = {
        "candidate_id": objects["candidate"].pk,
        "trajectory_id": objects["trajectory"].pk,
        "task_id": objects["task"].pk,
        "document_id": objects["document"].pk,
        "occupation_id": objects["occupation"].pk,
        "vacancy_id": objects["vacancy"].pk,
        "application_id": objects["application"].pk,
        "proposal_id": objects["proposal"].pk if "proposal" in objects else "",
        "stage_key": objects["stage"].pk,
        "kind": "work",
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def proposal_to_carla(personas: Any, objects: dict[str, Any]) -> Any:
    """bob proposes carla for a second vacancy of dave's company (she applied to the first)."""
    with organisation_scope(personas.organisations["a"]):
        vacancy = vacancy_services.vacancy_create(
            employer=objects["vacancy"].employer,
            by=personas.memberships["bob"],
            title="Matrix proposal",
            hours_per_week=24,
        )
        vacancy = vacancy_services.vacancy_publish(vacancy=vacancy, by=None)
        return vacancy_services.proposal_create(
            vacancy=vacancy, candidate=objects["candidate"], by=personas.memberships["bob"]
        )


def call(personas: Any, method: str, path: str, visitor: str, how: str) -> Any:
    objects = objects_of_a(personas)
    if "{proposal_id}" in path:
        objects["proposal"] = proposal_to_carla(personas, objects)
    path = fill(path, objects)
    if visitor == ANON:
        return Client().generic(method, path)
    key, org_key = PERSONA[visitor]
    user, organisation = personas[key], personas.organisations[org_key]
    if how == "token":
        raw = make_token(user, organisation)
        return Client().generic(method, path, headers={"Authorization": f"Bearer {raw}"})
    return client_for(user, organisation).generic(method, path)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.mark.parametrize(("method", "path", "visitor", "how"), CASES)
def test_it_answers_each_caller_as_the_matrix_says(
    personas: Any, method: str, path: str, visitor: str, how: str
) -> None:
    response = call(personas, method, path, visitor, how)

    assert response.status_code == MATRIX[method, path][visitor]
    if response.status_code >= 400:
        problem(response)
    if visitor == OTHER and not path.startswith("/api/v1/public/"):
        content = response.content.decode()
        assert personas.organisations["a"].name not in content
        assert "alice@passend.test" not in content
