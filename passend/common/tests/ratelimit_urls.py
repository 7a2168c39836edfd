"""A minimal view limited through `Limit.hit`, for the concurrent test; it needs no database."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from passend.common.ratelimit import Limit, client_address

LIMIT = Limit(group="passend.tests.view", setting="TEST_VIEW_RATE_LIMIT", default="5/h")


@transaction.non_atomic_requests
def limited(request: HttpRequest) -> HttpResponse:
    usage = LIMIT.hit(request, client_address(request))
    if not usage.allowed:
        response = HttpResponse("Too many requests", status=429)
        response["Retry-After"] = str(usage.retry_after)
        return response
    return HttpResponse("ok")


# The site's own URLs too: its middleware reverses some of them.
urlpatterns = [path("limited/", limited), path("", include("config.urls"))]
