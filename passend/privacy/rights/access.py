"""Access functions: a person reaches only their own export jobs; anything else is 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from passend.privacy.rights.models import ExportJob, hash_token


def get_export_for_person(user: Any, job_id: Any) -> ExportJob:
    try:
        job = ExportJob.objects.get(pk=job_id)
    except (ExportJob.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    if job.user_id != user.pk:
        raise Http404
    return job


def get_export_by_token(user: Any, token: str) -> ExportJob:
    if not token:
        raise Http404
    job = ExportJob.objects.filter(token_hash=hash_token(token)).first()
    if job is None:
        raise Http404
    if job.user_id != user.pk:
        raise Http404
    return job
