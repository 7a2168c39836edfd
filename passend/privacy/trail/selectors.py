"""Reading the audit trail: an organisation's trail for its admins, and a person's
"who looked at my data"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.privacy.audit.models import DISCLOSURES, Action, ActorKind, AuditEvent
from passend.privacy.datamap import Purpose
from passend.tenancy.models import Membership, Organisation, Role

SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class TrailFilters:
    action: str = ""
    actor: str = ""  # a membership id, or "system"
    target_model: str = ""
    purpose: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def trail_for_organisation(
    *, organisation: Organisation, filters: TrailFilters | None = None
) -> QuerySet[AuditEvent]:
    """The organisation's own events, newest first. Needs the organisation's scope."""
    filters = filters or TrailFilters()
    events = AuditEvent.objects.filter(organisation_id=organisation.pk)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor == SYSTEM_ACTOR:
        events = events.exclude(actor_kind=ActorKind.USER)
    elif filters.actor:
        events = events.filter(actor_membership_id=filters.actor)
    if filters.target_model:
        events = events.filter(target_model=filters.target_model)
    if filters.purpose:
        events = events.filter(purpose=filters.purpose)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(occurred_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    return events.order_by("-id")


def target_types_for_organisation(*, organisation: Organisation) -> list[tuple[str, str]]:
    labels = (
        AuditEvent.objects.filter(organisation_id=organisation.pk)
        .order_by("target_model")
        .values_list("target_model", flat=True)
        .distinct()
    )
    return [(label, model_name(label)) for label in labels]


def actors_for_organisation(*, organisation: Organisation) -> list[tuple[str, str]]:
    """Everyone who has been a member (also those no longer active), by name."""
    members = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    return [(str(m.pk), f"{m.user.name or m.user.email} ({m.get_role_display()})") for m in members]


def model_name(label: str) -> str:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name)


def field_names(label: str, names: Sequence[str]) -> list[str]:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return list(names)
    shown = []
    for name in names:
        try:
            shown.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            shown.append(name)
    return shown


def purpose_label(value: str) -> str:
    try:
        return str(Purpose(value).label)
    except ValueError:
        return value


def role_label(value: str) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return value


@dataclass
class TrailRow:
    event: AuditEvent
    actor: str
    subject: str
    target: str
    fields: list[str] = field(default_factory=list)
    purpose: str = ""


def _actor_text(event: AuditEvent, members: dict[UUID, Membership]) -> str:
    if event.actor_kind == ActorKind.SYSTEM:
        return _("Passend (automated)")
    if event.actor_kind == ActorKind.ANONYMOUS:
        return _("Someone not signed in")
    member = members.get(event.actor_membership_id) if event.actor_membership_id else None
    if member is not None:
        return f"{member.user.name or member.user.email} ({role_label(event.actor_role)})"
    if event.actor_membership_id is None:
        # A signed-in person acting outside this organisation's membership:
        # platform support under a grant, or an account-level action.
        return _("Person #%(id)s without a membership here") % {"id": event.actor_user_id}
    return _("Former member #%(id)s (%(role)s)") % {
        "id": event.actor_user_id,
        "role": role_label(event.actor_role),
    }


def describe_trail(events: Sequence[AuditEvent], *, organisation: Organisation) -> list[TrailRow]:
    """Names for the references on one page of an organisation's trail: two queries."""
    actor_ids = {e.actor_membership_id for e in events if e.actor_membership_id}
    subject_ids = {e.subject_user_id for e in events if e.subject_user_id}
    members = {
        m.pk: m
        for m in Membership.objects.filter(
            organisation=organisation, pk__in=actor_ids
        ).select_related("user")
    }
    subjects = {
        m.user_id: m
        for m in Membership.objects.filter(
            organisation=organisation, user_id__in=subject_ids
        ).select_related("user")
    }
    rows = []
    for event in events:
        subject = ""
        if event.subject_user_id:
            member = subjects.get(event.subject_user_id)
            subject = (
                (member.user.name or member.user.email)
                if member
                else _("Person #%(id)s") % {"id": event.subject_user_id}
            )
        rows.append(
            TrailRow(
                event=event,
                actor=_actor_text(event, members),
                subject=subject,
                target=model_name(event.target_model),
                fields=field_names(event.target_model, event.fields),
                purpose=purpose_label(event.purpose),
            )
        )
    return rows


def disclosures_for_subject(*, user: Any) -> QuerySet[AuditEvent]:
    """Every view, export or transfer of this person's data, in every organisation.

    Crosses organisations, bounded to the person's own events.
    """
    return (
        AuditEvent.objects.unscoped()
        .filter(subject_user_id=user.pk, action__in=DISCLOSURES)
        .order_by("-occurred_at", "-id")
    )


@dataclass
class DisclosureRow:
    event: AuditEvent
    organisation: str
    viewer: str
    role: str
    target: str
    fields: list[str] = field(default_factory=list)
    purpose: str = ""


def describe_disclosures(events: Sequence[AuditEvent], *, user: Any) -> list[DisclosureRow]:
    """Who (name and role in that organisation), where, when, what and why: two queries."""
    organisation_ids = {e.organisation_id for e in events if e.organisation_id}
    membership_ids = {e.actor_membership_id for e in events if e.actor_membership_id}
    organisations = {o.pk: o.name for o in Organisation.objects.filter(pk__in=organisation_ids)}
    viewers = {
        m.pk: m
        for m in Membership.objects.unscoped().filter(pk__in=membership_ids).select_related("user")
    }
    rows = []
    for event in events:
        organisation = (
            organisations.get(event.organisation_id, _("a former organisation"))
            if event.organisation_id
            else _("Passend (the platform)")
        )
        role = role_label(event.actor_role) if event.actor_role else ""
        if event.actor_kind == ActorKind.SYSTEM:
            viewer = _("an automated process")
        elif event.actor_kind == ActorKind.ANONYMOUS:
            viewer = _("someone not signed in")
        elif event.actor_user_id == user.pk:
            viewer = _("you")
        elif event.action == Action.GRANT_USE or event.actor_membership_id is None:
            viewer = _("Passend support staff, under access your organisation granted")
        else:
            member = viewers.get(event.actor_membership_id)
            viewer = (member.user.name or member.user.email) if member else _("a former member")
        rows.append(
            DisclosureRow(
                event=event,
                organisation=organisation,
                viewer=viewer,
                role=role,
                target=model_name(event.target_model),
                fields=field_names(event.target_model, event.fields),
                purpose=purpose_label(event.purpose),
            )
        )
    return rows
