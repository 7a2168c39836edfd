"""Background work of coaching: the daily "task due tomorrow" notifications,
and starting the planned trajectories whose start date has come."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from passend.coaching.reminders import tasks_due_notify
from passend.coaching.services import trajectories_start_due


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_tasks_due_tomorrow(today: str | None = None) -> int:
    """Notify whoever each open task due tomorrow is for, once per task.

    Idempotent: a second run finds every notification's key taken. `today`
    (ISO date) is for tests and catching up.
    """
    return tasks_due_notify(today=date.fromisoformat(today) if today else None)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def start_due_trajectories(today: str | None = None) -> int:
    """Make every planned trajectory whose start date has come active, in
    every organisation, with an event on its timeline and in the audit trail.

    Idempotent: a second run finds nothing planned and due. `today` (ISO
    date) is for tests and catching up.
    """
    return trajectories_start_due(today=date.fromisoformat(today) if today else None)
