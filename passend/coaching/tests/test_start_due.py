"""A planned trajectory becomes active when its start date comes (issue 11,
point 2): the daily job `tasks.start_due_trajectories`, across organisations,
with the event and audit entry a manual change of status leaves."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from passend.coaching import services
from passend.coaching.models import Trajectory, TrajectoryEvent
from passend.common.scope import organisation_scope
from passend.privacy.audit.models import AuditEvent

TODAY = date(2026, 12, 7)


def start(candidate: Any, goal: str, status: str, start_date: date) -> Trajectory:
    return services.trajectory_create(
        candidate=candidate, goal=goal, status=status, start_date=start_date
    )


@pytest.fixture
def trajectories(personas: Any, carla_profile: Any, fatima_profile: Any) -> dict[str, Any]:
    """Carla (organisation A): planned ones due yesterday, today and
    tomorrow, and a paused and a completed one that began long ago. Fatima
    (organisation B): a planned one due today."""
    with organisation_scope(personas.organisations["a"]):
        made = {
            goal: start(carla_profile, goal, status, TODAY + timedelta(days=offset))
            for goal, status, offset in [
                ("yesterday", "planned", -1),
                ("today", "planned", 0),
                ("tomorrow", "planned", 1),
                ("paused", "paused", -30),
                ("completed", "completed", -60),
            ]
        }
    with organisation_scope(personas.organisations["b"]):
        made["fatima"] = start(fatima_profile, "fatima", "planned", TODAY)
    return made


def statuses(personas: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for key in ("a", "b"):
        with organisation_scope(personas.organisations[key]):
            found.update(Trajectory.objects.values_list("goal", "status"))
    return found


def events_of(personas: Any, trajectory: Trajectory, org: str = "a") -> list[tuple[str, Any]]:
    with organisation_scope(personas.organisations[org]):
        return list(
            TrajectoryEvent.objects.filter(trajectory=trajectory)
            .order_by("created_at")
            .values_list("status", "by")
        )


def test_it_starts_the_planned_trajectories_whose_start_date_has_come(
    personas: Any, trajectories: Any
) -> None:
    started = services.trajectories_start_due(today=TODAY)

    assert started == 3
    assert statuses(personas) == {
        "yesterday": "active",
        "today": "active",
        "tomorrow": "planned",
        "paused": "paused",
        "completed": "completed",
        "fatima": "active",
    }


def test_it_records_the_start_on_the_timeline_as_done_by_nobody(
    personas: Any, trajectories: Any
) -> None:
    services.trajectories_start_due(today=TODAY)

    assert events_of(personas, trajectories["today"]) == [("planned", None), ("active", None)]
    assert events_of(personas, trajectories["fatima"], "b") == [
        ("planned", None),
        ("active", None),
    ]
    assert events_of(personas, trajectories["tomorrow"]) == [("planned", None)]
    assert events_of(personas, trajectories["paused"]) == [("paused", None)]


def test_it_audits_each_start_as_a_change_of_status_by_the_system(
    personas: Any, trajectories: Any
) -> None:
    services.trajectories_start_due(today=TODAY)

    with organisation_scope(personas.organisations["a"]):
        updates = AuditEvent.objects.filter(
            target_model="coaching.trajectory", action="update"
        ).order_by("target_id")
        audited = {(event.target_id, tuple(event.fields), event.actor_kind) for event in updates}
        subjects = {event.subject_user_id for event in updates}

    expected = {
        (str(trajectories[goal].pk), ("status",), "system") for goal in ("yesterday", "today")
    }
    assert audited == expected
    assert subjects == {personas["carla"].pk}


def test_it_changes_nothing_when_run_twice(personas: Any, trajectories: Any) -> None:
    services.trajectories_start_due(today=TODAY)
    with organisation_scope(personas.organisations["a"]):
        events = TrajectoryEvent.objects.count()
        audited = AuditEvent.objects.count()

    assert services.trajectories_start_due(today=TODAY) == 0

    with organisation_scope(personas.organisations["a"]):
        assert TrajectoryEvent.objects.count() == events
        assert AuditEvent.objects.count() == audited
    assert statuses(personas)["tomorrow"] == "planned"


def test_it_starts_tomorrows_trajectory_tomorrow(personas: Any, trajectories: Any) -> None:
    services.trajectories_start_due(today=TODAY)

    assert services.trajectories_start_due(today=TODAY + timedelta(days=1)) == 1
    assert statuses(personas)["tomorrow"] == "active"


def test_it_starts_a_long_backlog_in_batches(
    personas: Any, trajectories: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "START_DUE_BATCH", 2)

    assert services.trajectories_start_due(today=TODAY + timedelta(days=1)) == 4
    assert set(statuses(personas).values()) == {"active", "paused", "completed"}


def test_it_shows_a_started_trajectory_as_active_in_the_caseload(
    personas: Any, as_persona: Any, trajectories: Any
) -> None:
    services.trajectories_start_due(today=TODAY)

    page = as_persona("bob", "a").get("/coaching/caseload/?status=active").content.decode()
    assert "Carla Bakker" in page


def test_it_runs_as_a_daily_beat_job(personas: Any, trajectories: Any) -> None:
    from django.conf import settings

    from passend.coaching.tasks import start_due_trajectories

    entry = settings.CELERY_BEAT_SCHEDULE["start-due-trajectories"]
    assert entry["task"] == "passend.coaching.tasks.start_due_trajectories"
    assert entry["schedule"].hour == {0}
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"

    assert start_due_trajectories.delay(TODAY.isoformat()).get() == 3
    assert start_due_trajectories.delay(TODAY.isoformat()).get() == 0
