"""Who may see and change a candidate's profile; 404 for "missing" and "not yours" alike.

- a candidate: their own profile only;
- career advisors and admins: every candidate of the organisation (the caseload);
- an employer contact: only a profile shared with their employer, with both the
  candidate's consent and an advisor's action, and not revoked. What they
  see is the employer view (selectors.employer_view), never the full profile.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from passend.candidates.models import CandidateProfile, ProfileShare, Scheme, Section
from passend.common.adapters import get_or_404
from passend.privacy.restriction.gate import ProcessingPurpose, exclude_blocked
from passend.tenancy.models import Membership, Role

MANAGERS = (Role.ADMIN, Role.PROFESSIONAL)


def is_shared_with(
    candidate: CandidateProfile, actor: Membership, *, documents: bool = False
) -> bool:
    """Whether the profile is shared with the actor's employer now; with
    `documents`, whether that share includes the CV, diplomas and photos."""
    shares = ProfileShare.objects.filter(
        profile=candidate,
        employer_id=actor.employer_id,
        revoked_at__isnull=True,
        shared_at__isnull=False,
        candidate_consented_at__isnull=False,
    )
    if documents:
        shares = shares.filter(includes_documents=True)
    # A restriction hides the profile from the employer while it lasts (the share stays).
    return exclude_blocked(shares, ProcessingPurpose.SHARING, "profile__membership").exists()


def get_candidate_for_actor(actor: Membership, candidate_id: Any) -> CandidateProfile:
    candidate: CandidateProfile = get_or_404(
        CandidateProfile.objects.select_related("membership__user"), candidate_id
    )
    if actor.role == Role.CANDIDATE and candidate.membership_id == actor.pk:
        return candidate
    if actor.role in MANAGERS:
        return candidate
    if actor.role == Role.EMPLOYER and actor.employer_id and is_shared_with(candidate, actor):
        return candidate
    raise Http404


def shares_documents_with(candidate: CandidateProfile, actor: Membership) -> bool:
    """An employer sees a candidate's CV, diplomas and photos only through a
    running share that includes them."""
    return (
        actor.role == Role.EMPLOYER
        and bool(actor.employer_id)
        and is_shared_with(candidate, actor, documents=True)
    )


def get_candidate_for_editor(actor: Membership, candidate_id: Any) -> CandidateProfile:
    """The candidate themselves, or an advisor or admin; employers never edit."""
    if actor.role == Role.EMPLOYER:
        raise Http404
    return get_candidate_for_actor(actor, candidate_id)


def get_entry_for_actor(
    actor: Membership, candidate: CandidateProfile, model: type[Section], entry_id: Any
) -> Section:
    """An entry of a section of `candidate`, who must already be the actor's to edit."""
    if actor.role == Role.EMPLOYER:
        raise Http404
    entry: Section = get_or_404(model.objects.filter(profile=candidate), entry_id)
    return entry


def get_share_for_actor(actor: Membership, share_id: Any) -> ProfileShare:
    """The candidate whose profile it is, or an advisor or admin; employers cannot revoke."""
    share: ProfileShare = get_or_404(
        ProfileShare.objects.select_related("profile", "employer"), share_id
    )
    if actor.role == Role.CANDIDATE and share.profile.membership_id == actor.pk:
        return share
    if actor.role in MANAGERS:
        return share
    raise Http404


def get_scheme_for_actor(actor: Membership, scheme_id: Any) -> Scheme:
    if actor.role != Role.ADMIN:
        raise Http404
    scheme: Scheme = get_or_404(Scheme.objects.all(), scheme_id)
    return scheme


def get_candidate_membership_for_actor(actor: Membership, membership_id: Any) -> Membership:
    """A candidate's membership, for an advisor or admin opening their profile."""
    if actor.role not in MANAGERS:
        raise Http404
    member: Membership = get_or_404(
        Membership.objects.filter(role=Role.CANDIDATE).select_related("user"), membership_id
    )
    return member
