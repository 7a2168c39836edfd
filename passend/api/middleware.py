"""The API's request boundary: token scope in, problem details out.

Sits right after `OrganisationScopeMiddleware`. For a request under the API
prefix that carries an Authorization header it resolves the token and runs
the rest of the request inside the token's organisation scope, acting as
that membership (a bad token runs without any scope and is refused by the
auth class). On the way out, any error response under the prefix that is
not yet a problem document becomes one.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from typing import Any, cast

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse

from passend.api import services
from passend.api.auth import RESOLVED, resolve_token
from passend.common.api.problems import as_problem
from passend.common.scope import no_scope, organisation_scope
from passend.tenancy.http import ScopedRequest


@cache
def api_prefix() -> str:
    return reverse("api:api-root")


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(api_prefix()):
            return self.get_response(request)
        with self._scope(request):
            response = self.get_response(request)
        return as_problem(request, response)

    def _scope(self, request: HttpRequest) -> AbstractContextManager[Any]:
        header = request.headers.get("Authorization")
        if header is None:
            return nullcontext()
        setattr(request, RESOLVED, True)
        grant = resolve_token(header)
        request.api_token_grant = grant  # type: ignore[attr-defined]
        if grant is None:
            return no_scope()
        membership = grant.membership
        request.user = grant.token.user
        scoped = cast(ScopedRequest, request)
        scoped.membership = membership
        scoped.organisation = membership.organisation
        scoped.memberships = [membership]
        services.api_token_touch(token=grant.token)
        return organisation_scope(membership.organisation)
