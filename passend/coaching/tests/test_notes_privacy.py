"""Issue 9: coaching free text is encrypted (defect 6), and a note "not shown on
the candidate's pages" says what is true: the candidate's pages and API hide
it, their copy of their data holds it (defect 9)."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import connection, migrations
from django.utils import timezone

from passend.coaching import services
from passend.coaching.models import (
    NOT_SHOWN_EXPLANATION,
    ActionPlan,
    Appointment,
    Note,
    NoteVisibility,
    Task,
)
from passend.coaching.tests.test_api import call
from passend.common.scope import organisation_scope
from passend.privacy.crypto.envelope import is_token
from passend.privacy.crypto.tests.test_fields import raw, write_raw
from passend.privacy.rights.export import build_export
from passend.privacy.rights.models import Scope
from passend.privacy.rights.tests.conftest import data_json

HEALTH = "back surgery in March, no lifting"


def assert_encrypted(model: type[Any], pk: Any, column: str) -> None:
    stored = raw(model, pk, column)
    assert HEALTH not in stored
    assert is_token(stored)


# --- encrypted at rest (defect 6) ------------------------------------------------


def test_it_stores_notes_encrypted_private_and_shared_alike(
    personas: Any, carla_profile: Any
) -> None:
    bob = personas.memberships["bob"]
    with organisation_scope(personas.organisations["a"]):
        hidden = services.note_create(candidate=carla_profile, author=bob, text=HEALTH)
        shared = services.note_create(
            candidate=carla_profile, author=bob, text=HEALTH, visibility=NoteVisibility.SHARED
        )

        assert_encrypted(Note, hidden.pk, "text")
        assert_encrypted(Note, shared.pk, "text")
        assert Note.objects.get(pk=hidden.pk).text == HEALTH
        assert Note.objects.get(pk=shared.pk).text == HEALTH


def test_it_stores_plans_tasks_and_appointment_notes_encrypted(
    personas: Any, carla_profile: Any
) -> None:
    bob = personas.memberships["bob"]
    with organisation_scope(personas.organisations["a"]):
        trajectory = services.trajectory_create(
            candidate=carla_profile, goal="Work in a bakery", start_date=date(2026, 1, 5), by=bob
        )
        plan = trajectory.plan
        plan.summary = f"Build up hours after {HEALTH}"
        plan.save()
        task = services.task_create(
            trajectory=trajectory, title="See the company doctor", description=HEALTH
        )
        appointment = services.appointment_create(
            candidate=carla_profile,
            starts_at=timezone.now() + timedelta(days=3),
            place="Oudegracht 120, Utrecht",
            notes=HEALTH,
        )

        assert_encrypted(ActionPlan, plan.pk, "summary")
        assert_encrypted(Task, task.pk, "description")
        assert_encrypted(Appointment, appointment.pk, "notes")
        assert Task.objects.get(pk=task.pk).description == HEALTH
        assert Appointment.objects.get(pk=appointment.pk).notes == HEALTH


# --- "not shown on the candidate's pages" (defect 9) -------------------------------


def test_it_tells_the_advisor_on_the_note_form_that_the_candidate_gets_every_note(
    as_persona: Any, coaching: Any
) -> None:
    response = as_persona("bob", "a").get(f"/coaching/candidates/{coaching['profile'].pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "not shown on the candidate&#x27;s pages" in body
    assert "only career advisors" not in body
    assert "included when they ask for a copy of their data" in body
    assert "GDPR Art. 15" in body


def test_it_explains_next_to_a_hidden_note_only_that_it_is_hidden_from_the_pages(
    as_persona: Any, coaching: Any
) -> None:
    response = as_persona("bob", "a").get(f"/coaching/candidates/{coaching['profile'].pk}/")

    notes = response.context["notes"]
    hidden = next(n for n in notes if n.pk == coaching["private"].pk)
    shared = next(n for n in notes if n.pk == coaching["shared"].pk)
    assert hidden.visibility_explanation == str(NOT_SHOWN_EXPLANATION)
    assert shared.visibility_explanation == ""
    # The form's help text and the hidden note's explanation.
    assert response.content.decode().count("(right of access, GDPR Art. 15)") == 2


def test_it_keeps_a_hidden_note_off_the_candidates_dashboard_and_api(
    personas: Any, as_persona: Any, coaching: Any
) -> None:
    dashboard = as_persona("carla", "a").get("/coaching/me/").content.decode()
    api = call(personas, "carla", "GET", f"/candidates/{coaching['profile'].pk}/notes").json()
    timeline = call(personas, "carla", "GET", f"/candidates/{coaching['profile'].pk}/timeline")

    assert coaching["private"].text not in dashboard
    assert "Great first meeting!" in dashboard
    assert [n["text"] for n in api] == ["Great first meeting!"]
    assert coaching["private"].text not in timeline.content.decode()


def test_it_gives_the_candidate_a_hidden_note_in_her_export_and_on_my_data(
    personas: Any, as_persona: Any, coaching: Any
) -> None:
    carla = personas["carla"]
    hidden = coaching["private"]

    data = data_json(build_export(carla, scope=Scope.ACCESS).data)
    my_data = as_persona("carla", "a").get("/my-data/").content.decode()

    notes = data["organisations"][str(personas.organisations["a"].pk)]["coaching.Note"]
    assert hidden.text in [n["text"] for n in notes]
    assert hidden.text in my_data


def test_it_stores_hidden_notes_under_a_value_that_says_so(personas: Any, coaching: Any) -> None:
    with organisation_scope(personas.organisations["a"]):
        note = Note.objects.get(pk=coaching["private"].pk)

    assert note.visibility == "not_shown_to_candidate"
    assert note.get_visibility_display() == "not shown on the candidate's pages"
    assert {value for value, _ in NoteVisibility.choices} == {"not_shown_to_candidate", "shared"}


def test_the_migration_renames_private_notes_and_encrypts_existing_text(
    personas: Any, coaching: Any
) -> None:
    hidden = coaching["private"]
    write_raw(Note, hidden.pk, "text", HEALTH)
    write_raw(Note, hidden.pk, "visibility", "private")
    migration = import_module("passend.coaching.migrations.0002_encrypt_notes_and_note_visibility")
    schema_editor = SimpleNamespace(connection=connection)

    for operation in migration.Migration.operations:
        if isinstance(operation, migrations.RunPython):
            operation.code(apps, schema_editor)  # type: ignore[arg-type]

    assert_encrypted(Note, hidden.pk, "text")
    assert raw(Note, hidden.pk, "visibility") == "not_shown_to_candidate"
    with organisation_scope(personas.organisations["a"]):
        assert Note.objects.get(pk=hidden.pk).text == HEALTH
