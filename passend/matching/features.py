"""The feature set of the matching engine, declared in one place.

Every signal names the model fields it reads. The system check
`matching.E001` compares them with the data map: a field whose category is
protected (gender, date of birth, nationality, marital status, photo,
government identifiers, schemes, health, anything special or sensitive) can
never be a feature. The index builder (passend.matching.index) reads only the
fields listed here, so what is not declared cannot reach a score.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Signal:
    key: str
    label: Promise
    weight: float
    # "app_label.Model.field" of every field the signal reads.
    sources: tuple[str, ...]


SIGNALS: tuple[Signal, ...] = (
    Signal(
        "occupation",
        _("Occupation"),
        0.24,
        (
            "candidates.WorkExperience.occupation",
            # A role or title without an ESCO occupation: the one recognised in its words.
            "candidates.WorkExperience.role",
            "vacancies.Vacancy.occupation",
            "vacancies.Vacancy.title",
            "matching.JobPreference.occupations",
        ),
    ),
    Signal(
        "skills",
        _("Skills"),
        0.26,
        (
            "candidates.CandidateSkill.skill",
            "candidates.WorkExperience.occupation",
            "vacancies.VacancySkill.skill",
            "vacancies.VacancySkill.required",
            "vacancies.Vacancy.occupation",
        ),
    ),
    Signal(
        "text",
        _("What the texts say"),
        0.14,
        (
            "candidates.WorkExperience.role",
            "candidates.WorkExperience.description",
            "candidates.Education.programme",
            "candidates.Course.name",
            "candidates.CandidateSkill.skill",
            "vacancies.Vacancy.title",
            "vacancies.Vacancy.description",
        ),
    ),
    Signal(
        "experience",
        _("Experience"),
        0.10,
        (
            "candidates.WorkExperience.occupation",
            "candidates.WorkExperience.started_on",
            "candidates.WorkExperience.ended_on",
        ),
    ),
    Signal(
        "education",
        _("Education"),
        0.07,
        (
            "candidates.Education.level",
            "candidates.Education.completed",
            "vacancies.Vacancy.education_level",
        ),
    ),
    Signal(
        "hours",
        _("Hours and availability"),
        0.07,
        (
            "candidates.AvailabilitySlot.weekday",
            "candidates.AvailabilitySlot.starts_at",
            "candidates.AvailabilitySlot.ends_at",
            "matching.JobPreference.hours_min",
            "matching.JobPreference.hours_max",
            "vacancies.Vacancy.hours_per_week",
        ),
    ),
    Signal(
        "distance",
        _("Travel distance"),
        0.07,
        (
            "candidates.CandidateProfile.postcode",
            "matching.JobPreference.max_distance_km",
            "vacancies.Vacancy.postcode",
            "vacancies.Vacancy.work_mode",
        ),
    ),
    Signal(
        "preference",
        _("Wishes"),
        0.05,
        (
            "matching.JobPreference.occupations",
            "matching.JobPreference.hours_min",
            "matching.JobPreference.hours_max",
        ),
    ),
)

SIGNAL_KEYS = tuple(signal.key for signal in SIGNALS)
WEIGHTS = {signal.key: signal.weight for signal in SIGNALS}

# Categories that may never be a feature, whatever the map says of their
# sensitivity: what the AI Act and the Dutch equal-treatment law protect, and
# data that tells of them.
PROTECTED_CATEGORIES = frozenset(
    {
        "user.demographic.gender",
        "user.demographic.date_of_birth",
        "user.demographic.marital_status",
        "user.demographic.profile",
        "user.content.self_image",
        "passend.nationality",
        "passend.schemes",
        "passend.leave",
        "passend.id_document",
    }
)
PROTECTED_PREFIXES = (
    "user.government_id",
    "user.health_and_medical",
    "user.biometric",
    "user.criminal_history",
    "user.demographic.racial",
    "user.demographic.religious",
    "user.demographic.political",
    "user.demographic.sexual",
)


def feature_fields() -> set[str]:
    """Every "app_label.Model.field" that some signal reads."""
    return {source for signal in SIGNALS for source in signal.sources}


def protected(category: str, *, sensitive: bool, special: bool) -> bool:
    return (
        sensitive
        or special
        or category in PROTECTED_CATEGORIES
        or category.startswith(PROTECTED_PREFIXES)
    )
