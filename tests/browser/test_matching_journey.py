"""Issue 14's "Done when", in a real browser: dave posts a bakery vacancy; bob,
carla's advisor, sees the candidates ranked with their explanations and
proposes carla; carla reads why the vacancy may suit her; then she imports
her CV and confirms the work history it proposes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from passend.candidates import services as candidate_services
from passend.candidates.models import CandidateSkill, WorkExperience
from passend.common.scope import organisation_scope
from passend.cvimport.tests import cv_fixtures
from passend.demo.personas import DEMO_PASSWORD, Personas
from passend.matching import engine
from passend.matching.taxonomy import forget
from passend.taxonomy.models import Occupation, Skill
from passend.taxonomy.normalise import forget_index
from passend.taxonomy.services import load_esco
from passend.taxonomy.tests.fixtures import BAKER, KNEAD, compact_folder
from tests.browser.helpers import log_in
from tests.browser.test_coaching_journey import log_out, work_in
from tests.browser.test_vacancy_journey import click_and_wait

pytestmark = pytest.mark.browser

TITLE = "Bakker voor het weekend"
CV = [
    ("h1", "Carla Jansen"),
    ("", "Kerkstraat 12, 3512 AB Utrecht"),
    ("", "carla@passend.test"),
    ("h2", "Werkervaring"),
    ("", "2019 - heden"),
    ("", "Broodbakker"),
    ("", "Bakkerij Het Gouden Korenaar, Utrecht"),
    ("", "Brood en banket bakken in de nachtdienst."),
    ("h2", "Vaardigheden"),
    ("", "deeg kneden"),
]


@pytest.fixture
def esco(tmp_path: Path) -> Any:
    load_esco(compact_folder(tmp_path / "esco"))
    forget()
    forget_index()
    engine.forget_pools()
    yield
    forget()
    forget_index()
    engine.forget_pools()


def test_a_vacancy_is_matched_explained_proposed_and_carla_fills_her_profile_from_a_cv(
    page: Page,
    personas: Personas,
    esco: Any,
    screenshot: Callable[[str], Path],
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    org_a = personas.organisations["a"]
    with organisation_scope(org_a):
        carla = candidate_services.candidate_profile_ensure(
            membership=personas.memberships["carla"]
        )
        carla.postcode = "3512 AB"
        carla.save()
        CandidateSkill.objects.create(
            organisation=org_a, profile=carla, skill=Skill.objects.get(uri=KNEAD), level="good"
        )

    # Given dave, who posts a vacancy for a baker and publishes it
    log_in(page, "dave@passend.test", DEMO_PASSWORD)
    click_and_wait(page, page.get_by_role("link", name="Post a vacancy"))
    form = page.locator("main form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("input[name=occupation]").fill(str(Occupation.objects.get(uri=BAKER).pref_en))
    form.locator("input[name=hours_per_week]").fill("24")
    form.locator("input[name=postcode]").fill("3511 AB")
    form.locator("input[name=closing_date]").fill("2027-01-31")
    click_and_wait(page, form.get_by_role("button", name="Save"))
    expect(page.locator("main")).to_contain_text("The vacancy was saved as a draft.")
    click_and_wait(page, page.get_by_role("button", name="Publish"))
    expect(page.locator("main")).to_contain_text("The vacancy is published.")
    log_out(page)

    # When bob opens the candidates who may fit
    log_in(page, "bob@passend.test", DEMO_PASSWORD)
    work_in(page, org_a)
    click_and_wait(page, page.get_by_role("link", name="Vacancies", exact=True))
    click_and_wait(page, page.get_by_role("link", name=TITLE))
    click_and_wait(page, page.get_by_role("link", name="Candidates who may fit"))
    first = page.locator(".match").first
    expect(first).to_contain_text(carla.display_name)
    first.locator("summary").click()
    expect(first.locator(".match-signals")).to_contain_text("Skills")
    expect(first).to_contain_text("Skills that match")
    screenshot("bob-ranked-candidates")
    # Then he proposes her, with a word of his own
    first.locator("textarea").fill("Jouw bakervaring past hier.")
    click_and_wait(page, first.get_by_role("button", name=f"Propose {carla.display_name}"))
    expect(page.locator("main")).to_contain_text("is asked whether they want to apply")
    log_out(page)

    # And carla reads why the vacancy may suit her
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    click_and_wait(page, page.locator(".next-step a").first)
    why = page.locator("section[aria-labelledby=why-title]")
    expect(why).to_contain_text("Why this vacancy may suit you")
    expect(why).to_contain_text(str(Skill.objects.get(uri=KNEAD)))
    screenshot("carla-why-proposed")

    # Then she fills in her work history from her CV
    click_and_wait(page, page.get_by_role("link", name="My profile"))
    click_and_wait(page, page.get_by_role("link", name="Fill in from a CV"))
    cv = tmp_path / "cv-carla.pdf"
    cv.write_bytes(cv_fixtures.pdf_from_lines(CV))
    page.locator("input[type=file]").set_input_files(str(cv))
    click_and_wait(page, page.get_by_role("button", name="Read the CV"))
    expect(page.locator("main")).to_contain_text("Broodbakker")
    screenshot("carla-cv-review")
    click_and_wait(page, page.get_by_role("button", name="Add to the profile: Work history"))
    with organisation_scope(org_a):
        work = WorkExperience.objects.get(profile=carla)
    assert work.role == "Broodbakker"
    assert work.started_on == date(2019, 1, 1)
    assert work.occupation is not None
    assert work.occupation.uri == BAKER  # "Broodbakker" normalised to ESCO's baker
