"""Writes of the rights app: asking for an export, its download link, the download.

Building the zip and the housekeeping run in the background (`jobs.py`,
enqueued after commit through `rights.tasks`).

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

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.common.tasks import enqueue_on_commit
from passend.privacy.audit.models import Action
from passend.privacy.rights.jobs import audit_step, delete_file, expire
from passend.privacy.rights.models import ACTIVE, ExportJob, ExportStatus, Scope, hash_token
from passend.privacy.rights.tasks import build_export_task
from passend.tenancy.models import Membership, Role

UNKNOWN_SCOPE = _("Choose what to export: everything, or what you provided yourself.")


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
    audit_step(job, Action.CREATE, fields=["scope", "status"])
    job_id = str(job.pk)
    enqueue_on_commit(build_export_task, job_id)
    return job


@transaction.atomic
def export_request_for_organisation(
    *, user: Any, organisation: Any, scope: str, requested_by: Membership
) -> ExportJob:
    """An organisation's administrator has an export of ITS data about the person made.

    Used by the request desk to answer an access or portability request. The
    job belongs to the person (only they can download it) and holds the rows
    of this organisation only. It is not enqueued: the caller builds it
    (`jobs.export_build`) and delivers the link. While one is queued or running
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
    audit_step(
        job,
        Action.CREATE,
        fields=["scope", "status", "organisation_id", "requested_by_user_id"],
        actor=requested_by,
        detail=f"{job.scope} export prepared by the organisation",
    )
    return job


class ExportUnavailable(Exception):
    """The export cannot be downloaded (any more)."""


@transaction.atomic
def export_link_create(*, job: ExportJob) -> str:
    """A new single-use download token for a ready export; only its hash is stored."""
    if job.status != ExportStatus.READY or job.is_expired():
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
    if job.status == ExportStatus.DOWNLOADED:
        return Download(job, None, "used")
    if job.status == ExportStatus.READY and job.is_expired(moment):
        expire(job)
    if job.status != ExportStatus.READY:
        return Download(job, None, "expired")
    data = job.file.read_decrypted()
    delete_file(job)
    job.status = ExportStatus.DOWNLOADED
    job.downloaded_at = moment
    job.save(update_fields=["file", "status", "downloaded_at"])
    audit_step(job, Action.READ, fields=["file"], detail="downloaded by the person")
    return Download(job, data)
