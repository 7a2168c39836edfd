"""The shell in a real browser: the CSP lets every page run, and the small
enhancements in passend.js do their job."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from conftest import CHROMIUM
from passend.demo.personas import DEMO_PASSWORD

# Playwright's sync API runs an asyncio loop in this thread; Django would
# otherwise refuse the ORM calls the fixtures make.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing"),
]


@pytest.fixture
def chromium(browser: Any) -> Any:
    return browser


class Tab:
    """A page plus the console errors it produced (a CSP violation is one)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def log_in(self, who: str) -> None:
        # Signing in applies the saved language; these visitors read English.
        get_user_model().objects.filter(email=f"{who}@passend.test").update(preferred_language="en")
        self.page.goto("/accounts/login/")
        self.page.fill("#id_login", f"{who}@passend.test")
        self.page.fill("#id_password", DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.click("main form button[type=submit]")


@pytest.fixture
def tab(chromium: Any, live_server: Any, personas: Any) -> Iterator[Tab]:
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    yield Tab(context.new_page())
    context.close()


@pytest.mark.parametrize("persona", ["alice", "bob", "carla", "dave"])
def test_it_runs_each_start_page_without_a_csp_violation(tab: Tab, persona: str) -> None:
    tab.log_in(persona)

    tab.page.wait_for_load_state("networkidle")

    assert tab.page.url.endswith("/")
    assert tab.page.locator("main h1").count() == 1
    assert tab.errors == []


def test_it_shows_the_authenticator_qr_code_under_the_csp(tab: Tab) -> None:
    tab.log_in("alice")
    tab.page.goto("/accounts/2fa/totp/activate/")
    if "/reauthenticate/" in tab.page.url:
        tab.page.fill("#id_password", DEMO_PASSWORD)
        with tab.page.expect_navigation():
            tab.page.click("main form button[type=submit]")

    qr = tab.page.locator("img.qr")

    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert tab.page.locator("code.secret").inner_text().strip() != ""
    assert tab.errors == []


def test_it_moves_focus_to_the_error_summary_after_a_failed_login(tab: Tab) -> None:
    tab.page.goto("/accounts/login/")
    tab.page.fill("#id_login", "alice@passend.test")
    tab.page.fill("#id_password", "not-the-password")
    with tab.page.expect_navigation():
        tab.page.click("main form button[type=submit]")

    focused = tab.page.evaluate("document.activeElement.className")

    assert focused == "error-summary"
    assert "are not correct" in tab.page.locator(".error-summary").inner_text()


def test_it_switches_organisation_as_soon_as_bob_chooses_one(tab: Tab, org_b: Any) -> None:
    tab.log_in("bob")
    tab.page.goto("/")

    button_visible = tab.page.locator(".org-switcher .autosubmit-button").is_visible()
    with tab.page.expect_navigation():
        tab.page.select_option("#org-switch", str(org_b.pk))

    assert not button_visible
    assert "You are now working in Flexkracht Uitzendbureau." in tab.page.inner_text(".messages")
    assert re.search(r"/$", tab.page.url)


def test_it_asks_before_removing_an_e_mail_address(tab: Tab) -> None:
    tab.log_in("alice")
    tab.page.goto("/accounts/email/")
    with tab.page.expect_navigation():
        tab.page.click("button[name=action_remove]")

    assert tab.page.inner_text("h1") == "Remove the address alice@passend.test?"
    with tab.page.expect_navigation():
        tab.page.get_by_role("link", name="Cancel").click()
    assert tab.page.url.endswith("/accounts/email/")
    assert "alice@passend.test" in tab.page.inner_text("main")
