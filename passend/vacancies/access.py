"""Who may see and manage vacancies; 404 for "missing" and "not yours" alike.

Career advisors and admins manage every vacancy of the organisation, on an
employer's behalf. An employer's contact persons manage their own company's
vacancies and never see another company's. Candidates do not manage
vacancies (they will apply to published ones).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from passend.candidates.models import CandidateProfile
from passend.common.adapters import get_or_404
from passend.tenancy.models import Membership, Role
from passend.vacancies.models import Application, Vacancy, VacancyStatus

MANAGERS = (Role.ADMIN, Role.PROFESSIONAL)
EDITORS = (*MANAGERS, Role.EMPLOYER)


def vacancies_for_actor(actor: Membership) -> QuerySet[Vacancy]:
    """The vacancies `actor` may see and manage (none for other roles)."""
    if actor.role in MANAGERS:
        return Vacancy.objects.all()
    if actor.role == Role.EMPLOYER and actor.employer_id is not None:
        return Vacancy.objects.filter(employer_id=actor.employer_id)
    return Vacancy.objects.none()


def get_vacancy_for_actor(actor: Membership, vacancy_id: Any) -> Vacancy:
    vacancy: Vacancy = get_or_404(
        vacancies_for_actor(actor).select_related("employer", "occupation"), vacancy_id
    )
    return vacancy


def may_choose_employer(actor: Membership) -> bool:
    """Advisors and admins post on behalf of any employer; a contact for their own."""
    return actor.role in MANAGERS


# --- Applications ------------------------------------------------------------


def own_profile(actor: Membership) -> CandidateProfile | None:
    """A candidate's own profile (None for other roles, or before it exists)."""
    if actor.role != Role.CANDIDATE:
        return None
    return CandidateProfile.objects.filter(membership=actor).first()


def get_open_vacancy(actor: Membership, vacancy_id: Any) -> Vacancy:
    """A published vacancy of the organisation, as a candidate sees it."""
    if actor.role != Role.CANDIDATE:
        raise Http404
    vacancy: Vacancy = get_or_404(
        Vacancy.objects.filter(status=VacancyStatus.PUBLISHED).select_related("employer"),
        vacancy_id,
    )
    return vacancy


def applications_for_actor(actor: Membership) -> QuerySet[Application]:
    """The applications `actor` may see: a candidate their own; whoever manages
    a vacancy, the applications to it."""
    if actor.role == Role.CANDIDATE:
        return Application.objects.filter(candidate__membership=actor)
    # None for anyone else: vacancies_for_actor is empty for them.
    return Application.objects.filter(vacancy__in=vacancies_for_actor(actor))


def get_application_for_actor(actor: Membership, application_id: Any) -> Application:
    application: Application = get_or_404(
        applications_for_actor(actor).select_related(
            "vacancy__employer", "candidate__membership__user"
        ),
        application_id,
    )
    return application
