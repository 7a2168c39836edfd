"""The public job pages: published vacancies of the organisations that opted
in (`Organisation.publishes_vacancies`), for anyone, without an account.

The only reads of vacancies across organisations go through
`Vacancy.objects.published_publicly()`, bounded to what the organisations
chose to publish; here they show the title, the job and the employer's name,
never who wrote it. Everything here goes through `published()`.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, time
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from passend.tenancy.models import Organisation
from passend.vacancies.models import ContractType, SalaryPeriod, Vacancy, WorkMode
from passend.vacancies.templatetags.vacancies import markdown

PUBLIC_FIELDS = (
    "id",
    "organisation_id",
    "title",
    "description",
    "education_level",
    "hours_per_week",
    "contract_type",
    "start_date",
    "end_date",
    "postcode",
    "city",
    "work_mode",
    "salary_min",
    "salary_max",
    "salary_period",
    "positions",
    "closing_date",
    "published_at",
    "updated_at",
    "employer__name",
    "organisation__name",
    "organisation__slug",
    "occupation__uri",
    "occupation__pref_nl",
    "occupation__pref_en",
)


def publishing_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True, publishes_vacancies=True)


def published(organisation: Organisation | None = None) -> QuerySet[Vacancy]:
    """Published vacancies of the organisations that publish them, newest first
    (index vacancy_public_by_date)."""
    vacancies = (
        Vacancy.objects.published_publicly()
        .select_related("employer", "organisation", "occupation")
        .only(*PUBLIC_FIELDS)
        .order_by("-published_at", "pk")
    )
    if organisation is not None:
        vacancies = vacancies.filter(organisation=organisation)
    return vacancies


COUNT_SECONDS = 300


def _count_key(organisation: Organisation | None) -> str:
    return f"passend:jobs:count:{organisation.pk if organisation else 'all'}"


def published_count(organisation: Organisation | None = None) -> int:
    """How many `published(organisation)` lists, cached until a vacancy of it is
    published or closed (`forget_counts`), or for COUNT_SECONDS at most."""
    key = _count_key(organisation)
    count = cache.get(key)
    if count is None:
        count = published(organisation).count()
        cache.set(key, count, COUNT_SECONDS)
    return int(count)


VERSION_KEY = "passend:jobs:version"


def version() -> int:
    """Part of the key of the lists' cached rows: a new one when anything listed changes."""
    value = cache.get(VERSION_KEY)
    if value is None:
        value = int(timezone.now().timestamp() * 1000)
        cache.add(VERSION_KEY, value, None)
        value = cache.get(VERSION_KEY, value)
    return int(value)


def forget_counts(organisation_id: Any) -> None:
    """A vacancy of the organisation was published, changed or closed (services)."""
    cache.delete_many([f"passend:jobs:count:{organisation_id}", _count_key(None)])
    with contextlib.suppress(ValueError):  # not there: the next reader starts a new one
        cache.incr(VERSION_KEY)


def public_url(vacancy: Vacancy) -> str:
    return reverse("jobs:detail", args=[vacancy.organisation.slug, vacancy.pk])


EMPLOYMENT_TYPES = {
    ContractType.PERMANENT: "FULL_TIME",
    ContractType.FIXED_TERM: "TEMPORARY",
    ContractType.TEMPORARY: "TEMPORARY",
    ContractType.FREELANCE: "CONTRACTOR",
    ContractType.INTERNSHIP: "INTERN",
}
SALARY_UNITS = {SalaryPeriod.HOUR: "HOUR", SalaryPeriod.MONTH: "MONTH", SalaryPeriod.YEAR: "YEAR"}


def job_posting(vacancy: Vacancy, *, absolute_url: str) -> dict[str, Any]:
    """schema.org JobPosting (the fields search engines read), as a dict for JSON-LD."""
    posted = vacancy.published_at or timezone.now()
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": str(markdown(vacancy.description)) or vacancy.title,
        "datePosted": posted.date().isoformat(),
        "employmentType": [EMPLOYMENT_TYPES.get(ContractType(vacancy.contract_type), "OTHER")]
        + (["PART_TIME"] if vacancy.hours_per_week < 32 else []),
        "hiringOrganization": {"@type": "Organization", "name": vacancy.employer.name},
        "url": absolute_url,
        "identifier": {
            "@type": "PropertyValue",
            "name": vacancy.organisation.name,
            "value": str(vacancy.pk),
        },
        "totalJobOpenings": vacancy.positions,
    }
    if vacancy.closing_date:
        end_of_day = datetime.combine(vacancy.closing_date, time(23, 59, 59))
        data["validThrough"] = timezone.make_aware(end_of_day).isoformat()
    if vacancy.work_mode == WorkMode.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": "NL"}
    if vacancy.city or vacancy.postcode:
        data["jobLocation"] = {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "postalCode": vacancy.postcode,
                "addressLocality": vacancy.city,
                "addressCountry": "NL",
            },
        }
    if vacancy.salary_period and (vacancy.salary_min is not None or vacancy.salary_max is not None):
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": SALARY_UNITS[
            SalaryPeriod(vacancy.salary_period)]}  # fmt: skip
        if vacancy.salary_min is not None:
            value["minValue"] = float(vacancy.salary_min)
        if vacancy.salary_max is not None:
            value["maxValue"] = float(vacancy.salary_max)
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "EUR", "value": value}
    if vacancy.occupation is not None:
        data["occupationalCategory"] = vacancy.occupation.uri
    return data
