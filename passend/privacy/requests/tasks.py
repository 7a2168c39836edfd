"""Background work of the request desk. Run `remind_lapsing_requests` daily
(Celery beat, or cron through `manage.py remind_requests`); `deliver_request_export`
is enqueued by the desk when an admin prepares an export for a person."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from passend.common.scope import organisation_scope
from passend.privacy.requests.jobs import request_export_deliver, requests_remind
from passend.tenancy.models import Organisation


@shared_task(acks_late=True, reject_on_worker_lost=True)
def remind_lapsing_requests(today: str | None = None) -> int:
    """Remind admins of requests due within 7 days, within 1 day, or overdue.

    Idempotent: each reminder is sent once per deadline, so a retried or
    repeated run sends nothing new. `today` (ISO date) is for tests and
    catching up; it defaults to the local date.
    """
    return requests_remind(today=date.fromisoformat(today) if today else None)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_request_export(organisation_id: str, request_id: str, job_id: str) -> str:
    """Build an export an organisation prepared at its desk and e-mail the person its link.

    Idempotent: the export is built once (only a queued job is built) and the
    link is sent once (only for a ready job without a link yet).
    """
    organisation = Organisation.objects.get(pk=organisation_id)
    with organisation_scope(organisation):
        message = request_export_deliver(request_id=request_id, job_id=job_id)
    return "sent" if message is not None else "skipped"
