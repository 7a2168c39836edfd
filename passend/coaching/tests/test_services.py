"""Coaching writes: validation, the tick rules, the timeline and the audit trail."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from passend.coaching import selectors, services
from passend.coaching.models import Task, TrajectoryEvent
from passend.common.scope import organisation_scope
from passend.privacy.audit.models import AuditEvent


def test_it_refuses_an_end_date_before_the_start_date(scope_a: Any, carla_profile: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.trajectory_create(
            candidate=carla_profile,
            goal="Work",
            start_date=date(2026, 3, 1),
            end_date=date(2026, 2, 1),
        )

    assert error.value.message_dict["end_date"] == ["The end date cannot be before the start date."]


def test_it_refuses_an_empty_goal(scope_a: Any, carla_profile: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.trajectory_create(candidate=carla_profile, goal="", start_date=date(2026, 3, 1))

    assert "goal" in error.value.message_dict


def test_it_refuses_a_candidate_or_employer_as_responsible_advisor(
    scope_a: Any, personas: Any, carla_profile: Any
) -> None:
    for key in ("carla", "dave"):
        with pytest.raises(ValidationError) as error:
            services.trajectory_create(
                candidate=carla_profile,
                goal="Work",
                start_date=date(2026, 3, 1),
                professional=personas.memberships[key],
            )
        assert "professional" in error.value.message_dict


def test_it_refuses_an_advisor_of_another_organisation(personas: Any, carla_profile: Any) -> None:
    with organisation_scope(personas.organisations["a"]), pytest.raises(ValidationError) as error:
        services.trajectory_create(
            candidate=carla_profile,
            goal="Work",
            start_date=date(2026, 3, 1),
            professional=personas.memberships["charlie"],
        )
    assert "professional" in error.value.message_dict


def test_it_refuses_a_task_without_title(scope_a: Any, coaching: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.task_create(trajectory=coaching["trajectory"], title="")

    assert "title" in error.value.message_dict


def test_it_refuses_progress_above_100(scope_a: Any, coaching: Any) -> None:
    with pytest.raises(ValidationError):
        services.task_set_progress(task=coaching["task"], progress=101)

    assert Task.objects.get(pk=coaching["task"].pk).progress == 0


def test_it_refuses_an_appointment_without_place_or_link(scope_a: Any, carla_profile: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.appointment_create(candidate=carla_profile, starts_at=timezone.now())

    assert error.value.message_dict["place"] == ["Give a place or an online link."]


def test_it_refuses_an_online_link_that_is_not_https(scope_a: Any, carla_profile: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.appointment_create(
            candidate=carla_profile,
            starts_at=timezone.now(),
            online_link="http://meet.example.org/abc",
        )

    assert "online_link" in error.value.message_dict


def test_it_ticks_and_unticks_a_task(scope_a: Any, coaching: Any) -> None:
    task = services.task_set_done(task=coaching["task"], done=True)
    assert task.is_done
    assert task.progress == 100

    task = services.task_set_done(task=task, done=False)
    assert not task.is_done
    assert task.progress == 0


def test_it_marks_a_task_done_at_100_percent_and_open_below(scope_a: Any, coaching: Any) -> None:
    task = services.task_set_progress(task=coaching["task"], progress=100)
    assert task.is_done

    task = services.task_set_progress(task=task, progress=40)
    assert not task.is_done
    assert task.progress == 40


def test_it_keeps_status_changes_for_the_timeline(
    scope_a: Any, personas: Any, coaching: Any
) -> None:
    trajectory = coaching["trajectory"]

    services.trajectory_update(trajectory=trajectory, status="completed", end_date=date(2026, 6, 1))

    statuses = list(
        TrajectoryEvent.objects.filter(trajectory=trajectory)
        .order_by("created_at")
        .values_list("status", flat=True)
    )
    assert statuses == ["active", "completed"]


def test_it_refuses_an_unknown_field_in_an_update(scope_a: Any, coaching: Any) -> None:
    with pytest.raises(TypeError):
        services.trajectory_update(trajectory=coaching["trajectory"], candidate=None)


def test_it_changes_nothing_when_nothing_changed(scope_a: Any, coaching: Any) -> None:
    trajectory = coaching["trajectory"]
    before = AuditEvent.objects.count()

    services.trajectory_update(trajectory=trajectory, goal=trajectory.goal)

    assert AuditEvent.objects.count() == before


def test_it_audits_every_write_with_the_candidate_as_subject(
    scope_a: Any, personas: Any, coaching: Any
) -> None:
    carla_id = personas["carla"].pk
    for key in ("trajectory", "task", "private", "shared", "appointment"):
        events = AuditEvent.objects.filter(target_id=str(coaching[key].pk))
        assert [e.action for e in events] == ["create"], key
        assert events[0].subject_user_id == carla_id
        assert events[0].purpose == "coaching"

    services.task_set_done(task=coaching["task"], done=True)
    services.trajectory_update(trajectory=coaching["trajectory"], goal="Work in a shop")

    task_events = AuditEvent.objects.filter(target_id=str(coaching["task"].pk))
    assert [e.action for e in task_events.order_by("id")] == ["create", "update"]
    update = AuditEvent.objects.filter(
        target_id=str(coaching["trajectory"].pk), action="update"
    ).get()
    assert update.fields == ["goal"]
    # Never the values.
    assert "shop" not in str(update.detail)


def test_it_shows_the_candidate_a_timeline_without_private_notes(
    scope_a: Any, personas: Any, coaching: Any
) -> None:
    services.task_set_done(task=coaching["task"], done=True)

    carla_view = selectors.timeline(coaching["profile"], actor=personas.memberships["carla"])
    bob_view = selectors.timeline(coaching["profile"], actor=personas.memberships["bob"])

    carla_texts = [entry.text for entry in carla_view]
    assert "Private observation about Carla" not in carla_texts
    assert "Great first meeting!" in carla_texts
    assert "Write a CV" in carla_texts
    assert "Private observation about Carla" in [entry.text for entry in bob_view]
    kinds = {entry.kind for entry in bob_view}
    assert kinds == {"trajectory", "task", "note", "appointment"}
    times = [entry.at for entry in bob_view]
    assert times == sorted(times, reverse=True)


def test_it_counts_task_completion(scope_a: Any, coaching: Any) -> None:
    services.task_set_done(task=coaching["task"], done=True)

    completion = selectors.completion_of(coaching["profile"])

    assert (completion.done, completion.total, completion.percent) == (1, 2, 50)


def test_it_lists_only_the_advisors_own_candidates_when_asked(
    scope_a: Any, personas: Any, coaching: Any
) -> None:
    assert [c.pk for c in selectors.caseload(professional=personas.memberships["bob"])] == [
        coaching["profile"].pk
    ]
    assert list(selectors.caseload(professional=personas.memberships["alice"])) == []
    row = selectors.caseload().get(pk=coaching["profile"].pk)
    assert row.active_goal == "Work in a bakery"
    assert row.open_tasks == 2
    assert row.next_appointment_at is not None
    assert row.next_appointment_at > timezone.now() + timedelta(days=6)
