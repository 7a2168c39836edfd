"""Who is calling the API: a personal access token or the browser session.

A bearer token is resolved by `ApiMiddleware` before the view runs, because
the organisation scope has to wrap the whole request; the ninja auth classes
below only read what it found. When an Authorization header is present it
alone decides: a bad token is refused even if a session cookie comes along.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from passend.accounts.middleware import has_two_factor
from passend.api.models import ApiToken
from passend.common.api.actor import ApiActor
from passend.common.api.problems import Problem
from passend.tenancy.models import Membership

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Set on the request by ApiMiddleware once it has looked at the Authorization header.
RESOLVED = "_passend_api_token_resolved"


@dataclass(frozen=True)
class TokenGrant:
    token: ApiToken
    membership: Membership


def parse_bearer(header: str) -> str | None:
    scheme, _sep, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip() or None


def resolve_token(header: str) -> TokenGrant | None:
    """The live token in `header` and its holder's membership, or None.

    Refused: anything not `Bearer psd_…`, an unknown, expired or revoked
    token, a deactivated account, and a holder who is no longer an active
    member of the token's (active) organisation.
    """
    raw = parse_bearer(header)
    if raw is None:
        return None
    token = ApiToken.objects.by_key(raw)
    if token is None:
        return None
    if not token.user.is_active:
        return None
    membership = (
        Membership.objects.of_user(token.user).filter(organisation=token.organisation).first()
    )
    if membership is None:
        return None
    return TokenGrant(token=token, membership=membership)


def _require_two_factor_if_asked(user: Any, membership: Membership | None) -> None:
    # The web pages send such members to the set-up page; the API cannot, so it refuses.
    if membership is None or not membership.organisation.require_two_factor:
        return
    if not has_two_factor(user):
        raise Problem(
            403,
            _(
                "Your organisation requires two-factor authentication. "
                "Set it up in your account before using the API."
            ),
        )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer psd_…`, a personal access token for one organisation."""

    def __call__(self, request: HttpRequest) -> ApiActor | None:
        # Ninja's own parsing logs unexpected headers in DEBUG; they may hold secrets.
        raw = parse_bearer(request.headers.get(self.header, ""))
        if raw is None:
            return None
        return self.authenticate(request, raw)

    def authenticate(self, request: HttpRequest, token: str) -> ApiActor | None:
        if not getattr(request, RESOLVED, False):
            # Without the middleware there is no organisation scope: fail closed.
            logger.error("ApiMiddleware is not installed; refusing bearer tokens.")
            return None
        grant: TokenGrant | None = getattr(request, "api_token_grant", None)
        if grant is None:
            return None
        _require_two_factor_if_asked(grant.token.user, grant.membership)
        return ApiActor(user=grant.token.user, membership=grant.membership, token=grant.token)


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiActor | None:
        if "Authorization" in request.headers:
            return None
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise Problem(
                403, _("The CSRF check failed. Reload the page, or use a personal access token.")
            )
        membership: Membership | None = getattr(request, "membership", None)
        _require_two_factor_if_asked(user, membership)
        return ApiActor(user=user, membership=membership)
