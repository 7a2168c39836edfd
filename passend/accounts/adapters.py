"""allauth, the Passend way.

- Sign-up is closed here; `passend.tenancy.signup` opens it for a valid invitation
  (invitations belong to tenancy, which sits above accounts).
- Failed logins are counted per address and client together, so nobody can
  lock someone else out by failing on their address (issue 9).
- A sign-in code asked for an unknown address sends nothing: the page answers
  the same either way, and the login page cannot be used to mail strangers.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

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

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Sign-up is by invitation only, and invitations are tenancy's business:
        # `passend.tenancy.signup.InvitationAccountAdapter` opens the door.
        return False
