"""Reads of vacancies: lists for the people who manage them, a vacancy's history."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, QuerySet

from passend.candidates.models import CandidateProfile
from passend.tenancy.models import Membership
from passend.vacancies.access import vacancies_for_actor
from passend.vacancies.models import (
    Application,
    ApplicationEvent,
    Stage,
    Vacancy,
    VacancyEvent,
    VacancySkill,
    VacancyStatus,
)


def vacancy_list_for_actor(actor: Membership, *, status: str = "") -> QuerySet[Vacancy]:
    """Newest first, read in the order of an index (vacancy_by_status or _by_employer)."""
    vacancies = vacancies_for_actor(actor).select_related("employer", "occupation")
    if status:
        vacancies = vacancies.filter(status=status)
    return vacancies.order_by("-created_at", "pk")


def skills_of(vacancy: Vacancy) -> list[VacancySkill]:
    return list(VacancySkill.objects.filter(vacancy=vacancy).select_related("skill"))


def history_of(vacancy: Vacancy) -> list[VacancyEvent]:
    return list(
        VacancyEvent.objects.filter(vacancy=vacancy)
        .select_related("by", "copied_from")
        .order_by("created_at", "pk")
    )


def due_to_close(today: date) -> QuerySet[Vacancy]:
    """Published vacancies whose closing date has passed (index vacancy_open_by_closing)."""
    return Vacancy.objects.filter(status=VacancyStatus.PUBLISHED, closing_date__lt=today)


# --- Applications ------------------------------------------------------------


def open_vacancies() -> QuerySet[Vacancy]:
    """The organisation's published vacancies, newest first (what a candidate may apply to)."""
    return (
        Vacancy.objects.filter(status=VacancyStatus.PUBLISHED)
        .select_related("employer")
        .order_by("-published_at", "pk")
    )


def applications_of_candidate(candidate: CandidateProfile) -> QuerySet[Application]:
    """A candidate's applications, newest first, each with its history."""
    return (
        Application.objects.filter(candidate=candidate)
        .select_related("vacancy__employer")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "pk"))
        )
        .order_by("-created_at", "pk")
    )


def pipeline(vacancy: Vacancy) -> dict[str, list[Application]]:
    """The vacancy's applications per stage, in the pipeline's order; oldest first in each."""
    stages: dict[str, list[Application]] = {stage: [] for stage in Stage.values}
    applications = (
        Application.objects.filter(vacancy=vacancy)
        .select_related("candidate__membership__user")
        .prefetch_related("attachments__document")
        .order_by("created_at", "pk")
    )
    for application in applications:
        stages[application.stage].append(application)
    return stages


def application_count(vacancy: Vacancy) -> int:
    return Application.objects.filter(vacancy=vacancy).count()


def application_counts(vacancies: list[Vacancy]) -> dict[object, int]:
    rows = (
        Application.objects.filter(vacancy__in=vacancies)
        .values("vacancy")
        .annotate(n=Count("pk"))
        .values_list("vacancy", "n")
    )
    return dict(rows)
