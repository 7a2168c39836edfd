"""Enqueue an index refresh after commit when what the engine reads changes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from passend.common.tasks import enqueue_on_commit

CANDIDATE_SECTIONS = (
    "candidates.WorkExperience",
    "candidates.Education",
    "candidates.CandidateSkill",
    "candidates.Course",
    "candidates.AvailabilitySlot",
    "matching.JobPreference",
)


def _candidate_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    profile_id = getattr(instance, "profile_id", None) or instance.pk
    organisation_id = instance.organisation_id
    if kwargs.get("signal") is post_delete and sender._meta.label == "candidates.CandidateProfile":
        return
    from passend.matching.tasks import refresh_candidate

    enqueue_on_commit(refresh_candidate, str(organisation_id), str(profile_id))


def _vacancy_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    vacancy_id = getattr(instance, "vacancy_id", None) or instance.pk
    organisation_id = instance.organisation_id
    if kwargs.get("signal") is post_delete and sender._meta.label == "vacancies.Vacancy":
        return
    from passend.matching.tasks import refresh_vacancy

    enqueue_on_commit(refresh_vacancy, str(organisation_id), str(vacancy_id))


def _preference_occupations_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _candidate_changed(type(instance), instance)


def connect() -> None:
    from django.apps import apps

    for label in ("candidates.CandidateProfile", *CANDIDATE_SECTIONS):
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(_candidate_changed, sender=model, dispatch_uid=f"match_{label}_{signal}")
    for label in ("vacancies.Vacancy", "vacancies.VacancySkill"):
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(_vacancy_changed, sender=model, dispatch_uid=f"match_{label}_{signal}")
    preference = apps.get_model("matching.JobPreference")
    m2m_changed.connect(
        _preference_occupations_changed,
        sender=preference.occupations.through,
        dispatch_uid="match_preference_occupations",
    )
