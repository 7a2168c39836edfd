"""The coaching API: the same rules as the pages, with tokens and sessions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from passend.api.tests.helpers import make_token, problem
from passend.coaching.models import Task
from passend.coaching.tests.test_pages import other_candidate
from passend.common.scope import organisation_scope

BASE = "/api/v1/coaching"


def call(personas: Any, who: str, method: str, path: str, body: Any = None, org: str = "a") -> Any:
    raw = make_token(personas[who], personas.organisations[org])
    kwargs: dict[str, Any] = {"headers": {"Authorization": f"Bearer {raw}"}}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return Client().generic(method, BASE + path, **kwargs)


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_it_lists_the_caseload_for_advisors(personas: Any, coaching: Any, who: str) -> None:
    response = call(personas, who, "GET", "/caseload?page_size=10")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "Carla Bakker"
    assert item["active_goal"] == "Work in a bakery"
    assert item["open_tasks"] == 2
    assert item["next_appointment_at"] is not None


def test_it_filters_the_api_caseload_to_mine(personas: Any, coaching: Any) -> None:
    other_candidate(personas)

    assert call(personas, "bob", "GET", "/caseload").json()["count"] == 2
    assert call(personas, "bob", "GET", "/caseload?mine=true").json()["count"] == 1
    assert call(personas, "alice", "GET", "/caseload?mine=true").json()["count"] == 0


@pytest.mark.parametrize("who", ["carla", "dave"])
def test_it_keeps_candidates_and_employers_from_the_api_caseload(
    personas: Any, coaching: Any, who: str
) -> None:
    response = call(personas, who, "GET", "/caseload")

    assert response.status_code == 403
    problem(response)


def test_it_shows_charlie_an_empty_caseload(personas: Any, coaching: Any) -> None:
    response = call(personas, "charlie", "GET", "/caseload", org="b")

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("what", ["trajectories", "tasks", "notes", "appointments", "timeline"])
def test_it_answers_carla_about_herself(personas: Any, coaching: Any, what: str) -> None:
    response = call(personas, "carla", "GET", f"/candidates/{coaching['profile'].pk}/{what}")

    assert response.status_code == 200
    assert "Private observation" not in response.content.decode()


@pytest.mark.parametrize("what", ["trajectories", "tasks", "notes", "appointments", "timeline"])
@pytest.mark.parametrize(("who", "org"), [("dave", "a"), ("charlie", "b")])
def test_it_answers_404_to_employers_and_other_organisations_in_the_api(
    personas: Any, coaching: Any, what: str, who: str, org: str
) -> None:
    response = call(personas, who, "GET", f"/candidates/{coaching['profile'].pk}/{what}", org=org)

    assert response.status_code == 404
    problem(response)


def test_it_gives_advisors_private_notes_and_the_candidate_only_shared_ones(
    personas: Any, coaching: Any
) -> None:
    path = f"/candidates/{coaching['profile'].pk}/notes"

    bobs = [n["text"] for n in call(personas, "bob", "GET", path).json()]
    carlas = [n["text"] for n in call(personas, "carla", "GET", path).json()]

    assert set(bobs) == {"Private observation about Carla", "Great first meeting!"}
    assert carlas == ["Great first meeting!"]


def test_it_lets_carla_tick_her_task_with_patch(personas: Any, coaching: Any) -> None:
    task = coaching["task"]

    done = call(personas, "carla", "PATCH", f"/tasks/{task.pk}", {"done": True})
    progress = call(personas, "carla", "PATCH", f"/tasks/{task.pk}", {"progress": 30})

    assert done.status_code == 200
    assert done.json()["done"] is True
    assert done.json()["progress"] == 100
    assert progress.json() == {**progress.json(), "done": False, "progress": 30}


def test_it_refuses_progress_out_of_range_in_the_api(personas: Any, coaching: Any) -> None:
    response = call(personas, "carla", "PATCH", f"/tasks/{coaching['task'].pk}", {"progress": 101})

    assert response.status_code == 422
    problem(response)


@pytest.mark.parametrize(("who", "org"), [("dave", "a"), ("charlie", "b")])
def test_it_answers_404_to_a_patch_of_someone_elses_task(
    personas: Any, coaching: Any, who: str, org: str
) -> None:
    response = call(
        personas, who, "PATCH", f"/tasks/{coaching['task'].pk}", {"done": True}, org=org
    )

    assert response.status_code == 404
    with organisation_scope(personas.organisations["a"]):
        assert not Task.objects.get(pk=coaching["task"].pk).is_done


def test_it_answers_404_when_carla_patches_another_candidates_task(
    personas: Any, coaching: Any
) -> None:
    hanna = other_candidate(personas)

    response = call(personas, "carla", "PATCH", f"/tasks/{hanna['task'].pk}", {"done": True})

    assert response.status_code == 404


def test_it_lets_bob_create_through_the_api(personas: Any, coaching: Any) -> None:
    c = coaching["profile"].pk
    bob_id = str(personas.memberships["bob"].pk)

    trajectory = call(
        personas,
        "bob",
        "POST",
        f"/candidates/{c}/trajectories",
        {"goal": "Forklift licence", "start_date": "2026-10-01", "professional_id": bob_id},
    )
    task = call(
        personas,
        "bob",
        "POST",
        f"/trajectories/{trajectory.json()['id']}/tasks",
        {"title": "Book the course", "due_date": "2026-10-15"},
    )
    note = call(
        personas,
        "bob",
        "POST",
        f"/candidates/{c}/notes",
        {"text": "Motivated", "visibility": "shared"},
    )
    appointment = call(
        personas,
        "bob",
        "POST",
        f"/candidates/{c}/appointments",
        {"starts_at": "2026-10-02T09:00:00+02:00", "place": "Utrecht", "professional_id": bob_id},
    )

    assert trajectory.status_code == 201
    assert trajectory.json()["professional_id"] == bob_id
    assert task.status_code == 201
    assert task.json()["title"] == "Book the course"
    assert note.status_code == 201
    assert note.json()["visibility"] == "shared"
    assert appointment.status_code == 201


@pytest.mark.parametrize(
    ("path", "body", "location"),
    [
        (
            "/candidates/{c}/trajectories",
            {"goal": "Work", "start_date": "2026-10-01", "end_date": "2026-09-01"},
            "body.end_date",
        ),
        ("/candidates/{c}/trajectories", {"goal": "", "start_date": "2026-10-01"}, "body.goal"),
        (
            "/candidates/{c}/trajectories",
            {
                "goal": "Work",
                "start_date": "2026-10-01",
                "scheme_id": "00000000-0000-0000-0000-000000000000",
            },
            "body.scheme",
        ),
        ("/trajectories/{t}/tasks", {"title": ""}, "body.title"),
        ("/candidates/{c}/notes", {"text": ""}, "body.text"),
        ("/candidates/{c}/appointments", {"starts_at": "2026-10-02T09:00:00Z"}, "body.place"),
        (
            "/candidates/{c}/appointments",
            {
                "starts_at": "2026-10-02T09:00:00Z",
                "place": "Utrecht",
                "professional_id": "00000000-0000-0000-0000-000000000000",
            },
            "body.professional",
        ),
    ],
)
def test_it_answers_422_with_the_field_for_bad_input(
    personas: Any, coaching: Any, path: str, body: dict[str, Any], location: str
) -> None:
    url = path.format(c=coaching["profile"].pk, t=coaching["trajectory"].pk)

    response = call(personas, "bob", "POST", url, body)

    assert response.status_code == 422
    assert location in [error["location"] for error in problem(response)["errors"]]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/candidates/{c}/trajectories", {"goal": "Mine", "start_date": "2026-10-01"}),
        ("/candidates/{c}/notes", {"text": "I wrote this myself"}),
        ("/candidates/{c}/appointments", {"starts_at": "2026-10-02T09:00:00Z", "place": "Home"}),
        ("/trajectories/{t}/tasks", {"title": "My own task"}),
    ],
)
def test_it_refuses_writes_by_the_candidate_with_403(
    personas: Any, coaching: Any, path: str, body: dict[str, Any]
) -> None:
    url = path.format(c=coaching["profile"].pk, t=coaching["trajectory"].pk)

    response = call(personas, "carla", "POST", url, body)

    assert response.status_code == 403
    problem(response)
