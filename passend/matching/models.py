"""Matching: what the engine reads (indexes), what a candidate prefers, and the
log of every ranking shown (docs/matching.md).

`CandidateIndex` and `VacancyIndex` hold the features the engine scores, as
the background job derived them from the profile or the vacancy: only fields
the feature declaration allows (passend.matching.features), never a protected
one. `JobPreference` is what a candidate wants. `Ranking` and `RankingEntry`
are the log the AI Act asks of a high-risk recruitment system: who asked,
when, with which model and data, and what was shown, with why.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from passend.candidates.models import CandidateProfile
from passend.taxonomy.models import Occupation
from passend.tenancy.models import OrganisationOwned
from passend.vacancies.models import Vacancy


class IndexedFeatures(OrganisationOwned):
    """Features derived for the engine; rebuilt whenever the source changes."""

    # Unit-length float32 embedding of the summary text; empty in model-free mode.
    vector = models.BinaryField(_("embedding"), blank=True, default=b"")
    model_id = models.CharField(_("model"), max_length=80, blank=True, default="")
    # {"skills": {skill id: weight}, "occupations": {occupation id: years}, ...}
    features = models.JSONField(_("features"), default=dict)
    text_truncated = models.BooleanField(_("text truncated for embedding"), default=False)
    indexed_at = models.DateTimeField(_("indexed at"), db_index=True)

    class Meta:
        abstract = True


class CandidateIndex(IndexedFeatures):
    profile = models.OneToOneField(
        CandidateProfile, on_delete=models.CASCADE, related_name="match_index"
    )

    class Meta:
        verbose_name = _("candidate index entry")
        verbose_name_plural = _("candidate index entries")
        indexes = [models.Index(fields=["organisation", "indexed_at"], name="cand_index_fresh")]


class VacancyIndex(IndexedFeatures):
    vacancy = models.OneToOneField(Vacancy, on_delete=models.CASCADE, related_name="match_index")

    class Meta:
        verbose_name = _("vacancy index entry")
        verbose_name_plural = _("vacancy index entries")
        indexes = [models.Index(fields=["organisation", "indexed_at"], name="vac_index_fresh")]


class JobPreference(OrganisationOwned):
    """What a candidate looks for: one of the signals, in the candidate's own words."""

    profile = models.OneToOneField(
        CandidateProfile, on_delete=models.CASCADE, related_name="job_preference"
    )
    occupations = models.ManyToManyField(
        Occupation,
        blank=True,
        related_name="+",
        verbose_name=_("work I would like to do"),
    )
    max_distance_km = models.PositiveSmallIntegerField(
        _("how far I want to travel (km)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(300)],
    )
    hours_min = models.PositiveSmallIntegerField(
        _("at least (hours a week)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    hours_max = models.PositiveSmallIntegerField(
        _("at most (hours a week)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("job preference")
        verbose_name_plural = _("job preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_min__isnull=True)
                | models.Q(hours_max__isnull=True)
                | models.Q(hours_min__lte=models.F("hours_max")),
                name="job_preference_hours_in_order",
                violation_error_message=_("The least hours must not be more than the most."),
            )
        ]


class Direction(models.TextChoices):
    CANDIDATES = "candidates", _("candidates for a vacancy")
    VACANCIES = "vacancies", _("vacancies for a candidate")


class Ranking(OrganisationOwned):
    """One ranking shown to someone: the AI Act log (Art. 12, 26(6))."""

    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    candidate = models.ForeignKey(
        CandidateProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who asked: an actor's reference, cleared when the account goes.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    requested_at = models.DateTimeField(_("asked at"), db_index=True)
    model_id = models.CharField(_("model"), max_length=80)
    data_version = models.CharField(_("data version"), max_length=80)
    considered = models.PositiveIntegerField(_("considered"), default=0)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")


class RankingEntry(OrganisationOwned):
    """One result of a ranking, with the explanation that was shown."""

    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries")
    candidate = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="ranking_entries"
    )
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("place"))
    score = models.FloatField(_("score"))
    explanation = models.JSONField(_("why"), default=dict)

    class Meta:
        ordering = ["ranking", "position"]
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        indexes = [models.Index(fields=["candidate", "-created_at"], name="ranking_entry_person")]
