"""The bell and the notifications list in a real browser: a planned appointment
shows up for the candidate, who opens it by keyboard and downloads its .ics."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from passend.candidates.models import CandidateProfile
from passend.coaching import services as coaching_services
from passend.common.scope import organisation_scope
from passend.demo.personas import DEMO_PASSWORD, Personas
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


def test_it_shows_the_candidate_a_new_appointment_and_its_calendar_file(
    page: Any, personas: Personas
) -> None:
    org = personas.organisations["a"]
    carla = personas["carla"]
    carla.preferred_language = "en"  # the interface follows it at sign-in
    carla.save(update_fields=["preferred_language"])
    with organisation_scope(org):
        profile, _ = CandidateProfile.objects.get_or_create(
            membership=personas.memberships["carla"], defaults={"organisation": org}
        )
        coaching_services.appointment_create(
            candidate=profile,
            starts_at=timezone.make_aware(datetime(2027, 3, 4, 14, 30)),
            place="Oudegracht 120, Utrecht",
        )

    log_in(page, "carla@passend.test", DEMO_PASSWORD)
    bell = page.get_by_role("link", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    bell.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("New appointment on 4 March 2027, 14:30.")

    with page.expect_navigation():
        page.get_by_role("button", name="Open", exact=True).click()
    expect(page).to_have_url(re.compile(r"/coaching/me/$"))
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    assert download.value.suggested_filename == "appointment-20270304-1430.ics"
