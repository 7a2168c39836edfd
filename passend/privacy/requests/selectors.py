"""Reads of the request desk.

Organisation admins and members read through the scoped manager. The
platform's queue of unrouted requests is not organisation data; only
platform staff read it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from passend.privacy.requests.models import (
    OPEN_STATUSES,
    DataSubjectRequest,
    UnroutedRequest,
    UnroutedStatus,
)
from passend.tenancy.models import Membership, Organisation, OrganisationContact


def request_queue() -> QuerySet[DataSubjectRequest]:
    """The active organisation's open requests, the earliest deadline first."""
    return (
        DataSubjectRequest.objects.filter(status__in=OPEN_STATUSES)
        .select_related("membership__user")
        .order_by("due_on", "received_at")
    )


def requests_closed_recently(limit: int = 50) -> QuerySet[DataSubjectRequest]:
    return (
        DataSubjectRequest.objects.exclude(status__in=OPEN_STATUSES)
        .select_related("answered_by__user")
        .order_by("-answered_at")[:limit]
    )


def request_list_for_member(membership: Membership) -> QuerySet[DataSubjectRequest]:
    """A member's own requests in the active organisation, newest first."""
    return DataSubjectRequest.objects.filter(user_id=membership.user_id).order_by("-received_at")


def request_messages(request: DataSubjectRequest) -> QuerySet[Any]:
    return request.messages.select_related("sent_by__user").order_by("sent_at")


def privacy_contacts() -> QuerySet[OrganisationContact]:
    """Whom a person can turn to (and complain to) in the active organisation."""
    return OrganisationContact.objects.order_by("name")


def organisations_to_choose() -> QuerySet[Organisation]:
    """What the public form offers: the names of active organisations."""
    return Organisation.objects.filter(is_active=True).order_by("name")


def unrouted_queue() -> QuerySet[UnroutedRequest]:
    return UnroutedRequest.objects.filter(status=UnroutedStatus.OPEN).order_by("due_on")


def unrouted_answered(limit: int = 50) -> QuerySet[UnroutedRequest]:
    return UnroutedRequest.objects.exclude(status=UnroutedStatus.OPEN).order_by("-answered_at")[
        :limit
    ]
