"""Issue 13 so far, in a real browser: dave posts a vacancy and publishes it,
a visitor finds it on the public job pages, carla applies with her CV, dave
moves her to "interview", and carla reads where her application stands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from passend.candidates import services as candidate_services
from passend.common.scope import organisation_scope
from passend.demo.personas import DEMO_PASSWORD, Personas
from passend.documents.models import DocumentKind
from passend.documents.services import document_upload
from tests.browser.helpers import log_in
from tests.browser.test_coaching_journey import PDF, log_out

pytestmark = pytest.mark.browser

TITLE = "Broodbakker in de vroege dienst"


def click_and_wait(page: Page, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def test_a_vacancy_goes_from_posting_to_an_interview(
    page: Page, personas: Personas, screenshot: Callable[[str], Path], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    org_a = personas.organisations["a"]
    org_a.publishes_vacancies = True
    org_a.save(update_fields=["publishes_vacancies"])
    with organisation_scope(org_a):
        profile = candidate_services.candidate_profile_ensure(
            membership=personas.memberships["carla"]
        )
        document_upload(candidate=profile, kind=DocumentKind.CV, name="cv-carla.pdf",
                        chunks=[PDF], by=personas.memberships["carla"])  # fmt: skip

    # Given dave, who posts for his bakery
    log_in(page, "dave@passend.test", DEMO_PASSWORD)
    click_and_wait(page, page.get_by_role("link", name="Post a vacancy"))
    form = page.locator("main form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=description]").fill("Vers brood, **vroeg** op.")
    form.locator("input[name=hours_per_week]").fill("32")
    form.locator("input[name=city]").fill("Utrecht")
    form.locator("input[name=closing_date]").fill("2027-01-31")
    click_and_wait(page, form.get_by_role("button", name="Save"))
    expect(page.locator("main")).to_contain_text("The vacancy was saved as a draft.")
    # When he publishes it
    click_and_wait(page, page.get_by_role("button", name="Publish"))
    expect(page.locator("main")).to_contain_text("The vacancy is published.")
    screenshot("dave-published")
    log_out(page)

    # Then a visitor finds it on the public job pages, with JobPosting data
    page.goto("/jobs/")
    click_and_wait(page, page.get_by_role("link", name=TITLE))
    expect(page.locator("h1")).to_have_text(TITLE)
    assert page.locator('script[type="application/ld+json"]').count() == 1
    screenshot("public-job")

    # When carla applies from inside Passend with her CV
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    page.goto("/vacancies/open/")
    click_and_wait(page, page.get_by_role("link", name=TITLE))
    page.get_by_label("Why this job?").fill("Ik bak al jaren brood.")
    page.get_by_label("cv-carla.pdf (CV)").check()
    click_and_wait(page, page.get_by_role("button", name="Send application"))
    expect(page.locator("main")).to_contain_text("Received")
    log_out(page)

    # And dave moves her to "interview" by keyboard-friendly form
    log_in(page, "dave@passend.test", DEMO_PASSWORD)
    page.goto("/vacancies/")
    click_and_wait(page, page.get_by_role("link", name=TITLE))
    click_and_wait(page, page.get_by_role("link", name="1 application"))
    page.get_by_label("Move to (Carla Bakker)").select_option("interview")
    click_and_wait(page, page.get_by_role("button", name="Move"))
    expect(page.locator("main")).to_contain_text("Carla Bakker is now at “interview”.")
    screenshot("dave-pipeline")
    log_out(page)

    # Then carla reads where her application stands, in her own words
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    page.goto("/vacancies/applications/")
    expect(page.locator("main")).to_contain_text("Invited for an interview")
    screenshot("carla-applications")
