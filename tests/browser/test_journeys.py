"""A person's journeys through the site in a real browser."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from passend.demo.personas import DEMO_PASSWORD, Personas
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser

LOGIN_PATH = re.compile(r"/accounts/login/")


def test_it_lets_bob_log_in_switch_organisation_and_log_out(
    page: Any, personas: Personas, screenshot: Callable[[str], Path]
) -> None:
    # Given bob, career advisor in both organisations
    log_in(page, "bob@passend.test", DEMO_PASSWORD)

    # Then he lands on his home page, working in one of them
    expect(page).to_have_url(re.compile(r"/$"))
    switcher = page.locator("select#org-switch")
    expect(switcher).to_be_visible()
    screenshot("home")
    names = {org.name for org in personas.organisations.values()}
    active = switcher.locator("option:checked").inner_text()
    (current,) = [name for name in names if name in active]
    (other,) = names - {current}
    expect(page.locator("main")).to_contain_text(current)

    # When he picks the other organisation in the header
    other_value = str(next(o.pk for o in personas.organisations.values() if o.name == other))
    with page.expect_navigation():
        switcher.select_option(other_value)

    # Then the other organisation is the active one
    expect(page.locator("select#org-switch option:checked")).to_contain_text(other)
    expect(page.locator("main")).to_contain_text(other)
    screenshot("switched")

    # When he logs out, he ends on the login page
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(LOGIN_PATH)
    expect(page.locator("input[name=password]")).to_be_visible()
    screenshot("logged-out")

    # And his home page is closed to him again
    page.goto("/")
    expect(page).to_have_url(LOGIN_PATH)


def test_it_keeps_a_wrong_password_on_the_login_page(
    page: Any, personas: Personas, screenshot: Callable[[str], Path]
) -> None:
    log_in(page, "bob@passend.test", "not-the-password")

    expect(page).to_have_url(LOGIN_PATH)
    expect(page.locator("select#org-switch")).to_have_count(0)
    screenshot("rejected")
