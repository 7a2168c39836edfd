"""support_scope(): acting inside an organisation for staff, only through a live grant."""

from __future__ import annotations

import pytest
from django.http import Http404

from passend.common.scope import ScopeError, current_organisation, has_scope
from passend.privacy.audit.middleware import current_actor
from passend.privacy.support.scope import support_scope
from passend.privacy.support.tests.conftest import events, expire
from passend.tenancy.models import Membership


def test_it_opens_the_organisations_scope_for_a_live_grant(staff, org_a, live):
    with support_scope(staff, org_a, detail="checking a membership", fields=["role"]) as grant:
        assert grant == live
        assert current_organisation() == org_a
        assert current_actor().user_id == staff.pk
        emails = sorted(m.user.email for m in Membership.objects.select_related("user"))
    assert "alice@passend.test" in emails
    assert "charlie@passend.test" not in emails
    assert not has_scope()
    with pytest.raises(ScopeError):
        Membership.objects.count()


def test_it_records_every_use_with_the_grant(staff, org_a, carla, live):
    with support_scope(
        staff, org_a, detail="checking a membership", fields=["role"], subject=carla
    ):
        pass
    with support_scope(staff, org_a):
        pass

    uses = list(events(org_a, action="grant_use").order_by("id"))
    assert [u.target_id for u in uses] == [str(live.pk), str(live.pk)]
    assert uses[0].subject_user_id == carla.pk
    assert uses[0].fields == ["role"]
    assert uses[0].detail == "checking a membership"
    assert uses[0].purpose == "support"


def test_it_refuses_a_pending_grant(staff, org_a, pending):
    with pytest.raises(Http404), support_scope(staff, org_a):
        pass


def test_it_refuses_an_expired_grant(staff, org_a, live):
    expire(live)
    with pytest.raises(Http404), support_scope(staff, org_a):
        pass
    assert not events(org_a, action="grant_use").exists()


def test_it_refuses_another_organisation(staff, org_b, live):
    with pytest.raises(Http404), support_scope(staff, org_b):
        pass


def test_it_refuses_someone_who_is_not_staff_any_more(staff, org_a, live):
    staff.is_platform_staff = False
    staff.save()
    with pytest.raises(Http404), support_scope(staff, org_a):
        pass


def test_it_refuses_another_staff_member(other_staff, org_a, live):
    with pytest.raises(Http404), support_scope(other_staff, org_a):
        pass
