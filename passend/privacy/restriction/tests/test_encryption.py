"""A restriction's explanation is the person's own words and may tell of their
health: the column holds ciphertext, the page reads plaintext (issue 9, defect 6)."""

from __future__ import annotations

from typing import Any

from passend.privacy.crypto.envelope import is_token
from passend.privacy.crypto.tests.test_fields import raw
from passend.privacy.restriction import services
from passend.privacy.restriction.models import Restriction, RestrictionReason

HEALTH = "My burn-out diagnosis is recorded wrongly."


def test_it_stores_the_explanation_of_a_restriction_encrypted(scope_a: Any, members: Any) -> None:
    carla = members["carla"]

    restriction = services.restriction_start(
        membership=carla, reason=RestrictionReason.CONTESTS_ACCURACY, note=HEALTH, by=carla
    )

    stored = raw(Restriction, restriction.pk, "note")
    assert HEALTH not in stored
    assert is_token(stored)
    assert Restriction.objects.get(pk=restriction.pk).note == HEALTH
