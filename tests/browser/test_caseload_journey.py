"""Issue 11, points 2 and 4 in a real browser: bob starts a trajectory for
carla without touching the defaults, finds her under "my candidates" in the
caseload (searching with htmx keeps the focus and announces the count), and
reaches her CV from the coaching page.

The steps find things by role, name attributes and addresses rather than
by their words, so they hold in Dutch and in English."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from passend.demo.personas import DEMO_PASSWORD, Personas
from tests.browser.helpers import log_in
from tests.browser.test_coaching_journey import PDF, work_in

pytestmark = pytest.mark.browser

GOAL = "Werk in een bakkerij"


def click_and_wait(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def tab(page: Any, url_end: str) -> Any:
    return page.locator(f"nav.candidate-tabs a[href$='{url_end}']")


def test_it_puts_a_new_trajectory_in_the_advisors_caseload_and_links_to_the_cv(
    page: Any, personas: Personas, screenshot: Callable[[str], Path]
) -> None:
    # Given bob, career advisor in organisation A
    log_in(page, "bob@passend.test", DEMO_PASSWORD)
    work_in(page, personas.organisations["a"])

    # When he opens carla from the candidates list
    page.goto("/candidates/")
    row = page.locator("table.data tbody tr", has_text="Carla")
    opener = row.locator("form button[type=submit]")
    click_and_wait(page, opener if opener.count() else row.get_by_role("link").first)
    expect(page).to_have_url(re.compile(r"/candidates/[0-9a-f-]+/$"))
    expect(page.locator("nav.candidate-tabs [aria-current=page]")).to_have_count(1)

    # And uploads her CV from the documents tab
    click_and_wait(page, tab(page, "/documents/candidates/" + page.url.split("/")[-2] + "/"))
    upload = page.locator("form").filter(has=page.locator("input[name=file]"))
    upload.locator("select[name=kind]").select_option("cv")
    upload.locator("input[name=file]").set_input_files(
        {"name": "cv-carla.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    click_and_wait(page, upload.locator("button[type=submit]"))
    expect(page.locator("table.data tbody tr", has_text="cv-carla.pdf")).to_have_count(1)

    # And starts a trajectory, leaving the status and advisor as offered
    click_and_wait(page, page.locator("nav.candidate-tabs a[href*='/coaching/candidates/']").first)
    trajectories = page.locator("section[aria-labelledby=trajectories-title]")
    click_and_wait(page, trajectories.get_by_role("link", name="New trajectory"))
    form = page.locator("main form")
    expect(form.locator("select[name=professional] option:checked")).to_contain_text("Bob")
    expect(form.locator("select[name=status]")).to_have_value("")
    form.locator("input[name=goal]").fill(GOAL)
    form.locator("input[name=start_date]").fill("2026-01-05")
    click_and_wait(page, form.locator("button[type=submit]"))
    expect(page.locator("main")).to_contain_text(GOAL)
    screenshot("coaching")

    # Then she is in his caseload under "only my candidates", active, his
    page.goto("/coaching/caseload/?mine=1")
    carla = page.locator("table.caseload tbody tr", has_text="Carla")
    expect(carla).to_contain_text(GOAL)
    expect(carla.locator(".badge-ok")).to_have_count(1)
    expect(carla).to_contain_text("Bob")

    # And searching with htmx narrows the rows, keeps the focus and announces the count
    page.goto("/coaching/caseload/")
    search = page.locator("input[name=q]")
    search.click()
    search.press_sequentially("carl")
    expect(page).to_have_url(re.compile(r"q=carl"))
    expect(page.locator("#caseload-status[role=status]")).to_contain_text(re.compile(r"\b1\b"))
    expect(page.locator("table.caseload tbody tr")).to_have_count(1)
    expect(search).to_be_focused()
    screenshot("caseload")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("caseload-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # And from the coaching page the CV is one tab away
    click_and_wait(page, page.locator("table.caseload tbody a", has_text="Carla"))
    click_and_wait(page, page.locator("nav.candidate-tabs a[href*='/documents/candidates/']"))
    cv_row = page.locator("table.data tbody tr", has_text="cv-carla.pdf")
    with page.expect_download() as download:
        cv_row.locator("a[href$='/download/']").click()
    assert download.value.suggested_filename == "cv-carla.pdf"
