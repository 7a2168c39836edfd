"""Background work of the request desk. Run `remind_lapsing_requests` daily
(Celery beat, or cron through `manage.py remind_requests`)."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from passend.privacy.requests.services import requests_remind


@shared_task(acks_late=True, reject_on_worker_lost=True)
def remind_lapsing_requests(today: str | None = None) -> int:
    """Remind admins of requests due within 7 days, within 1 day, or overdue.

    Idempotent: each reminder is sent once per deadline, so a retried or
    repeated run sends nothing new. `today` (ISO date) is for tests and
    catching up; it defaults to the local date.
    """
    return requests_remind(today=date.fromisoformat(today) if today else None)
