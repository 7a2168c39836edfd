"""Who calls an operation: `request.auth`, as the api app's authentication resolved it.

A personal access token or the browser session; the api app builds the actor
(`passend/api/auth.py`) and every router reads it with `actor_of`. The fields
hold an `accounts.User`, a `tenancy.Membership` and an `api.ApiToken`; this
leaf layer imports none of those apps, so they are typed by their use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from passend.common.api.problems import Problem


@dataclass(frozen=True)
class ApiActor:
    """`request.auth` of every API operation."""

    user: Any
    membership: Any | None
    token: Any | None = None

    def __str__(self) -> str:
        # Throttles key on this; it carries no personal data.
        return f"user:{self.user.pk}"


def actor_of(request: HttpRequest) -> ApiActor:
    actor = request.auth  # type: ignore[attr-defined]
    assert isinstance(actor, ApiActor)
    return actor


def membership_of(actor: ApiActor) -> Any:
    """The caller's membership in the active organisation; 404 when they have none."""
    if actor.membership is None:
        raise Problem(404, _("You are not working in an organisation."))
    return actor.membership
