"""A per-person rate limit for the API (P7), counted by django-ratelimit.

`API_RATE_LIMIT` requests per person per window, token and session together;
over it the operation answers 429 as a problem with `Retry-After`
(passend.common.ratelimit, docs/adr/0006-rate-limiting-library.md).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from passend.common.ratelimit import Limit, RateThrottle

DEFAULT_RATE = "600/m"
API_LIMIT = Limit(group="passend.api.person", setting="API_RATE_LIMIT", default=DEFAULT_RATE)


def _person(request: HttpRequest) -> str | None:
    auth: Any = getattr(request, "auth", None)
    return None if auth is None else str(auth.user.pk)


def rate_keys(user_id: int) -> list[str]:
    return API_LIMIT.cache_keys(str(user_id))


class PersonRateThrottle(RateThrottle):
    """At most `settings.API_RATE_LIMIT` requests per person, token and session together."""

    def __init__(self) -> None:
        super().__init__(API_LIMIT, _person)
