"""Scheduled document housekeeping (Celery beat; `manage.py documents_housekeeping` by hand)."""

from __future__ import annotations

from celery import shared_task

from passend.documents.services import documents_purge_expired, documents_sweep_orphans


@shared_task(acks_late=True, reject_on_worker_lost=True)
def documents_housekeeping() -> dict[str, int]:
    """Delete expired documents (ID copies after four weeks, Waadi art. 7c) and
    stored files that lost their row. Idempotent: a second run finds nothing."""
    return {"expired": documents_purge_expired(), "orphans": documents_sweep_orphans()}
