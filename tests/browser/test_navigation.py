"""The header's navigation on a phone and on a desktop, in a real browser.

Locators use addresses and classes, not texts: a persona's saved language
preference decides the language after sign-in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from passend.demo.personas import DEMO_PASSWORD, Personas
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


def test_it_folds_the_menu_behind_a_button_on_a_phone(page: Any, personas: Personas) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    toggle = page.locator(".menu-toggle")
    nav = page.locator("nav.main-nav")
    profile = nav.locator('a[href="/candidates/me/"]')

    # The header is one short row: the menu is folded away
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert page.locator("header").bounding_box()["height"] < 100

    # The button opens it, by keyboard too
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(profile).to_be_visible()
    expect(page.locator('form[action="/accounts/logout/"] button')).to_be_visible()
    box = profile.bounding_box()
    assert box["height"] >= 44

    # Escape closes it and leaves focus on the button
    profile.focus()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_it_groups_the_admins_pages_into_menus_on_a_desktop(page: Any, personas: Personas) -> None:
    page.set_viewport_size({"width": 1280, "height": 844})
    log_in(page, "alice@passend.test", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    nav = page.locator("nav.main-nav")
    organisation, privacy = nav.locator("summary").all()
    members = nav.locator('a[href="/organisations/members/"]')
    audit = nav.locator('a[href="/audit/"]')

    # No menu button on a desktop, and the bar fits on one row
    expect(page.locator(".menu-toggle")).to_be_hidden()
    tops = {
        round(box["y"]) for box in (s.bounding_box() for s in nav.locator(":scope > ul > li").all())
    }
    assert len(tops) == 1

    # A menu opens from the keyboard and shows its pages
    privacy.focus()
    page.keyboard.press("Enter")
    expect(audit).to_be_visible()

    # Opening the other menu closes the first
    organisation.click()
    expect(members).to_be_visible()
    expect(audit).to_be_hidden()

    # Escape closes it and gives focus back to its button
    members.focus()
    page.keyboard.press("Escape")
    expect(members).to_be_hidden()
    expect(organisation).to_be_focused()

    # The current page's menu is marked
    organisation.click()
    members.click()
    expect(page).to_have_url(re.compile(r"/organisations/members/$"))
    expect(nav.locator("summary").first).to_have_class("is-current")
    expect(nav.locator("summary.is-current")).to_have_count(1)
