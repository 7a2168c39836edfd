"""Reads of documents. Call inside the organisation's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from passend.candidates.models import CandidateProfile
from passend.documents.models import EMPLOYER_VISIBLE_KINDS, Document
from passend.tenancy.models import Membership, Role


def documents_for_actor(*, actor: Membership, candidate: CandidateProfile) -> QuerySet[Document]:
    """The candidate's documents that `actor` may see (access to the candidate
    already checked)."""
    documents = Document.objects.filter(candidate=candidate).select_related("uploaded_by")
    if actor.role == Role.EMPLOYER:
        documents = documents.filter(kind__in=EMPLOYER_VISIBLE_KINDS)
    return documents.order_by("kind", "-created_at")
