"""Scheduled CV-import housekeeping (Celery beat)."""

from __future__ import annotations

from celery import shared_task

from passend.cvimport.services import cv_imports_purge_expired


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_expired_cv_imports() -> int:
    """Delete proposals left waiting for more than 30 days. Idempotent."""
    return cv_imports_purge_expired()
