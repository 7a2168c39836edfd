"""The actor context: set per request, reset after it, explicit in tasks."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from passend.common.scope import organisation_scope
from passend.privacy.audit.middleware import (
    ANONYMOUS,
    SYSTEM,
    Actor,
    AuditActorMiddleware,
    acting_as,
    current_actor,
)
from passend.tenancy.models import Membership


def run(request: HttpRequest) -> Actor:
    seen: list[Actor] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(current_actor())
        return HttpResponse()

    AuditActorMiddleware(view)(request)
    return seen[0]


def test_it_acts_as_the_signed_in_member(org_a: Any, alice: Any) -> None:
    with organisation_scope(org_a):
        membership = Membership.objects.get(user=alice)
    request = RequestFactory().get("/")
    request.user = alice
    request.membership = membership  # type: ignore[attr-defined]
    actor = run(request)
    assert actor == Actor("user", alice.pk, membership.pk, "admin")
    assert current_actor() == SYSTEM


def test_it_acts_as_a_person_without_a_membership(personas: Any, alice: Any) -> None:
    request = RequestFactory().get("/")
    request.user = alice
    assert run(request) == Actor("user", alice.pk, None, "")


def test_it_acts_as_anonymous_for_visitors(db: Any) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert run(request) == ANONYMOUS


def test_it_refuses_a_membership_of_someone_else(org_a: Any, alice: Any, bob: Any) -> None:
    with organisation_scope(org_a):
        membership = Membership.objects.get(user=bob)
    with pytest.raises(ValueError, match="does not belong"):
        Actor.for_user(alice, membership)


def test_it_restores_the_previous_actor(alice: Any) -> None:
    with acting_as(Actor.for_user(alice)):
        assert current_actor().user_id == alice.pk
        with acting_as(SYSTEM):
            assert current_actor() == SYSTEM
        assert current_actor().user_id == alice.pk
    assert current_actor() == SYSTEM
