"""Applications (issue 13, part 3, first slice): a candidate applies from
inside Passend with chosen documents, follows the stage in their own words and
can withdraw; whoever handles the vacancy moves it through the pipeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from passend.candidates.services import candidate_profile_ensure
from passend.vacancies import services
from passend.vacancies.models import Application, Vacancy
from passend.vacancies.tests.conftest import in_a, make_vacancy
from passend.web.tests.html import main_part

pytestmark = pytest.mark.django_db


def test_carla_applies_with_her_cv_and_follows_it_in_her_own_words(
    personas: Any, as_persona: Any, open_vacancy: Vacancy, carla: dict[str, Any]
) -> None:
    client = as_persona("carla", "a")
    url = f"/vacancies/open/{open_vacancy.pk}/"

    assert "Broodbakker" in main_part(client.get("/vacancies/open/").content.decode())
    response = client.post(url, {"motivation": "Ik bak graag.", "documents": [carla["cv"].pk]})

    assert response.status_code == 302
    with in_a(personas):
        application = Application.objects.get()
        assert [a.document for a in application.attachments.all()] == [carla["cv"]]
        assert application.motivation == "Ik bak graag."
    mine = main_part(client.get("/vacancies/applications/").content.decode())
    assert "Broodbakker" in mine
    assert "Received" in mine


def test_a_second_application_to_the_same_vacancy_is_refused(
    personas: Any, as_persona: Any, open_vacancy: Vacancy, carla: dict[str, Any]
) -> None:
    client = as_persona("carla", "a")
    url = f"/vacancies/open/{open_vacancy.pk}/"
    client.post(url, {"motivation": "Eerste"})

    again = client.post(url, {"motivation": "Tweede"})

    assert again.status_code == 400
    assert "applied to this vacancy already" in again.content.decode()
    with in_a(personas):
        assert Application.objects.count() == 1


def test_an_application_to_a_closed_or_draft_vacancy_is_refused(
    personas: Any, as_persona: Any, carla: dict[str, Any]
) -> None:
    draft = make_vacancy(personas, title="Concept")
    closed = make_vacancy(personas, title="Dicht")
    with in_a(personas):
        services.vacancy_publish(vacancy=closed, by=None)
        services.vacancy_close(vacancy=closed, reason="filled", by=None)
        with pytest.raises(ValidationError, match="not open"):
            services.application_create(vacancy=closed, candidate=carla["profile"])
    client = as_persona("carla", "a")

    assert client.get(f"/vacancies/open/{draft.pk}/").status_code == 404
    assert client.post(f"/vacancies/open/{closed.pk}/", {}).status_code == 404


def test_someone_elses_document_cannot_be_included(
    personas: Any, open_vacancy: Vacancy, carla: dict[str, Any]
) -> None:
    from django.contrib.auth import get_user_model

    from passend.tenancy.models import Membership

    user = get_user_model().objects.create_user("hanna@passend.test", "x", name="Hanna Kok")
    with in_a(personas):
        hanna = candidate_profile_ensure(membership=Membership.objects.create(
            organisation=personas.organisations["a"], user=user, role="candidate"))  # fmt: skip
        with pytest.raises(ValidationError, match="own documents"):
            services.application_create(
                vacancy=open_vacancy, candidate=hanna, documents=[carla["cv"]]
            )
        assert not Application.objects.exists()


def test_dave_moves_carla_to_interview_and_rejects_only_with_a_reason(
    personas: Any, as_persona: Any, open_vacancy: Vacancy, carla: dict[str, Any]
) -> None:
    with in_a(personas):
        application = services.application_create(vacancy=open_vacancy, candidate=carla["profile"])
    dave = as_persona("dave", "a")
    move = f"/vacancies/applications/{application.pk}/move/"

    pipeline = main_part(dave.get(f"/vacancies/{open_vacancy.pk}/applications/").content.decode())
    assert "Carla Bakker" in pipeline
    dave.post(move, {"stage": "interview"})
    without_reason = dave.post(move, {"stage": "rejected"}, follow=True)

    assert "Say why the application is rejected." in without_reason.content.decode()
    with in_a(personas):
        assert Application.objects.get().stage == "interview"
    dave.post(move, {"stage": "rejected", "rejection_reason": "other_candidate"})
    with in_a(personas):
        moved = Application.objects.get()
        history = list(moved.events.values_list("stage", "rejection_reason"))
    assert (moved.stage, moved.closed_at is not None) == ("rejected", True)
    assert history == [("new", ""), ("interview", ""), ("rejected", "other_candidate")]
    with in_a(personas):
        from passend.notifications.models import Notification

        told = Notification.objects.filter(recipient=personas.memberships["carla"])
        assert told.filter(kind="application_updated").count() == 2  # interview, rejected
        assert told.first().link == "/vacancies/applications/"
    mine = main_part(as_persona("carla", "a").get("/vacancies/applications/").content.decode())
    assert "Invited for an interview" in mine
    assert "Not chosen this time" in mine
    assert "another candidate was chosen" in mine


def test_carla_withdraws_after_confirming_and_nothing_moves_after(
    personas: Any, as_persona: Any, open_vacancy: Vacancy, carla: dict[str, Any]
) -> None:
    with in_a(personas):
        application = services.application_create(vacancy=open_vacancy, candidate=carla["profile"])
    client = as_persona("carla", "a")
    url = f"/vacancies/applications/{application.pk}/withdraw/"

    assert client.get(url).status_code == 200  # the question; nothing changed
    with in_a(personas):
        assert Application.objects.get().stage == "new"
    assert client.post(url).status_code == 302
    with in_a(personas):
        assert Application.objects.get().stage == "withdrawn"
        with pytest.raises(ValidationError, match="closed"):
            services.application_move(application=application, stage="interview", by=None)


def test_nobody_else_sees_or_moves_an_application(
    personas: Any, as_persona: Any, open_vacancy: Vacancy, carla: dict[str, Any]
) -> None:
    care = make_vacancy(personas, "Zorggroep Het Baken", title="Verzorgende")
    with in_a(personas):
        services.vacancy_publish(vacancy=care, by=None)
        application = services.application_create(vacancy=care, candidate=carla["profile"])
    move = f"/vacancies/applications/{application.pk}/move/"

    # dave's company is the bakery: the care group's applications are not his.
    assert as_persona("dave", "a").post(move, {"stage": "interview"}).status_code == 404
    assert as_persona("dave", "a").get(f"/vacancies/{care.pk}/applications/").status_code == 404
    assert as_persona("charlie", "b").post(move, {"stage": "interview"}).status_code == 404
    with in_a(personas):
        assert Application.objects.get().stage == "new"
