"""Reads: a person's choices, the admin's list, and the audiences every feature must use.

`mailing_audience()` and `statistics_population()` are the only ways to pick
people for a mailing or a statistic; `candidates_for_matching()` (in
passend/candidates/selectors.py) is the one for matching. Each applies the
gate in the same query. Call them inside the organisation's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from passend.privacy.consent.models import Consent
from passend.privacy.datamap import Purpose
from passend.privacy.restriction.gate import ProcessingPurpose, exclude_blocked
from passend.privacy.restriction.models import ObjectablePurpose, Objection, Restriction
from passend.tenancy.models import Membership

MAILINGS = {
    ProcessingPurpose.NEWSLETTER: Purpose.NEWSLETTER,
    ProcessingPurpose.OFFERS: Purpose.OFFERS,
}


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


def mailing_audience(purpose: Any) -> QuerySet[Membership]:
    """The members who may receive the newsletter or offers.

    Consent is the basis of both (e-mail marketing, Telecommunicatiewet art.
    11.7), so only members with an active consent for the purpose are in;
    a restriction or an objection to the purpose takes them out again.
    """
    wanted = ProcessingPurpose(getattr(purpose, "value", purpose))
    if wanted not in MAILINGS:
        raise ValueError(f"{wanted.value!r} is not a mailing.")
    consented = Consent.objects.filter(
        organisation=OuterRef("organisation"),
        user=OuterRef("user"),
        purpose=MAILINGS[wanted].value,
        withdrawn_at__isnull=True,
    )
    members = Membership.objects.filter(is_active=True).filter(Exists(consented))
    return (
        exclude_blocked(members, wanted, membership_path="pk").select_related("user").order_by("pk")
    )


def statistics_population(role: str | None = None) -> QuerySet[Membership]:
    """The members who may be counted in statistics: restricted and objecting people are not."""
    members = Membership.objects.filter(is_active=True)
    if role is not None:
        members = members.filter(role=role)
    return exclude_blocked(members, ProcessingPurpose.STATISTICS, membership_path="pk")
