"""Issue 11's "How to check it" in a real browser, one role's day at a time:
the advisor plans an appointment and the candidate is told and takes it into
her calendar; the candidate ticks a task by keyboard and keeps her place; the
employer opens a shared profile and its CV, and sees no CV when the share
leaves the documents out."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from passend.candidates import services as candidate_services
from passend.candidates.models import CandidateProfile
from passend.coaching import services as coaching_services
from passend.coaching.models import Appointment, Task
from passend.common.scope import organisation_scope
from passend.demo.personas import DEMO_PASSWORD, Personas
from passend.documents.models import DocumentKind
from passend.documents.services import document_upload
from tests.browser.helpers import log_in
from tests.browser.test_coaching_journey import PDF, log_out, work_in

pytestmark = pytest.mark.browser

PLACE = "Werkpad kantoor Oudegracht 120"
TASK = "Bel de bakkerij over een proefdag"


def carla_profile(personas: Personas) -> CandidateProfile:
    with organisation_scope(personas.organisations["a"]):
        return candidate_services.candidate_profile_ensure(membership=personas.memberships["carla"])


def test_it_tells_the_candidate_of_an_appointment_the_advisor_planned(
    page: Any, personas: Personas, screenshot: Callable[[str], Path]
) -> None:
    org_a = personas.organisations["a"]
    profile = carla_profile(personas)
    with organisation_scope(org_a):
        coaching_services.trajectory_create(
            candidate=profile, goal="Werk in een bakkerij", start_date=date(2026, 11, 2)
        )

    # Given bob, career advisor in organisation A, on carla's coaching page
    log_in(page, "bob@passend.test", DEMO_PASSWORD)
    work_in(page, org_a)
    page.goto(f"/coaching/candidates/{profile.pk}/")
    appointments = page.locator("section[aria-labelledby=appointments-title]")

    # When he plans an appointment with a date, a time and a place
    with page.expect_navigation():
        appointments.get_by_role("link", name="New appointment").click()
    form = page.locator("main form")
    form.locator("input[name=starts_at]").fill("2027-03-04T14:30")
    form.locator("input[name=place]").fill(PLACE)
    screenshot("advisor-plans")
    with page.expect_navigation():
        form.get_by_role("button", name="Save").click()
    expect(appointments).to_contain_text(PLACE)
    expect(appointments.locator("time[datetime^='2027-03-04T14:30']")).to_have_count(1)
    with organisation_scope(org_a):
        assert Appointment.objects.filter(candidate=profile, place=PLACE).count() == 1
    screenshot("advisor-planned")
    log_out(page)

    # Then carla sees one unread notification on the bell
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    bell = page.get_by_role("link", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    screenshot("candidate-bell")

    # And the list tells her of the new appointment
    with page.expect_navigation():
        bell.click()
    expect(page.locator("main")).to_contain_text("New appointment on 4 March 2027, 14:30.")
    screenshot("candidate-notifications")

    # And from her plan she downloads it as a calendar file with the place in it
    page.goto("/coaching/me/")
    expect(page.locator("main")).to_contain_text(PLACE)
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")
    assert download.value.suggested_filename == "appointment-20270304-1430.ics"
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert ics.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in ics
    assert PLACE in ics.replace("\r\n ", "")  # unfold RFC 5545 lines
    screenshot("candidate-plan")


def test_it_keeps_the_focus_on_a_task_the_candidate_ticks_by_keyboard(
    page: Any, personas: Personas, screenshot: Callable[[str], Path]
) -> None:
    profile = carla_profile(personas)
    with organisation_scope(personas.organisations["a"]):
        trajectory = coaching_services.trajectory_create(
            candidate=profile, goal="Werk in een bakkerij", start_date=date(2026, 11, 2)
        )
        task = coaching_services.task_create(trajectory=trajectory, title=TASK)

    # Given carla on "My plan" with one open task
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    page.goto("/coaching/me/")
    control = page.locator(f"#toggle-{task.pk}")
    expect(control).to_have_attribute("aria-pressed", "false")
    expect(control).to_have_accessible_name(re.compile(rf"^Mark as done\s*: {TASK}$"))

    # When she reaches its "mark as done" button with the keyboard and presses Space
    control.focus()
    expect(control).to_be_focused()
    screenshot("task-open")
    with page.expect_response(re.compile(rf"/coaching/tasks/{task.pk}/toggle/$")) as answer:
        page.keyboard.press("Space")
    assert answer.value.status == 200

    # Then after the swap the focus is on that task's button again, now pressed
    control = page.locator(f"#toggle-{task.pk}")
    expect(control).to_have_attribute("aria-pressed", "true")
    expect(control).to_be_focused()
    assert page.evaluate("document.activeElement.id") == f"toggle-{task.pk}"
    assert page.evaluate("document.activeElement !== document.body")

    # And the polite live region says what happened
    announcer = page.locator("#live-announcer")
    expect(announcer).to_have_text(f"Task “{TASK}” is done.")
    expect(announcer).to_have_attribute("aria-live", "polite")
    with organisation_scope(personas.organisations["a"]):
        assert Task.objects.get(pk=task.pk).is_done
    screenshot("task-done")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("task-done-390")


def test_it_shows_the_employer_the_cv_only_when_the_share_includes_documents(
    page: Any, personas: Personas, screenshot: Callable[[str], Path]
) -> None:
    org_a = personas.organisations["a"]
    profile = carla_profile(personas)
    bob, carla = personas.memberships["bob"], personas.memberships["carla"]
    company = personas.memberships["dave"].employer
    assert company is not None
    with organisation_scope(org_a):
        document_upload(
            candidate=profile, kind=DocumentKind.CV, name="cv-carla.pdf", chunks=[PDF], by=bob
        )
        candidate_services.profile_share(
            profile=profile, employer=company, by=bob, includes_documents=True
        )
        share = candidate_services.profile_share(profile=profile, employer=company, by=carla)
    assert share.is_active
    assert share.includes_documents

    # Given dave, employer contact at the bakery, on his shared profiles
    log_in(page, "dave@passend.test", DEMO_PASSWORD)
    page.goto("/candidates/shared/")
    row = page.locator("table.data tbody tr", has_text="Carla")
    expect(row).to_have_count(1)
    screenshot("employer-shared-list")

    # When he opens carla's profile
    with page.expect_navigation():
        row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/candidates/{profile.pk}/$"))
    expect(page.locator("h1")).to_contain_text("Carla")
    cv_link = page.get_by_role("link", name="CV, diplomas and photos")
    expect(cv_link).to_be_visible()
    screenshot("employer-profile")

    # Then the CV link leads to her CV, which downloads as the PDF
    with page.expect_navigation():
        cv_link.click()
    cv_row = page.locator("table.data tbody tr", has_text="cv-carla.pdf")
    expect(cv_row).to_have_count(1)
    screenshot("employer-documents")
    download_link = cv_row.locator("a[href$='/download/']")
    with (
        page.expect_response(re.compile(r"/documents/[0-9a-f-]+/download/$")) as answer,
        page.expect_download() as download,
    ):
        download_link.click()
    assert answer.value.status == 200
    assert answer.value.headers["content-type"].startswith("application/pdf")
    assert download.value.suggested_filename == "cv-carla.pdf"
    assert Path(download.value.path()).read_bytes() == PDF

    # When the share is stopped and made again without the documents
    with organisation_scope(org_a):
        candidate_services.profile_share_revoke(share=share, by=bob)
        candidate_services.profile_share(
            profile=profile, employer=company, by=bob, includes_documents=False
        )
        share = candidate_services.profile_share(profile=profile, employer=company, by=carla)
    assert share.is_active
    assert not share.includes_documents

    # Then dave still sees her profile, but no CV link
    page.goto(f"/candidates/{profile.pk}/")
    expect(page.locator("h1")).to_contain_text("Carla")
    expect(page.get_by_role("link", name="CV, diplomas and photos")).to_have_count(0)
    expect(page.locator("main a[href*='/documents/']")).to_have_count(0)
    screenshot("employer-profile-without-documents")
