"""Concurrent writers of personal data in one organisation, with the audit trail (issue 10, part 7).

A request runs in one transaction (ATOMIC_REQUESTS), and its audit event is
recorded inside it. Each of BENCH_AUDIT_WRITERS threads does what such a
request does: in its own transaction on its own connection, it changes an
organisation contact's phone number (its own contact, so the rows never
conflict), records the audit event, and then keeps the transaction open for
BENCH_AUDIT_HOLD seconds, standing in for the rest of the request. All
writers are in the same organisation, so they append to the same chain.

Two ways of recording, measured in the same run, in alternating rounds:

- **locked head (the design before)**: the writer takes the chain's head row
  with `SELECT ... FOR UPDATE` and then records; the lock is held until its
  transaction commits, as `record()` did before sealing existed, so writers
  of one organisation wait for each other's whole request;
- **append, sealed later (the design now)**: `record()` as it is: a plain
  INSERT; `audit_seal()` chains the events afterwards (timed separately).

Prints the median wall time of a round of each, the serial time the writers
would take one after another (writers x hold), and the ratio before/now.
Needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises all
writers of a database by itself, so there is nothing to measure; with
SQLite the benchmark says so and exits 0.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passend \\
    DJANGO_SETTINGS_MODULE=config.settings.test \\
    .venv/bin/python benchmarks/bench_audit_concurrency.py
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

WRITERS = int(os.environ.get("BENCH_AUDIT_WRITERS", "8"))
HOLD = float(os.environ.get("BENCH_AUDIT_HOLD", "0.05"))
ROUNDS = int(os.environ.get("BENCH_AUDIT_ROUNDS", "7"))


def main() -> int:
    if connection.vendor != "postgresql":
        print(
            "audit concurrency: skipped, needs PostgreSQL (set DATABASE_URL=postgres://...); "
            "SQLite serialises every writer of the database by itself"
        )
        return 0
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        measure()
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


def measure() -> None:
    from passend.common.scope import organisation_scope
    from passend.demo.personas import ensure_personas
    from passend.privacy.audit.chain import chain_key
    from passend.privacy.audit.models import Action, AuditChain, AuditEvent
    from passend.privacy.audit.services import audit_seal, record
    from passend.privacy.datamap import Purpose
    from passend.tenancy.models import OrganisationContact

    organisation = ensure_personas().organisations["a"]
    key = chain_key(organisation.pk)
    AuditChain.objects.get_or_create(key=key)
    with organisation_scope(organisation):
        contacts = [
            OrganisationContact.objects.create(
                organisation=organisation, name=f"Contact {n}", email=f"c{n}@example.test"
            )
            for n in range(WRITERS)
        ]
    heads = AuditChain._meta.db_table

    def lock_head() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT key FROM {heads} WHERE key = %s FOR UPDATE", [key])

    def request(contact: OrganisationContact, before_record: Callable[[], None], n: int) -> None:
        try:
            with organisation_scope(organisation), transaction.atomic():
                contact.phone = f"+31 6 {n:08d}"
                contact.save(update_fields=["phone", "updated_at"])
                before_record()
                record(
                    action=Action.UPDATE,
                    target=contact,
                    fields=["phone"],
                    purpose=Purpose.ORGANISATION_ADMIN,
                )
                time.sleep(HOLD)  # the rest of the request, in its transaction
        finally:
            connection.close()

    def round_of(before_record: Callable[[], None], n: int) -> float:
        threads = [
            threading.Thread(target=request, args=(contact, before_record, n))
            for contact in contacts
        ]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - start

    def nothing() -> None:
        return None

    variants: dict[str, Callable[[], None]] = {
        "locked head (before)": lock_head,
        "append, sealed later (now)": nothing,
    }
    walls: dict[str, list[float]] = {name: [] for name in variants}
    seals: list[float] = []
    round_of(nothing, 0)  # warm up connections and caches
    for n in range(ROUNDS):
        order = list(variants) if n % 2 == 0 else list(reversed(variants))
        for name in order:
            walls[name].append(round_of(variants[name], n))
        start = time.perf_counter()
        audit_seal()
        seals.append(time.perf_counter() - start)

    serial = WRITERS * HOLD
    print(
        f"audit trail, concurrent writers in one organisation, PostgreSQL: {WRITERS} writers, "
        f"each holding its transaction {HOLD * 1000:.0f} ms after recording; "
        f"median of {ROUNDS} rounds"
    )
    print(f"  one after another (writers x hold): {serial * 1000:7.0f} ms")
    medians = {name: statistics.median(values) for name, values in walls.items()}
    for name, wall in medians.items():
        print(f"  {name:28s} {wall * 1000:7.0f} ms wall  ({serial / wall:4.1f}x the serial rate)")
    before, now = medians["locked head (before)"], medians["append, sealed later (now)"]
    print(f"  ratio before/now: {before / now:.1f}x faster for a round of {WRITERS} writers")
    with organisation_scope(organisation):
        events = AuditEvent.objects.filter(chain=key).count()
    print(
        f"  sealing a round's {2 * WRITERS} events: median "
        f"{statistics.median(seals) * 1000:.1f} ms ({events} events in the chain)"
    )


if __name__ == "__main__":
    sys.exit(main())
