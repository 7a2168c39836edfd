"""allauth, the Passend way.

- Sign-up is closed here; `passend.tenancy.signup` opens it for a valid invitation
  (invitations belong to tenancy, which sits above accounts).
- Failed logins are counted per address and client together, so nobody can
  lock someone else out by failing on their address (issue 9).
- A sign-in code asked for an unknown address sends nothing: the page answers
  the same either way, and the login page cannot be used to mail strangers.
- Signing in applies the person's saved language (`User.preferred_language`):
  the language cookie is set on the response, so the next page and every
  visit after it speak that language, whatever the browser asked for.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

UNKNOWN_ACCOUNT_MAIL = "account/email/unknown_account"


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth keys the "login_failed" limits per address; with the client's
        # address in the key, one client's failures slow down that client only.
        # (allauth hashes the key before it goes into the cache.)
        per_address = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{per_address}:{self.get_client_ip(request)}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = context.get("request")
        match = getattr(request, "resolver_match", None)
        if (
            template_prefix == UNKNOWN_ACCOUNT_MAIL
            and match is not None
            and match.url_name == "account_request_login_code"
        ):
            return
        super().send_mail(template_prefix, email, context)

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        language = getattr(user, "preferred_language", "")
        if not kwargs.get("signup") and language in dict(settings.LANGUAGES):
            apply_language(response, language)
        return response

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Sign-up is by invitation only, and invitations are tenancy's business:
        # `passend.tenancy.signup.InvitationAccountAdapter` opens the door.
        return False


def apply_language(response: HttpResponse, language: str) -> None:
    """Speak `language` from the next request on, as Django's set_language does."""
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
