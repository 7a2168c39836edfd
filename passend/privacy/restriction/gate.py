"""The gate: may this person's data be processed for this purpose?

One notion, used everywhere processing happens:

- an active restriction (Art. 18) blocks every purpose below: the data stays
  stored, and is otherwise used only for legal claims;
- an active objection (Art. 21) blocks its own purpose only.

Querysets use `exclude_blocked(queryset, purpose)` (a NOT EXISTS per kind of
record, in the same query: no per-row queries); single objects use
`assert_may_process(membership, purpose)`, which raises `ProcessingBlocked`.
Transfers to recipients are checked by `blocked_transfer_subjects()` from
`passend.privacy.recipients.transfer()`.

The subqueries read restrictions and objections without the organisation
scope: each is bounded to the membership at hand (the membership carries its
organisation), so the gate also works in tasks and in transfer(), which may
run outside a request's scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from passend.common.scope import current_organisation, has_scope
from passend.privacy.datamap import Purpose
from passend.privacy.restriction.models import ObjectablePurpose, Objection, Restriction
from passend.tenancy.models import Membership

QS = TypeVar("QS", bound=QuerySet[Any])


class ProcessingPurpose(models.TextChoices):
    """What the gate is asked about: the objectable purposes and two kinds of disclosure."""

    MATCHING = "matching", _("matching with vacancies")
    NEWSLETTER = "newsletter", _("the newsletter")
    OFFERS = "offers", _("offers")
    STATISTICS = "statistics", _("statistics")
    SCREENING = "screening", _("pre-employment screening")
    SHARING = "sharing", _("sharing with employers")
    TRANSFER = "transfer", _("transfers to recipients")


# Restriction leaves only storage and legal claims, so it blocks every purpose
# the gate knows; an objection blocks the purpose of the same name.
RESTRICTION_BLOCKS = frozenset(ProcessingPurpose)
OBJECTABLE = frozenset(ObjectablePurpose.values)

# A transfer for one of these data-map purposes is also the objectable purpose.
# Mediation is not matching: it covers assignments the person already has.
OBJECTABLE_BY_DATA_PURPOSE = {
    Purpose.NEWSLETTER: ObjectablePurpose.NEWSLETTER,
    Purpose.OFFERS: ObjectablePurpose.OFFERS,
    Purpose.STATISTICS: ObjectablePurpose.STATISTICS,
    Purpose.SCREENING: ObjectablePurpose.SCREENING,
}

RESTRICTED = "restricted"
OBJECTED = "objected"


class ProcessingBlocked(Exception):
    """The person restricted processing, or objected to this purpose: do not process."""

    def __init__(self, purpose: ProcessingPurpose, because: str) -> None:
        self.purpose = purpose
        self.because = because
        if because == RESTRICTED:
            message = _(
                "This person has restricted the processing of their data: "
                "it may not be used for %(purpose)s."
            )
        else:
            message = _("This person objects to the use of their data for %(purpose)s.")
        self.message = message % {"purpose": purpose.label}
        super().__init__(str(self.message))


def _purpose(purpose: Any) -> ProcessingPurpose:
    return ProcessingPurpose(getattr(purpose, "value", purpose))


def active_restrictions() -> QuerySet[Restriction]:
    return Restriction.objects.unscoped().filter(lifted_at__isnull=True)


def active_objections(purpose: Any | None = None) -> QuerySet[Objection]:
    objections = Objection.objects.unscoped().filter(withdrawn_at__isnull=True)
    if purpose is not None:
        objections = objections.filter(purpose=str(getattr(purpose, "value", purpose)))
    return objections


def exclude_blocked(queryset: QS, purpose: Any, membership_path: str = "membership") -> QS:
    """`queryset` without the rows of people whose data may not be processed for `purpose`.

    `membership_path` leads from the queryset's model to the person's
    membership ("membership", "profile__membership"; "pk" for a queryset of
    memberships). Adds NOT EXISTS subqueries to the same query.
    """
    wanted = _purpose(purpose)
    person = OuterRef(membership_path)
    if wanted in RESTRICTION_BLOCKS:
        queryset = queryset.filter(~Exists(active_restrictions().filter(membership=person)))
    if wanted.value in OBJECTABLE:
        objections = active_objections(wanted).filter(membership=person)
        queryset = queryset.filter(~Exists(objections))
    return queryset


def blocked_because(membership: Any, purpose: Any) -> str | None:
    """RESTRICTED, OBJECTED or None (may be processed); one query."""
    wanted = _purpose(purpose)
    person = OuterRef("pk")
    flags = (
        Membership.objects.unscoped()
        .filter(pk=getattr(membership, "pk", membership))
        .annotate(
            restricted=Exists(active_restrictions().filter(membership=person)),
            objected=Exists(active_objections(wanted).filter(membership=person)),
        )
        .values_list("restricted", "objected")
        .first()
    )
    if flags is None:
        return None
    restricted, objected = flags
    if restricted and wanted in RESTRICTION_BLOCKS:
        return RESTRICTED
    if objected and wanted.value in OBJECTABLE:
        return OBJECTED
    return None


def may_process(membership: Any, purpose: Any) -> bool:
    return blocked_because(membership, purpose) is None


def assert_may_process(membership: Any, purpose: Any) -> None:
    """Raise ProcessingBlocked when `membership`'s data may not be processed for `purpose`."""
    because = blocked_because(membership, purpose)
    if because is not None:
        raise ProcessingBlocked(_purpose(purpose), because)


def blocked_transfer_subjects(
    people: Iterable[tuple[int | None, Any]], data_purpose: Any
) -> set[int]:
    """The users among `people` about whom nothing may go to a recipient for `data_purpose`.

    `people` are (user id, organisation id) pairs. A record without an
    organisation is judged by the active scope's organisation; outside any
    scope, by every organisation the person belongs to (failing closed).
    Two queries, however many people.
    """
    scope_id = current_organisation().pk if has_scope() else None
    wanted: dict[int, set[Any]] = {}
    for user_id, organisation_id in people:
        if user_id is None:
            continue
        wanted.setdefault(user_id, set()).add(organisation_id or scope_id)
    if not wanted:
        return set()
    objectable = OBJECTABLE_BY_DATA_PURPOSE.get(
        Purpose(getattr(data_purpose, "value", data_purpose))
    )
    rows = list(
        active_restrictions()
        .filter(membership__user_id__in=wanted)
        .values_list("membership__user_id", "organisation_id")
    )
    if objectable is not None:
        rows += list(
            active_objections(objectable)
            .filter(membership__user_id__in=wanted)
            .values_list("membership__user_id", "organisation_id")
        )
    return {
        user_id
        for user_id, organisation_id in rows
        if None in wanted[user_id] or organisation_id in wanted[user_id]
    }
