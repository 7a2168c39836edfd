"""A bearer token is only safe behind ApiMiddleware, which opens its organisation scope."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

API_MIDDLEWARE = "passend.api.middleware.ApiMiddleware"
SCOPE_MIDDLEWARE = "passend.tenancy.middleware.OrganisationScopeMiddleware"


def check_api_middleware(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    middleware = list(settings.MIDDLEWARE)
    if API_MIDDLEWARE not in middleware or SCOPE_MIDDLEWARE not in middleware:
        return [
            Error(
                f"{API_MIDDLEWARE} and {SCOPE_MIDDLEWARE} must both be in MIDDLEWARE.",
                id="passend_api.E001",
            )
        ]
    if middleware.index(API_MIDDLEWARE) != middleware.index(SCOPE_MIDDLEWARE) + 1:
        return [
            Error(
                f"{API_MIDDLEWARE} must come right after {SCOPE_MIDDLEWARE}.",
                id="passend_api.E002",
            )
        ]
    return []
