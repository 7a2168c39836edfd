"""Tells a signed-in person, once per session, that a new privacy statement
version was published since the one they know (J8, P13).

It never blocks: the notice is a message on the next page they open, linking
to the page where they read what changed and confirm. The privacy pages
themselves, logging out, the API, static files and htmx requests are left
alone.

What it remembers per session (settled, or already told) is kept in the cache,
not in the session: a page view must not write to the database (issue 10), and
saving the session is a database write. Losing the cache costs at most a few
queries, or the notice once more.

Which version is the newest is asked once per process every
`PASSEND_STATEMENT_NOTICE_SECONDS` (10 by default), not on every page: a new
version reaches everyone's next page within those seconds, and a page view
costs one query less. The statement pages themselves always read the newest.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from passend.privacy.statement import selectors
from passend.privacy.statement.templatetags.statement import version_date

# The version id for which no notice is needed (acknowledged or not newer).
SETTLED = "settled"
# The version id this session was already told about.
NOTIFIED = "notified"

EXEMPT_PREFIXES = (
    "/privacy/",
    "/api/",
    "/static/",
    "/media/",
    "/i18n/",
    "/accounts/logout/",
)


def _applies(request: HttpRequest) -> bool:
    user: Any = getattr(request, "user", None)
    return (
        user is not None
        and user.is_authenticated
        and request.method == "GET"
        and not request.headers.get("HX-Request")
        and not request.path.startswith(EXEMPT_PREFIXES)
    )


_LATEST: list[Any] = [0.0, None]  # [read at (monotonic), the newest version's summary]


def latest_version() -> Any:
    """The newest version's summary, read again when the memo is older than the setting."""
    seconds = getattr(settings, "PASSEND_STATEMENT_NOTICE_SECONDS", 10)
    now = time.monotonic()
    if seconds <= 0 or now - _LATEST[0] >= seconds:
        _LATEST[:] = [now, selectors.version_latest_summary()]
    return _LATEST[1]


def memo_key(session_key: str | None, what: str) -> str:
    return f"passend:statement-notice:{session_key or ''}:{what}"


def _remember(request: HttpRequest, what: str, version_id: int) -> None:
    session_key = request.session.session_key
    if session_key:
        cache.set(memo_key(session_key, what), version_id, settings.SESSION_COOKIE_AGE)


def _remembered(request: HttpRequest, what: str) -> Any:
    session_key = request.session.session_key
    return cache.get(memo_key(session_key, what)) if session_key else None


def notify_if_pending(request: HttpRequest) -> bool:
    """Queue the notice if this person has a version to read; True when queued."""
    latest = latest_version()
    if latest is None:
        return False
    if latest.pk in (_remembered(request, SETTLED), _remembered(request, NOTIFIED)):
        return False
    if not selectors.acknowledgement_pending(request.user, latest):
        _remember(request, SETTLED, latest.pk)
        return False
    url = reverse("statement:acknowledge") + "?" + urlencode({"next": request.get_full_path()})
    messages.info(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("Version %(number)s of the privacy statement was published on %(date)s.")
            % {"number": latest.number, "date": version_date(latest)},
            url,
            _("Read what changed"),
        ),
        extra_tags="statement-notice",
    )
    _remember(request, NOTIFIED, latest.pk)
    return True


class StatementNoticeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _applies(request):
            notify_if_pending(request)
        return self.get_response(request)
