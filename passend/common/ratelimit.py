"""Rate limits counted by django-ratelimit (docs/adr/0006-rate-limiting-library.md).

A `Limit` is a group name, the setting that holds its rate ("600/m", read on
every request so tests and operators can change it) and, per request, a value
that says whom it counts: a person's id, a client address, a hash of an
e-mail address. django-ratelimit counts in the Django cache with `add` and
`incr`, which are atomic on Redis (production) and on the local-memory cache
(development, tests): of N+1 requests at once for N places exactly one is
refused, where a read-modify-write of a list of times let several through.

The window is fixed, not sliding: each value's count starts again every
period, at an offset django-ratelimit derives from the value, so at most N
requests are let through per window, and at most 2N around the turn of a
window.

Wrapped once for django-ninja (`RateThrottle`, answered by the API's 429
problem with `Retry-After`) and once for views (`Limit.hit`, which the view
answers in its own way). This module imports no app.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit.core import _get_window, _make_cache_key, _split_rate, get_usage
from ninja.throttling import BaseThrottle


@dataclass(frozen=True)
class Usage:
    allowed: bool
    retry_after: int  # whole seconds until a new window has begun; at least 1


@dataclass(frozen=True)
class Limit:
    group: str
    setting: str
    default: str

    def rate(self) -> str:
        return str(getattr(settings, self.setting, self.default))

    def hit(self, request: HttpRequest, value: str) -> Usage:
        """Count one request for `value`; refused once the rate is used up in this window."""
        usage = get_usage(
            request,
            group=self.group,
            key=lambda _group, _request: value,
            rate=self.rate(),
            increment=True,
        )
        if usage is None:  # RATELIMIT_ENABLE = False
            return Usage(allowed=True, retry_after=1)
        # A cache that fails counts as "limited" (django-ratelimit fails closed).
        # `time_left` runs to the window's last second, which still counts: +1.
        return Usage(allowed=not usage["should_limit"], retry_after=max(usage["time_left"] + 1, 1))

    def cache_keys(self, value: str) -> list[str]:
        """The cache keys that may hold a count for `value` now: this window and the last."""
        rate = self.rate()
        _count, period = _split_rate(rate)
        window = _get_window(value, period)
        return [
            _make_cache_key(self.group, at, rate, value, ALL) for at in (window, window - period)
        ]


class RateThrottle(BaseThrottle):
    """A django-ninja throttle for one `Limit`; `identify` gives the value, None skips.

    Ninja keeps one throttle instance for all requests, so the wait of the
    request being refused is kept per thread.
    """

    def __init__(self, limit: Limit, identify: Callable[[HttpRequest], str | None]) -> None:
        self.limit = limit
        self.identify = identify
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = None
        value = self.identify(request)
        if value is None:
            return True
        usage = self.limit.hit(request, value)
        if not usage.allowed:
            self._local.wait = float(usage.retry_after)
        return usage.allowed

    def wait(self) -> float | None:
        wait: float | None = getattr(self._local, "wait", None)
        return wait


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")
