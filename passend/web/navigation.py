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


@dataclass(frozen=True)
class NavGroup:
    """A few related links behind one menu button (a disclosure in the header)."""

    label: str | Promise
    items: tuple[NavItem, ...]
    key: str

    @property
    def current(self) -> bool:
        return any(item.current for item in self.items)


# The admin's pages, grouped so that the header stays one short row: the
# organisation's own administration, and its privacy duties.
ADMIN_GROUPS: dict[str, str | Promise] = {
    "organisation": _("Organisation"),
    "privacy": _("Privacy"),
}


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
            (_("Vacancies"), reverse("vacancies:list")),
            (_("Organisation details"), reverse("tenancy:organisation")),
            (_("Members"), reverse("tenancy:members")),
            (_("Employers"), reverse("tenancy:employers")),
            (_("Invitations"), reverse("tenancy:invitations")),
            (_("Requests"), reverse("requests:index")),
            (_("Audit trail"), reverse("audit:trail")),
            (_("Restrictions"), reverse("restriction:admin_list")),
            (_("Support access"), reverse("support:index")),
        ]
    elif role == Role.PROFESSIONAL:
        links += [
            (_("Caseload"), reverse("coaching:caseload")),
            (_("Candidates"), reverse("candidates:list")),
            (_("Vacancies"), reverse("vacancies:list")),
            (_("Employers"), reverse("tenancy:employers")),
            (_("Invitations"), reverse("tenancy:invitations")),
        ]
    elif role == Role.EMPLOYER and membership.employer_id:
        links.append(
            (_("My company"), reverse("tenancy:employer_detail", args=[membership.employer_id]))
        )
        links.append((_("Vacancies"), reverse("vacancies:list")))
        links.append((_("Shared profiles"), reverse("candidates:shared")))
    elif role == Role.CANDIDATE:
        links += [
            (_("My plan"), reverse("coaching:me")),
            (_("My profile"), reverse("candidates:me")),
            (_("Documents"), reverse("documents:mine")),
            (_("Vacancies"), reverse("vacancies:open_list")),
            (_("For you"), reverse("matching:for_me")),
        ]
    if membership is None and getattr(user, "is_platform_staff", False):
        links.append((_("Support access"), reverse("support:mine")))
    return _with_current(request.path, links)


def _group_of(url: str) -> str | None:
    """Which of the admin's menus a link belongs in (None: on the bar itself)."""
    organisation = ("tenancy:organisation", "tenancy:members", "tenancy:employers")
    privacy = ("requests:index", "audit:trail", "restriction:admin_list", "support:index")
    if url in {reverse(name) for name in (*organisation, "tenancy:invitations")}:
        return "organisation"
    if url in {reverse(name) for name in privacy}:
        return "privacy"
    return None


def main_menu(request: HttpRequest) -> list[NavItem | NavGroup]:
    """The main navigation as the header draws it: the admin's ten links become
    four entries (two of them menus); other roles have few enough to show all."""
    items = main_nav(request)
    membership: Any = getattr(request, "membership", None)
    if membership is None or membership.role != Role.ADMIN:
        return list(items)
    menu: list[NavItem | NavGroup] = []
    grouped: dict[str, list[NavItem]] = {}
    for item in items:
        key = _group_of(item.url)
        if key is None:
            menu.append(item)
            continue
        if key not in grouped:
            grouped[key] = []
            menu.append(NavGroup(label=ADMIN_GROUPS[key], items=(), key=key))
        grouped[key].append(item)
    return [
        NavGroup(label=entry.label, items=tuple(grouped[entry.key]), key=entry.key)
        if isinstance(entry, NavGroup)
        else entry
        for entry in menu
    ]


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
