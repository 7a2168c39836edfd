"""/api/v1/documents/: list, upload, download and delete a candidate's documents.

Same rules as the pages (passend/documents/access.py): a candidate works on
their own documents, professionals and admins on every candidate of the
organisation; employers get 404 until profile shares exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from passend.common.api.actor import actor_of, membership_of
from passend.common.api.problems import Problem
from passend.common.api.schemas import problems
from passend.documents import access, selectors, services
from passend.documents.models import Document
from passend.documents.uploads import TOO_LARGE_FLAG
from passend.documents.validation import UploadRejected, too_large
from passend.documents.views import attachment

router = Router(tags=["documents"])


class DocumentOut(Schema):
    id: UUID
    candidate_id: UUID
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    bsn_masked: bool
    delete_after: datetime | None
    created_at: datetime


class UploadIn(Schema):
    kind: str
    candidate_id: UUID | None = None
    consent: bool = False


def _candidate(membership: Any, candidate_id: UUID | None) -> Any:
    if candidate_id is None:
        return access.own_profile(membership)
    return access.get_candidate_for_actor(membership, candidate_id)


@router.get(
    "/",
    response={200: list[DocumentOut], **problems(404)},
    summary="Documents of a candidate",
    description="Without `candidate_id`: the signed-in candidate's own documents.",
    operation_id="documents_list",
)
def documents_list(request: HttpRequest, candidate_id: UUID | None = None) -> Any:
    membership = membership_of(actor_of(request))
    profile = _candidate(membership, candidate_id)
    return list(selectors.documents_for_actor(actor=membership, candidate=profile))


@router.post(
    "/",
    response={201: DocumentOut, **problems(400, 403, 404, 413, 415, 422, 503)},
    summary="Upload a document",
    description=(
        "Multipart form: `kind`, `file`, optional `candidate_id` (staff) and `consent` "
        "(required, by the candidate themselves, for a passport photo). The content is "
        "checked by its bytes; images are re-encoded without metadata."
    ),
    operation_id="documents_upload",
)
def documents_upload(
    request: HttpRequest, data: Form[UploadIn], file: File[UploadedFile | None] = None
) -> Any:
    membership = membership_of(actor_of(request))
    if getattr(request, TOO_LARGE_FLAG, False):
        raise Problem(413, too_large(services.largest_limit()).message)
    if file is None:
        raise Problem(400, _("Choose a file to upload."))
    profile = _candidate(membership, data.candidate_id)
    if not access.may_upload(membership, profile):
        raise Problem(403)
    try:
        document = services.document_upload(
            candidate=profile,
            kind=data.kind,
            name=file.name or "",
            chunks=file.chunks(),
            by=membership,
            consent=data.consent,
        )
    except UploadRejected as rejected:
        raise Problem(rejected.status, rejected.message) from None
    return Status(201, document)


def _document(request: HttpRequest, document_id: UUID) -> tuple[Any, Document]:
    membership = membership_of(actor_of(request))
    return membership, access.get_document_for_actor(membership, document_id)


@router.get(
    "/{document_id}",
    response={200: DocumentOut, **problems(404)},
    summary="A document's details",
    operation_id="documents_detail",
)
def documents_detail(request: HttpRequest, document_id: UUID) -> Any:
    return _document(request, document_id)[1]


@router.get(
    "/{document_id}/download",
    response={200: None, **problems(404)},
    summary="Download a document",
    description="The decrypted file as an attachment; every download is audited.",
    operation_id="documents_download",
)
def documents_download(request: HttpRequest, document_id: UUID) -> HttpResponse:
    membership, document = _document(request, document_id)
    try:
        data = services.document_download(document=document, by=membership)
    except UploadRejected:
        raise Problem(404) from None
    return attachment(data, document)


@router.delete(
    "/{document_id}",
    response={204: None, **problems(403, 404)},
    summary="Delete a document",
    description="Deleting the passport photo also withdraws the consent for it.",
    operation_id="documents_delete",
)
def documents_delete(request: HttpRequest, document_id: UUID) -> Any:
    membership, document = _document(request, document_id)
    if not access.may_delete(membership, document):
        raise Problem(403, _("This document may not be deleted by you."))
    services.document_delete(document=document, by=membership)
    return Status(204, None)
