"""Reads of the request desk.

Organisation admins and members read through the scoped manager. The
platform's queue of unrouted requests is not organisation data; only
platform staff read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from passend.privacy.requests.models import (
    DISCLOSING_KINDS,
    OPEN_STATUSES,
    DataSubjectRequest,
    RequestKind,
    UnroutedRequest,
    UnroutedStatus,
)
from passend.privacy.restriction.models import ObjectablePurpose, Restriction
from passend.privacy.restriction.selectors import active_restriction_of, objected_purposes
from passend.privacy.rights import inventory
from passend.privacy.rights.corrections import correction_page
from passend.privacy.rights.models import ExportJob
from passend.privacy.rights.selectors import organisation_exports_of
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


def desk_exports(request: DataSubjectRequest) -> list[ExportJob]:
    """The exports this organisation prepared for the person the request is about."""
    if request.kind not in DISCLOSING_KINDS or request.membership is None:
        return []
    return organisation_exports_of(request.membership.user_id, request.organisation_id)


@dataclass(frozen=True)
class ChoicesNow:
    """What the member the request is about has restricted or objected to now."""

    restriction: Restriction | None
    objections: list[str]


def choices_now(request: DataSubjectRequest) -> ChoicesNow | None:
    if (
        request.kind not in (RequestKind.RESTRICTION, RequestKind.OBJECTION)
        or request.membership is None
    ):
        return None
    objected = objected_purposes(request.membership)
    labels = [str(label) for value, label in ObjectablePurpose.choices if value in objected]
    return ChoicesNow(active_restriction_of(request.membership), labels)


def correction_link(request: DataSubjectRequest) -> str | None:
    """For a rectification: the page where an advisor or admin corrects the disputed
    row (each app registers its pages in its privacy.py). None when there is none."""
    if request.kind != RequestKind.RECTIFICATION or request.membership_id is None:
        return None
    label, object_id = request.disputed_model, request.disputed_object_id
    if not (label and object_id):
        return None
    return correction_page(label, object_id, request.membership_id)


def disputable_fields(model_label: str) -> list[tuple[str, str]]:
    """The fields of one record a person can name in a dispute (from the data map)."""
    return inventory.disputable_fields(model_label)


def kind_dispute_choices(user: Any, group: str, kind: str) -> list[tuple[str, str]]:
    """("<model label>:<field>", readable name) of the fields of one kind of data the
    person may dispute in one organisation (or "account"); empty for an unknown kind."""
    return inventory.kind_disputable_fields(user.pk, group, kind)


def kind_label(kind: str) -> str:
    return inventory.kind_label(kind)


def disputed_record_id(user: Any, group: str, model_label: str) -> str:
    """The disputed record, when the person has just one of that model there."""
    return inventory.only_record_id(user.pk, group, model_label)


def disputed_record_label(model_label: str) -> str:
    """A readable name of the kind of record, e.g. "candidate profile"."""
    for info in inventory.model_infos():
        if info.label == model_label:
            return str(info.model._meta.verbose_name)
    return ""


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
