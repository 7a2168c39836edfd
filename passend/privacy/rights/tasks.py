"""Background work of the rights app: building an export, and the daily housekeeping."""

from __future__ import annotations

from celery import shared_task

from passend.privacy.rights.jobs import export_build, exports_housekeeping


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_export_task(job_id: str) -> str:
    """Build the export `job_id`. Idempotent: only a queued job is built, once."""
    job = export_build(job_id=job_id)
    return job.status if job is not None else "skipped"


@shared_task(acks_late=True, reject_on_worker_lost=True)
def exports_housekeeping_task() -> dict[str, int]:
    """Delete expired export files and forget lost jobs (run it hourly or daily). Idempotent."""
    return exports_housekeeping()
