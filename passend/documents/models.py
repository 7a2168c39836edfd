"""Documents of candidates and workers (J1, P5): CVs, diplomas, ID copies,
passport photos and more, stored encrypted under a name the server makes up."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passend.common.inputs import CAREER_DATE, DateBounds
from passend.documents import retention
from passend.privacy.crypto.fields import EncryptedCharField
from passend.privacy.crypto.files import EncryptedFileField
from passend.tenancy.models import OrganisationOwned


class DocumentKind(models.TextChoices):
    CV = "cv", _("CV")
    DIPLOMA = "diploma", _("Diploma or certificate")
    PERSONNEL = "personnel", _("Personnel document")
    ID_COPY = "id_copy", _("Copy of identity document")
    PASSPORT_PHOTO = "passport_photo", _("Passport photo")
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment declaration")
    OTHER = "other", _("Other document")


# What an employer may ever see of a profile shared with them (P9).
EMPLOYER_VISIBLE_KINDS = frozenset(
    {DocumentKind.CV, DocumentKind.DIPLOMA, DocumentKind.PHOTO, DocumentKind.PASSPORT_PHOTO}
)


def storage_name(instance: Any, filename: str) -> str:
    """Server-made: the organisation and a random name; the uploader's name is never used."""
    return f"documents/{instance.organisation_id}/{uuid.uuid4().hex}"


class Document(OrganisationOwned):
    candidate = models.ForeignKey(
        "candidates.CandidateProfile",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("candidate"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = EncryptedFileField(_("file"), upload_to=storage_name, max_length=200)
    # Encrypted like the file: people name files after what is in them
    # ("paspoort_<BSN>.pdf").
    original_name = EncryptedCharField(
        _("file name"), max_length=255, help_text=_("As uploaded; shown only, never used to store.")
    )
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the stored content"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    bsn_masked = models.BooleanField(
        _("BSN masked"),
        default=False,
        help_text=_("The professional checked that the BSN on this copy is made unreadable."),
    )
    hired_at = models.DateField(_("employment started"), null=True, blank=True)
    input_date_bounds: ClassVar[dict[str, DateBounds]] = dict.fromkeys(
        ("hired_at", "employment_ended_at"), CAREER_DATE
    )
    employment_ended_at = models.DateField(_("employment ended"), null=True, blank=True)
    delete_after = models.DateTimeField(_("delete after"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["delete_after"], name="document_delete_after")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    def compute_delete_after(self, uploaded_at: datetime) -> datetime | None:
        if self.kind != DocumentKind.ID_COPY:
            return None
        return retention.id_copy_delete_after(
            uploaded_at=uploaded_at,
            hired_at=self.hired_at,
            employment_ended_at=self.employment_ended_at,
        )

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def employment_dates_valid(hired_at: date | None, ended_at: date | None) -> bool:
    return ended_at is None or (hired_at is not None and ended_at >= hired_at)
