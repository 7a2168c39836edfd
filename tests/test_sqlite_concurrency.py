"""The embedded default under load (issue 12.4, docs/adr/0009-sqlite-concurrency.md).

50 readers and 10 writers, all signed in, against `runserver` on a SQLite
file in WAL mode, for `PASSEND_CONCURRENCY_SECONDS` (30 by default): not one
request may fail ("database is locked" was the failure), and both the reads
and the writes must get through. The readers open bob's home, his caseload,
carla's coaching page and her profile, which shows her IBAN and so appends an
audit event on every GET; the writers add coaching notes to her file.

Select it with `pytest -m sqlite_concurrency`. It runs in the SQLite pass;
PostgreSQL never had the problem.
"""

from __future__ import annotations

import http.client
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from conftest import POSTGRES, client_for
from passend.candidates import services as candidate_services
from passend.common.scope import organisation_scope

ROOT = Path(__file__).resolve().parent.parent
READERS = 50
WRITERS = 10
SECONDS = float(os.environ.get("PASSEND_CONCURRENCY_SECONDS", "30"))
# Any 32 letters or digits: the cookie and the header carry the same CSRF secret.
CSRF = "ConcurrencyTestCsrfSecret0123456"

pytestmark = [
    pytest.mark.sqlite_concurrency,
    pytest.mark.skipif(POSTGRES, reason="the embedded default (SQLite) only"),
]


@dataclass
class Tally:
    ok: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    slowest: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, error: str = "", seconds: float = 0.0) -> None:
        with self.lock:
            self.slowest[kind] = max(self.slowest.get(kind, 0.0), seconds)
            if error:
                self.errors.append(error)
            else:
                self.ok[kind] += 1


Work = list[tuple[str, str, int]]  # (method, path, expected status)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _copy_test_database(to: Path) -> None:
    """The test database (SQLite, usually in memory), copied into a file."""
    connection.ensure_connection()
    target = sqlite3.connect(to)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


@contextmanager
def runserver(folder: Path) -> Iterator[tuple[int, Path, Path]]:
    """`manage.py runserver` (threaded, as `make run` starts it) on a copy of the test data."""
    database = folder / "passend.sqlite3"
    _copy_test_database(database)
    port = _free_port()
    log_path = folder / "server.log"
    log = log_path.open("w")
    # Without coverage measurement in the server (it would slow every request down).
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_PROCESS_")},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "runserver did not start"
                time.sleep(0.2)
        yield port, database, log_path
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _request(conn: http.client.HTTPConnection, method: str, path: str, session: str) -> int:
    headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF}
    body = None
    if method == "POST":
        body = urlencode({"text": "A note written under load.", "visibility": "shared"})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status


def _connect(port: int) -> http.client.HTTPConnection:
    """A keep-alive connection, as a browser keeps one: runserver's listen queue is
    short (10), so 60 clients opening a connection per request would overflow it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.connect()
    return conn


def _worker(
    conn: http.client.HTTPConnection,
    tally: Tally,
    kind: str,
    session: str,
    work: Work,
    until: float,
) -> None:
    turn = 0
    while time.monotonic() < until:
        method, path, expected = work[turn % len(work)]
        turn += 1
        started = time.monotonic()
        try:
            status = _request(conn, method, path, session)
        except (OSError, http.client.HTTPException) as exc:
            conn.close()  # the next request opens a new connection
            tally.add(kind, f"{method} {path}: {exc!r}", time.monotonic() - started)
            continue
        error = "" if status == expected else f"{method} {path}: HTTP {status}"
        tally.add(kind, error, time.monotonic() - started)


def _notes_in(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute("SELECT count(*) FROM coaching_note").fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_it_serves_50_readers_and_10_writers_on_sqlite_without_errors(
    personas: Any, tmp_path: Path
) -> None:
    # given carla's profile with an IBAN, sessions of bob's, and the server on a copy of it all
    org_a = personas.organisations["a"]
    with organisation_scope(org_a):
        profile = candidate_services.candidate_profile_ensure(
            membership=personas.memberships["carla"]
        )
        candidate_services.candidate_profile_update(
            profile=profile,
            by=personas.memberships["bob"],
            data={"first_name": "Carla", "last_name": "Bakker", "iban": "NL02ABNA0123456789"},
        )
    reads = [
        ("GET", reverse("web:home"), 200),
        ("GET", reverse("coaching:caseload"), 200),
        ("GET", reverse("candidates:detail", args=[profile.pk]), 200),
        ("GET", reverse("coaching:candidate", args=[profile.pk]), 200),
    ]
    writes = [("POST", reverse("coaching:note_create", args=[profile.pk]), 302)]
    sessions = [
        client_for(personas["bob"], org_a).cookies["sessionid"].value
        for _ in range(READERS + WRITERS)
    ]
    with runserver(tmp_path) as (port, database, log):
        check = _connect(port)
        for method, path, expected in reads:
            assert _request(check, method, path, sessions[0]) == expected, path
        check.close()
        notes_before = _notes_in(database)

        # when they all read and write at once
        tally = _load(port, sessions, reads, writes)

    # then nothing failed, and both reads and writes got through
    locked = log.read_text().count("database is locked")
    summary = (
        f"{dict(tally.ok)} in {SECONDS:g} s, slowest {tally.slowest},"
        f' "database is locked" {locked} times in the log'
    )
    print(summary)
    assert tally.errors == [], f"{len(tally.errors)} errors, {summary}: {tally.errors[:10]}"
    assert tally.ok["read"] > 0
    assert tally.ok["write"] > 0
    assert _notes_in(database) - notes_before == tally.ok["write"]


def _load(port: int, sessions: list[str], reads: Work, writes: Work) -> Tally:
    tally = Tally()
    roles = [("read", reads)] * READERS + [("write", writes)] * WRITERS
    conns = [_connect(port) for _ in roles]
    until = time.monotonic() + SECONDS
    threads = [
        threading.Thread(target=_worker, args=(conn, tally, kind, session, work, until))
        for conn, session, (kind, work) in zip(conns, sessions, roles, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for conn in conns:
        conn.close()
    return tally
