"""Data-subject rights in a real browser: export my data, delete my account."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from passend.accounts.models import User
from passend.demo.personas import DEMO_PASSWORD, Personas
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def test_carla_deletes_her_account_and_gets_a_receipt(
    page: Any, personas: Personas, screenshot: Callable[[str], Path]
) -> None:
    # Given carla, candidate, signed in
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))

    # When she opens Settings > Account > Delete my account
    page.goto("/account/")
    page.locator("section").get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Delete my account", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="What will be deleted")).to_be_visible()
    expect(
        page.get_by_role("heading", name="What must be kept, why and until when")
    ).to_be_visible()
    screenshot("explanation")

    # A wrong password deletes nothing and says why
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_label("I understand that this cannot be undone.").check()
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_text("That is not your password.").first).to_be_visible()
    screenshot("wrong-password")

    # With her password, the account goes and she gets a receipt
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_label("I understand that this cannot be undone.").check()
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("heading", name="Erasure receipt")).to_be_visible()
    expect(page.get_by_role("heading", name="What was deleted")).to_be_visible()
    screenshot("receipt")
    assert not User.objects.filter(email="carla@passend.test").exists()

    # And she can no longer sign in
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_carla_exports_her_data_and_downloads_it_once(
    page: Any, personas: Personas, screenshot: Callable[[str], Path]
) -> None:
    # Given carla, candidate, signed in, on her data page
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/my-data/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot("my-data")

    # When she asks for an export of everything
    page.locator("main").get_by_role("link", name="Download your data").click()
    screenshot("export-form")
    page.get_by_role("button", name="Prepare my export").click()

    # Then a download button appears and gives her a zip with her data
    button = page.get_by_role("button", name=re.compile(r"^Download"))
    expect(button).to_be_visible()
    screenshot("export-ready")
    with page.expect_download() as download_info:
        button.click()
    download = download_info.value
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
    assert "overview.html" in names
    assert "carla@passend.test" in json.dumps(data)

    # The link works once: a second visit says it is gone
    again = page.goto(download.url)
    assert again is not None
    assert again.status == 410
    screenshot("link-used")


def test_carla_reads_a_short_summary_of_her_data_and_opens_one_kind_of_it(
    page: Any, personas: Personas, screenshot: Callable[[str], Path]
) -> None:
    # Given carla, candidate, signed in, on a phone-sized screen
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))

    # When she opens her data page
    page.goto("/my-data/")

    # Then it leads with a summary per organisation and fits the screen's width
    # (selectors do not depend on the language: her saved preference may apply)
    expect(page.locator(".my-data-summary").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert width <= 390
    assert height < 8000  # it was 15,700 px for the same data, growing with the audit trail
    screenshot("summary-390")
    # Internal terms and hashes stay closed until she asks for the technical details
    expect(page.locator("details.my-data-technical[open]")).to_have_count(0)
    expect(page.locator("details.my-data-technical table").first).to_be_hidden()

    # And a kind of data opens from the keyboard and shows its records
    summary = page.locator(
        "details.my-data-block > summary", has_text=re.compile(r"^\s*(Name|Naam)\b")
    ).first
    summary.focus()
    page.keyboard.press("Enter")
    block = page.locator("details.my-data-block[open]")
    expect(block).to_have_count(1)
    expect(block.get_by_text("Carla Bakker").first).to_be_visible()
    # one action per record (her own name: "Change"), not one per field
    expect(block.locator(".my-data-actions a")).to_have_count(1)
    screenshot("name-open")

    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
