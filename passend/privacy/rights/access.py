"""Access functions: a person reaches only their own export jobs and the data of
organisations they belong to; anything else is 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404

from passend.privacy.rights.graph import all_rows
from passend.privacy.rights.inventory import ACCOUNT
from passend.privacy.rights.models import ExportJob, hash_token
from passend.tenancy.models import Membership


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


def get_group_for_person(user: Any, group: str) -> Membership | None:
    """The person's membership of organisation `group` (its id), or None for
    "account" (their account itself). Not an id, or an organisation they do not
    belong to: 404, the same answer, so it does not tell whether it exists."""
    if group == ACCOUNT:
        return None
    try:
        organisation_id = UUID(str(group))
    except ValueError:
        raise Http404 from None
    if str(organisation_id) != group:
        raise Http404  # one URL per organisation: its id as the page writes it
    membership = (
        all_rows(Membership)
        .select_related("organisation")
        .filter(user_id=user.pk, organisation_id=organisation_id)
        .first()
    )
    if membership is None:
        raise Http404
    return membership
