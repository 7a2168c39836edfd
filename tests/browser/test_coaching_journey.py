"""Issue 4's journey in a real browser: invitation, profile, documents, coaching."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from passend.demo.personas import DEMO_PASSWORD, Personas
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser

CANDIDATE_EMAIL = "noor.journey@example.test"
CANDIDATE_PASSWORD = "Kandidaat-wachtwoord-2026!"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
TASK = "Stuur je cv naar drie werkgevers"
LINK = re.compile(r"https?://[^/\s]+(/organisations/join/\S+)")


def png_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), (180, 140, 110)).save(buffer, format="PNG")
    return buffer.getvalue()


def log_out(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    expect(page.locator("input[name=password]")).to_be_visible()


def work_in(page: Any, organisation: Any) -> None:
    """Make `organisation` the active one in the header switcher."""
    switcher = page.locator("select#org-switch")
    expect(switcher).to_be_visible()
    if switcher.input_value() != str(organisation.pk):
        with page.expect_navigation():
            switcher.select_option(str(organisation.pk))
    expect(page.locator("select#org-switch option:checked")).to_contain_text(organisation.name)


def submit(page: Any, form: Any, button: str) -> None:
    with page.expect_navigation():
        form.get_by_role("button", name=button, exact=True).click()


def test_it_runs_the_coaching_journey_from_invitation_to_a_ticked_task(
    page: Any, personas: Personas, screenshot: Callable[[str], Path]
) -> None:
    org_a = personas.organisations["a"]
    mail.outbox.clear()

    # Given bob, career advisor, working in organisation A
    log_in(page, "bob@passend.test", DEMO_PASSWORD)
    work_in(page, org_a)

    # When he invites a candidate by e-mail
    page.goto("/organisations/invitations/new/?role=candidate")
    form = page.locator("form").filter(has=page.locator("input[name=email]"))
    form.locator("input[name=email]").fill(CANDIDATE_EMAIL)
    form.locator("select[name=role]").select_option("candidate")
    screenshot("invite")
    submit(page, form, "Send invitation")
    expect(page.locator("main")).to_contain_text(f"An invitation was sent to {CANDIDATE_EMAIL}")
    log_out(page)

    # Then the candidate receives an e-mail with a link
    (message,) = [m for m in mail.outbox if CANDIDATE_EMAIL in m.to]
    match = LINK.search(str(message.body))
    assert match is not None, message.body

    # When she opens the link, she can create her account
    page.goto(match.group(1))
    expect(page).to_have_url(re.compile(r"/accounts/signup/"))
    signup = page.locator("form").filter(has=page.locator("input[name=password1]"))
    expect(signup.locator("input[name=email]")).to_have_value(CANDIDATE_EMAIL)
    signup.locator("input[name=password1]").fill(CANDIDATE_PASSWORD)
    signup.locator("input[name=password2]").fill(CANDIDATE_PASSWORD)
    screenshot("signup")
    submit(page, signup, "Create account")
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    expect(page.locator("header")).to_contain_text(CANDIDATE_EMAIL)
    expect(page.locator("header")).to_contain_text(org_a.name)

    # And she fills in her profile
    page.goto("/candidates/me/")
    with page.expect_navigation():
        page.get_by_role("link", name="Change personal details").click()
    profile = page.locator("form").filter(has=page.locator("input[name=first_name]"))
    profile.locator("input[name=first_name]").fill("Noor")
    profile.locator("input[name=last_name]").fill("Bakker")
    profile.locator("input[name=street]").fill("Dorpsstraat")
    profile.locator("input[name=house_number]").fill("12")
    profile.locator("input[name=postcode]").fill("1234 ab")
    profile.locator("input[name=city]").fill("Utrecht")
    profile.locator("input[name=phone]").fill("06 12345678")
    screenshot("profile-form")
    submit(page, profile, "Save")
    expect(page.locator("main")).to_contain_text("The profile was saved.")
    expect(page.locator("main")).to_contain_text("Noor")
    expect(page.locator("main")).to_contain_text("Utrecht")
    screenshot("profile")

    # And she uploads her CV and a passport photo, agreeing to its use
    page.goto("/documents/")
    upload = page.locator("form").filter(has=page.locator("input[name=file]"))
    upload.locator("select[name=kind]").select_option("cv")
    upload.locator("input[name=file]").set_input_files(
        {"name": "cv-noor.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    submit(page, upload, "Upload")
    expect(page.locator("main")).to_contain_text("The document was uploaded.")

    upload = page.locator("form").filter(has=page.locator("input[name=file]"))
    upload.locator("select[name=kind]").select_option("passport_photo")
    upload.locator("input[name=file]").set_input_files(
        {"name": "pasfoto.png", "mimeType": "image/png", "buffer": png_photo()}
    )
    upload.locator("input[name=consent]").check()
    submit(page, upload, "Upload")
    expect(page.locator("main")).to_contain_text("The document was uploaded.")
    documents = page.locator("table.data tbody")
    expect(documents.locator("tr", has_text="cv-noor.pdf")).to_contain_text("CV")
    expect(documents.locator("tr", has_text="Passport photo")).to_have_count(1)
    screenshot("documents")
    log_out(page)

    # When bob opens her in his caseload and adds a trajectory with a task
    log_in(page, "bob@passend.test", DEMO_PASSWORD)
    work_in(page, org_a)
    page.goto("/coaching/caseload/")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=re.compile("Noor|" + CANDIDATE_EMAIL)).click()
    expect(page).to_have_url(re.compile(r"/coaching/candidates/[0-9a-f-]+/$"))

    with page.expect_navigation():
        page.get_by_role("link", name="New trajectory").click()
    trajectory = page.locator("form").filter(has=page.locator("input[name=goal]"))
    trajectory.locator("input[name=goal]").fill("Werk als magazijnmedewerker")
    trajectory.locator("select[name=status]").select_option("active")
    trajectory.locator("input[name=start_date]").fill("2026-11-23")
    submit(page, trajectory, "Save")
    expect(page.locator("main")).to_contain_text("The trajectory was added.")
    expect(page.locator("main")).to_contain_text("Werk als magazijnmedewerker")

    with page.expect_navigation():
        page.get_by_role("link", name="Add a task").click()
    task = page.locator("form").filter(has=page.locator("input[name=title]"))
    task.locator("input[name=title]").fill(TASK)
    task.locator("select[name=assignee]").select_option("candidate")
    task.locator("input[name=due_date]").fill("2026-12-01")
    submit(page, task, "Save")
    expect(page.locator("main")).to_contain_text("The task was added.")
    expect(page.locator("main")).to_contain_text(TASK)
    screenshot("plan")
    log_out(page)

    # And the candidate ticks the task on her dashboard
    log_in(page, CANDIDATE_EMAIL, CANDIDATE_PASSWORD)
    page.goto("/coaching/me/")
    item = page.locator("li[id^=task-]", has_text=TASK)
    expect(item).to_have_count(1)
    expect(item.locator(".badge-success")).to_have_count(0)
    screenshot("dashboard")
    item.get_by_role("button", name=re.compile(r"^Mark as done")).click()

    # Then the task shows as done, also after reloading the page
    item = page.locator("li[id^=task-]", has_text=TASK)
    expect(item.get_by_role("button", name=re.compile(r"^Mark as not done"))).to_be_visible()
    expect(item.locator(".badge-success")).to_have_text("done")
    expect(page.locator("main")).to_contain_text("1 of 1")
    page.reload()
    item = page.locator("li[id^=task-]", has_text=TASK)
    expect(item.locator(".badge-success")).to_have_text("done")
    expect(item.get_by_role("button", name=re.compile(r"^Mark as not done"))).to_be_visible()
    screenshot("task-done")
