"""Reads of vacancies: lists for the people who manage them, a vacancy's history."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from passend.tenancy.models import Membership
from passend.vacancies.access import vacancies_for_actor
from passend.vacancies.models import Vacancy, VacancyEvent, VacancySkill, VacancyStatus


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
