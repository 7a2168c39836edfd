"""Vacancy fixtures: a draft of the bakery (dave's employer) and one of the care group."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from passend.candidates.services import candidate_profile_ensure
from passend.common.scope import organisation_scope
from passend.documents.models import DocumentKind
from passend.documents.services import document_upload
from passend.vacancies import services
from passend.vacancies.models import Vacancy

BAKERY, CARE = "Bakkerij De Korenaar", "Zorggroep Het Baken"


def make_vacancy(personas: Any, employer: str = BAKERY, **fields: Any) -> Vacancy:
    values = {
        "title": "Bakker",
        "hours_per_week": 32,
        "closing_date": timezone.localdate() + timedelta(days=30),
        **fields,
    }
    with organisation_scope(personas.organisations["a"]):
        return services.vacancy_create(
            employer=personas.employers[employer], by=personas.memberships["bob"], **values
        )


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The public pages keep counts and rows in the cache, invalidated after a
    commit, which a test's transaction never makes: start each test empty."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def bakery_vacancy(personas: Any) -> Vacancy:
    return make_vacancy(personas)


@pytest.fixture
def care_vacancy(personas: Any) -> Vacancy:
    return make_vacancy(personas, CARE, title="Verzorgende IG")


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def in_a(personas: Any) -> Any:
    return organisation_scope(personas.organisations["a"])


@pytest.fixture
def open_vacancy(personas: Any) -> Vacancy:
    vacancy = make_vacancy(personas, title="Broodbakker")
    with in_a(personas):
        return services.vacancy_publish(vacancy=vacancy, by=None)


@pytest.fixture
def carla(personas: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path)
    with in_a(personas):
        profile = candidate_profile_ensure(membership=personas.memberships["carla"])
        cv = document_upload(candidate=profile, kind=DocumentKind.CV, name="cv.pdf",
                             chunks=[PDF], by=personas.memberships["carla"])  # fmt: skip
    return {"profile": profile, "cv": cv}
