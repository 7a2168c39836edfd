"""The lists' stored sort key (issue 12): folded, kept true on every name
change, filled for existing rows, and the lists' cached totals.

The plans at 100,000 candidates are checked on PostgreSQL in tests/test_list_plans.py.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection

from passend.accounts.services import user_update_profile
from passend.candidates import selectors, services
from passend.candidates.models import CandidateProfile
from passend.coaching import selectors as coaching_selectors
from passend.common.scope import organisation_scope
from passend.common.sorting import sort_key
from passend.tenancy.models import Membership, Role
from passend.tenancy.services import membership_create, membership_update


def _candidate(org: Any, name: str, *, profile: bool = True) -> Membership:
    user = get_user_model().objects.create_user(
        email=f"{sort_key(name).replace(' ', '.')}@example.test", name=name
    )
    membership = membership_create(organisation=org, user=user, role=Role.CANDIDATE)
    if profile:
        with organisation_scope(org):
            services.candidate_profile_ensure(membership=membership)
    return membership


def test_it_folds_case_accents_and_spaces():
    assert sort_key("  Émile   ZOLA ") == "emile zola"
    assert sort_key("Çağlar Öztürk") == "caglar ozturk"
    assert sort_key("Straße") == "strasse"
    assert sort_key("") == ""


def test_it_sets_the_key_of_a_new_membership_and_profile(personas):
    org = personas.organisations["a"]

    membership = _candidate(org, "Ánna de Vries")

    with organisation_scope(org):
        profile = CandidateProfile.objects.get(membership=membership)
    membership.refresh_from_db()
    assert membership.sort_name == "anna de vries"
    assert profile.sort_name == "anna de vries"


def test_it_keeps_the_key_true_when_the_name_changes_in_every_organisation(personas):
    carla = personas.memberships["carla"]
    org_a, org_b = personas.organisations["a"], personas.organisations["b"]
    in_b = membership_create(organisation=org_b, user=carla.user, role=Role.CANDIDATE)
    with organisation_scope(org_a):
        profile_a = services.candidate_profile_ensure(membership=carla)
    with organisation_scope(org_b):
        profile_b = services.candidate_profile_ensure(membership=in_b)

    user_update_profile(
        user=carla.user, name="Zoë Zeeman", preferred_language=carla.user.preferred_language
    )

    for row in (carla, in_b, profile_a, profile_b):
        row.refresh_from_db()
        assert row.sort_name == "zoe zeeman"


def test_it_keeps_the_key_when_the_membership_changes_otherwise(personas):
    org = personas.organisations["a"]
    membership = _candidate(org, "Bram Bos")
    with organisation_scope(org):
        membership_update(membership=membership, role=Role.CANDIDATE, is_active=False)
    membership.refresh_from_db()
    assert membership.sort_name == "bram bos"


def test_it_lists_by_the_folded_name_on_every_list(personas):
    org = personas.organisations["a"]
    for name in ("émile Smit", "Anna Jansen", "Bert Bakker", "Zeger Zand", "Eva Eikema"):
        _candidate(org, name)

    with organisation_scope(org):
        memberships = [m.user.name for m in selectors.candidate_memberships()]
        api = [p.membership.user.name for p in selectors.candidate_profiles()]
        caseload = [p.membership.user.name for p in coaching_selectors.caseload()]

    mine = ["Anna Jansen", "Bert Bakker", "émile Smit", "Eva Eikema", "Zeger Zand"]
    assert [n for n in memberships if n in mine] == mine
    assert [n for n in api if n in mine] == mine
    assert [n for n in caseload if n in mine] == mine


def test_it_fills_the_key_of_existing_rows(personas):
    org = personas.organisations["a"]
    membership = _candidate(org, "Ölaf Olsen")
    Membership.objects.unscoped().filter(pk=membership.pk).update(sort_name="")
    CandidateProfile.objects.unscoped().filter(membership=membership).update(sort_name="")
    tenancy = importlib.import_module("passend.tenancy.migrations.0004_list_sort_name")
    candidates = importlib.import_module("passend.candidates.migrations.0005_list_sort_name")

    class Editor:
        pass

    editor: Any = Editor()
    editor.connection = connection
    tenancy.fill_sort_names(apps, editor)
    candidates.copy_sort_names(apps, editor)

    membership.refresh_from_db()
    assert membership.sort_name == "olaf olsen"
    with organisation_scope(org):
        assert CandidateProfile.objects.get(membership=membership).sort_name == "olaf olsen"


@pytest.mark.parametrize("change", ["join", "open_profile", "leave"])
def test_it_counts_the_lists_anew_when_a_candidate_changes(personas, change):
    org = personas.organisations["a"]
    waiting = _candidate(org, "Wim Wachter", profile=False)
    with organisation_scope(org):
        before = selectors.listed_counts()
        assert selectors.listed_counts() == before  # from the cache
        if change == "join":
            _candidate(org, "Nieuwe Kandidaat", profile=False)
            expected = (before.candidates + 1, before.with_profile)
        elif change == "open_profile":
            services.candidate_profile_ensure(membership=waiting)
            expected = (before.candidates, before.with_profile + 1)
        else:
            membership_update(membership=waiting, role=Role.CANDIDATE, is_active=False)
            expected = (before.candidates - 1, before.with_profile)
        after = selectors.listed_counts()
    assert (after.candidates, after.with_profile) == expected
    assert after.without_profile == after.candidates - after.with_profile
