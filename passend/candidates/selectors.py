"""Reads of profiles: lists with a constant number of queries, and the views per audience.

The employer view is built from an allow-list: a field that is not named in
EMPLOYER_FIELDS never reaches an employer, so a field added later is hidden
from employers until someone decides otherwise.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from passend.candidates.models import CandidateProfile, ContactProfile, ProfileShare, Scheme
from passend.candidates.sections import SECTIONS, SectionSpec
from passend.privacy.audit.services import record_read
from passend.privacy.crypto.blind_index import blind_index
from passend.privacy.datamap import Purpose
from passend.privacy.restriction.gate import ProcessingPurpose
from passend.tenancy.models import Membership, Role

# What an employer sees of a shared profile. Never: BSN, IBAN, ID copy, date
# of birth, gender, nationality, marital status (issue 4, part 7); nor the
# address, contact details, leave, schemes or the self-employment declaration.
EMPLOYER_FIELDS = ("first_name", "last_name", "city", "interests")
SENSITIVE_FIELDS = ("bsn", "iban")


def candidate_memberships(search: str = "") -> QuerySet[Membership]:
    """The organisation's candidates with their profiles (if made yet), searchable by name.

    Never by BSN: see `worker_by_bsn` for the one lookup the payroll allows.
    """
    queryset = (
        Membership.objects.filter(role=Role.CANDIDATE, is_active=True)
        .select_related("user", "candidate_profile")
        .order_by("user__name", "pk")
    )
    search = search.strip()
    if search:
        name = Q(user__name__icontains=search)
        for word in search.split():
            name |= Q(candidate_profile__first_name__icontains=word)
            name |= Q(candidate_profile__last_name__icontains=word)
        queryset = queryset.filter(name)
    return queryset


def candidates_without_profile() -> int:
    """How many of the organisation's candidates have no profile yet: they are
    on the candidates list (to open one) but not yet in the caseload."""
    return Membership.objects.filter(
        role=Role.CANDIDATE, is_active=True, candidate_profile__isnull=True
    ).count()


def worker_by_bsn(bsn: str, *, organisation_id: Any) -> QuerySet[Membership]:
    """The flex worker of the organisation with this BSN (none or one), through the blind index.

    Only for an administrator's payroll lookup (a letter from the tax office
    names a BSN): the BSN is kept for the payroll (Wet op de loonbelasting,
    UAVG art. 46) and may be used to find whom it belongs to, never to browse.
    The encrypted column cannot be searched; the keyed index can, and says
    nothing about the number. Each lookup that finds someone is audited as a
    read of that person's BSN.
    """
    index = blind_index(bsn, organisation=organisation_id, purpose="bsn")
    found = (
        Membership.objects.filter(
            role=Role.CANDIDATE, is_active=True, candidate_profile__bsn_index=index
        )
        .select_related("user", "candidate_profile")
        .order_by("pk")
    )
    for member in found:
        record_read(
            target=member.candidate_profile,
            fields=["bsn"],
            purpose=Purpose.PAYMENTS,
            subject=member.user_id,
            detail="payroll lookup by BSN",
        )
    return found


def candidate_profiles(search: str = "") -> QuerySet[CandidateProfile]:
    """The profiles of the organisation, searchable by name (the API's list)."""
    queryset = CandidateProfile.objects.select_related("membership__user").order_by(
        "last_name", "first_name", "pk"
    )
    search = search.strip()
    if search:
        name = Q(membership__user__name__icontains=search)
        for word in search.split():
            name |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        queryset = queryset.filter(name)
    return queryset


def section_entries(profile: CandidateProfile, spec: SectionSpec) -> list[Any]:
    queryset = spec.model.objects.filter(profile=profile)
    if spec.related:
        queryset = queryset.select_related(*spec.related)
    return list(queryset)


def sections_of(profile: CandidateProfile, *, for_employer: bool = False) -> dict[str, list[Any]]:
    """Every section's entries: one query per section, whatever their number."""
    result: dict[str, list[Any]] = {}
    for kind, spec in SECTIONS.items():
        if for_employer and not spec.for_employers:
            continue
        result[kind] = section_entries(profile, spec)
    return result


def full_view(
    profile: CandidateProfile, *, shown: tuple[str, ...] = SENSITIVE_FIELDS
) -> CandidateProfile:
    """The whole profile for the candidate, their advisors and admins.

    Showing the BSN or IBAN is a read of sensitive data: it is audited, and
    the person sees it under "who looked at my data".
    """
    read = [name for name in shown if getattr(profile, name)]
    if read:
        record_read(
            target=profile,
            fields=read,
            purpose=Purpose.PAYMENTS,
            subject=profile.membership.user_id,
        )
    return profile


def employer_view(profile: CandidateProfile) -> dict[str, Any]:
    """What an employer sees of a profile shared with them: the allow-listed fields only."""
    view: dict[str, Any] = {"id": profile.pk}
    for name in EMPLOYER_FIELDS:
        view[name] = getattr(profile, name)
    view["name"] = (
        f"{profile.first_name} {profile.last_name}".strip() or profile.membership.user.name
    )
    view["sections"] = sections_of(profile, for_employer=True)
    return view


def shares_of(profile: CandidateProfile) -> QuerySet[ProfileShare]:
    return ProfileShare.objects.filter(profile=profile).select_related(
        "employer", "shared_by__user"
    )


def shared_with_employer(actor: Membership) -> QuerySet[CandidateProfile]:
    """Profiles currently shared with the actor's employer (both halves given, not revoked)."""
    shares = ProfileShare.objects.filter(
        employer_id=actor.employer_id,
        revoked_at__isnull=True,
        shared_at__isnull=False,
        candidate_consented_at__isnull=False,
    )
    # While a restriction lasts the share stays stored, but the employer sees nothing.
    return (
        CandidateProfile.objects.filter(pk__in=shares.values("profile_id"))
        .processable_for(ProcessingPurpose.SHARING)
        .select_related("membership__user")
        .order_by("last_name", "first_name", "pk")
    )


def schemes(*, active_only: bool = False) -> QuerySet[Scheme]:
    queryset = Scheme.objects.all()
    return queryset.filter(is_active=True) if active_only else queryset


def contact_profile_of(actor: Membership) -> ContactProfile | None:
    return ContactProfile.objects.filter(membership=actor).first()
