"""Sealing the audit trail in the background: beat runs it every minute."""

from __future__ import annotations

from celery import shared_task

from passend.privacy.audit.services import audit_seal


@shared_task(acks_late=True, reject_on_worker_lost=True)
def seal_audit_trail() -> int:
    """Chain the events recorded since the last run. Idempotent: a retried or
    overlapping run seals only what is still unsealed, in turn per chain."""
    return audit_seal()
