"""Who sees which vacancies and applications (vacancies/access.py, every rule)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from passend.candidates.services import candidate_profile_ensure
from passend.common.scope import organisation_scope
from passend.tenancy.models import Membership
from passend.vacancies import access, services
from passend.vacancies.tests.conftest import make_vacancy

pytestmark = pytest.mark.django_db


def test_only_managers_and_the_employers_own_contacts_see_vacancies(personas: Any) -> None:
    vacancy = make_vacancy(personas)
    members = personas.memberships
    with organisation_scope(personas.organisations["a"]):
        loose = Membership(organisation=personas.organisations["a"], role="employer")
        assert list(access.vacancies_for_actor(members["bob"])) == [vacancy]
        assert list(access.vacancies_for_actor(members["dave"])) == [vacancy]
        assert not access.vacancies_for_actor(members["carla"]).exists()
        # An employer's contact without a company (not linked yet) sees none.
        assert not access.vacancies_for_actor(loose).exists()


def test_only_a_candidate_has_an_own_profile_and_opens_a_vacancy_to_apply(
    personas: Any,
) -> None:
    vacancy = make_vacancy(personas)
    members = personas.memberships
    with organisation_scope(personas.organisations["a"]):
        services.vacancy_publish(vacancy=vacancy, by=None)
        profile = candidate_profile_ensure(membership=members["carla"])
        assert access.own_profile(members["carla"]) == profile
        assert access.own_profile(members["bob"]) is None
        assert access.get_open_vacancy(members["carla"], vacancy.pk) == vacancy
        with pytest.raises(Http404):
            access.get_open_vacancy(members["bob"], vacancy.pk)


def test_applications_are_the_candidates_own_or_their_vacancys_handlers(
    personas: Any,
) -> None:
    vacancy = make_vacancy(personas)
    members = personas.memberships
    with organisation_scope(personas.organisations["a"]):
        services.vacancy_publish(vacancy=vacancy, by=None)
        profile = candidate_profile_ensure(membership=members["carla"])
        application = services.application_create(vacancy=vacancy, candidate=profile)
        for who in ("carla", "dave", "bob", "alice"):
            assert access.get_application_for_actor(members[who], application.pk) == application
