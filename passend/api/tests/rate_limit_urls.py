"""A minimal ninja API throttled like /api/v1/, for the concurrent test.

It needs no database (no authentication, no atomic request), so its
requests can run in threads on SQLite too. Its errors are the API's problems.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.urls import include, path
from ninja import NinjaAPI

from passend.common.api import problems
from passend.common.ratelimit import Limit, RateThrottle

LIMIT = Limit(group="passend.tests.ninja", setting="TEST_NINJA_RATE_LIMIT", default="5/h")

api = NinjaAPI(
    urls_namespace="rate_limit_test",
    auth=None,
    throttle=[RateThrottle(LIMIT, lambda request: "everyone")],
)
problems.install(api)


@api.get("/ping")
def ping(request: HttpRequest) -> dict[str, bool]:
    return {"ok": True}


patterns, app_name, namespace = api.urls
for pattern in patterns:
    transaction.non_atomic_requests(pattern.callback)

# The site's own URLs too: its middleware reverses some of them.
urlpatterns = [
    path("throttled/", include((patterns, app_name), namespace=namespace)),
    path("", include("config.urls")),
]
