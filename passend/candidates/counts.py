"""The organisation-wide counts of the candidate lists, cached until they change.

Counting an organisation's candidates reads every one of them (at 100,000 a
join of two tables, whatever the indexes), and the lists and the advisor's
home show such totals on every page. They change seldom, so they are kept in
the cache under a per-organisation version: saving or deleting a membership,
a profile or a trajectory (`changed`, connected in the apps' `ready`) starts a
new version, and the old entries are never read again. Writes that skip
signals (bulk inserts of the demo growth, queryset updates) are caught up by
the entries' lifetime, `COUNT_SECONDS`.

The counts are about the organisation, never about a person: nothing here
needs purging on erasure.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

from passend.common.scope import current_organisation

COUNT_SECONDS = 60
T = TypeVar("T")


def _version_key(organisation_id: Any) -> str:
    return f"passend:list-counts:version:{organisation_id}"


def changed(organisation_id: Any) -> None:
    """Something the counts depend on changed in this organisation."""
    cache.set(_version_key(organisation_id), uuid.uuid4().hex, None)


def cached_count(name: str, compute: Callable[[], T]) -> T:
    """`compute()` for the active organisation, from the cache while nothing changed."""
    organisation_id = current_organisation().pk
    version = cache.get(_version_key(organisation_id))
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_version_key(organisation_id), version, None)
        version = cache.get(_version_key(organisation_id), version)
    key = f"passend:list-counts:{organisation_id}:{version}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, COUNT_SECONDS)
    return value


def row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """post_save/post_delete receiver for the models the counts depend on."""
    if kwargs.get("raw"):
        return
    organisation_id = getattr(instance, "organisation_id", None)
    if organisation_id is not None:
        changed(organisation_id)
