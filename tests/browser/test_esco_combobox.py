"""Picking an ESCO skill with the combobox, by keyboard, in a real browser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from passend.candidates.models import CandidateSkill
from passend.common.scope import organisation_scope
from passend.demo.personas import DEMO_PASSWORD, Personas
from passend.taxonomy.models import Skill
from passend.taxonomy.services import load_esco
from passend.taxonomy.tests.fixtures import KNEAD, compact_folder
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


def test_it_lets_the_candidate_pick_a_skill_by_part_of_its_dutch_label_with_the_keyboard(
    page: Any, personas: Personas, tmp_path: Path, screenshot: Callable[[str], Path]
) -> None:
    # Given the ESCO taxonomy, and carla on her profile
    load_esco(compact_folder(tmp_path / "esco"))
    knead = Skill.objects.get(uri=KNEAD)
    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    page.goto("/candidates/me/")
    english = page.get_by_role("button", name="English")
    if english.count():
        with page.expect_navigation():
            english.click()

    # When she adds a skill and types part of its Dutch label
    page.locator("#section-skills").get_by_role("link", name="Add").click()
    box = page.get_by_role("combobox", name="Skill (ESCO)")
    expect(box).to_be_visible()
    box.press_sequentially("deeg kn", delay=40)

    # Then the list opens and the live region says how many terms it found
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#id_skill-status")).to_have_text(
        "1 term found. Use the arrow keys to choose, Enter to pick."
    )
    screenshot("list-open")

    # When she moves to the term with the arrow key and picks it with Enter
    box.press("ArrowDown")
    option = listbox.get_by_role("option", name="knead dough")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    box.press("Enter")

    # Then the box holds the term, the list is closed and focus stays in the box
    expect(box).to_have_value("knead dough")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_be_focused()
    expect(page.locator("#id_skill-status")).to_have_text("Chosen: knead dough")
    expect(page.locator("input[name=skill_id]")).to_have_value(str(knead.pk))

    # When she chooses a level and saves
    page.get_by_label("Level").select_option("good")
    page.get_by_role("button", name="Save").click()

    # Then the skill is on her profile
    expect(page.locator("#section-skills")).to_contain_text("knead dough")
    screenshot("saved")
    with organisation_scope(personas.organisations["a"]):
        saved = CandidateSkill.objects.get(profile__membership=personas.memberships["carla"])
    assert (saved.skill, saved.level) == (knead, "good")
