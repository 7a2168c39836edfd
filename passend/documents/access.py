"""Who may see and change which documents. The same 404 for missing and not yours.

Which candidates: `passend.candidates.access.get_candidate_for_actor` (the
candidate their own profile; professionals and admins every candidate of the
organisation; an employer only a profile shared with their employer, while
the share stands). Which documents: employers see only the CV, diplomas and
photos (`EMPLOYER_VISIBLE_KINDS`) and change nothing; an ID copy is never
shown to an employer, whatever is shared.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from passend.candidates import access as candidate_access
from passend.candidates.models import CandidateProfile
from passend.common.adapters import get_or_404
from passend.documents.models import EMPLOYER_VISIBLE_KINDS, Document, DocumentKind
from passend.tenancy.models import Membership, Role

STAFF = (Role.ADMIN, Role.PROFESSIONAL)


def get_candidate_for_actor(actor: Membership, candidate_id: Any) -> CandidateProfile:
    """Whose documents: an employer only of a share that includes documents."""
    candidate = candidate_access.get_candidate_for_actor(actor, candidate_id)
    if actor.role == Role.EMPLOYER and not candidate_access.shares_documents_with(candidate, actor):
        raise Http404
    return candidate


def own_profile(actor: Membership) -> CandidateProfile:
    if actor.role != Role.CANDIDATE:
        raise Http404
    profile = (
        CandidateProfile.objects.select_related("membership__user", "organisation")
        .filter(membership=actor)
        .first()
    )
    if profile is None:
        raise Http404
    return profile


def get_document_for_actor(actor: Membership, document_id: Any) -> Document:
    document: Document = get_or_404(
        Document.objects.select_related("candidate__membership__user", "candidate__organisation"),
        document_id,
    )
    get_candidate_for_actor(actor, document.candidate_id)  # an employer: a share with documents
    if actor.role == Role.EMPLOYER and document.kind not in EMPLOYER_VISIBLE_KINDS:
        raise Http404
    return document


def may_delete(actor: Membership, document: Document) -> bool:
    """Staff may delete any; the candidate their own, except an ID copy that the
    law requires to be kept once they were hired."""
    if actor.role in STAFF:
        return True
    if actor.role != Role.CANDIDATE or document.candidate.membership_id != actor.pk:
        return False
    return not (document.kind == DocumentKind.ID_COPY and document.hired_at is not None)


def may_upload(actor: Membership, candidate: CandidateProfile) -> bool:
    if actor.role in STAFF:
        return True
    return actor.role == Role.CANDIDATE and candidate.membership_id == actor.pk
