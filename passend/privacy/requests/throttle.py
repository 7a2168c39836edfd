"""A small limit on the public request form, counted in the Django cache like
the API's per-person limit (passend/api/throttling.py), per client address
and per e-mail address typed, so the form cannot be used to flood an
organisation's queue or someone's inbox."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from passend.api.throttling import parse_rate

DEFAULT_RATE = "5/h"


def _take(key: str, limit: int, period: int, now: float) -> bool:
    history: list[float] = [t for t in cache.get(key, []) if t > now - period]
    if len(history) >= limit:
        return False
    history.append(now)
    cache.set(key, history, period)
    return True


def allow_public_request(request: HttpRequest, email: str) -> bool:
    """Count one filing; False once the client or the address has used up the rate."""
    limit, period = parse_rate(getattr(settings, "DSR_PUBLIC_RATE_LIMIT", DEFAULT_RATE))
    now = time.time()
    client = request.META.get("REMOTE_ADDR", "") or "unknown"
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_client = _take(f"passend_dsr_rate:ip:{client}", limit, period, now)
    by_address = _take(f"passend_dsr_rate:email:{address}", limit, period, now)
    return by_client and by_address
