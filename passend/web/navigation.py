"""What the header and the account pages link to, per role.

Kept in Python rather than in the templates so that the rules are in one place
and tested; the template only draws the list it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from passend.tenancy.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    current: bool = False


def _with_current(path: str, links: Sequence[tuple[str | Promise, str]]) -> list[NavItem]:
    """Mark the link whose address is the longest prefix of the current path."""
    best = ""
    for _label, url in links:
        matches = path == url or (url != "/" and path.startswith(url))
        if matches and len(url) > len(best):
            best = url
    return [NavItem(label, url, current=url == best) for label, url in links]


def main_nav(request: HttpRequest) -> list[NavItem]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    membership: Any = getattr(request, "membership", None)
    links: list[tuple[str | Promise, str]] = [(_("Home"), reverse("web:home"))]
    role = membership.role if membership is not None else None
    if role == Role.ADMIN:
        links += [
            (_("Candidates"), reverse("candidates:list")),
            (_("Members"), reverse("tenancy:members")),
            (_("Employers"), reverse("tenancy:employers")),
            (_("Invitations"), reverse("tenancy:invitations")),
            (_("Organisation"), reverse("tenancy:organisation")),
            (_("Audit trail"), reverse("audit:trail")),
            (_("Requests"), reverse("requests:index")),
            (_("Restrictions"), reverse("restriction:admin_list")),
            (_("Support access"), reverse("support:index")),
        ]
    elif role == Role.PROFESSIONAL:
        links += [
            (_("Caseload"), reverse("coaching:caseload")),
            (_("Candidates"), reverse("candidates:list")),
            (_("Employers"), reverse("tenancy:employers")),
            (_("Invitations"), reverse("tenancy:invitations")),
        ]
    elif role == Role.EMPLOYER and membership.employer_id:
        links.append(
            (_("My company"), reverse("tenancy:employer_detail", args=[membership.employer_id]))
        )
        links.append((_("Shared profiles"), reverse("candidates:shared")))
    elif role == Role.CANDIDATE:
        links += [
            (_("My plan"), reverse("coaching:me")),
            (_("My profile"), reverse("candidates:me")),
            (_("Documents"), reverse("documents:mine")),
        ]
    if membership is None and getattr(user, "is_platform_staff", False):
        links.append((_("Support access"), reverse("support:mine")))
    return _with_current(request.path, links)


def account_nav(request: HttpRequest) -> list[NavItem]:
    links: list[tuple[str | Promise, str]] = [
        (_("Account"), reverse("accounts:settings")),
        (_("E-mail addresses"), reverse("account_email")),
        (_("Password"), reverse("account_change_password")),
        (_("Two-factor authentication"), reverse("mfa_index")),
        (_("API tokens"), reverse("api_tokens:list")),
        (_("My data"), reverse("rights:my_data")),
        (_("Who viewed my data"), reverse("audit:my_data")),
    ]
    if getattr(request, "membership", None) is not None:
        links += [
            (_("My choices"), reverse("restriction:mine")),
            (_("My privacy requests"), reverse("requests:mine")),
        ]
    links.append((_("Delete my account"), reverse("erasure:start")))
    return _with_current(request.path, links)
