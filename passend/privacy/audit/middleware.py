"""Who is acting: a context variable that `record()` reads when no actor is given.

The middleware sets it per request from the signed-in user and the membership
the tenancy middleware chose. Tasks, commands and API handlers set it with
`acting_as(...)`; outside any of these the actor is the system. A request without a signed-in
user acts as "anonymous" (an invitation being accepted, a password reset).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class Actor:
    """A pseudonymous reference to whoever acts: ids and a role, never a name."""

    kind: str  # ActorKind value
    user_id: int | None = None
    membership_id: UUID | None = None
    role: str = ""

    @classmethod
    def for_user(cls, user: Any, membership: Any = None) -> Actor:
        if user is None or not getattr(user, "is_authenticated", False):
            return ANONYMOUS
        if membership is not None and membership.user_id != user.pk:
            raise ValueError("The membership does not belong to this user.")
        return cls(
            kind="user",
            user_id=user.pk,
            membership_id=membership.pk if membership is not None else None,
            role=membership.role if membership is not None else "",
        )

    @classmethod
    def for_membership(cls, membership: Any) -> Actor:
        return cls(
            kind="user",
            user_id=membership.user_id,
            membership_id=membership.pk,
            role=membership.role,
        )


SYSTEM = Actor(kind="system")
ANONYMOUS = Actor(kind="anonymous")

_current: ContextVar[Actor] = ContextVar("passend_audit_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


class AuditActorMiddleware:
    """Sets the actor for the request; place it after OrganisationScopeMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor = Actor.for_user(user, getattr(request, "membership", None))
        with acting_as(actor):
            return self.get_response(request)
