"""The pipeline page of a vacancy with 2,000 applications (issue 13, Performance).

Builds, with bulk_create in a fresh test database, 2,000 candidates of
organisation A (user, membership, profile with a name; every third with a CV,
every sixth also a diploma) and three published vacancies of the bakery that
they applied to: 20, 200 and 2,000 applications, each with a motivation
(encrypted, as every application's), spread over the stages of the
organisation's own pipeline (the six defaults written down, plus "Phone call"
in screening and "Second interview" in interview): new, screening, the two
own stages, interview, offer, hired, rejected with a reason, withdrawn. The
applications at an interview have one (an appointment); every fourth has one
to three private notes; the candidates' documents are included.

Then requests /vacancies/<id>/applications/ RUNS times each, as the
employer's contact dave and as the career advisor bob (who also sees the
proposals), once with the cache emptied before every request and once warm.
Prints queries, median and p99 in milliseconds, and the page's size; the
number of queries is the same for 20, 200 and 2,000 applications.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_pipeline.py

BENCH_PIPELINE_SIZES (default "20,200,2000") and BENCH_PIPELINE_RUNS (default
11) change the vacancies' sizes and the number of runs. With DATABASE_URL
set to a PostgreSQL database it measures there (a test database named after it).
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

SIZES = [int(size) for size in os.environ.get("BENCH_PIPELINE_SIZES", "20,200,2000").split(",")]
RUNS = int(os.environ.get("BENCH_PIPELINE_RUNS", "11"))
BATCH = 500

# Where the applications stand, in turn (a cycle of 20): mostly new, screened
# or rejected, as a busy vacancy's pipeline. (phase, own stage name or "", interview)
CYCLE: list[tuple[str, str, bool]] = [
    *[("new", "", False)] * 6,
    *[("screening", "", False)] * 3,
    ("screening", "Phone call", False),
    *[("interview", "", True)] * 2,
    ("interview", "Second interview", True),
    ("offer", "", False),
    ("hired", "", False),
    *[("rejected", "", False)] * 4,
    ("withdrawn", "", False),
]


def build_candidates(organisation: Any, count: int) -> list[tuple[Any, list[Any]]]:
    """`count` candidates with their documents: [(profile, documents)]."""
    from django.contrib.auth import get_user_model

    from passend.candidates.models import CandidateProfile
    from passend.common.sorting import sort_key
    from passend.documents.models import Document, DocumentKind
    from passend.tenancy.models import Membership, Role

    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [
            user_model(email=f"pipeline-{n:05d}@bench.test", name=f"Kandidaat {n:05d}")
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    memberships = Membership.objects.bulk_create(
        [
            Membership(
                organisation=organisation, user=u, role=Role.CANDIDATE, sort_name=sort_key(u.name)
            )
            for u in users
        ],
        batch_size=BATCH,
    )
    profiles = CandidateProfile.objects.bulk_create(
        [
            CandidateProfile(
                organisation=organisation,
                membership=m,
                first_name="Kandidaat",
                last_name=f"{n:05d}",
                sort_name=m.sort_name,
            )
            for n, m in enumerate(memberships)
        ],
        batch_size=BATCH,
    )
    wanted = [
        (profile, kind)
        for n, profile in enumerate(profiles)
        for kind, every in ((DocumentKind.CV, 3), (DocumentKind.DIPLOMA, 6))
        if n % every == 0
    ]
    documents = Document.objects.bulk_create(
        [
            Document(
                organisation=organisation,
                candidate=profile,
                kind=kind,
                # A row only: the page links to the file, it never reads it.
                file=f"documents/{organisation.pk}/bench-{profile.pk}-{kind}",
                original_name=f"{kind}.pdf",
                content_type="application/pdf",
                size=1024,
                sha256="0" * 64,
            )
            for profile, kind in wanted
        ],
        batch_size=BATCH,
    )
    theirs: dict[Any, list[Any]] = {profile.pk: [] for profile in profiles}
    for document in documents:
        theirs[document.candidate_id].append(document)
    return [(profile, theirs[profile.pk]) for profile in profiles]


def build_vacancy(personas: Any, candidates: list[tuple[Any, list[Any]]], count: int) -> Any:
    """A published vacancy of the bakery with the first `count` candidates' applications."""
    from django.utils import timezone

    from passend.coaching.models import Appointment
    from passend.vacancies import selectors, services
    from passend.vacancies.models import Application, ApplicationDocument, ApplicationNote

    organisation = personas.organisations["a"]
    bob = personas.memberships["bob"]
    vacancy = services.vacancy_create(
        employer=personas.employers["Bakkerij De Korenaar"],
        by=bob,
        title=f"Bakker ({count} applications)",
        hours_per_week=32,
        closing_date=timezone.localdate() + timedelta(days=30),
    )
    vacancy = services.vacancy_publish(vacancy=vacancy, by=bob)
    stages = selectors.stages_of(organisation.pk)
    own = {stage.name: stage for stage in stages}
    now = timezone.now()
    chosen = candidates[:count]
    plans = [CYCLE[n % len(CYCLE)] for n in range(count)]
    interviews = Appointment.objects.bulk_create(
        [
            Appointment(
                organisation=organisation,
                candidate=profile,
                starts_at=now + timedelta(days=3, minutes=30 * n),
                place="Bakkerij De Korenaar",
                with_whom="Bakkerij De Korenaar",
                professional=bob,
            )
            for n, ((profile, _documents), (_phase, _step, interview)) in enumerate(
                zip(chosen, plans, strict=True)
            )
            if interview
        ],
        batch_size=BATCH,
    )
    appointment = iter(interviews)
    applications = Application.objects.bulk_create(
        [
            Application(
                organisation=organisation,
                vacancy=vacancy,
                candidate=profile,
                motivation="Ik bak al tien jaar brood en wil graag in een vast team werken.",
                stage=phase,
                step=own[step] if step else None,
                rejection_reason="requirements" if phase == "rejected" else "",
                closed_at=now if phase in ("rejected", "withdrawn") else None,
                interview=next(appointment) if interview else None,
            )
            for (profile, _documents), (phase, step, interview) in zip(chosen, plans, strict=True)
        ],
        batch_size=BATCH,
    )
    ApplicationDocument.objects.bulk_create(
        [
            ApplicationDocument(organisation=organisation, application=application, document=d)
            for application, (_profile, documents) in zip(applications, chosen, strict=True)
            for d in documents
        ],
        batch_size=BATCH,
    )
    ApplicationNote.objects.bulk_create(
        [
            ApplicationNote(
                organisation=organisation,
                application=application,
                author_id=bob.user_id,
                text=f"Gebeld; notitie {number + 1}.",
            )
            for n, application in enumerate(applications)
            if n % 4 == 0
            for number in range(1 + n % 3)
        ],
        batch_size=BATCH,
    )
    return vacancy


def timed(client: Any, url: str, *, cold: bool) -> tuple[int, float, float, int, float]:
    """(queries, median ms, p99 ms, status, KB) of RUNS requests after one warm-up."""
    client.get(url)
    times = []
    queries = status = size = 0
    for _ in range(RUNS):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries, status, size = len(captured), response.status_code, len(response.content)
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    return queries, statistics.median(times), p99, status, size / 1024


def measure(engine: str) -> None:
    from conftest import client_for
    from passend.common.scope import organisation_scope
    from passend.demo.personas import ensure_personas
    from passend.vacancies import services

    personas = ensure_personas()
    organisation = personas.organisations["a"]
    start = time.perf_counter()
    with organisation_scope(organisation):
        services.stage_create(organisation_id=organisation.pk, name="Phone call", phase="screening")
        services.stage_create(
            organisation_id=organisation.pk, name="Second interview", phase="interview"
        )
        candidates = build_candidates(organisation, max(SIZES))
        vacancies = [(size, build_vacancy(personas, candidates, size)) for size in SIZES]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built = time.perf_counter() - start
    print(
        f"pipeline page, {engine}: vacancies with {', '.join(map(str, SIZES))} applications "
        f"(built in {built:.1f} s), {RUNS} runs"
    )
    clients = [
        ("employer dave", client_for(personas["dave"], organisation)),
        ("advisor bob", client_for(personas["bob"], organisation)),
    ]
    for cold in (True, False):
        print("  cache emptied before each request:" if cold else "  warm cache:")
        for who, client in clients:
            for size, vacancy in vacancies:
                url = f"/vacancies/{vacancy.pk}/applications/"
                queries, median, p99, status, kb = timed(client, url, cold=cold)
                print(
                    f"    {who:14s} {size:5d} applications {queries:3d} queries  "
                    f"median {median:7.1f} ms  p99 {p99:7.1f} ms  {kb:7.0f} KB  (HTTP {status})"
                )


def main() -> int:
    from benchmarks._db import test_database

    with test_database("pipeline") as engine:
        measure(engine)
    return 0


if __name__ == "__main__":
    sys.exit(main())
