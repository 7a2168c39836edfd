"""The four create operations of the coaching API (trajectory, task, note,
appointment): one code path, so each is checked the same way: the document
clients read, 201 with the stored entry and its audit event, 404 across
organisations."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from passend.api.tests.helpers import problem
from passend.coaching.models import Appointment, Note, Task, Trajectory
from passend.coaching.tests.test_api import call
from passend.common.scope import organisation_scope
from passend.privacy.audit.models import AuditEvent

PROBLEM = {"schema": {"$ref": "#/components/schemas/ProblemOut"}}


def expected_operation(
    operation_id: str, summary: str, param: str, payload: str, out: str
) -> dict[str, Any]:
    """The OpenAPI operation as the hand-written views declared it."""

    def problem_response(description: str) -> dict[str, Any]:
        return {"description": description, "content": {"application/problem+json": PROBLEM}}

    return {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [
            {
                "in": "path",
                "name": param,
                "schema": {
                    "format": "uuid",
                    "title": param.replace("_", " ").title(),
                    "type": "string",
                },
                "required": True,
            }
        ],
        "responses": {
            "201": {
                "description": "Created",
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{out}"}}
                },
            },
            "401": problem_response("Unauthorized"),
            "429": problem_response("Too Many Requests"),
            "403": problem_response("Forbidden"),
            "404": problem_response("Not Found"),
            "422": problem_response("Unprocessable Entity"),
        },
        "tags": ["coaching"],
        "requestBody": {
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{payload}"}}
            },
            "required": True,
        },
        "security": [{"TokenAuth": []}, {"SessionAuth": []}],
    }


@pytest.mark.parametrize(
    ("path", "operation"),
    [
        (
            "/api/v1/coaching/candidates/{candidate_id}/trajectories",
            expected_operation(
                "coaching_trajectory_create",
                "Start a trajectory",
                "candidate_id",
                "TrajectoryIn",
                "TrajectoryOut",
            ),
        ),
        (
            "/api/v1/coaching/trajectories/{trajectory_id}/tasks",
            expected_operation(
                "coaching_task_create",
                "Add a task to a trajectory's action plan",
                "trajectory_id",
                "TaskIn",
                "TaskOut",
            ),
        ),
        (
            "/api/v1/coaching/candidates/{candidate_id}/notes",
            expected_operation(
                "coaching_note_create", "Add a note", "candidate_id", "NoteIn", "NoteOut"
            ),
        ),
        (
            "/api/v1/coaching/candidates/{candidate_id}/appointments",
            expected_operation(
                "coaching_appointment_create",
                "Make an appointment",
                "candidate_id",
                "AppointmentIn",
                "AppointmentOut",
            ),
        ),
    ],
)
def test_it_documents_each_create_operation_as_before(
    db: Any, path: str, operation: dict[str, Any]
) -> None:
    schema = Client().get("/api/v1/openapi.json").json()

    assert schema["paths"][path]["post"] == operation


def test_it_keeps_the_order_of_the_coaching_paths_in_the_document(db: Any) -> None:
    schema = Client().get("/api/v1/openapi.json").json()

    coaching = [
        (path.removeprefix("/api/v1/coaching"), list(item))
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/coaching/")
    ]
    assert coaching == [
        ("/caseload", ["get"]),
        ("/candidates/{candidate_id}/trajectories", ["get", "post"]),
        ("/candidates/{candidate_id}/tasks", ["get"]),
        ("/trajectories/{trajectory_id}/tasks", ["post"]),
        ("/tasks/{task_id}", ["patch"]),
        ("/candidates/{candidate_id}/notes", ["get", "post"]),
        ("/candidates/{candidate_id}/appointments", ["get", "post"]),
        ("/candidates/{candidate_id}/timeline", ["get"]),
    ]


@pytest.mark.parametrize(
    ("name", "param", "path"),
    [
        ("trajectory_create", "candidate_id", "candidates/{id}/trajectories"),
        ("task_create", "trajectory_id", "trajectories/{id}/tasks"),
        ("note_create", "candidate_id", "candidates/{id}/notes"),
        ("appointment_create", "candidate_id", "candidates/{id}/appointments"),
    ],
)
def test_it_keeps_the_url_name_of_each_create_operation(name: str, param: str, path: str) -> None:
    some_id = "0b6c1e0e-4e4b-4c47-9d4f-2f1d7d0d9a11"

    url = reverse(f"api:{name}", kwargs={param: some_id})

    assert url == "/api/v1/coaching/" + path.format(id=some_id)


# (path, body, the answer without its generated fields, the model)
CREATES = [
    pytest.param(
        "/candidates/{c}/trajectories",
        {
            "goal": "Forklift licence",
            "start_date": "2026-10-01",
            "scheme_id": "{scheme}",
            "professional_id": "{bob}",
        },
        {
            "candidate_id": "{c}",
            "goal": "Forklift licence",
            "scheme_id": "{scheme}",
            # Issue 11: without a status it is active once its start date has come.
            "status": "active",
            "start_date": "2026-10-01",
            "end_date": None,
            "professional_id": "{bob}",
        },
        Trajectory,
        id="trajectory",
    ),
    pytest.param(
        "/trajectories/{t}/tasks",
        {"title": "Book the course", "due_date": "2026-10-15", "assignee": "professional"},
        {
            "trajectory_id": "{t}",
            "title": "Book the course",
            "description": "",
            "assignee": "professional",
            "due_date": "2026-10-15",
            "progress": 0,
            "done": False,
            "done_at": None,
        },
        Task,
        id="task",
    ),
    pytest.param(
        "/candidates/{c}/notes",
        {"text": "Motivated", "visibility": "shared"},
        {"text": "Motivated", "visibility": "shared", "author_id": "{bob}"},
        Note,
        id="note",
    ),
    pytest.param(
        "/candidates/{c}/appointments",
        {
            "starts_at": "2026-10-02T09:00:00+02:00",
            "duration_minutes": 45,
            "place": "Utrecht",
            "professional_id": "{bob}",
        },
        {
            "starts_at": "2026-10-02T09:00:00+02:00",
            "duration_minutes": 45,
            "place": "Utrecht",
            "online_link": "",
            "professional_id": "{bob}",
            "with_whom": "",
            "notes": "",
        },
        Appointment,
        id="appointment",
    ),
]


def fill(value: Any, ids: dict[str, str]) -> Any:
    """`value` with the placeholders ({c}, {t}, {scheme}, {bob}) replaced by ids."""
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, str):
        return value.format(**ids)
    return value


def ids_of(personas: Any, coaching: Any) -> dict[str, str]:
    return {
        "c": str(coaching["profile"].pk),
        "t": str(coaching["trajectory"].pk),
        "scheme": str(coaching["scheme"].pk),
        "bob": str(personas.memberships["bob"].pk),
    }


@pytest.mark.parametrize(("path", "body", "answer", "model"), CREATES)
def test_it_answers_201_with_the_created_entry_and_audits_it(
    personas: Any,
    coaching: Any,
    path: str,
    body: dict[str, Any],
    answer: dict[str, Any],
    model: type[Model],
) -> None:
    ids = ids_of(personas, coaching)

    response = call(personas, "bob", "POST", fill(path, ids), fill(body, ids))

    assert response.status_code == 201
    created = response.json()
    generated = {"id", "created_at"} & created.keys()
    assert {k: v for k, v in created.items() if k not in generated} == fill(answer, ids)
    with organisation_scope(personas.organisations["a"]):
        entry: Any = model.objects.get(pk=created["id"])  # type: ignore[attr-defined]
        assert entry.candidate_id == coaching["profile"].pk
        events = AuditEvent.objects.filter(target_id=created["id"])
        assert [(e.action, e.actor_membership_id) for e in events] == [
            ("create", personas.memberships["bob"].pk)
        ]
        assert events[0].subject_user_id == personas["carla"].pk


@pytest.mark.parametrize(("path", "body", "answer", "model"), CREATES)
def test_it_answers_404_to_another_organisation_creating_an_entry(
    personas: Any,
    coaching: Any,
    path: str,
    body: dict[str, Any],
    answer: dict[str, Any],
    model: type[Model],
) -> None:
    ids = ids_of(personas, coaching)
    with organisation_scope(personas.organisations["a"]):
        before = model.objects.count()  # type: ignore[attr-defined]
        events_before = AuditEvent.objects.count()

    response = call(personas, "charlie", "POST", fill(path, ids), fill(body, ids), org="b")

    assert response.status_code == 404
    assert problem(response)["status"] == 404
    with organisation_scope(personas.organisations["a"]):
        assert model.objects.count() == before  # type: ignore[attr-defined]
        assert AuditEvent.objects.count() == events_before
