"""The public job pages with 10,000 published vacancies across 100
organisations (issue 13, Performance).

Builds the organisations, one employer each and 100 published vacancies per
organisation with bulk_create in a fresh test database, then requests as an
anonymous visitor, RUNS times each, the list of all vacancies (first and a
later page), one organisation's list, one vacancy and the Atom feed: once
with the cache emptied before every request (what the first visitor after a
change pays) and once warm. Prints queries, median and p99 in milliseconds.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_public_jobs.py

BENCH_JOBS_ORGANISATIONS (default 100), BENCH_JOBS_PER_ORGANISATION (default
100) and BENCH_JOBS_RUNS (default 31) change the size and the number of runs.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ORGANISATIONS = int(os.environ.get("BENCH_JOBS_ORGANISATIONS", "100"))
PER_ORGANISATION = int(os.environ.get("BENCH_JOBS_PER_ORGANISATION", "100"))
RUNS = int(os.environ.get("BENCH_JOBS_RUNS", "31"))


def build() -> tuple[str, str]:
    """The organisations and their vacancies; returns (a slug, a vacancy path)."""
    from django.utils import timezone

    from passend.common.scope import organisation_scope
    from passend.tenancy.models import Employer, Organisation
    from passend.vacancies.models import Vacancy, VacancyStatus

    now = timezone.now()
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bureau {number:03d}",
            slug=f"bureau-{number:03d}",
            kind="staffing",
            publishes_vacancies=True,
        )
        for number in range(ORGANISATIONS)
    )
    for organisation in organisations:
        with organisation_scope(organisation):
            employer = Employer.objects.create(organisation=organisation, name="Werkgever")
            Vacancy.objects.bulk_create(
                Vacancy(
                    organisation=organisation,
                    employer=employer,
                    title=f"Vacature {number}",
                    description="Een **mooie** baan.\n\n- vier dagen\n- vast team",
                    hours_per_week=32,
                    city="Utrecht",
                    postcode="3511 AB",
                    status=VacancyStatus.PUBLISHED,
                    published_at=now - timedelta(minutes=number),
                    closing_date=timezone.localdate() + timedelta(days=30),
                )
                for number in range(PER_ORGANISATION)
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    first = organisations[0]
    with organisation_scope(first):
        vacancy = Vacancy.objects.order_by("-published_at").first()
    assert vacancy is not None
    return first.slug, f"/jobs/{first.slug}/{vacancy.pk}/"


def timed(client: Any, url: str, *, cold: bool) -> tuple[int, float, float, int]:
    """(queries, median ms, p99 ms, status) of RUNS requests after one warm-up."""
    client.get(url)
    times = []
    queries = status = 0
    for _ in range(RUNS):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries, status = len(captured), response.status_code
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    return queries, statistics.median(times), p99, status


def measure(engine: str) -> None:
    from django.test import Client

    start = time.perf_counter()
    slug, detail = build()
    built = time.perf_counter() - start
    client = Client()
    total = ORGANISATIONS * PER_ORGANISATION
    print(
        f"public job pages, {engine}: {total} published vacancies across {ORGANISATIONS} "
        f"organisations (built in {built:.1f} s), {RUNS} runs, anonymous visitor"
    )
    cases = [
        ("all vacancies, first page", "/jobs/"),
        ("all vacancies, page 250", "/jobs/?page=250"),
        ("one organisation's list", f"/jobs/{slug}/"),
        ("one vacancy (JobPosting)", detail),
        ("Atom feed of all", "/jobs/feed.atom"),
    ]
    for cold in (True, False):
        print("  cache emptied before each request:" if cold else "  warm cache:")
        for label, url in cases:
            queries, median, p99, status = timed(client, url, cold=cold)
            print(
                f"    {label:28s} {queries:2d} queries  median {median:6.1f} ms  "
                f"p99 {p99:6.1f} ms  (HTTP {status})"
            )


def main() -> int:
    from benchmarks._db import test_database

    with test_database("jobs") as engine:
        measure(engine)
    return 0


if __name__ == "__main__":
    sys.exit(main())
