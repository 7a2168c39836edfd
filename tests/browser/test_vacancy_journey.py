"""Issue 13's "Done when", in a real browser: dave, an employer's contact,
posts a vacancy and publishes it; a visitor finds it on the public job page and
applies there without an account, with a CV; bob proposes carla, who accepts;
dave moves carla to "interview" and plans it; carla sees the stage and the
appointment; the other applicant is rejected and asked by e-mail whether her
application may be kept a year."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from passend.candidates import services as candidate_services
from passend.common.scope import organisation_scope
from passend.demo.personas import DEMO_PASSWORD, Personas
from passend.documents.models import DocumentKind
from passend.documents.services import document_upload
from tests.browser.helpers import log_in
from tests.browser.test_coaching_journey import PDF, log_out, work_in

pytestmark = pytest.mark.browser

TITLE = "Broodbakker in de vroege dienst"
VISITOR_NAME, VISITOR_EMAIL = "Sanne de Vries", "sanne.devries@example.org"


def click_and_wait(page: Page, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def test_a_vacancy_goes_from_posting_to_an_interview_and_a_question_about_keeping_data(
    page: Page,
    personas: Personas,
    screenshot: Callable[[str], Path],
    settings: Any,
    tmp_path: Any,
    published_statement: Any,
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

    # And applies there without an account, with a CV
    mail.outbox.clear()
    click_and_wait(page, page.locator("main").get_by_role("link", name="Apply").first)
    page.get_by_label("Your name").fill(VISITOR_NAME)
    page.get_by_label("Your e-mail address").fill(VISITOR_EMAIL)
    page.get_by_label("Your CV").set_input_files(
        files=[{"name": "cv-sanne.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("Why this job?").fill("Ik ben bakker sinds 2015.")
    page.locator("main form input[type=checkbox][name=consent]").check()
    screenshot("visitor-apply")
    click_and_wait(page, page.get_by_role("button", name="Send application"))
    (confirmation,) = [m for m in mail.outbox if VISITOR_EMAIL in m.to]
    page.goto(link_in(confirmation.body, "/jobs/confirm/"))
    click_and_wait(page, page.get_by_role("button", name="Confirm my application"))
    expect(page.locator("h1")).to_have_text("Your application is in")

    # When bob, her career advisor, proposes carla for it
    log_in(page, "bob@passend.test", DEMO_PASSWORD)
    work_in(page, org_a)
    page.goto("/vacancies/")
    click_and_wait(page, page.get_by_role("link", name=TITLE))
    click_and_wait(page, page.get_by_role("link", name="1 application"))
    click_and_wait(page, page.get_by_role("link", name="Propose a candidate"))
    page.get_by_label("Carla Bakker").check()
    page.get_by_label("Message to the candidate").fill("Dit past bij je ervaring.")
    click_and_wait(page, page.get_by_role("button", name="Ask the candidate"))
    expect(page.locator("main")).to_contain_text(
        "Carla Bakker is asked whether they want to apply."
    )
    log_out(page)

    # And carla accepts, with her CV
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    expect(page.locator(".next-step")).to_contain_text("proposes you for " + TITLE)
    click_and_wait(page, page.locator(".next-step").get_by_role("link", name="Read and answer"))
    expect(page.locator("main")).to_contain_text("Dit past bij je ervaring.")
    page.get_by_label("cv-carla.pdf (CV)").check()
    screenshot("carla-proposal")
    click_and_wait(page, page.get_by_role("button", name="Apply", exact=True))
    expect(page.locator("main")).to_contain_text("Received")
    log_out(page)

    # Then dave moves carla to "interview" with the card's form and plans it
    log_in(page, "dave@passend.test", DEMO_PASSWORD)
    page.goto("/vacancies/")
    click_and_wait(page, page.get_by_role("link", name=TITLE))
    click_and_wait(page, page.get_by_role("link", name="2 applications"))
    page.get_by_label("Move to (Carla Bakker)").select_option(label="Interview")
    card = page.locator("li.pipeline-card", has_text="Carla Bakker")
    click_and_wait(page, card.get_by_role("button", name="Move"))
    expect(page.locator("main")).to_contain_text("Carla Bakker is now at “Interview”.")
    screenshot("dave-pipeline")
    click_and_wait(page, page.get_by_role("link", name="Carla Bakker"))
    when = (timezone.localtime() + timedelta(days=2)).replace(hour=10, minute=30)
    page.get_by_label("When", exact=True).fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.locator("main input[name=place]").fill("Bakkerij De Korenaar, Oudegracht 12")
    click_and_wait(page, page.get_by_role("button", name="Plan the interview"))
    expect(page.locator("main")).to_contain_text("The interview is planned")
    screenshot("dave-application")

    # And rejects the other applicant, with a reason
    page.goto(page.url.rsplit("/vacancies/", 1)[0] + "/vacancies/")
    click_and_wait(page, page.get_by_role("link", name=TITLE))
    click_and_wait(page, page.get_by_role("link", name="2 applications"))
    mail.outbox.clear()
    page.get_by_label(f"Move to ({VISITOR_NAME})").select_option(label="Rejected")
    page.get_by_label(f"Reason, when rejected ({VISITOR_NAME})").select_option("other_candidate")
    card = page.locator("li.pipeline-card", has_text=VISITOR_NAME)
    click_and_wait(page, card.get_by_role("button", name="Move"))
    expect(page.locator("main")).to_contain_text(f"{VISITOR_NAME} is now at “Rejected”.")
    log_out(page)

    # Then carla sees the stage change and the appointment
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    page.goto("/vacancies/applications/")
    expect(page.locator("main")).to_contain_text("Invited for an interview")
    expect(page.locator("main")).to_contain_text("Oudegracht 12")
    screenshot("carla-applications")
    log_out(page)

    # And the other applicant is asked, by e-mail, about keeping her data a year
    (question,) = [m for m in mail.outbox if VISITOR_EMAIL in m.to]
    page.goto(link_in(question.body, "/vacancies/keep/"))
    expect(page.locator("h1")).to_have_text("Keep your application?")
    page.get_by_label("Yes, keep it a year and approach me for other vacancies").check()
    screenshot("visitor-keep")
    click_and_wait(page, page.get_by_role("button", name="Save my answer"))
    expect(page.locator("main")).to_contain_text("We keep your application a year")


def link_in(body: str, path: str) -> str:
    """The path of the first link in an e-mail that leads to `path`."""
    line = next(line for line in body.splitlines() if path in line)
    return line[line.index(path) :].strip()


def test_dave_drags_a_card_to_another_stage_and_a_rejection_asks_for_a_reason(
    page: Page, personas: Personas, screenshot: Callable[[str], Path]
) -> None:
    from passend.vacancies import services as vacancy_services
    from passend.vacancies.models import Application

    org_a = personas.organisations["a"]
    with organisation_scope(org_a):
        profile = candidate_services.candidate_profile_ensure(
            membership=personas.memberships["carla"]
        )
        vacancy = vacancy_services.vacancy_create(
            employer=personas.employers["Bakkerij De Korenaar"],
            by=personas.memberships["dave"],
            title=TITLE,
            hours_per_week=32,
            closing_date=timezone.localdate() + timedelta(days=30),
        )
        vacancy = vacancy_services.vacancy_publish(vacancy=vacancy, by=None)
        application = vacancy_services.application_create(vacancy=vacancy, candidate=profile)

    log_in(page, "dave@passend.test", DEMO_PASSWORD)
    page.goto(f"/vacancies/{vacancy.pk}/applications/")
    card = page.locator(f"#card-{application.pk}")
    with page.expect_navigation():
        card.drag_to(page.locator("section[data-stage=screening]"))
    expect(page.locator("main")).to_contain_text("Carla Bakker is now at “Screening”.")
    expect(page.locator(f"#card-{application.pk}")).to_be_focused()

    # A stage that means "rejected" needs a reason: the drop asks for it instead
    page.locator(f"#card-{application.pk}").drag_to(page.locator("section[data-stage=rejected]"))
    reason = page.get_by_label("Reason, when rejected (Carla Bakker)")
    expect(reason).to_be_focused()
    screenshot("dave-drop-on-rejected")
    with organisation_scope(org_a):
        assert Application.objects.get(pk=application.pk).stage == "screening"
