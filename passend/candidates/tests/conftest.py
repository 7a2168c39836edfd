"""Profiles for the personas: carla's (candidate of A) and a flex worker's."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from passend.candidates import services
from passend.common.scope import organisation_scope


@pytest.fixture
def carla_profile(personas: Any) -> Any:
    org = personas.organisations["a"]
    with organisation_scope(org):
        profile = services.candidate_profile_ensure(membership=personas.memberships["carla"])
        return services.candidate_profile_update(
            profile=profile,
            by=personas.memberships["bob"],
            data={
                "first_name": "Carla",
                "last_name": "Bakker",
                "city": "Utrecht",
                "street": "Lange Nieuwstraat",
                "house_number": "12",
                "postcode": "3512 PH",
                "date_of_birth": date(1990, 4, 17),
                "gender": "female",
                "marital_status": "cohabiting",
                "nationality": "Portugese",
                "email": "carla.private@example.org",
                "phone": "06 12345678",
                "iban": "NL02ABNA0123456789",
                "is_worker": True,
                "bsn": "111222333",
                "interests": "Baking bread",
            },
        )
