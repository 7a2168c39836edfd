"""The cost of the audit trail on a write of personal data.

Measures writes/s of personal-data updates without and with the audit event
that is recorded inside the write's transaction, and prints the ratio, in
one run. Goal (issue 3): the audit trail costs less than 30% of write
throughput.

Two workloads:

- **the service** (the figure the goal is about): `membership_update`, the
  tenancy service that changes a person's membership (here: carla's active
  flag, flipped on every write). "Without" runs the same service with its
  `record()` call replaced by a no-op for the duration of the measurement.
- **a minimal write** (the worst case): an organisation contact's phone
  number set with full_clean and save in one transaction, the smallest write
  a service does, without and with one `record()`.

Runs against a fresh test database of the configured engine: for SQLite (the
default) a database file with the settings the embedded default runs with
(WAL, synchronous=FULL); with DATABASE_URL=postgres://... PostgreSQL.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/bench_audit.py

BENCH_AUDIT_STRICT=1 makes the exit status 1 when the goal is not met.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

WRITES = int(os.environ.get("BENCH_AUDIT_WRITES", "400"))
RUNS = int(os.environ.get("BENCH_AUDIT_RUNS", "7"))
BATCH = 20
GOAL = 0.30

Write = Callable[[int], Any]


def main() -> int:
    setup_test_environment()
    directory = ""
    if connection.vendor == "sqlite":
        directory = tempfile.mkdtemp(prefix="bench-audit-")
        connection.settings_dict["TEST"]["NAME"] = f"{directory}/db"
        engine = "SQLite file, WAL, synchronous=FULL (the embedded default)"
    else:
        engine = connection.vendor
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        met = measure(engine)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if directory:
            shutil.rmtree(directory, ignore_errors=True)
    return 1 if not met and os.environ.get("BENCH_AUDIT_STRICT") == "1" else 0


def _no_record(**kwargs: Any) -> None:
    return None


def run(plain: Write, audited: Write, without: Callable[[], Any]) -> tuple[float, float]:
    """One run: both variants in alternating batches, so that load from
    elsewhere on the machine slows both alike. `without()` is entered around
    each batch of the plain variant. Returns writes/s of each."""
    spent = {plain: 0.0, audited: 0.0}
    for batch in range(0, WRITES, BATCH):
        for write in (plain, audited) if batch % (2 * BATCH) else (audited, plain):
            with without() if write is plain else contextlib.nullcontext():
                start = time.perf_counter()
                for n in range(batch, batch + BATCH):
                    write(n)
                spent[write] += time.perf_counter() - start
    return WRITES / spent[plain], WRITES / spent[audited]


def compare(
    label: str, plain: Write, audited: Write, unaudited: Callable[[], Any] = contextlib.nullcontext
) -> bool:
    from passend.privacy.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    run(plain, audited, unaudited)  # warm up caches and the query compiler
    rates = [run(plain, audited, unaudited) for _ in range(RUNS)]
    without = statistics.median(r[0] for r in rates)
    with_audit = statistics.median(r[1] for r in rates)
    events = AuditEvent.objects.count() - before
    cost = 1 - with_audit / without
    print(f"  {label}")
    print(f"    without audit: {without:6.0f} writes/s")
    print(f"    with audit:    {with_audit:6.0f} writes/s  ({events} events recorded)")
    print(f"    ratio {with_audit / without:.2f}: the audit costs {cost:.0%} of throughput")
    return cost < GOAL


def measure(engine: str) -> bool:
    from passend.common.scope import organisation_scope
    from passend.demo.personas import ensure_personas
    from passend.privacy.audit.middleware import Actor, acting_as
    from passend.privacy.audit.models import Action
    from passend.privacy.audit.services import record
    from passend.privacy.datamap import Purpose
    from passend.tenancy import services
    from passend.tenancy.models import Membership, OrganisationContact

    personas = ensure_personas()
    organisation = personas.organisations["a"]
    with organisation_scope(organisation):
        contact = OrganisationContact.objects.create(
            organisation=organisation, name="Benchmark Contact", email="bench@example.test"
        )
        admin = Membership.objects.get(user=personas["alice"])
        carla = Membership.objects.get(user=personas["carla"])

    def service(n: int) -> None:
        services.membership_update(membership=carla, role="candidate", is_active=n % 2 == 0)

    def service_without_audit(n: int) -> None:
        service(n)  # run inside no_audit()

    def no_audit() -> Any:
        return mock.patch.object(services, "record", new=_no_record)

    def phone(n: int) -> None:
        contact.phone = f"+31 6 {n:08d}"
        contact.full_clean()
        contact.save(update_fields=["phone", "updated_at"])

    def minimal(n: int) -> None:
        with transaction.atomic():
            phone(n)

    def minimal_audited(n: int) -> None:
        with transaction.atomic():
            phone(n)
            record(
                action=Action.UPDATE,
                target=contact,
                fields=["phone"],
                purpose=Purpose.ORGANISATION_ADMIN,
            )

    print(f"audit trail, {engine}: {WRITES} writes x {RUNS} runs, median of runs")
    with organisation_scope(organisation), acting_as(Actor.for_membership(admin)):
        met = compare("the service: membership_update", service_without_audit, service, no_audit)
        compare("a minimal write: full_clean + save (worst case)", minimal, minimal_audited)
    print(
        f"  goal: the audit costs < {GOAL:.0%} of the service's throughput: "
        f"{'met' if met else 'NOT met'}"
    )
    return met


if __name__ == "__main__":
    sys.exit(main())
