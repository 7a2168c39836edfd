from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from passend.accounts.models import User
from passend.candidates.models import CandidateProfile
from passend.common.scope import organisation_scope
from passend.tenancy.models import Membership, Role


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def files_in(root: Path) -> list[str]:
    """Every file under `root`, temporary ones included."""
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def profile_for(membership: Membership) -> CandidateProfile:
    with organisation_scope(membership.organisation):
        profile, _created = CandidateProfile.objects.get_or_create(
            organisation=membership.organisation, membership=membership
        )
    return profile


@pytest.fixture
def carla_profile(personas: Any) -> CandidateProfile:
    return profile_for(personas.memberships["carla"])


@pytest.fixture
def other_candidate(personas: Any) -> CandidateProfile:
    org_a = personas.organisations["a"]
    user = User.objects.create_user("documents-erik@example.test", "x", name="Erik")
    with organisation_scope(org_a):
        membership = Membership.objects.create(organisation=org_a, user=user, role=Role.CANDIDATE)
    return profile_for(membership)
