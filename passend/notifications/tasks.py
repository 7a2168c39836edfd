"""Beat jobs of notifications. The e-mail of a notification is sent by
`delivery.send_notification_email` (enqueued by `services.notify`)."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from passend.notifications.reminders import request_deadlines_notify


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_request_deadlines(today: str | None = None) -> int:
    """Notify admins once of each privacy request whose legal deadline is near.

    Idempotent: the notification's once-only key makes a second run notify
    nobody. `today` (ISO date) is for tests and catching up.
    """
    return request_deadlines_notify(today=date.fromisoformat(today) if today else None)
