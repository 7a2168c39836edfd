"""Consent records (J7, GDPR Art. 7): who consented to what, when, under which
version of the privacy statement, and when they withdrew it.

A row is evidence, not a switch: withdrawing sets `withdrawn_at` and a new
consent is a new row, so the history shows every give and withdraw. Absence
of an active row is never consent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from passend.privacy.datamap import Purpose
from passend.tenancy.models import OrganisationOwned


class ConsentPurpose(models.TextChoices):
    """Consents that are narrower than a data-map purpose."""

    PASSPORT_PHOTO = "passport_photo", _("storing and showing your passport photo")
    KEEP_APPLICATIONS = (
        "keep_applications",
        _("keeping your closed applications for a year, to approach you for other vacancies"),
    )


PURPOSE_CHOICES = [*ConsentPurpose.choices, *Purpose.choices]


class Consent(OrganisationOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("person"),
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=PURPOSE_CHOICES)
    statement_version = models.CharField(
        _("privacy statement version"),
        max_length=13,
        blank=True,
        help_text=_("The version of the privacy statement in force when consent was given."),
    )
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
