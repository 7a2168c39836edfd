"""Vacancies in the API (/api/v1/vacancies/), and the public feed of
published vacancies (/api/v1/public/vacancies, no token).

The same rules as the pages: career advisors and admins manage every vacancy
of the organisation, an employer's contact person their company's; another
company's or organisation's vacancy is a 404; bad input is a 422 problem and
saves nothing.
"""

# No `from __future__ import annotations` here: ninja reads the parameters of a
# `@paginate`d operation through its wrapper, which cannot resolve string annotations.

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from passend.common.adapters import get_or_404
from passend.common.api.actor import actor_of, membership_of
from passend.common.api.pagination import PagePagination
from passend.common.api.problems import Problem
from passend.common.api.schemas import problems
from passend.common.validators import normalise_postcode
from passend.taxonomy.models import Occupation
from passend.tenancy.models import Employer, Membership, Role
from passend.vacancies import public, selectors, services
from passend.vacancies.access import EDITORS, get_vacancy_for_actor, may_choose_employer
from passend.vacancies.models import (
    CloseReason,
    ContractType,
    EducationLevel,
    SalaryPeriod,
    Vacancy,
    VacancyStatus,
    WorkMode,
)

router = Router(tags=["vacancies"])
public_router = Router(tags=["public"])


class VacancyOut(Schema):
    id: UUID
    employer_id: UUID
    employer_name: str = Field(alias="employer.name")
    title: str
    occupation_id: int | None
    description: str = Field(description="Markdown.")
    education_level: str
    hours_per_week: int
    contract_type: str
    start_date: date | None
    end_date: date | None
    work_mode: str
    postcode: str
    city: str
    salary_min: Decimal | None
    salary_max: Decimal | None
    salary_period: str
    positions: int
    closing_date: date | None
    status: VacancyStatus
    published_at: datetime | None
    closed_at: datetime | None
    close_reason: str


class VacancyIn(Schema):
    employer_id: UUID | None = Field(
        None, description="Advisors and admins: whose vacancy it is. Employers: left out."
    )
    title: str = Field(max_length=200)
    occupation_id: int | None = Field(None, description="An ESCO occupation (taxonomy API).")
    description: str = Field("", max_length=20_000, description="Markdown.")
    education_level: EducationLevel | None = None
    hours_per_week: int
    contract_type: ContractType = ContractType.PERMANENT
    start_date: date | None = None
    end_date: date | None = None
    work_mode: WorkMode = WorkMode.ON_SITE
    postcode: str = Field("", max_length=16, description="A Dutch postcode, e.g. 3511 AB.")
    city: str = Field("", max_length=100)
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_period: SalaryPeriod | None = None
    positions: int = 1
    closing_date: date | None = None


class CloseIn(Schema):
    reason: CloseReason = Field(description="`filled` or `withdrawn`.")


class ListIn(Schema):
    status: VacancyStatus | None = None


class PublicVacancyOut(Schema):
    id: UUID
    title: str
    employer_name: str = Field(alias="employer.name")
    organisation_name: str = Field(alias="organisation.name")
    url: str
    description: str = Field(description="Markdown.")
    hours_per_week: int
    contract_type: str
    work_mode: str
    postcode: str
    city: str
    salary_min: Decimal | None
    salary_max: Decimal | None
    salary_period: str
    closing_date: date | None
    published_at: datetime | None

    @staticmethod
    def resolve_url(obj: Vacancy) -> str:
        return public.public_url(obj)


def _editor(request: HttpRequest) -> Membership:
    membership = membership_of(actor_of(request))
    if membership.role not in EDITORS:
        raise Problem(
            403, _("Only career advisors, administrators and employers manage vacancies.")
        )
    return membership


def _employer(membership: Membership, employer_id: UUID | None) -> Employer:
    if not may_choose_employer(membership):
        if employer_id is not None and employer_id != membership.employer_id:
            raise Problem(422, _("You post vacancies for your own company only."))
        employer: Employer = get_or_404(Employer.objects.all(), membership.employer_id)
        return employer
    if employer_id is None:
        raise Problem(422, _("Say which employer the vacancy is for (employer_id)."))
    found = Employer.objects.filter(pk=employer_id).first()
    if found is None:  # another organisation's is unknown here, like a missing one
        raise Problem(422, _("Choose an employer of this organisation."))
    return found


def _fields(payload: VacancyIn) -> dict[str, Any]:
    data = payload.dict(exclude={"employer_id", "occupation_id"})
    for name in ("education_level", "salary_period"):
        data[name] = data[name] or ""
    # "3511ab" and " 3511 AB " alike, as the form takes them.
    data["postcode"] = (
        normalise_postcode(payload.postcode.strip()) if payload.postcode.strip() else ""
    )
    if payload.occupation_id is not None:
        occupation = Occupation.objects.filter(pk=payload.occupation_id).first()
        if occupation is None:
            raise Problem(422, _("Unknown ESCO occupation."))
        data["occupation"] = occupation
    return data


@router.get(
    "",
    response={200: list[VacancyOut], **problems(403, 422)},
    summary="The vacancies you manage",
    description="Career advisors and admins: every vacancy of the organisation; employers: "
    "their company's. Newest first; `status` narrows.",
    operation_id="vacancy_list",
)
@paginate(PagePagination)
def vacancy_list(request: HttpRequest, query: Query[ListIn]) -> Any:
    membership = _editor(request)
    return selectors.vacancy_list_for_actor(membership, status=query.status or "")


@router.post(
    "",
    response={201: VacancyOut, **problems(403, 404, 422)},
    summary="Post a vacancy (a draft)",
    operation_id="vacancy_create",
)
def vacancy_create(request: HttpRequest, payload: VacancyIn) -> Any:
    membership = _editor(request)
    employer = _employer(membership, payload.employer_id)
    vacancy = services.vacancy_create(employer=employer, by=membership, **_fields(payload))
    return Status(201, vacancy)


@router.get(
    "/{vacancy_id}",
    response={200: VacancyOut, **problems(403, 404)},
    summary="One vacancy",
    operation_id="vacancy_detail",
)
def vacancy_detail(request: HttpRequest, vacancy_id: UUID) -> Any:
    return get_vacancy_for_actor(_editor(request), vacancy_id)


@router.post(
    "/{vacancy_id}/publish",
    response={200: VacancyOut, **problems(403, 404, 422)},
    summary="Publish a draft",
    operation_id="vacancy_publish",
)
def vacancy_publish(request: HttpRequest, vacancy_id: UUID) -> Any:
    membership = _editor(request)
    vacancy = get_vacancy_for_actor(membership, vacancy_id)
    return services.vacancy_publish(vacancy=vacancy, by=membership)


@router.post(
    "/{vacancy_id}/close",
    response={200: VacancyOut, **problems(403, 404, 422)},
    summary="Close a published vacancy",
    operation_id="vacancy_close",
)
def vacancy_close(request: HttpRequest, vacancy_id: UUID, payload: CloseIn) -> Any:
    membership = _editor(request)
    vacancy = get_vacancy_for_actor(membership, vacancy_id)
    if payload.reason == CloseReason.CLOSING_DATE:
        raise Problem(422, _("The closing date closes a vacancy by itself."))
    return services.vacancy_close(vacancy=vacancy, reason=payload.reason, by=membership)


@public_router.get(
    "/vacancies",
    auth=None,
    response={200: list[PublicVacancyOut], **problems(422)},
    summary="Published vacancies, for anyone",
    description="The vacancies on the public job pages: of the organisations that publish "
    "them, newest first. No token needed.",
    operation_id="public_vacancies",
)
@paginate(PagePagination)
def public_vacancies(request: HttpRequest) -> Any:
    return public.published()


ROLES = Role  # re-exported for the matrix documentation
