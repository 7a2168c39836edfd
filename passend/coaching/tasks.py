"""Background work of coaching: the daily "task due tomorrow" notifications."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from passend.coaching.reminders import tasks_due_notify


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_tasks_due_tomorrow(today: str | None = None) -> int:
    """Notify whoever each open task due tomorrow is for, once per task.

    Idempotent: a second run finds every notification's key taken. `today`
    (ISO date) is for tests and catching up.
    """
    return tasks_due_notify(today=date.fromisoformat(today) if today else None)
