"""Access functions for grants: the same 404 for missing and not-yours."""

from __future__ import annotations

import uuid

import pytest
from django.http import Http404
from django.urls import reverse

from conftest import client_for
from passend.accounts.models import User
from passend.privacy.support.access import get_grant_for_admin, get_live_grant_for_staff
from passend.privacy.support.models import GrantStatus
from passend.privacy.support.tests.conftest import expire


def test_it_gives_an_admin_their_own_organisations_grant(personas, scope_a, pending):
    assert get_grant_for_admin(personas.memberships["alice"], pending.pk) == pending


def test_it_gives_no_grant_to_someone_without_a_membership(scope_a, pending):
    with pytest.raises(Http404):
        get_grant_for_admin(None, pending.pk)


def test_it_gives_no_grant_to_a_member_who_is_not_admin(personas, scope_a, pending):
    with pytest.raises(Http404):
        get_grant_for_admin(personas.memberships["bob"], pending.pk)


def test_it_gives_no_grant_of_another_organisation(personas, scope_b, pending):
    with pytest.raises(Http404):
        get_grant_for_admin(personas.memberships["charlie"], pending.pk)


def test_it_gives_no_grant_for_a_malformed_or_missing_id(personas, scope_a, pending):
    for bad in ("not-a-uuid", uuid.uuid4()):
        with pytest.raises(Http404):
            get_grant_for_admin(personas.memberships["alice"], bad)


def test_it_gives_staff_their_live_grant_only(staff, other_staff, alice, live):
    assert get_live_grant_for_staff(staff, live.pk) == live
    with pytest.raises(Http404):
        get_live_grant_for_staff(other_staff, live.pk)
    with pytest.raises(Http404):
        get_live_grant_for_staff(alice, live.pk)
    expire(live)
    with pytest.raises(Http404):
        get_live_grant_for_staff(staff, live.pk)


def test_it_names_a_grant_by_its_id_and_status(pending, live):
    assert str(live.pk) in str(live)
    assert live.status == GrantStatus.LIVE
    assert live.get_status_display() == str(GrantStatus.LIVE.label)


def test_it_shows_the_support_pages_to_no_one_without_a_role(db):
    nobody = User.objects.create_user("nobody@example.org", "x")
    assert client_for(nobody).get(reverse("support:index")).status_code == 404
