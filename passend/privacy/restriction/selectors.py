"""Reads: a person's choices and the administrator's lists.

A feature that picks people (matching, a mailing, a statistic) applies the
gate in its own query: `exclude_blocked()` or `processable_for()` from
passend/privacy/restriction/gate.py (see docs/restriction.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from passend.privacy.restriction.models import ObjectablePurpose, Objection, Restriction
from passend.tenancy.models import Membership


def active_restriction_of(membership: Membership) -> Restriction | None:
    return Restriction.objects.filter(membership=membership, lifted_at__isnull=True).first()


def objected_purposes(membership: Membership) -> set[str]:
    return set(
        Objection.objects.filter(membership=membership, withdrawn_at__isnull=True).values_list(
            "purpose", flat=True
        )
    )


# What each purpose is, and what objecting to it means for the person.
EXPLANATIONS: dict[str, tuple[Promise, Promise]] = {
    ObjectablePurpose.MATCHING: (
        _("Your career advisor and the platform compare your profile with vacancies."),
        _(
            "You will no longer be suggested for vacancies. Your advisor can still coach "
            "you, and you can still share your profile with an employer yourself."
        ),
    ),
    ObjectablePurpose.NEWSLETTER: (
        _("The organisation's newsletter, if you agreed to receive it."),
        _("You will no longer receive the newsletter, even if you agreed to it earlier."),
    ),
    ObjectablePurpose.OFFERS: (
        _("Messages about courses, vacancies and other offers, if you agreed to them."),
        _("You will no longer receive offers by e-mail."),
    ),
    ObjectablePurpose.STATISTICS: (
        _("Counting you in the organisation's anonymised figures and reports."),
        _("You will be left out of the organisation's statistics."),
    ),
    ObjectablePurpose.SCREENING: (
        _("Pre-employment screening that an employer asks the organisation to carry out."),
        _(
            "No screening will be done on your data. An employer that requires screening "
            "may then not be able to hire you through the organisation."
        ),
    ),
}


@dataclass(frozen=True)
class Choice:
    purpose: str
    label: str
    explanation: Promise
    consequence: Promise
    objected: bool


def choices_of(membership: Membership) -> list[Choice]:
    """One row per objectable purpose: does the person object to it now?"""
    objected = objected_purposes(membership)
    return [
        Choice(value, str(label), *EXPLANATIONS[value], objected=value in objected)
        for value, label in ObjectablePurpose.choices
    ]


def restriction_list() -> QuerySet[Restriction]:
    """The organisation's active restrictions, oldest first: they wait longest."""
    return (
        Restriction.objects.filter(lifted_at__isnull=True)
        .select_related("membership__user", "started_by__user")
        .order_by("started_at", "pk")
    )


def members_to_restrict() -> QuerySet[Membership]:
    """The organisation's active members, for an administrator recording a restriction."""
    return (
        Membership.objects.filter(is_active=True)
        .select_related("user")
        .order_by("user__name", "user__email", "pk")
    )


def restriction_history(limit: int = 50) -> QuerySet[Restriction]:
    return (
        Restriction.objects.filter(lifted_at__isnull=False)
        .select_related("membership__user", "lifted_by__user")
        .order_by("-lifted_at", "pk")[:limit]
    )


def objection_list() -> QuerySet[Objection]:
    return (
        Objection.objects.filter(withdrawn_at__isnull=True)
        .select_related("membership__user", "made_by__user")
        .order_by("membership__user__name", "purpose", "pk")
    )
