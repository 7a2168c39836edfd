"""Reads of profiles: lists with a constant number of queries, and the views per audience.

The employer view is built from an allow-list: a field that is not named in
EMPLOYER_FIELDS never reaches an employer, so a field added later is hidden
from employers until someone decides otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from passend.candidates.counts import cached_count
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
        # The stored key, in the index membership_list_by_name: the page is
        # read in order, never sorted (docs/architecture.md, list performance).
        .order_by("sort_name", "pk")
    )
    search = search.strip()
    if search:
        name = Q(user__name__icontains=search)
        for word in search.split():
            name |= Q(candidate_profile__first_name__icontains=word)
            name |= Q(candidate_profile__last_name__icontains=word)
        queryset = queryset.filter(name)
    return queryset


@dataclass(frozen=True)
class ListedCounts:
    """The organisation's active candidates, and how many of them have a profile."""

    candidates: int  # the candidate list's total
    with_profile: int  # the caseload's total

    @property
    def without_profile(self) -> int:
        return self.candidates - self.with_profile


def listed_counts() -> ListedCounts:
    """The unfiltered totals of the candidate list and the caseload: one query,
    then cached until a membership or profile of the organisation changes
    (passend.candidates.counts)."""

    def count() -> ListedCounts:
        counts = Membership.objects.filter(role=Role.CANDIDATE, is_active=True).aggregate(
            candidates=Count("pk"), with_profile=Count("candidate_profile")
        )
        return ListedCounts(candidates=counts["candidates"], with_profile=counts["with_profile"])

    return cached_count("listed", count)


def profile_count() -> int:
    """All the organisation's candidate profiles (the API's unfiltered list), cached."""
    return cached_count("profiles", lambda: CandidateProfile.objects.count())


def candidates_without_profile() -> int:
    """How many of the organisation's candidates have no profile yet: they are
    on the candidates list (to open one) but not yet in the caseload."""
    return listed_counts().without_profile


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
    """The profiles of the organisation by name (the account's, as the pages
    sort), searchable by name (the API's list). Ordered by the stored key in
    the index candidate_list_by_name."""
    queryset = CandidateProfile.objects.select_related("membership__user").order_by(
        "sort_name", "pk"
    )
    search = search.strip()
    if search:
        name = Q(membership__user__name__icontains=search)
        for word in search.split():
            name |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        queryset = queryset.filter(name)
    return queryset


def section_entries(
    profile: CandidateProfile, spec: SectionSpec, *, limit: int | None = None
) -> list[Any]:
    queryset = spec.model.objects.filter(profile=profile)
    if spec.related:
        queryset = queryset.select_related(*spec.related)
    return list(queryset[:limit] if limit is not None else queryset)


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


def employer_view(profile: CandidateProfile, *, with_sections: bool = True) -> dict[str, Any]:
    """What an employer sees of a profile shared with them: the allow-listed
    fields only; with `with_sections`, every entry of the sections shown to
    employers (the page shows `section_windows(for_employer=True)` instead)."""
    view: dict[str, Any] = {"id": profile.pk}
    for name in EMPLOYER_FIELDS:
        view[name] = getattr(profile, name)
    view["name"] = (
        f"{profile.first_name} {profile.last_name}".strip() or profile.membership.user.name
    )
    if with_sections:
        view["sections"] = sections_of(profile, for_employer=True)
    return view


def shares_of(profile: CandidateProfile) -> QuerySet[ProfileShare]:
    """The profile's shares, running and waiting ones first, then stopped ones
    (kept as a record), newest first."""
    return (
        ProfileShare.objects.filter(profile=profile)
        .select_related("employer", "shared_by__user")
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "pk")
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


# A profile page shows at most this many entries of a section, with a link to
# all of them: most sections a person writes themselves stay short, but
# availability exceptions, leave and courses grow with the years.
SHOWN_SECTION_ENTRIES = 20


@dataclass(frozen=True)
class SectionWindow:
    spec: SectionSpec
    entries: list[Any]
    count: int

    @property
    def more(self) -> bool:
        return self.count > len(self.entries)


def section_windows(
    profile: CandidateProfile, *, for_employer: bool = False, size: int = SHOWN_SECTION_ENTRIES
) -> list[SectionWindow]:
    """Every section's first `size` entries and its count: one query per section
    and one for all the counts, however long the profile."""
    specs = [spec for spec in SECTIONS.values() if spec.for_employers or not for_employer]
    counts = (
        CandidateProfile.objects.filter(pk=profile.pk)
        .annotate(
            **{
                f"count_{spec.kind}": Coalesce(
                    Subquery(
                        spec.model.objects.filter(profile=OuterRef("pk"))
                        .order_by()
                        .values("profile")
                        .annotate(n=Count("pk"))
                        .values("n"),
                        output_field=IntegerField(),
                    ),
                    0,
                )
                for spec in specs
            }
        )
        .values(*(f"count_{spec.kind}" for spec in specs))
        .get()
    )
    return [
        SectionWindow(
            spec, section_entries(profile, spec, limit=size), counts[f"count_{spec.kind}"]
        )
        for spec in specs
    ]


def section_window(
    profile: CandidateProfile, spec: SectionSpec, *, size: int = SHOWN_SECTION_ENTRIES
) -> SectionWindow:
    """One section's first `size` entries and its count (after a change)."""
    count = spec.model.objects.filter(profile=profile).count()
    return SectionWindow(spec, section_entries(profile, spec, limit=size), count)


def section_list(profile: CandidateProfile, spec: SectionSpec) -> QuerySet[Any]:
    """Every entry of one section in the section's own order: the paged list."""
    entries = spec.model.objects.filter(profile=profile)
    if spec.related:
        entries = entries.select_related(*spec.related)
    return entries.order_by(*(spec.model._meta.ordering or ()), "pk")
