"""Scheme details and leave reasons are stored encrypted (issue 9, defect 6):
the columns hold ciphertext, the profile reads plaintext."""

from __future__ import annotations

from datetime import date
from typing import Any

from passend.candidates.models import LeavePeriod, ProfileScheme
from passend.candidates.services import (
    scheme_create,
    section_entry_create,
    section_entry_update,
)
from passend.privacy.crypto.envelope import is_token
from passend.privacy.crypto.tests.test_fields import raw

HEALTH = "Wajong, after a brain injury"


def test_it_stores_the_details_of_a_scheme_encrypted(carla_profile: Any, scope_a: Any) -> None:
    scheme = scheme_create(organisation_id=carla_profile.organisation_id, name="Doelgroepregister")

    entry = section_entry_create(
        profile=carla_profile, model=ProfileScheme, data={"scheme": scheme, "note": HEALTH}
    )

    stored = raw(ProfileScheme, entry.pk, "note")
    assert HEALTH not in stored
    assert is_token(stored)
    assert ProfileScheme.objects.get(pk=entry.pk).note == HEALTH


def test_it_stores_a_changed_scheme_note_and_the_reason_for_leave_encrypted(
    carla_profile: Any, scope_a: Any
) -> None:
    scheme = scheme_create(organisation_id=carla_profile.organisation_id, name="Jobcoach")
    entry = section_entry_create(
        profile=carla_profile, model=ProfileScheme, data={"scheme": scheme, "note": ""}
    )
    leave = section_entry_create(
        profile=carla_profile,
        model=LeavePeriod,
        data={"starts_on": date(2026, 3, 1), "ends_on": date(2026, 4, 1), "description": HEALTH},
    )

    section_entry_update(entry=entry, data={"note": HEALTH})

    assert HEALTH not in raw(ProfileScheme, entry.pk, "note")
    assert HEALTH not in raw(LeavePeriod, leave.pk, "description")
    assert LeavePeriod.objects.get(pk=leave.pk).description == HEALTH
    assert ProfileScheme.objects.get(pk=entry.pk).note == HEALTH
