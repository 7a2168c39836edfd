"""Exports of a person's data (GDPR Art. 15 and 20; promises J9, P10).

An export the person makes themselves spans every organisation they belong
to, so it is not organisation-owned: it belongs to the person, and its zip is
encrypted under the platform's data key. An export an organisation prepares
through its request desk (`organisation_id` set) holds that organisation's
data only; it still belongs to the person, who alone can download it. The
download link's secret is stored only as a hash; the link works once and
until `expires_at`.

One export in progress per person and per party that asked: one the person
asked for themselves, and one per organisation that prepares one for them.
An organisation's export never blocks or replaces the person's own, and the
other way round.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.privacy.crypto.files import EncryptedFileField


class Scope(models.TextChoices):
    ACCESS = "access", _("Everything we hold about you (right of access)")
    PORTABILITY = (
        "portability",
        _("What you provided, to take to another service (right to data portability)"),
    )


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("being prepared")
    READY = "ready", _("ready to download")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")
    DOWNLOADED = "downloaded", _("downloaded")


ACTIVE = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def export_name(instance: ExportJob, filename: str) -> str:
    """Server-made, never the person's name: exports/<random>."""
    return f"exports/{uuid.uuid4().hex}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ExportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = EncryptedFileField(
        _("export file"),
        upload_to=export_name,
        max_length=200,
        blank=True,
        organisation_field=None,  # the platform's key: an export spans organisations
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    token_hash = models.CharField(
        _("download token (hash)"), max_length=64, null=True, blank=True, unique=True
    )
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)
    # Set when an organisation prepared the export through its request desk:
    # it holds that organisation's data only. Empty: the person's own export.
    organisation_id = models.UUIDField(
        _("prepared for organisation"),
        null=True,
        blank=True,
        help_text=_("Empty when the person asked for the export themselves."),
    )
    requested_by_user_id = models.BigIntegerField(_("requested by"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        constraints = [
            # One export in progress per person: a second request gets the first.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status__in=["queued", "running"], organisation_id__isnull=True),
                name="rights_one_active_export_per_user",
            ),
            # And one per person for each organisation that prepares one for them.
            models.UniqueConstraint(
                fields=["user", "organisation_id"],
                condition=models.Q(status__in=["queued", "running"], organisation_id__isnull=False),
                name="rights_one_active_export_per_user_and_org",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="rights_export_expiry")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def for_organisation(self) -> bool:
        """Prepared by an organisation (its data only), not asked for by the person."""
        return self.organisation_id is not None

    def is_expired(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.expires_at is not None and self.expires_at <= moment  # type: ignore[operator]
