"""The home pages in a real browser: true state, and a next step that leads somewhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from passend.candidates.services import candidate_profile_ensure
from passend.common.scope import organisation_scope
from passend.demo.personas import DEMO_PASSWORD, Personas
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


def test_it_shows_carla_her_profile_completeness_rise_after_she_fills_a_gap(
    page: Any, personas: Personas, screenshot: Callable[[str], Path]
) -> None:
    # Given carla, whose profile is still empty (she signs in reading English)
    with organisation_scope(personas.organisations["a"]):
        candidate_profile_ensure(membership=personas.memberships["carla"])
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    profile_card = page.locator("section", has=page.get_by_role("heading", name="My profile"))
    expect(profile_card).to_contain_text("Your profile is 0% complete: 0 of 9 parts filled in.")
    screenshot("empty")

    # When she follows the link of a missing part and fills it in
    profile_card.get_by_role("link", name="Place of residence").click()
    page.locator("#id_city").fill("Utrecht")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Home").click()

    # Then her home page counts it, and no longer asks for it
    expect(profile_card).to_contain_text("Your profile is 11% complete: 1 of 9 parts filled in.")
    expect(profile_card.get_by_role("link", name="Place of residence")).to_have_count(0)
    expect(profile_card.get_by_role("link", name="Interests")).to_be_visible()
    screenshot("one-part-filled")
