"""Erasing a person with 10,000 related rows and 50 files (issue 5, Performance).

For each run, builds a fresh candidate in a fresh test database's
organisation with BENCH_ERASURE_ROWS related rows (work experience, courses,
notes and tasks, in equal parts, with bulk_create) and 50 encrypted
documents, then times `engine.erase()` and counts its SQL queries. Prints the
median and the query count, once for a tenth of the rows and once for all of
them: the query count should follow the number of tables, not of rows.
Goal: under 2 s.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_erasure.py

BENCH_ERASURE_ROWS (default 10000), BENCH_ERASURE_FILES (default 50) and
BENCH_ERASURE_RUNS (default 5) change the size and the number of runs.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROWS = int(os.environ.get("BENCH_ERASURE_ROWS", "10000"))
FILES = int(os.environ.get("BENCH_ERASURE_FILES", "50"))
RUNS = int(os.environ.get("BENCH_ERASURE_RUNS", "5"))
GOAL_SECONDS = 2.0


def main() -> int:
    setup_test_environment()
    directory = tempfile.mkdtemp(prefix="bench-erasure-")
    settings.MEDIA_ROOT = f"{directory}/media"
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"{directory}/db"
        engine_name = "SQLite file"
    else:
        engine_name = connection.vendor
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"Erasure of one person, {FILES} files, {RUNS} runs each ({engine_name})")
        for rows in (max(ROWS // 10, 4), ROWS):
            seconds, queries = measure(rows)
            verdict = "meets" if seconds < GOAL_SECONDS else "MISSES"
            print(
                f"  {rows:>6} rows: median {seconds * 1000:7.0f} ms, {queries} queries "
                f"({verdict} the {GOAL_SECONDS:.0f} s goal)"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(directory, ignore_errors=True)
    return 0


def build_person(index: int, rows: int) -> int:
    """A candidate in organisation A with `rows` related rows and FILES documents."""
    from passend.accounts.models import User
    from passend.candidates.models import CandidateProfile, Course, WorkExperience
    from passend.coaching.models import Note, Task
    from passend.coaching.services import trajectory_create
    from passend.common.scope import organisation_scope
    from passend.demo.personas import ensure_personas
    from passend.documents.models import Document, DocumentKind
    from passend.tenancy.models import Membership, Role

    personas = ensure_personas()
    org = personas.organisations["a"]
    bob = personas.memberships["bob"]
    user = User.objects.create_user(f"bench-erasure-{index}@example.test", "x", name="Bench")
    per_kind = rows // 4
    with organisation_scope(org):
        membership = Membership.objects.create(organisation=org, user=user, role=Role.CANDIDATE)
        profile = CandidateProfile.objects.create(
            organisation=org, membership=membership, first_name="Bench"
        )
        common: dict[str, Any] = {"organisation": org, "profile": profile}
        WorkExperience.objects.bulk_create(
            WorkExperience(**common, employer_name=f"Werkgever {i}", role="Medewerker",
                           started_on=date(2020, 1, 1))
            for i in range(per_kind)
        )  # fmt: skip
        Course.objects.bulk_create(Course(**common, name=f"Cursus {i}") for i in range(per_kind))
        Note.objects.bulk_create(
            Note(organisation=org, candidate=profile, author=bob, text=f"Notitie {i}")
            for i in range(per_kind)
        )
        trajectory = trajectory_create(
            candidate=profile, goal="Werk", start_date=date(2026, 1, 1), by=bob
        )
        Task.objects.bulk_create(
            Task(organisation=org, plan=trajectory.plan, candidate=profile, title=f"Taak {i}")
            for i in range(rows - 3 * per_kind)
        )
        for i in range(FILES):
            document = Document(
                organisation=org, candidate=profile, kind=DocumentKind.CV,
                original_name=f"cv-{i}.pdf", content_type="application/pdf", size=9,
                sha256="0" * 64, uploaded_by=user,
            )  # fmt: skip
            document.file.save(f"cv-{i}", ContentFile(b"%PDF-1.4\n"), save=False)
            document.save()
    return int(user.pk)


def measure(rows: int) -> tuple[float, int]:
    from passend.privacy.erasure import engine

    times = []
    queries = 0
    for run in range(RUNS):
        user_id = build_person(rows * 100 + run, rows)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            engine.erase(user_id=user_id)
            times.append(time.perf_counter() - start)
        queries = len(captured)
    return statistics.median(times), queries


if __name__ == "__main__":
    raise SystemExit(main())
