"""The background side of export jobs: building the zip (`build_export_task`)
and the housekeeping (`exports_housekeeping_task`).

Also the audit of each step of a job (`audit_step`) and the removal of its
file, which the services that request and hand over an export share.

Only a queued job is built: a job is claimed (queued -> running) under a row
lock, so a repeated or redelivered task, or a second worker, builds nothing
twice. A job left running by a worker that died is failed by
`exports_housekeeping` after `STALE_AFTER`; the person may then ask again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from passend.privacy.audit.middleware import Actor, acting_as
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import PLATFORM, record
from passend.privacy.datamap import Purpose
from passend.privacy.rights.export import build_export
from passend.privacy.rights.inventory import ACCOUNT
from passend.privacy.rights.models import ACTIVE, ExportJob, ExportStatus

logger = logging.getLogger(__name__)

# A job queued or running this long is taken to be lost (a worker died).
STALE_AFTER = timedelta(hours=6)
# Job rows are kept as proof that the request was answered (privacy.py).
KEEP_JOBS = timedelta(days=365)


def valid_for() -> timedelta:
    return timedelta(hours=getattr(settings, "PASSEND_EXPORT_VALID_HOURS", 24))


def person_actor(user: Any) -> Actor:
    return Actor(kind="user", user_id=user.pk)


def builder_of(job: ExportJob) -> Actor:
    """Who has the export made: the person, or the organisation's administrator who asked."""
    if job.for_organisation and job.requested_by_user_id is not None:
        return Actor(kind="user", user_id=job.requested_by_user_id)
    return person_actor(job.user)


def audit_step(
    job: ExportJob,
    action: str,
    *,
    fields: list[str],
    organisation: Any = None,
    detail: str = "",
    actor: Any = None,
) -> None:
    """Audit a step; an organisation's export in its chain, the person's own in the platform's."""
    if organisation is None:
        organisation = job.organisation_id if job.for_organisation else PLATFORM
    record(
        action=action,
        target=job,
        fields=fields,
        purpose=Purpose.LEGAL_OBLIGATION,
        subject=job.user_id,
        actor=actor or person_actor(job.user),
        organisation=organisation,
        detail=detail or f"{job.scope} export",
    )


def _claim(job_id: str) -> ExportJob | None:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("user").filter(pk=job_id).first()
        if job is None or job.status != ExportStatus.QUEUED:
            return None  # done, failed or taken by another worker: nothing to do
        job.status = ExportStatus.RUNNING
        job.progress = 1
        job.save(update_fields=["status", "progress"])
        return job


def export_build(*, job_id: str) -> ExportJob | None:
    """Build a queued export (idempotent: any other status is left alone)."""
    job = _claim(job_id)
    if job is None:
        return None
    last = [0]

    def progress(percent: int) -> None:
        if percent >= last[0] + 10:
            last[0] = percent
            ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(
                progress=percent
            )

    try:
        with acting_as(builder_of(job)):
            result = build_export(
                job.user, scope=job.scope, organisation=job.organisation_id, progress=progress
            )
        with transaction.atomic():
            job.file.save("export.zip", ContentFile(result.data), save=False)
            stored = job.file.name
            job.size = len(result.data)
            job.status = ExportStatus.READY
            job.progress = 100
            job.finished_at = timezone.now()
            job.expires_at = job.finished_at + valid_for()
            try:
                job.save()
                actor = builder_of(job)
                if job.for_organisation:  # its own data only: its own chain
                    audit_step(job, Action.EXPORT, fields=["file"], actor=actor)
                else:
                    for key in sorted(result.groups - {ACCOUNT}):
                        audit_step(
                            job, Action.EXPORT, fields=["file"], organisation=UUID(key), actor=actor
                        )
                    audit_step(job, Action.EXPORT, fields=["file"], actor=actor)
            except BaseException:
                job.file.storage.delete(stored)
                raise
    except Exception as error:
        logger.error("Export %s failed: %s", job_id, type(error).__name__)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportStatus.FAILED, finished_at=timezone.now(), progress=0
        )
        job.refresh_from_db()
    return job


def delete_file(job: ExportJob) -> None:
    """Remove the stored zip once the transaction commits."""
    name = job.file.name
    storage = job.file.storage
    job.file = ""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def expire(job: ExportJob) -> None:
    delete_file(job)
    job.status = ExportStatus.EXPIRED
    job.save(update_fields=["file", "status"])


def exports_housekeeping(*, now: datetime | None = None) -> dict[str, int]:
    """Delete expired zips, fail lost jobs, remove job rows past their retention."""
    moment = now or timezone.now()
    counts = {"expired": 0, "failed": 0, "files": 0, "deleted": 0}
    expired = ExportJob.objects.filter(status=ExportStatus.READY, expires_at__lte=moment)
    for job_id in list(expired.values_list("pk", flat=True)):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().get(pk=job_id)
            if job.status == ExportStatus.READY and job.is_expired(moment):
                expire(job)
                counts["expired"] += 1
    counts["failed"] = ExportJob.objects.filter(
        status__in=ACTIVE, created_at__lte=moment - STALE_AFTER
    ).update(status=ExportStatus.FAILED, finished_at=moment)
    # Any zip left behind by a job that is no longer ready (a crash between steps).
    leftovers = ExportJob.objects.exclude(status=ExportStatus.READY).exclude(file="")
    for job_id in list(leftovers.values_list("pk", flat=True)):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().get(pk=job_id)
            if job.status != ExportStatus.READY and job.file:
                delete_file(job)
                job.save(update_fields=["file"])
                counts["files"] += 1
    old = ExportJob.objects.filter(created_at__lte=moment - KEEP_JOBS).exclude(
        status=ExportStatus.READY
    )
    counts["deleted"], _by_model = old.delete()
    return counts
