"""A small limit on the public request form, per client address and per
e-mail address typed, so the form cannot be used to flood an organisation's
queue or someone's inbox. Counted by django-ratelimit like the API's
per-person limit (passend.common.ratelimit)."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest

from passend.common.ratelimit import Limit, client_address

DEFAULT_RATE = "5/h"
BY_CLIENT = Limit(group="passend.dsr.client", setting="DSR_PUBLIC_RATE_LIMIT", default=DEFAULT_RATE)
BY_ADDRESS = Limit(
    group="passend.dsr.address", setting="DSR_PUBLIC_RATE_LIMIT", default=DEFAULT_RATE
)


def allow_public_request(request: HttpRequest, email: str) -> bool:
    """Count one filing; False once the client or the address has used up the rate."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_client = BY_CLIENT.hit(request, client_address(request)).allowed
    by_address = BY_ADDRESS.hit(request, address).allowed
    return by_client and by_address
