"""A person's data export with 10,000 rows and 50 files (GDPR Art. 15; goal: under 2 s).

Builds carla's file in a fresh test database: work experience, courses,
tasks and coaching notes (BENCH_EXPORT_ROWS in all, default 10000, spread
evenly, with bulk_create) and BENCH_EXPORT_FILES small documents (default 50,
through the documents service, so they are checked and encrypted as any
upload). Then measures, BENCH_EXPORT_RUNS times each (default 5), the median
time and the number of SQL queries of:

- building the export zip ("access": everything) and the portability export;
- the whole job as the export page runs it (request, build, encrypt, store);
- the "my data" page (20 rows per list).

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_export.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "10000"))
FILES = int(os.environ.get("BENCH_EXPORT_FILES", "50"))
RUNS = int(os.environ.get("BENCH_EXPORT_RUNS", "5"))
GOAL_SECONDS = 2.0
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def main() -> int:
    setup_test_environment()
    directory = tempfile.mkdtemp(prefix="bench-export-")
    settings.MEDIA_ROOT = f"{directory}/media"
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"{directory}/db"
        engine = "SQLite file"
    else:
        engine = connection.vendor
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        measure(engine)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(directory, ignore_errors=True)
    return 0


def timed(action: Callable[[], Any]) -> tuple[int, float, Any]:
    """(queries, median seconds, last result) of RUNS calls after one warm-up."""
    action()
    times = []
    queries = 0
    result = None
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = action()
            times.append(time.perf_counter() - start)
        queries = len(captured)
    return queries, statistics.median(times), result


def build(personas: Any) -> Any:
    from passend.candidates import services as candidate_services
    from passend.candidates.models import Course, WorkExperience
    from passend.coaching import services as coaching_services
    from passend.coaching.models import Note, Task
    from passend.common.scope import organisation_scope
    from passend.documents.models import DocumentKind
    from passend.documents.services import document_upload

    organisation = personas.organisations["a"]
    carla = personas.memberships["carla"]
    bob = personas.memberships["bob"]
    per_kind = ROWS // 4
    with organisation_scope(organisation):
        profile = candidate_services.candidate_profile_ensure(membership=carla)
        candidate_services.candidate_profile_update(
            profile=profile, by=carla, data={"first_name": "Carla", "iban": "NL91ABNA0417164300"}
        )
        trajectory = coaching_services.trajectory_create(
            candidate=profile, goal="Work in a bakery", start_date=date(2026, 1, 5)
        )
        plan = trajectory.plan
        start = date(2000, 1, 1)
        common = {"organisation": organisation, "profile": profile}
        WorkExperience.objects.bulk_create(
            [WorkExperience(**common, employer_name=f"Employer {i}", role="Baker",
                            started_on=start + timedelta(days=i), description="Bread " * 20)
             for i in range(per_kind)], batch_size=1000,
        )  # fmt: skip
        Course.objects.bulk_create(
            [Course(**common, name=f"Course {i}", provider="SVH", result="passed")
             for i in range(per_kind)], batch_size=1000,
        )  # fmt: skip
        Task.objects.bulk_create(
            [Task(organisation=organisation, plan=plan, candidate=profile, title=f"Task {i}",
                  description="Call the employer", progress=i % 101)
             for i in range(per_kind)], batch_size=1000,
        )  # fmt: skip
        Note.objects.bulk_create(
            [Note(organisation=organisation, candidate=profile, author=bob,
                  text=f"Note {i}: talked about the plan.")
             for i in range(ROWS - 3 * per_kind)], batch_size=1000,
        )  # fmt: skip
        for i in range(FILES):
            document_upload(
                candidate=profile, kind=DocumentKind.OTHER, name=f"document {i}.pdf",
                chunks=[PDF + f"% {i}\n".encode() + b"x" * 2000], by=carla,
            )  # fmt: skip
    return personas["carla"]


def measure(engine: str) -> None:
    from conftest import client_for
    from passend.demo.personas import ensure_personas
    from passend.privacy.rights import jobs, services
    from passend.privacy.rights.export import build_export
    from passend.privacy.rights.models import ExportJob

    personas = ensure_personas()
    start = time.perf_counter()
    user = build(personas)
    built = time.perf_counter() - start
    print(
        f"export, {engine}: one person with {ROWS} rows and {FILES} files "
        f"(built in {built:.1f} s), {RUNS} runs, median; goal: under {GOAL_SECONDS:.0f} s"
    )

    def job() -> Any:
        ExportJob.objects.filter(user=user).delete()
        created = services.export_request(user=user, scope="access")
        return jobs.export_build(job_id=str(created.pk))

    page = client_for(user, personas.organisations["a"])
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("export zip, access (everything)", lambda: build_export(user, scope="access")),
        ("export zip, portability", lambda: build_export(user, scope="portability")),
        ("export job (build, encrypt, store)", job),
        ("my data page", lambda: page.get("/my-data/")),
    ]
    for label, action in cases:
        queries, median, result = timed(action)
        extra = ""
        if hasattr(result, "data"):
            extra = f"  {len(result.data) / 1e6:5.1f} MB, {result.rows} rows, {result.files} files"
        elif hasattr(result, "status_code"):
            extra = f"  (HTTP {result.status_code}, {len(result.content) / 1e3:.0f} kB)"
        verdict = "ok" if median < GOAL_SECONDS else "SLOW"
        print(f"  {label:36s} {queries:4d} queries  {median:6.2f} s  {verdict}{extra}")


if __name__ == "__main__":
    sys.exit(main())
