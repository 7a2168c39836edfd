"""Coaching pages for each role, and the bad cases."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from conftest import client_for
from passend.coaching.models import Appointment, Note, Task, Trajectory
from passend.coaching.tests.conftest import profile_of
from passend.common.scope import organisation_scope
from passend.privacy.audit.models import AuditEvent
from passend.tenancy.models import Membership, Role

HTMX = {"HTTP_HX_REQUEST": "true"}


def other_candidate(personas: Any) -> Any:
    """Hanna, a second candidate of organisation A, with her own task."""
    from passend.coaching import services

    org = personas.organisations["a"]
    user = get_user_model().objects.create_user("hanna@passend.test", "x", name="Hanna Kok")
    with organisation_scope(org):
        membership = Membership.objects.create(organisation=org, user=user, role=Role.CANDIDATE)
    personas.memberships["hanna"] = membership
    profile = profile_of(personas, "hanna")
    with organisation_scope(org):
        trajectory = services.trajectory_create(
            candidate=profile, goal="Work in care", start_date="2026-02-01"
        )
        task = services.task_create(trajectory=trajectory, title="Hanna's own task")
    return {"profile": profile, "task": task, "user": user}


def html(response: Any) -> str:
    return response.content.decode()


# The caseload


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_it_shows_the_caseload_to_advisors_and_admins(
    as_persona: Any, coaching: Any, persona: str
) -> None:
    response = as_persona(persona, "a").get("/coaching/caseload/")

    assert response.status_code == 200
    assert "Carla Bakker" in html(response)
    assert "Work in a bakery" in html(response)


@pytest.mark.parametrize("persona", ["carla", "dave"])
def test_it_keeps_candidates_and_employers_out_of_the_caseload(
    as_persona: Any, coaching: Any, persona: str
) -> None:
    assert as_persona(persona, "a").get("/coaching/caseload/").status_code == 403


def test_it_sends_anonymous_visitors_to_the_login(coaching: Any) -> None:
    response = Client().get("/coaching/caseload/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_shows_charlie_nothing_of_organisation_a(as_persona: Any, coaching: Any) -> None:
    response = as_persona("charlie", "b").get("/coaching/caseload/")

    assert response.status_code == 200
    assert "Carla" not in html(response)
    assert "bakery" not in html(response)


def test_it_filters_the_caseload_to_my_candidates(
    personas: Any, as_persona: Any, coaching: Any
) -> None:
    other_candidate(personas)

    everyone = html(as_persona("bob", "a").get("/coaching/caseload/"))
    mine = html(as_persona("bob", "a").get("/coaching/caseload/?mine=1"))
    alices = html(as_persona("alice", "a").get("/coaching/caseload/?mine=1"))

    assert "Hanna Kok" in everyone
    assert "Carla Bakker" in everyone
    assert "Carla Bakker" in mine
    assert "Hanna Kok" not in mine
    assert "Carla Bakker" not in alices


def test_it_pages_the_caseload(personas: Any, as_persona: Any, coaching: Any) -> None:
    other_candidate(personas)

    first = as_persona("bob", "a").get("/coaching/caseload/?page_size=10&page=1")
    bogus = as_persona("bob", "a").get("/coaching/caseload/?page_size=abc&page=zz")

    assert first.context["page"].paginator.per_page == 10
    assert bogus.status_code == 200
    assert bogus.context["page"].paginator.per_page == 25


# A candidate's coaching page


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_it_shows_advisors_everything_including_private_notes(
    as_persona: Any, coaching: Any, persona: str
) -> None:
    response = as_persona(persona, "a").get(f"/coaching/candidates/{coaching['profile'].pk}/")

    body = html(response)
    assert response.status_code == 200
    assert "Private observation about Carla" in body
    assert "Great first meeting!" in body
    assert "Write a CV" in body
    assert "Oudegracht 120, Utrecht" in body
    assert "Participatiewet" in body
    assert 'id="completion-bar"' in body


@pytest.mark.parametrize(("persona", "org"), [("dave", "a"), ("charlie", "b")])
def test_it_answers_404_to_employers_and_other_organisations(
    as_persona: Any, coaching: Any, persona: str, org: str
) -> None:
    client = as_persona(persona, org)
    pk = coaching["profile"].pk

    assert client.get(f"/coaching/candidates/{pk}/").status_code == 404
    assert client.post(f"/coaching/candidates/{pk}/notes/new/", {"text": "x"}).status_code == 404
    assert client.post(f"/coaching/tasks/{coaching['task'].pk}/toggle/").status_code == 404


def test_it_sends_the_candidate_from_her_own_page_to_her_dashboard(
    as_persona: Any, coaching: Any
) -> None:
    response = as_persona("carla", "a").get(f"/coaching/candidates/{coaching['profile'].pk}/")

    assert response.status_code == 302
    assert response["Location"] == "/coaching/me/"


def test_it_answers_404_to_a_candidate_for_another_candidates_page(
    personas: Any, as_persona: Any, coaching: Any
) -> None:
    hanna = other_candidate(personas)

    response = as_persona("carla", "a").get(f"/coaching/candidates/{hanna['profile'].pk}/")

    assert response.status_code == 404


def test_it_answers_404_for_a_candidate_that_does_not_exist(as_persona: Any, coaching: Any) -> None:
    response = as_persona("bob", "a").get(
        "/coaching/candidates/00000000-0000-0000-0000-000000000000/"
    )

    assert response.status_code == 404


# The candidate's dashboard


def test_it_shows_carla_her_plan_without_private_notes(as_persona: Any, coaching: Any) -> None:
    response = as_persona("carla", "a").get("/coaching/me/")

    body = html(response)
    assert response.status_code == 200
    assert "Work in a bakery" in body
    assert "Write a CV" in body
    assert "Great first meeting!" in body
    assert "Oudegracht 120, Utrecht" in body
    assert "Private observation" not in body


def test_it_shows_a_candidate_without_profile_an_empty_dashboard(
    as_persona: Any, personas: Any
) -> None:
    response = as_persona("carla", "a").get("/coaching/me/")

    assert response.status_code == 200
    assert "No plan yet" in html(response)


@pytest.mark.parametrize("persona", ["alice", "bob", "dave"])
def test_it_keeps_others_off_the_candidate_dashboard(
    as_persona: Any, coaching: Any, persona: str
) -> None:
    assert as_persona(persona, "a").get("/coaching/me/").status_code == 403


# Ticking tasks


def test_it_lets_carla_tick_her_task_in_place_with_htmx(as_persona: Any, coaching: Any) -> None:
    task = coaching["task"]

    response = as_persona("carla", "a").post(
        f"/coaching/tasks/{task.pk}/toggle/", {"done": "1"}, **HTMX
    )

    body = html(response)
    assert response.status_code == 200
    assert f'id="task-{task.pk}"' in body
    assert "Mark as not done" in body
    assert 'hx-swap-oob="true"' in body
    assert "1 of 2" in body
    with organisation_scope(coaching["profile"].organisation):
        assert Task.objects.get(pk=task.pk).is_done


def test_it_lets_carla_untick_and_set_progress_without_javascript(
    as_persona: Any, coaching: Any
) -> None:
    task = coaching["task"]
    client = as_persona("carla", "a")
    client.post(f"/coaching/tasks/{task.pk}/toggle/", {"done": "1"})

    untick = client.post(f"/coaching/tasks/{task.pk}/toggle/", {"done": "0"})
    progress = client.post(f"/coaching/tasks/{task.pk}/progress/", {"progress": "60"})

    assert untick.status_code == 302
    assert untick["Location"] == "/coaching/me/"
    assert progress.status_code == 302
    with organisation_scope(coaching["profile"].organisation):
        stored = Task.objects.get(pk=task.pk)
    assert not stored.is_done
    assert stored.progress == 60


@pytest.mark.parametrize("value", ["150", "-1", "abc", ""])
def test_it_refuses_bad_progress(as_persona: Any, coaching: Any, value: str) -> None:
    task = coaching["task"]

    response = as_persona("carla", "a").post(
        f"/coaching/tasks/{task.pk}/progress/", {"progress": value}, **HTMX
    )

    assert response.status_code == 400
    with organisation_scope(coaching["profile"].organisation):
        assert Task.objects.get(pk=task.pk).progress == 0


def test_it_answers_404_when_carla_ticks_another_candidates_task(
    personas: Any, as_persona: Any, coaching: Any
) -> None:
    hanna = other_candidate(personas)

    toggle = as_persona("carla", "a").post(f"/coaching/tasks/{hanna['task'].pk}/toggle/")
    progress = as_persona("carla", "a").post(
        f"/coaching/tasks/{hanna['task'].pk}/progress/", {"progress": "50"}
    )

    assert toggle.status_code == 404
    assert progress.status_code == 404


def test_it_refuses_get_on_the_toggle(as_persona: Any, coaching: Any) -> None:
    response = as_persona("carla", "a").get(f"/coaching/tasks/{coaching['task'].pk}/toggle/")

    assert response.status_code == 405


def test_it_lets_bob_tick_a_task_and_returns_to_the_candidate(
    as_persona: Any, coaching: Any
) -> None:
    response = as_persona("bob", "a").post(
        f"/coaching/tasks/{coaching['other_task'].pk}/toggle/", {"done": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/coaching/candidates/{coaching['profile'].pk}/"


# Adding things


def test_it_lets_bob_start_a_trajectory(personas: Any, as_persona: Any, coaching: Any) -> None:
    pk = coaching["profile"].pk

    response = as_persona("bob", "a").post(
        f"/coaching/candidates/{pk}/trajectories/new/",
        {
            "goal": "Work as a baker's assistant",
            "status": "planned",
            "start_date": "2026-09-01",
            "end_date": "2026-12-31",
            "scheme": str(coaching["scheme"].pk),
            "professional": str(personas.memberships["bob"].pk),
        },
    )

    assert response.status_code == 302
    with organisation_scope(coaching["profile"].organisation):
        trajectory = Trajectory.objects.get(goal="Work as a baker's assistant")
        assert trajectory.scheme == coaching["scheme"]
        assert trajectory.plan is not None
        assert AuditEvent.objects.filter(target_id=str(trajectory.pk), action="create").exists()


def test_it_shows_a_form_error_when_the_end_is_before_the_start(
    as_persona: Any, coaching: Any
) -> None:
    pk = coaching["profile"].pk

    response = as_persona("bob", "a").post(
        f"/coaching/candidates/{pk}/trajectories/new/",
        {"goal": "Work", "status": "planned", "start_date": "2026-09-01", "end_date": "2026-08-01"},
    )

    assert response.status_code == 400
    assert "The end date cannot be before the start date." in html(response)
    with organisation_scope(coaching["profile"].organisation):
        assert Trajectory.objects.filter(goal="Work").count() == 0


def test_it_refuses_a_scheme_of_another_organisation(
    personas: Any, as_persona: Any, coaching: Any
) -> None:
    from passend.candidates.models import Scheme

    with organisation_scope(personas.organisations["b"]):
        theirs = Scheme.objects.create(organisation=personas.organisations["b"], name="Theirs")

    response = as_persona("bob", "a").post(
        f"/coaching/candidates/{coaching['profile'].pk}/trajectories/new/",
        {"goal": "Work", "status": "planned", "start_date": "2026-09-01", "scheme": theirs.pk},
    )

    assert response.status_code == 400


def test_it_lets_bob_change_the_trajectory_status(as_persona: Any, coaching: Any) -> None:
    trajectory = coaching["trajectory"]
    client = as_persona("bob", "a")

    form = client.get(f"/coaching/trajectories/{trajectory.pk}/edit/")
    response = client.post(
        f"/coaching/trajectories/{trajectory.pk}/edit/",
        {"goal": trajectory.goal, "status": "paused", "start_date": "2026-01-05"},
    )

    assert form.status_code == 200
    assert response.status_code == 302
    with organisation_scope(coaching["profile"].organisation):
        assert Trajectory.objects.get(pk=trajectory.pk).status == "paused"


def test_it_refuses_a_bad_trajectory_change(as_persona: Any, coaching: Any) -> None:
    trajectory = coaching["trajectory"]

    response = as_persona("bob", "a").post(
        f"/coaching/trajectories/{trajectory.pk}/edit/",
        {"goal": "", "status": "paused", "start_date": "2026-01-05", "end_date": "2025-01-01"},
    )

    assert response.status_code == 400
    with organisation_scope(coaching["profile"].organisation):
        assert Trajectory.objects.get(pk=trajectory.pk).status == "active"


def test_it_lets_bob_add_a_task_and_refuses_an_empty_title(as_persona: Any, coaching: Any) -> None:
    url = f"/coaching/trajectories/{coaching['trajectory'].pk}/tasks/new/"
    client = as_persona("bob", "a")

    empty = client.post(url, {"title": "", "assignee": "candidate"})
    good = client.post(url, {"title": "Visit the job fair", "assignee": "candidate"})

    assert client.get(url).status_code == 200
    assert empty.status_code == 400
    assert "This field is required." in html(empty)
    assert good.status_code == 302
    with organisation_scope(coaching["profile"].organisation):
        assert Task.objects.filter(title="Visit the job fair").count() == 1


def test_it_lets_bob_add_a_shared_note(as_persona: Any, coaching: Any) -> None:
    url = f"/coaching/candidates/{coaching['profile'].pk}/notes/new/"

    empty = as_persona("bob", "a").post(url, {"text": "", "visibility": "shared"})
    good = as_persona("bob", "a").post(url, {"text": "See you Monday", "visibility": "shared"})

    assert empty.status_code == 400
    assert good.status_code == 302
    assert "See you Monday" in html(as_persona("carla", "a").get("/coaching/me/"))
    with organisation_scope(coaching["profile"].organisation):
        # Encrypted text cannot be searched: find it among the candidate's notes.
        notes = Note.objects.filter(candidate=coaching["profile"])
        note = next(n for n in notes if n.text == "See you Monday")
        assert AuditEvent.objects.filter(target_id=str(note.pk), action="create").exists()


def test_it_lets_bob_make_an_appointment_and_refuses_one_without_place(
    as_persona: Any, coaching: Any
) -> None:
    url = f"/coaching/candidates/{coaching['profile'].pk}/appointments/new/"
    client = as_persona("bob", "a")

    bad = client.post(url, {"starts_at": "2026-12-01T10:00", "duration_minutes": "30"})
    good = client.post(
        url,
        {
            "starts_at": "2026-12-01T10:00",
            "duration_minutes": "30",
            "online_link": "https://meet.example.org/carla",
        },
    )

    assert bad.status_code == 400
    assert "Give a place or an online link." in html(bad)
    assert good.status_code == 302
    with organisation_scope(coaching["profile"].organisation):
        assert Appointment.objects.filter(online_link__contains="meet.example.org").exists()


@pytest.mark.parametrize(
    "path",
    [
        "candidates/{c}/trajectories/new/",
        "candidates/{c}/notes/new/",
        "candidates/{c}/appointments/new/",
        "trajectories/{t}/tasks/new/",
        "trajectories/{t}/edit/",
    ],
)
def test_it_lets_carla_see_but_not_manage_her_coaching(
    as_persona: Any, coaching: Any, path: str
) -> None:
    url = "/coaching/" + path.format(c=coaching["profile"].pk, t=coaching["trajectory"].pk)

    assert as_persona("carla", "a").get(url).status_code == 403
    assert as_persona("carla", "a").post(url, {"text": "x", "title": "x"}).status_code == 403


# The home pages


def test_it_shows_bob_his_candidates_on_his_home_page(as_persona: Any, coaching: Any) -> None:
    body = html(as_persona("bob", "a").get("/"))

    assert "My candidates" in body
    assert "Carla Bakker" in body
    assert "Work in a bakery" in body


def test_it_shows_carla_her_plan_and_appointments_on_her_home_page(
    as_persona: Any, coaching: Any
) -> None:
    body = html(as_persona("carla", "a").get("/"))

    assert "Work in a bakery" in body
    assert "Write a CV" in body
    assert "Oudegracht 120, Utrecht" in body
    assert "No plan yet" not in body
    assert "Private observation" not in body


def test_it_shows_charlie_none_of_carlas_coaching_on_his_home_page(
    personas: Any, coaching: Any
) -> None:
    body = html(client_for(personas["charlie"], personas.organisations["b"]).get("/"))

    assert "Carla" not in body


def test_it_answers_404_to_an_employer_even_when_the_profile_is_shared_with_him(
    personas: Any, as_persona: Any, coaching: Any
) -> None:
    from django.utils import timezone

    from passend.candidates.models import ProfileShare

    org = personas.organisations["a"]
    with organisation_scope(org):
        ProfileShare.objects.create(
            organisation=org,
            profile=coaching["profile"],
            employer=personas.employers["Bakkerij De Korenaar"],
            shared_at=timezone.now(),
            candidate_consented_at=timezone.now(),
        )
    client = as_persona("dave", "a")

    assert client.get(f"/coaching/candidates/{coaching['profile'].pk}/").status_code == 404
    assert client.post(f"/coaching/tasks/{coaching['task'].pk}/toggle/").status_code == 404
    assert (
        client.get(f"/api/v1/coaching/candidates/{coaching['profile'].pk}/notes").status_code == 404
    )
