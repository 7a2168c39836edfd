"""A per-person rate limit for the API (P7), counted in the Django cache.

Ninja's throttles keep per-request state on a shared instance; this one keeps
it per thread and reads the rate from settings on every request, so tests and
operators can change it without a restart of the module.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from passend.privacy.erasure.caches import register_person_cache

DEFAULT_RATE = "600/m"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/m' -> (600, 60)."""
    count, _sep, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[:1].lower()]


def rate_key(user_id: int) -> str:
    return f"passend_api_rate:{user_id}"


# The request times are about the person: erasure purges them.
register_person_cache(lambda user_id: [rate_key(user_id)])


class PersonRateThrottle(BaseThrottle):
    """At most `settings.API_RATE_LIMIT` requests per person, token and session together."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = None
        auth: Any = getattr(request, "auth", None)
        if auth is None:
            return True
        limit, period = parse_rate(getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE))
        key = rate_key(auth.user.pk)
        now = time.time()
        history: list[float] = [t for t in cache.get(key, []) if t > now - period]
        if len(history) >= limit:
            self._local.wait = max(history[0] + period - now, 1.0)
            return False
        history.append(now)
        cache.set(key, history, period)
        return True

    def wait(self) -> float | None:
        wait: float | None = getattr(self._local, "wait", None)
        return wait
