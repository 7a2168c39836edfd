"""A pending CV import and the languages a candidate speaks (docs/cvimport.md).

The uploaded file is not kept: it is read once, and only what was proposed
from it is stored, encrypted, until the person has confirmed or dropped each
part (or 30 days have passed).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passend.candidates.models import CandidateProfile, Section
from passend.privacy.crypto.fields import EncryptedTextField
from passend.tenancy.models import OrganisationOwned


class Part(models.TextChoices):
    CONTACT = "contact", _("Contact details")
    WORK = "work", _("Work history")
    EDUCATION = "education", _("Education")
    SKILLS = "skills", _("Skills")
    LANGUAGES = "languages", _("Languages")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    DONE = "done", _("Every part reviewed")


class CvImport(OrganisationOwned):
    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("profile")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    language = models.CharField(_("language of the CV"), max_length=2, blank=True)
    # The proposal as JSON (parts, items, notices): personal data, encrypted.
    proposal = EncryptedTextField(_("proposal"), blank=True)
    reviewed_parts = models.CharField(_("reviewed parts"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("CV import")
        verbose_name_plural = _("CV imports")

    @property
    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(str(self.proposal) or "{}")
        return loaded

    @property
    def reviewed(self) -> list[str]:
        return [part for part in self.reviewed_parts.split(",") if part]


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("Native language")
    FLUENT = "fluent", _("Fluent")
    GOOD = "good", _("Good")
    BASIC = "basic", _("Basic")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ITALIAN = "it", _("Italian")
    PORTUGUESE = "pt", _("Portuguese")
    POLISH = "pl", _("Polish")
    TURKISH = "tr", _("Turkish")
    ARABIC = "ar", _("Arabic")
    BERBER = "ber", _("Berber (Tamazight)")
    FRISIAN = "fy", _("Frisian")
    PAPIAMENTO = "pap", _("Papiamento")
    SOMALI = "so", _("Somali")
    TIGRINYA = "ti", _("Tigrinya")
    PERSIAN = "fa", _("Persian (Farsi)")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    ROMANIAN = "ro", _("Romanian")
    BULGARIAN = "bg", _("Bulgarian")
    CHINESE = "zh", _("Chinese")
    HINDI = "hi", _("Hindi")
    SERBIAN = "sr", _("Serbian")
    CROATIAN = "hr", _("Croatian")
    GREEK = "el", _("Greek")


class LanguageSkill(Section):
    """A language the candidate speaks, and how well (from a CV import)."""

    language = models.CharField(_("language"), max_length=3, choices=Language.choices)
    level = models.CharField(_("level"), max_length=10, choices=LanguageLevel.choices)

    class Meta:
        ordering = ["language"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "language"],
                name="language_skill_once",
                violation_error_message=_("This language is already on the profile."),
            )
        ]
