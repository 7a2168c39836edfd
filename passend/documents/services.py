"""Writes of documents: upload, delete, ID-copy settings, purge.

Upload order (issue 4, part 4; reliability notes, disk-full experiment):
receive into a capped temporary file -> check the content -> scan -> encrypt
and write atomically (temporary name, fsync, link into place) -> only then the
database row, the consent and the audit event, in one transaction. When
anything fails after the file was written, the file is removed again, so a
failure leaves no half file and no row.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.candidates.models import CandidateProfile
from passend.common.scope import organisation_scope
from passend.documents import scanning
from passend.documents.models import Document, DocumentKind, employment_dates_valid
from passend.documents.validation import (
    DOCX,
    JPEG,
    MB,
    MP4,
    PDF,
    PNG,
    WEBP,
    CheckedFile,
    KindRule,
    UploadRejected,
    accepted_text,
    check_upload,
    spool,
)
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import record, record_read
from passend.privacy.consent.models import ConsentPurpose
from passend.privacy.consent.services import consent_give, consent_withdraw
from passend.privacy.datamap import Purpose
from passend.tenancy.models import Membership, Organisation

logger = logging.getLogger(__name__)

IMAGES = frozenset({JPEG, PNG, WEBP})
PAPERS = frozenset({PDF, JPEG, PNG})

DEFAULT_RULES: dict[str, KindRule] = {
    DocumentKind.CV: KindRule(frozenset({PDF, DOCX}), 10 * MB),
    DocumentKind.DIPLOMA: KindRule(PAPERS | {WEBP}, 10 * MB),
    DocumentKind.PERSONNEL: KindRule(frozenset({PDF, DOCX}), 10 * MB),
    DocumentKind.ID_COPY: KindRule(PAPERS, 10 * MB),
    DocumentKind.PASSPORT_PHOTO: KindRule(IMAGES, 5 * MB),
    DocumentKind.PHOTO: KindRule(IMAGES, 10 * MB),
    DocumentKind.VIDEO: KindRule(frozenset({MP4}), 100 * MB),
    DocumentKind.SELF_EMPLOYMENT: KindRule(PAPERS, 10 * MB),
    DocumentKind.OTHER: KindRule(PAPERS | {WEBP, DOCX}, 10 * MB),
}

ORPHAN_GRACE = timedelta(hours=1)


def rule_for(kind: str) -> KindRule:
    """The kind's rule; `PASSEND_DOCUMENT_MAX_BYTES` ({kind: bytes}) overrides sizes."""
    rule = DEFAULT_RULES[kind]
    override = getattr(settings, "PASSEND_DOCUMENT_MAX_BYTES", {}).get(kind)
    return KindRule(rule.types, int(override)) if override else rule


def accepted_for(kind: str) -> str:
    """What the kind accepts, in words, for forms and error messages."""
    return accepted_text(rule_for(kind))


def largest_limit() -> int:
    return max(rule_for(kind).max_bytes for kind in DocumentKind.values)


def _kind(kind: str) -> DocumentKind:
    try:
        return DocumentKind(kind)
    except ValueError:
        raise UploadRejected(_("Choose what kind of document this is."), code="kind") from None


def document_upload(
    *,
    candidate: CandidateProfile,
    kind: str,
    name: str,
    chunks: Iterable[bytes],
    by: Membership,
    consent: bool = False,
    now: datetime | None = None,
) -> Document:
    """Check, scan, encrypt and store an upload; returns the saved Document.

    Raises UploadRejected (with an HTTP status) for anything refused. A
    passport photo is uploaded by the person themselves with `consent=True`:
    the upload records their consent (J7) and replaces an earlier photo.
    `now` is the moment of upload that an ID copy's delete date counts from.
    """
    kind = _kind(kind)
    owner = candidate.membership
    if kind == DocumentKind.PASSPORT_PHOTO:
        if by.pk != owner.pk:
            raise UploadRejected(
                _("Only the candidate can upload a passport photo: it needs their own consent."),
                status=403,
                code="consent_not_theirs",
            )
        if not consent:
            raise UploadRejected(
                _("A passport photo is voluntary: tick that you agree to it being stored."),
                code="consent_missing",
            )
    rule = rule_for(kind)
    with spool(chunks, limit=rule.max_bytes) as spooled:
        size = spooled.seek(0, os.SEEK_END)
        checked = check_upload(name=name, spooled=spooled, size=size, rule=rule)
        scanning.scan(spooled)
    return _store(candidate=candidate, kind=kind, checked=checked, by=by, now=now or timezone.now())


def _store(
    *,
    candidate: CandidateProfile,
    kind: DocumentKind,
    checked: CheckedFile,
    by: Membership,
    now: datetime,
) -> Document:
    document = Document(
        organisation_id=candidate.organisation_id,
        candidate=candidate,
        kind=kind,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        uploaded_by=by.user,
    )
    document.delete_after = document.compute_delete_after(now)
    document.full_clean(exclude=["file"])
    stored: str | None = None
    try:
        with transaction.atomic():
            document.file.save("upload", ContentFile(checked.data), save=False)
            stored = document.file.name
            document.save()
            if kind == DocumentKind.PASSPORT_PHOTO:
                for earlier in Document.objects.filter(
                    candidate=candidate, kind=DocumentKind.PASSPORT_PHOTO
                ).exclude(pk=document.pk):
                    _delete(earlier)
                consent_give(
                    user=candidate.membership.user,
                    organisation=candidate.organisation,
                    purpose=ConsentPurpose.PASSPORT_PHOTO,
                )
            record(
                action=Action.CREATE,
                target=document,
                fields=["kind", "file", "original_name"],
                purpose=Purpose.MEDIATION,
                subject=candidate.membership.user_id,
                actor=by,
            )
    except BaseException as error:
        if stored:
            document.file.storage.delete(stored)
        if isinstance(error, OSError):
            logger.error("Storing a document failed: %s", error.strerror or type(error).__name__)
            raise UploadRejected(
                _("The document could not be stored; try again later."),
                status=503,
                code="storage_failed",
            ) from error
        raise
    return document


def _delete(document: Document) -> None:
    record(
        action=Action.DELETE,
        target=document,
        fields=["file"],
        purpose=Purpose.MEDIATION,
        subject=document.candidate.membership.user_id,
    )
    document.delete()  # the file goes when the transaction commits (apps.py)


def document_delete(*, document: Document, by: Membership) -> None:
    """Delete a document and its file. Deleting the passport photo withdraws
    the consent at the same moment (J7)."""
    with transaction.atomic():
        _delete(document)
        if document.kind == DocumentKind.PASSPORT_PHOTO:
            consent_withdraw(
                user=document.candidate.membership.user,
                organisation=document.candidate.organisation,
                purpose=ConsentPurpose.PASSPORT_PHOTO,
            )


def document_download(*, document: Document, by: Membership) -> bytes:
    """The decrypted content, after checking it is what was stored; audited."""
    data = document.file.read_decrypted()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        logger.error("Stored document does not match its checksum: %s", document.pk)
        raise UploadRejected(_("This document is damaged."), status=500, code="damaged")
    record_read(
        target=document,
        fields=["file"],
        purpose=Purpose.MEDIATION,
        subject=document.candidate.membership.user_id,
        actor=by,
    )
    return data


def document_id_copy_update(
    *,
    document: Document,
    by: Membership,
    bsn_masked: bool,
    hired_at: date | None,
    employment_ended_at: date | None,
) -> Document:
    """Set the professional's facts about an ID copy; recomputes its delete date."""
    if document.kind != DocumentKind.ID_COPY:
        raise UploadRejected(_("Only an ID copy has these settings."), code="not_id_copy")
    if not employment_dates_valid(hired_at, employment_ended_at):
        raise UploadRejected(
            _("The employment cannot end before it started, or without a start date."),
            code="dates",
        )
    with transaction.atomic():
        before = (document.bsn_masked, document.hired_at, document.employment_ended_at)
        document.bsn_masked = bsn_masked
        document.hired_at = hired_at
        document.employment_ended_at = employment_ended_at
        document.delete_after = document.compute_delete_after(document.created_at)
        document.full_clean()
        document.save()
        names = ["bsn_masked", "hired_at", "employment_ended_at"]
        changed = [n for n, old in zip(names, before, strict=True) if getattr(document, n) != old]
        if changed:
            record(
                action=Action.UPDATE,
                target=document,
                fields=[*changed, "delete_after"],
                purpose=Purpose.LEGAL_OBLIGATION,
                subject=document.candidate.membership.user_id,
                actor=by,
            )
    return document


def documents_purge_expired(*, now: datetime | None = None) -> int:
    """Delete every document past its `delete_after`, in every organisation."""
    now = now or timezone.now()
    deleted = 0
    for organisation in Organisation.objects.all():
        with organisation_scope(organisation), transaction.atomic():
            expired = Document.objects.filter(delete_after__lt=now).select_related(
                "candidate__membership"
            )
            for document in expired:
                _delete(document)
                deleted += 1
    return deleted


def documents_sweep_orphans(*, grace: timedelta = ORPHAN_GRACE) -> int:
    """Remove files under documents/ that no row refers to (a crash or a rolled
    back request after the file was written), and stale temporary files.
    Files younger than `grace` are left alone: their row may be committing."""
    storage = Document._meta.get_field("file").storage
    root = storage.path("documents")
    if not os.path.isdir(root):
        return 0
    cutoff = time.time() - grace.total_seconds()
    removed = 0
    for organisation in Organisation.objects.all():
        folder = os.path.join(root, str(organisation.pk))
        if not os.path.isdir(folder):
            continue
        with organisation_scope(organisation):
            known = set(Document.objects.values_list("file", flat=True))
        for entry in os.scandir(folder):
            relative = f"documents/{organisation.pk}/{entry.name}"
            if entry.is_file() and relative not in known and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
    return removed
