"""SQLite, the embedded default, under concurrent requests (docs/adr/0009-sqlite-concurrency.md).

SQLite has one write lock per database. In WAL mode readers never wait for
it, but a transaction that has read and then writes cannot wait for it
either: SQLite refuses the upgrade at once ("database is locked") when another
connection holds the lock or has committed since the read began, whatever the
busy timeout. So on SQLite every transaction takes the write lock when it
begins (`BEGIN IMMEDIATE`, waiting up to the busy timeout), and requests hold
it as briefly as they can:

- GET, HEAD and OPTIONS run in autocommit: each query sees what is committed
  when it runs (like PostgreSQL's READ COMMITTED) and waits for nobody. The
  few writes such a request makes (the audit event of a read, the session,
  the single-use download) commit on their own, each statement or service
  transaction taking the write lock only for itself.
- POST, PUT, PATCH and DELETE keep one transaction per request
  (`ATOMIC_REQUESTS`), but it begins only at the request's first write or
  first `transaction.atomic()` (the backend in `base.py`): checking access and
  validating the form read in autocommit, without the lock.

Django decides per request whether to wrap the view in a transaction by
reading `ATOMIC_REQUESTS`; `AtomicUnlessReading` is true except while the
middleware below says a read is being handled. PostgreSQL keeps a plain
`True` and Django's own backend.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

# Methods that only read (RFC 9110 "safe"): no request-wide transaction on SQLite.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# WAL: readers and the writer do not block each other. IMMEDIATE: a transaction
# takes the write lock when it begins, waiting up to `timeout` seconds (the
# busy timeout) for it. SQLite's waiters poll rather than queue, so on a busy
# machine one can lose many turns: a minute, not 20 s, before it gives up.
# synchronous=FULL: a commit survives a power cut.
OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 60,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
}


@dataclass
class _Request:
    reading: bool
    # Set just before the view runs in its request transaction; the backend
    # takes it when that transaction is entered, and begins it at the first write.
    begin_on_write: bool = False


_request: ContextVar[_Request | None] = ContextVar("passend_sqlite_request", default=None)


class AtomicUnlessReading:
    """The value of `ATOMIC_REQUESTS` on SQLite: true, except during a read request.

    Outside a request, or without the middleware, it is true: requests are
    then atomic as everywhere else.
    """

    def __bool__(self) -> bool:
        current = _request.get()
        return current is None or not current.reading

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def take_begin_on_write() -> bool:
    """Whether the transaction being entered is the request's, to begin at its first
    write (asked once: a later transaction in the request begins as usual)."""
    current = _request.get()
    if current is None or not current.begin_on_write:
        return False
    current.begin_on_write = False
    return True


class RequestTransactionMiddleware:
    """Tells `AtomicUnlessReading` and the backend what kind of request this is.

    Last in `MIDDLEWARE`, so that its `process_view` runs right before Django
    wraps the view in the request transaction.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(_Request(reading=request.method in READ_METHODS))
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> None:
        current = _request.get()
        if current is None:
            return
        settings_dict = connections.settings[DEFAULT_DB_ALIAS]
        non_atomic: set[str] = getattr(view_func, "_non_atomic_requests", set())
        current.begin_on_write = (
            bool(settings_dict["ATOMIC_REQUESTS"]) and DEFAULT_DB_ALIAS not in non_atomic
        )
