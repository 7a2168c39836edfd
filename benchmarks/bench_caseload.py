"""The caseload with 10,000 candidates in one organisation (issue 4, Performance).

Builds the candidates with bulk_create (each with an active trajectory, two
tasks and an appointment) in a fresh test database, then requests, as the
career advisor bob, several times each:

- the caseload page /coaching/caseload/ (first page, page 2, a page of 100,
  and "my candidates");
- the caseload API /api/v1/coaching/caseload;
- the candidate list page /candidates/ and its API /api/v1/candidates.

and prints each one's number of SQL queries and median response time.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_caseload.py

BENCH_CASELOAD_CANDIDATES (default 10000) and BENCH_CASELOAD_RUNS (default 9)
change the size and the number of runs.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

CANDIDATES = int(os.environ.get("BENCH_CASELOAD_CANDIDATES", "10000"))
RUNS = int(os.environ.get("BENCH_CASELOAD_RUNS", "9"))


def main() -> int:
    from benchmarks._db import test_database

    with test_database("caseload") as engine:
        measure(engine)
    return 0


def timed(client: Any, url: str, headers: dict[str, str]) -> tuple[int, float, int]:
    """(queries, median milliseconds, status) of RUNS requests after one warm-up."""
    client.get(url, headers=headers)
    times = []
    queries = 0
    status = 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
        status = response.status_code
    return queries, statistics.median(times), status


def measure(engine: str) -> None:
    from django.test import Client

    from conftest import client_for
    from passend.api.services import api_token_create
    from passend.coaching.tests.factories import build_caseload
    from passend.demo.personas import ensure_personas

    personas = ensure_personas()
    organisation = personas.organisations["a"]
    bob = personas.memberships["bob"]
    start = time.perf_counter()
    build_caseload(organisation, CANDIDATES, professional=bob)
    built = time.perf_counter() - start
    _token, raw = api_token_create(
        user=personas["bob"], organisation=organisation, name="bench", expires_in_days=1
    )
    session = client_for(personas["bob"], organisation)
    api = Client()
    bearer = {"Authorization": f"Bearer {raw}"}

    print(
        f"caseload, {engine}: {CANDIDATES} candidates in one organisation "
        f"(built in {built:.1f} s), {RUNS} runs, median"
    )
    cases = [
        ("caseload page, first page of 25", session, "/coaching/caseload/", {}),
        ("caseload page, page 2 of 25", session, "/coaching/caseload/?page=2", {}),
        ("caseload page, a page of 100", session, "/coaching/caseload/?page_size=100", {}),
        ("caseload page, my candidates", session, "/coaching/caseload/?mine=1", {}),
        ("candidate list page, first page", session, "/candidates/", {}),
        ("candidate list page, page 2", session, "/candidates/?page=2", {}),
        ("caseload API, page of 50", api, "/api/v1/coaching/caseload", bearer),
        ("caseload API, page of 100", api, "/api/v1/coaching/caseload?page_size=100", bearer),
        ("candidate list API, page of 50", api, "/api/v1/candidates", bearer),
        ("candidate list API, page of 100", api, "/api/v1/candidates?page_size=100", bearer),
    ]
    for label, client, url, headers in cases:
        queries, median, status = timed(client, url, headers)
        print(f"  {label:36s} {queries:3d} queries  {median:8.1f} ms  (HTTP {status})")


if __name__ == "__main__":
    sys.exit(main())
