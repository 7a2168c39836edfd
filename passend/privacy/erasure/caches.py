"""Cache entries about a person, and purging them on erasure.

Code that caches something about a person registers a function giving the
keys it uses for a user id; erasure deletes them all. Keys only: cache
backends (Redis included) cannot be searched by value, so an entry that is
not registered here cannot be purged, and the completeness test fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.cache import caches

KeysFor = Callable[[int], Iterable[str]]
_registry: list[tuple[str, KeysFor]] = []


def register_person_cache(keys_for: KeysFor, *, alias: str = "default") -> KeysFor:
    """Register `keys_for(user_id)` for the cache `alias`; usable as a decorator."""
    if (alias, keys_for) not in _registry:
        _registry.append((alias, keys_for))
    return keys_for


def person_cache_keys(user_id: int) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for alias, keys_for in _registry:
        keys.setdefault(alias, []).extend(keys_for(user_id))
    return keys


def purge_person_caches(user_id: int) -> None:
    for alias, keys in person_cache_keys(user_id).items():
        caches[alias].delete_many(keys)
