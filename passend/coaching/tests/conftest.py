"""Coaching fixtures: carla's profile with a trajectory, a task, notes and an appointment."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from passend.candidates.models import CandidateProfile, Scheme
from passend.coaching import services
from passend.common.scope import organisation_scope


def profile_of(personas: Any, key: str, org_key: str = "a") -> CandidateProfile:
    organisation = personas.organisations[org_key]
    with organisation_scope(organisation):
        profile, _ = CandidateProfile.objects.get_or_create(
            membership=personas.memberships[key], defaults={"organisation": organisation}
        )
    return profile


@pytest.fixture
def carla_profile(personas: Any) -> CandidateProfile:
    return profile_of(personas, "carla")


@pytest.fixture
def fatima_profile(personas: Any) -> CandidateProfile:
    return profile_of(personas, "fatima", "b")


@pytest.fixture
def coaching(personas: Any, carla_profile: CandidateProfile) -> dict[str, Any]:
    """Carla's active trajectory with bob, two tasks, a private and a shared note,
    and an appointment next week."""
    bob = personas.memberships["bob"]
    with organisation_scope(personas.organisations["a"]):
        scheme = Scheme.objects.create(
            organisation=personas.organisations["a"], name="Participatiewet"
        )
        trajectory = services.trajectory_create(
            candidate=carla_profile,
            goal="Work in a bakery",
            start_date=date(2026, 1, 5),
            status="active",
            scheme=scheme,
            professional=bob,
            by=bob,
        )
        task = services.task_create(trajectory=trajectory, title="Write a CV")
        other_task = services.task_create(
            trajectory=trajectory, title="Call the bakery", assignee="professional"
        )
        private = services.note_create(
            candidate=carla_profile, author=bob, text="Private observation about Carla"
        )
        shared = services.note_create(
            candidate=carla_profile, author=bob, text="Great first meeting!", visibility="shared"
        )
        appointment = services.appointment_create(
            candidate=carla_profile,
            starts_at=timezone.now() + timedelta(days=7),
            place="Oudegracht 120, Utrecht",
            professional=bob,
        )
    return {
        "profile": carla_profile,
        "trajectory": trajectory,
        "scheme": scheme,
        "task": task,
        "other_task": other_task,
        "private": private,
        "shared": shared,
        "appointment": appointment,
    }
