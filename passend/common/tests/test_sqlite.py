"""Transactions on the embedded default (docs/adr/0009-sqlite-concurrency.md).

Reads run in autocommit, and a writing request's transaction sends its BEGIN
(IMMEDIATE, which waits for SQLite's write lock) only at its first write. The
load itself is tested in tests/test_sqlite_concurrency.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import reverse

from conftest import POSTGRES, client_for
from passend.candidates import services as candidate_services
from passend.coaching.models import Note
from passend.common import sqlite
from passend.common.scope import organisation_scope

# The default connection (a proxy to this thread's), typed loosely: the
# stubs do not know the backend's `begin_on_write`.
db: Any = connection

pytestmark = [
    pytest.mark.skipif(POSTGRES, reason="the embedded default (SQLite) only"),
    pytest.mark.django_db(transaction=True),
]


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql.lstrip().split(None, 1)[0].upper() + " " + sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield seen


@pytest.fixture
def carla_profile(personas: Any) -> Any:
    with organisation_scope(personas.organisations["a"]):
        profile = candidate_services.candidate_profile_ensure(
            membership=personas.memberships["carla"]
        )
        return candidate_services.candidate_profile_update(
            profile=profile,
            by=personas.memberships["bob"],
            data={"first_name": "Carla", "last_name": "Bakker", "iban": "NL02ABNA0123456789"},
        )


def test_it_uses_the_backend_that_begins_at_the_first_write() -> None:
    assert connection.settings_dict["ENGINE"] == "passend.common.sqlite"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert connection.vendor == "sqlite"


def test_it_reads_a_page_in_autocommit_even_when_the_read_is_audited(
    personas: Any, carla_profile: Any
) -> None:
    client = client_for(personas["bob"], personas.organisations["a"])
    with statements() as seen:
        response = client.get(reverse("candidates:detail", args=[carla_profile.pk]))
    assert response.status_code == 200
    assert any(sql.startswith("INSERT") and "audit_auditevent" in sql for sql in seen)
    assert not [sql for sql in seen if sql.startswith("BEGIN")]


def test_it_begins_a_writing_request_at_its_first_write(personas: Any, carla_profile: Any) -> None:
    client = client_for(personas["bob"], personas.organisations["a"])
    with statements() as seen:
        response = client.post(
            reverse("coaching:note_create", args=[carla_profile.pk]),
            {"text": "Wants to bake.", "visibility": "shared"},
        )
    assert response.status_code == 302
    begins = [i for i, sql in enumerate(seen) if sql.startswith("BEGIN")]
    assert len(begins) == 1
    assert seen[begins[0]].endswith("BEGIN IMMEDIATE")
    # The statement that needs the lock is recorded just before the BEGIN it sends.
    *reads, first_write = seen[: begins[0]]
    assert reads, "access and the form are checked before the transaction begins"
    assert [sql for sql in reads if not sql.startswith("SELECT")] == []
    assert first_write.startswith(("SAVEPOINT", "INSERT", "UPDATE", "DELETE"))
    assert Note.objects.unscoped().filter(candidate=carla_profile).count() == 1


def test_it_rolls_back_every_write_of_a_request_that_fails(personas: Any) -> None:
    org = personas.organisations["a"]
    began: list[bool] = []

    @transaction.atomic
    def view() -> None:
        began.append(not db.begin_on_write)
        type(org).objects.filter(pk=org.pk).update(name="Renamed")
        began.append(not db.begin_on_write)
        raise RuntimeError("the view fails after writing")

    token = sqlite._request.set(sqlite._Request(reading=False, begin_on_write=True))
    try:
        with pytest.raises(RuntimeError):
            view()
    finally:
        sqlite._request.reset(token)
    assert began == [False, True]
    assert type(org).objects.get(pk=org.pk).name == "Werkpad Re-integratie"


def test_it_begins_other_transactions_at_once() -> None:
    with statements() as seen, transaction.atomic():
        assert not db.begin_on_write
    assert seen[0].endswith("BEGIN IMMEDIATE")


def test_it_makes_a_request_atomic_unless_it_reads() -> None:
    assert bool(sqlite.AtomicUnlessReading())  # outside a request
    for method, atomic in [("GET", False), ("HEAD", False), ("POST", True), ("DELETE", True)]:
        token = sqlite._request.set(sqlite._Request(reading=method in sqlite.READ_METHODS))
        try:
            assert bool(sqlite.AtomicUnlessReading()) is atomic
        finally:
            sqlite._request.reset(token)
