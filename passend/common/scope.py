"""The organisation scope: which tenant's data the current code may touch.

Organisation-owned models use `ScopedManager`; a query through it without an
active scope raises `ScopeError` instead of silently returning everything.
Middleware opens the scope for a request; tasks and commands open it
themselves with `organisation_scope(org)`.

The scope holds a `tenancy.Organisation`. It lives in `passend.common`, the
layer that imports no app (docs/architecture.md), so the organisation is typed
by what the scope needs of it: a saved row with a primary key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

# A tenancy.Organisation; `Any` keeps attribute access typed by the caller.
Organisation = Any


class ScopeError(RuntimeError):
    """Organisation data was queried without an organisation scope."""


_NO_SCOPE: Any = object()
_active: ContextVar[Any] = ContextVar("passend_organisation_scope", default=_NO_SCOPE)


@contextmanager
def organisation_scope(organisation: Organisation) -> Iterator[Organisation]:
    if organisation is None or organisation.pk is None:
        raise ScopeError("An organisation scope needs a saved organisation.")
    token = _active.set(organisation)
    try:
        yield organisation
    finally:
        _active.reset(token)


@contextmanager
def no_scope() -> Iterator[None]:
    """Leave any active scope: organisation data becomes unreachable again."""
    token = _active.set(_NO_SCOPE)
    try:
        yield
    finally:
        _active.reset(token)


def current_organisation() -> Organisation:
    organisation = _active.get()
    if organisation is _NO_SCOPE:
        raise ScopeError(
            "Organisation data was queried without an organisation scope; "
            "wrap the code in organisation_scope(org)."
        )
    return organisation


def has_scope() -> bool:
    return _active.get() is not _NO_SCOPE
