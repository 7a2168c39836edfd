"""Signing a person out everywhere when their account is erased.

A closed account's sessions would fail anyway (the account is gone or
inactive, its password unusable), but their rows still hold the person's id
and whatever the site put in the session until they expire. Database-backed
sessions cannot be searched by user, so the active ones are decoded and the
person's deleted; that is one pass over the active sessions. With a session
engine that cannot be listed (cache, signed cookies) nothing is stored
server-side beyond the cache entries, which expire.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

DATABASE_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)
BATCH = 2000


def purge_sessions(user_id: int) -> int:
    """Delete every stored session signed in as this user; returns how many."""
    if settings.SESSION_ENGINE not in DATABASE_ENGINES:
        return 0
    from django.contrib.sessions.models import Session

    store: Any = Session.get_session_store_class()
    doomed = []
    active = Session.objects.filter(expire_date__gt=timezone.now())
    for key, data in active.values_list("session_key", "session_data").iterator(BATCH):
        if str(store().decode(data).get(SESSION_KEY)) == str(user_id):
            doomed.append(key)
    for start in range(0, len(doomed), BATCH):
        keys = doomed[start : start + BATCH]
        Session.objects.filter(session_key__in=keys).delete()
        if settings.SESSION_ENGINE.endswith("cached_db"):
            for key in keys:
                store(session_key=key).delete()
    return len(doomed)
