"""Background work of vacancies: closing those whose closing date has passed, and
deleting applications from the public job pages that were never confirmed."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from passend.vacancies.public_apply import public_applications_purge_expired
from passend.vacancies.services import close_due_vacancies


@shared_task(acks_late=True, reject_on_worker_lost=True)
def close_due(today: str | None = None) -> int:
    """Close every published vacancy whose closing date passed, in every organisation.

    Idempotent: a closed vacancy is no longer published. `today` (ISO date)
    is for tests and catching up.
    """
    return close_due_vacancies(today=date.fromisoformat(today) if today else None)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_expired_public_applications() -> int:
    """Delete the applications from the public job pages whose confirmation link
    expired, with their CVs (daily). Idempotent: a deleted row is gone."""
    return public_applications_purge_expired()
