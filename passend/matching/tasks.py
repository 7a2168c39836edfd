"""Background jobs of matching: keep the index in step with profiles and vacancies."""

from __future__ import annotations

from celery import shared_task

from passend.common.scope import organisation_scope
from passend.matching import index
from passend.tenancy.models import Organisation


@shared_task(acks_late=True, reject_on_worker_lost=True)
def refresh_candidate(organisation_id: str, profile_id: str) -> bool:
    """Re-derive one profile's features and embedding. Idempotent: it writes the
    same row again; a deleted profile is skipped."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return False
    with organisation_scope(organisation):
        return index.refresh_candidate(profile_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def refresh_vacancy(organisation_id: str, vacancy_id: str) -> bool:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return False
    with organisation_scope(organisation):
        return index.refresh_vacancy(vacancy_id)
