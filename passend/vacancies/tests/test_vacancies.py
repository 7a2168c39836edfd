"""Vacancies (issue 13, part 1): who posts and sees them, their states and
history, copying, the daily close, and bad input refused with nothing saved."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from passend.common.scope import organisation_scope
from passend.taxonomy.models import Skill
from passend.vacancies import services
from passend.vacancies.models import CloseReason, Vacancy, VacancyEvent, VacancySkill
from passend.vacancies.tests.conftest import BAKERY, make_vacancy
from passend.web.tests.html import main_part

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Broodbakker",
        "occupation": "",
        "description": "Vroeg op, **vers brood**.",
        "education_level": "mbo2",
        "hours_per_week": "32",
        "contract_type": "permanent",
        "start_date": "",
        "end_date": "",
        "work_mode": "on_site",
        "postcode": "3511ab",
        "city": "Utrecht",
        "salary_min": "2400",
        "salary_max": "2900",
        "salary_period": "month",
        "positions": "2",
        "closing_date": (TODAY() + timedelta(days=20)).isoformat(),
    }
    data.update(overrides)
    return data


def esco_skill() -> Skill:
    return Skill.objects.create(
        uri="http://data.europa.eu/esco/skill/test-bread",
        pref_en="bake bread",
        pref_nl="brood bakken",
    )


def in_a(personas: Any) -> Any:
    return organisation_scope(personas.organisations["a"])


# Posting


def test_an_employer_contact_posts_a_draft_for_their_own_company(
    personas: Any, as_persona: Any
) -> None:
    dave = as_persona("dave", "a")

    response = dave.post("/vacancies/new/", form_data(employer=str(personas.employers[
        "Zorggroep Het Baken"].pk)))  # fmt: skip

    assert response.status_code == 302
    with in_a(personas):
        vacancy = Vacancy.objects.get(title="Broodbakker")
        events = list(vacancy.events.values_list("status", "by"))
    # The employer field is not theirs to choose: their own company it is.
    assert vacancy.employer == personas.employers[BAKERY]
    assert (vacancy.status, vacancy.postcode, vacancy.salary_max) == (
        "draft", "3511 AB", Decimal("2900.00"))  # fmt: skip
    assert events == [("draft", personas["dave"].pk)]


def test_an_advisor_posts_on_behalf_of_any_employer_of_the_organisation(
    personas: Any, as_persona: Any
) -> None:
    care = personas.employers["Zorggroep Het Baken"]

    response = as_persona("bob", "a").post(
        "/vacancies/new/", form_data(employer=str(care.pk), title="Helpende")
    )

    assert response.status_code == 302
    with in_a(personas):
        assert Vacancy.objects.get(title="Helpende").employer == care


def test_an_advisor_cannot_post_for_another_organisations_employer(
    personas: Any, as_persona: Any
) -> None:
    hotel = personas.employers["Hotel De Maas"]

    response = as_persona("bob", "a").post("/vacancies/new/", form_data(employer=str(hotel.pk)))

    assert response.status_code == 400
    with in_a(personas):
        assert not Vacancy.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closing_date": "1999-01-01"}, "closing_date", "Enter a date between"),
        ({"closing_date": (TODAY() - timedelta(days=1)).isoformat()}, "closing_date",
         "cannot lie in the past"),
        ({"salary_min": "3000", "salary_max": "2000"}, "salary_max", "cannot be lower"),
        ({"salary_period": ""}, "salary_period", "per hour, month or year"),
        ({"hours_per_week": "61"}, "hours_per_week", "less than or equal to 60"),
        ({"hours_per_week": "0"}, "hours_per_week", "greater than or equal to 1"),
        ({"title": ""}, "title", "This field is required"),
        ({"occupation": "qqqzzzxxyy"}, "occupation", ""),
        ({"postcode": "12"}, "postcode", "valid Dutch postcode"),
        ({"title": "Bakker\x07"}, "title", "control characters"),
        ({"title": "Bakker\x00"}, "title", "Null characters"),
        ({"start_date": "2027-03-01", "end_date": "2027-02-01"}, "end_date", "before the start"),
    ],
)  # fmt: skip
def test_it_refuses_bad_input_with_a_message_and_saves_nothing(
    personas: Any, as_persona: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = as_persona("dave", "a").post("/vacancies/new/", form_data(**overrides))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    with in_a(personas):
        assert not Vacancy.objects.exists()
        assert not VacancyEvent.objects.exists()


def test_it_says_what_is_wrong_in_dutch_too(personas: Any, as_persona: Any) -> None:
    dave = as_persona("dave", "a")
    dave.cookies["django_language"] = "nl"

    response = dave.post(
        "/vacancies/new/",
        form_data(salary_min="3000", salary_max="2000"),
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    assert response.status_code == 400
    assert "Het hoogste salaris kan niet lager zijn dan het laagste." in response.content.decode()


# Seeing


def test_an_employer_sees_only_their_own_companys_vacancies(
    personas: Any, as_persona: Any, bakery_vacancy: Vacancy, care_vacancy: Vacancy
) -> None:
    dave = as_persona("dave", "a")

    listed = main_part(dave.get("/vacancies/").content.decode())

    assert "Bakker" in listed
    assert "Verzorgende IG" not in listed
    assert dave.get(f"/vacancies/{care_vacancy.pk}/").status_code == 404
    assert dave.get(f"/vacancies/{bakery_vacancy.pk}/").status_code == 200


def test_it_hides_vacancies_from_other_organisations_and_from_candidates(
    personas: Any, as_persona: Any, bakery_vacancy: Vacancy
) -> None:
    assert as_persona("charlie", "b").get(f"/vacancies/{bakery_vacancy.pk}/").status_code == 404
    assert as_persona("carla", "a").get("/vacancies/").status_code == 403


def test_the_list_filters_by_status(
    personas: Any, as_persona: Any, bakery_vacancy: Vacancy, care_vacancy: Vacancy
) -> None:
    with in_a(personas):
        services.vacancy_publish(vacancy=bakery_vacancy, by=None)

    published = main_part(
        as_persona("bob", "a").get("/vacancies/?status=published").content.decode()
    )

    assert "Bakker" in published
    assert "Verzorgende IG" not in published


# States and history


def test_it_moves_from_draft_to_published_to_closed_with_a_history(
    personas: Any, as_persona: Any, bakery_vacancy: Vacancy
) -> None:
    dave = as_persona("dave", "a")
    url = f"/vacancies/{bakery_vacancy.pk}/"

    assert dave.post(url + "publish/").status_code == 302
    assert dave.get(url + "close/").status_code == 200  # asks why first
    assert dave.post(url + "close/", {"reason": "filled"}).status_code == 302

    with in_a(personas):
        vacancy = Vacancy.objects.get(pk=bakery_vacancy.pk)
        history = list(vacancy.events.values_list("status", "reason"))
    assert (vacancy.status, vacancy.close_reason) == ("closed", "filled")
    assert vacancy.published_at is not None
    assert vacancy.closed_at is not None
    assert history == [("draft", ""), ("published", ""), ("closed", "filled")]
    page = main_part(dave.get(url).content.decode())
    assert ("Published" in page and "Filled" in page) or "filled" in page


def test_a_step_out_of_order_is_refused_with_a_message(
    personas: Any, as_persona: Any, bakery_vacancy: Vacancy
) -> None:
    dave = as_persona("dave", "a")
    url = f"/vacancies/{bakery_vacancy.pk}/"

    closed = dave.post(url + "close/", {"reason": "filled"})
    dave.post(url + "publish/")
    again = dave.post(url + "publish/", follow=True)

    assert closed.status_code == 400
    assert "Only a published vacancy can be closed." in closed.content.decode()
    assert "Only a draft can be published." in again.content.decode()
    with in_a(personas):
        steps = Vacancy.objects.get(pk=bakery_vacancy.pk).events.values_list("status", flat=True)
        assert list(steps) == ["draft", "published"]


def test_a_closed_vacancy_is_not_changed(
    personas: Any, as_persona: Any, bakery_vacancy: Vacancy
) -> None:
    with in_a(personas):
        services.vacancy_publish(vacancy=bakery_vacancy, by=None)
        services.vacancy_close(vacancy=bakery_vacancy, reason=CloseReason.WITHDRAWN, by=None)
    bob = as_persona("bob", "a")

    response = bob.post(f"/vacancies/{bakery_vacancy.pk}/edit/", form_data(title="Anders"))

    assert response.status_code == 302
    with in_a(personas):
        assert Vacancy.objects.get(pk=bakery_vacancy.pk).title == "Bakker"


def test_publishing_checks_the_closing_date_again(personas: Any, bakery_vacancy: Vacancy) -> None:
    with in_a(personas):
        Vacancy.objects.filter(pk=bakery_vacancy.pk).update(
            closing_date=TODAY() - timedelta(days=1)
        )
        with pytest.raises(ValidationError, match="past"):
            services.vacancy_publish(vacancy=bakery_vacancy, by=None)
        assert Vacancy.objects.get(pk=bakery_vacancy.pk).status == "draft"


def test_the_daily_job_closes_vacancies_whose_closing_date_passed(personas: Any) -> None:
    due = make_vacancy(personas, title="Due")
    later = make_vacancy(personas, title="Later")
    with in_a(personas):
        for vacancy in (due, later):
            services.vacancy_publish(vacancy=vacancy, by=None)
        Vacancy.objects.filter(pk=due.pk).update(closing_date=TODAY() - timedelta(days=1))

    from passend.vacancies.tasks import close_due

    assert close_due() == 1
    assert close_due() == 0  # idempotent
    with in_a(personas):
        closed = Vacancy.objects.get(pk=due.pk)
        assert (closed.status, closed.close_reason) == ("closed", "closing_date")
        assert closed.events.last().by is None
        assert Vacancy.objects.get(pk=later.pk).status == "published"


# Copying and skills


def test_a_copy_is_a_new_draft_with_the_same_content_and_skills(
    personas: Any, as_persona: Any, bakery_vacancy: Vacancy
) -> None:
    skill = esco_skill()
    with in_a(personas):
        services.vacancy_skill_add(vacancy=bakery_vacancy, skill=skill, required=False)
        services.vacancy_publish(vacancy=bakery_vacancy, by=None)

    response = as_persona("dave", "a").post(f"/vacancies/{bakery_vacancy.pk}/duplicate/")

    assert response.status_code == 302
    with in_a(personas):
        copy = Vacancy.objects.exclude(pk=bakery_vacancy.pk).get()
        skills = list(VacancySkill.objects.filter(vacancy=copy).values_list("skill", "required"))
        first = copy.events.get()
    assert response["Location"] == f"/vacancies/{copy.pk}/edit/"
    assert (copy.title, copy.status, copy.closing_date) == ("Bakker (copy)", "draft", None)
    assert copy.hours_per_week == 32
    assert copy.employer == bakery_vacancy.employer
    assert skills == [(skill.pk, False)]
    assert first.copied_from_id == bakery_vacancy.pk


def test_it_adds_a_skill_once_and_removes_it_after_asking(
    personas: Any, as_persona: Any, bakery_vacancy: Vacancy
) -> None:
    skill = esco_skill()
    bob = as_persona("bob", "a")
    url = f"/vacancies/{bakery_vacancy.pk}/skills/"

    added = bob.post(url, {"skill": skill.uri, "required": "on"})
    twice = bob.post(url, {"skill": skill.uri, "required": "on"})

    assert added.status_code == 302
    assert twice.status_code == 400
    assert "asks for this skill already" in twice.content.decode()
    with in_a(personas):
        link = VacancySkill.objects.get(vacancy=bakery_vacancy)
    remove = f"{url}{link.pk}/remove/"
    assert bob.get(remove).status_code == 200  # the question, nothing removed
    with in_a(personas):
        assert VacancySkill.objects.filter(pk=link.pk).exists()
    assert bob.post(remove).status_code == 302
    with in_a(personas):
        assert not VacancySkill.objects.filter(pk=link.pk).exists()


def test_the_description_is_markdown_without_html(personas: Any, as_persona: Any) -> None:
    vacancy = make_vacancy(
        personas, description="**Vers** brood <script>alert(1)</script> [x](javascript:alert(1))"
    )

    page = as_persona("bob", "a").get(f"/vacancies/{vacancy.pk}/").content.decode()

    assert "<strong>Vers</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript:' not in page


# The data map: who wrote it is personal data, the vacancy is not


def test_erasing_the_author_clears_the_reference_and_keeps_the_vacancy(
    personas: Any, bakery_vacancy: Vacancy
) -> None:
    from passend.privacy.erasure import engine

    with in_a(personas):
        services.vacancy_publish(vacancy=bakery_vacancy, by=personas.memberships["bob"])

    engine.erase(user_id=personas["bob"].pk)

    with in_a(personas):
        vacancy = Vacancy.objects.get(pk=bakery_vacancy.pk)
        assert (vacancy.title, vacancy.status, vacancy.created_by_id) == (
            "Bakker", "published", None)  # fmt: skip
        assert list(vacancy.events.values_list("by", flat=True)) == [None, None]
