"""Writes of the rights app: export jobs, their download links and their housekeeping.

Every step is audited with the purpose "complying with legal obligations"
(answering GDPR Art. 15 and 20): the request (create, platform chain), the
export itself (export, in the chain of every organisation whose data it
holds and the platform's), and the download (read of the file). Logs name
job ids and error types only, never contents, paths or tokens.

An export an organisation prepares at its request desk
(`export_request_for_organisation`) holds that organisation's data only, is
audited in that organisation's chain (the administrator who asked as the
actor), and is built and delivered by the caller (the desk's task), not
enqueued here. It never blocks or replaces the person's own export.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.privacy.audit.middleware import Actor, acting_as
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import PLATFORM, record
from passend.privacy.datamap import Purpose
from passend.privacy.rights.export import build_export
from passend.privacy.rights.inventory import ACCOUNT
from passend.privacy.rights.models import ACTIVE, ExportJob, Scope, Status, hash_token
from passend.tenancy.models import Membership, Role

logger = logging.getLogger(__name__)

UNKNOWN_SCOPE = _("Choose what to export: everything, or what you provided yourself.")
# A job queued or running this long is taken to be lost (a worker died).
STALE_AFTER = timedelta(hours=6)
# Job rows are kept as proof that the request was answered (privacy.py).
KEEP_JOBS = timedelta(days=365)


def valid_for() -> timedelta:
    return timedelta(hours=getattr(settings, "PASSEND_EXPORT_VALID_HOURS", 24))


def _actor(user: Any) -> Actor:
    return Actor(kind="user", user_id=user.pk)


def _builder(job: ExportJob) -> Actor:
    """Who has the export made: the person, or the organisation's administrator who asked."""
    if job.for_organisation and job.requested_by_user_id is not None:
        return Actor(kind="user", user_id=job.requested_by_user_id)
    return _actor(job.user)


def _record(job: ExportJob, action: str, *, fields: list[str], organisation: Any = None,
            detail: str = "", actor: Any = None) -> None:  # fmt: skip
    """Audit a step; an organisation's export in its chain, the person's own in the platform's."""
    if organisation is None:
        organisation = job.organisation_id if job.for_organisation else PLATFORM
    record(
        action=action,
        target=job,
        fields=fields,
        purpose=Purpose.LEGAL_OBLIGATION,
        subject=job.user_id,
        actor=actor or _actor(job.user),
        organisation=organisation,
        detail=detail or f"{job.scope} export",
    )


def active_export(user: Any) -> ExportJob | None:
    """The person's own export in progress (organisations' exports for them aside)."""
    return ExportJob.objects.filter(
        user=user, status__in=ACTIVE, organisation_id__isnull=True
    ).first()


def active_organisation_export(user: Any, organisation_id: Any) -> ExportJob | None:
    """The export in progress that an organisation prepares for the person, if any."""
    return ExportJob.objects.filter(
        user=user, status__in=ACTIVE, organisation_id=organisation_id
    ).first()


@transaction.atomic
def export_request(*, user: Any, scope: str) -> ExportJob:
    """Start an export, or return the one already queued or running for this person."""
    if scope not in Scope.values:
        raise ValidationError({"scope": [UNKNOWN_SCOPE]})
    # Serialise a person's requests (a second POST waits for the first).
    get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()
    existing = active_export(user)
    if existing is not None:
        return existing
    job = ExportJob(user=user, scope=scope)
    job.full_clean()
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:  # the constraint caught a concurrent request
        found = active_export(user)
        if found is None:
            raise
        return found
    _record(job, Action.CREATE, fields=["scope", "status"])
    job_id = str(job.pk)
    transaction.on_commit(lambda: _enqueue(job_id))
    return job


@transaction.atomic
def export_request_for_organisation(
    *, user: Any, organisation: Any, scope: str, requested_by: Membership
) -> ExportJob:
    """An organisation's administrator has an export of ITS data about the person made.

    Used by the request desk to answer an access or portability request. The
    job belongs to the person (only they can download it) and holds the rows
    of this organisation only. It is not enqueued: the caller builds it
    (`export_build`) and delivers the link. While one is queued or running
    for this person and organisation, that one is returned.
    """
    organisation_id = getattr(organisation, "pk", organisation)
    if scope not in Scope.values:
        raise ValidationError({"scope": [UNKNOWN_SCOPE]})
    if (
        requested_by.role != Role.ADMIN
        or not requested_by.is_active
        or requested_by.organisation_id != organisation_id
    ):
        raise ValidationError(_("Only an administrator of the organisation can do this."))
    get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()
    existing = active_organisation_export(user, organisation_id)
    if existing is not None:
        return existing
    job = ExportJob(
        user=user,
        scope=scope,
        organisation_id=organisation_id,
        requested_by_user_id=requested_by.user_id,
    )
    job.full_clean()
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:  # the constraint caught a concurrent request
        found = active_organisation_export(user, organisation_id)
        if found is None:
            raise
        return found
    _record(
        job,
        Action.CREATE,
        fields=["scope", "status", "organisation_id", "requested_by_user_id"],
        actor=requested_by,
        detail=f"{job.scope} export prepared by the organisation",
    )
    return job


def _enqueue(job_id: str) -> None:
    from passend.privacy.rights.tasks import build_export_task

    build_export_task.delay(job_id)


def _claim(job_id: str) -> ExportJob | None:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("user").filter(pk=job_id).first()
        if job is None or job.status != Status.QUEUED:
            return None  # done, failed or taken by another worker: nothing to do
        job.status = Status.RUNNING
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
            ExportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(progress=percent)

    try:
        with acting_as(_builder(job)):
            result = build_export(
                job.user, scope=job.scope, organisation=job.organisation_id, progress=progress
            )
        with transaction.atomic():
            job.file.save("export.zip", ContentFile(result.data), save=False)
            stored = job.file.name
            job.size = len(result.data)
            job.status = Status.READY
            job.progress = 100
            job.finished_at = timezone.now()
            job.expires_at = job.finished_at + valid_for()
            try:
                job.save()
                actor = _builder(job)
                if job.for_organisation:  # its own data only: its own chain
                    _record(job, Action.EXPORT, fields=["file"], actor=actor)
                else:
                    for key in sorted(result.groups - {ACCOUNT}):
                        _record(
                            job, Action.EXPORT, fields=["file"], organisation=UUID(key), actor=actor
                        )
                    _record(job, Action.EXPORT, fields=["file"], actor=actor)
            except BaseException:
                job.file.storage.delete(stored)
                raise
    except Exception as error:
        logger.error("Export %s failed: %s", job_id, type(error).__name__)
        ExportJob.objects.filter(pk=job_id).update(
            status=Status.FAILED, finished_at=timezone.now(), progress=0
        )
        job.refresh_from_db()
    return job


def _delete_file(job: ExportJob) -> None:
    """Remove the stored zip once the transaction commits."""
    name = job.file.name
    storage = job.file.storage
    job.file = ""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class ExportUnavailable(Exception):
    """The export cannot be downloaded (any more)."""


@transaction.atomic
def export_link_create(*, job: ExportJob) -> str:
    """A new single-use download token for a ready export; only its hash is stored."""
    if job.status != Status.READY or job.is_expired():
        raise ExportUnavailable
    token = secrets.token_urlsafe(32)
    job.token_hash = hash_token(token)
    job.save(update_fields=["token_hash"])
    return token


@dataclass
class Download:
    job: ExportJob
    data: bytes | None  # None: gone (used or expired)
    reason: str = ""  # "used" or "expired"


@transaction.atomic
def export_download(*, job: ExportJob, now: datetime | None = None) -> Download:
    """Hand over the zip once: it is deleted with the download. Expired: gone."""
    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    moment = now or timezone.now()
    if job.status == Status.DOWNLOADED:
        return Download(job, None, "used")
    if job.status == Status.READY and job.is_expired(moment):
        _expire(job)
    if job.status != Status.READY:
        return Download(job, None, "expired")
    data = job.file.read_decrypted()
    _delete_file(job)
    job.status = Status.DOWNLOADED
    job.downloaded_at = moment
    job.save(update_fields=["file", "status", "downloaded_at"])
    _record(job, Action.READ, fields=["file"], detail="downloaded by the person")
    return Download(job, data)


def _expire(job: ExportJob) -> None:
    _delete_file(job)
    job.status = Status.EXPIRED
    job.save(update_fields=["file", "status"])


def exports_housekeeping(*, now: datetime | None = None) -> dict[str, int]:
    """Delete expired zips, fail lost jobs, remove job rows past their retention."""
    moment = now or timezone.now()
    counts = {"expired": 0, "failed": 0, "files": 0, "deleted": 0}
    expired = ExportJob.objects.filter(status=Status.READY, expires_at__lte=moment)
    for job_id in list(expired.values_list("pk", flat=True)):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().get(pk=job_id)
            if job.status == Status.READY and job.is_expired(moment):
                _expire(job)
                counts["expired"] += 1
    counts["failed"] = ExportJob.objects.filter(
        status__in=ACTIVE, created_at__lte=moment - STALE_AFTER
    ).update(status=Status.FAILED, finished_at=moment)
    # Any zip left behind by a job that is no longer ready (a crash between steps).
    leftovers = ExportJob.objects.exclude(status=Status.READY).exclude(file="")
    for job_id in list(leftovers.values_list("pk", flat=True)):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().get(pk=job_id)
            if job.status != Status.READY and job.file:
                _delete_file(job)
                job.save(update_fields=["file"])
                counts["files"] += 1
    old = ExportJob.objects.filter(created_at__lte=moment - KEEP_JOBS).exclude(status=Status.READY)
    counts["deleted"], _by_model = old.delete()
    return counts
