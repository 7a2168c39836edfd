"""audit_seal(): events are recorded unsealed and chained afterwards, in short
batches, by the minutely job and before verification."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from passend.common.scope import organisation_scope
from passend.privacy.audit.chain import GENESIS
from passend.privacy.audit.models import Action, AuditChain, AuditEvent
from passend.privacy.audit.selectors import verify_trail
from passend.privacy.audit.services import audit_seal, record
from passend.privacy.audit.tasks import seal_audit_trail
from passend.tenancy.models import OrganisationContact

TABLE = AuditEvent._meta.db_table


def recorded(org: Any, count: int) -> list[AuditEvent]:
    with organisation_scope(org):
        contact = OrganisationContact.objects.create(
            organisation=org, name="Contact", email="contact@example.test"
        )
        return [
            record(action=Action.UPDATE, target=contact, fields=["phone"], purpose="security")
            for _ in range(count)
        ]


def stored(org: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.unscoped().filter(chain=str(org.pk)).order_by("id"))


def test_it_records_events_unsealed_and_without_touching_the_chain_head(org_a: Any) -> None:
    events = recorded(org_a, 2)
    assert [(e.sequence, e.prev_hash, e.hash) for e in stored(org_a)] == [(None, None, None)] * 2
    assert not AuditChain.objects.filter(pk=str(org_a.pk)).exists()
    assert events[0].occurred_at <= events[1].occurred_at


def test_it_seals_in_insertion_order_and_only_once(org_a: Any, org_b: Any) -> None:
    recorded(org_a, 3)
    recorded(org_b, 1)
    assert audit_seal() == 4
    events = stored(org_a)
    assert [e.sequence for e in events] == [1, 2, 3]
    assert [e.prev_hash for e in events] == [GENESIS, events[0].hash, events[1].hash]
    assert all(e.compute_hash() == e.hash for e in events)
    assert audit_seal() == 0
    assert [e.hash for e in stored(org_a)] == [e.hash for e in events]
    head = AuditChain.objects.get(pk=str(org_a.pk))
    assert (head.sequence, head.head_hash) == (3, events[2].hash)


def test_it_seals_in_short_batches_and_continues_the_chain(org_a: Any) -> None:
    recorded(org_a, 5)
    assert audit_seal(batch=2) == 5
    recorded(org_a, 2)
    assert audit_seal(chain=str(org_a.pk), batch=2) == 2
    assert [e.sequence for e in stored(org_a)] == list(range(1, 8))
    assert all(report.problem is None and report.events == 7 for report in verify_trail())


def test_it_seals_only_the_chain_asked_for(org_a: Any, org_b: Any) -> None:
    recorded(org_a, 1)
    recorded(org_b, 1)
    assert audit_seal(chain=str(org_b.pk)) == 1
    assert stored(org_a)[0].sequence is None
    assert stored(org_b)[0].sequence == 1
    assert audit_seal(chain="platform") == 0
    assert not AuditChain.objects.filter(pk="platform").exists()


def test_the_scheduled_job_seals_every_minute(org_a: Any) -> None:
    recorded(org_a, 2)
    assert seal_audit_trail.delay().get() == 2
    assert seal_audit_trail.delay().get() == 0  # a repeated run is harmless
    entry = settings.CELERY_BEAT_SCHEDULE["seal-audit-trail"]
    assert entry["task"] == seal_audit_trail.name
    assert entry["schedule"] == crontab()


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_counts_unsealed_events_and_verify_seals_them_first(org_a: Any) -> None:
    recorded(org_a, 3)
    out = verify("--no-seal")
    assert f"OK {org_a.pk}: 0 events verified; 3 not yet sealed" in out
    assert stored(org_a)[0].sequence is None
    out = verify()
    assert f"OK {org_a.pk}: 3 events verified; anchor {org_a.pk}:3:" in out


def test_it_reports_a_sealed_event_made_unsealed_again(
    org_a: Any, tamper: Callable[..., None]
) -> None:
    events = recorded(org_a, 4)
    audit_seal()
    # Hiding an event from the chain by emptying its chain columns: the sealer
    # seals it again at the end, and its old place is a gap.
    tamper(
        "UPDATE {table} SET sequence = NULL, prev_hash = NULL, hash = NULL WHERE id = %s",
        [events[1].pk],
    )
    with pytest.raises(CommandError, match="#2 \\(missing\\)"):
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())


@pytest.mark.postgres
def test_the_database_lets_the_sealer_fill_in_the_chain_columns_only(org_a: Any) -> None:
    (sealed,) = recorded(org_a, 1)
    audit_seal()
    (unsealed,) = recorded(org_a, 1)
    refused = [
        # a changed field of an unsealed event
        (f"UPDATE {TABLE} SET detail = 'x' WHERE id = %s", [unsealed.pk]),
        # a seal that changes a field too
        (
            f"UPDATE {TABLE} SET sequence = 9, prev_hash = %s, hash = %s, detail = 'x' "
            "WHERE id = %s",
            ["a" * 64, "b" * 64, sealed.pk],
        ),
        # a second seal
        (f"UPDATE {TABLE} SET hash = %s WHERE id = %s", ["c" * 64, sealed.pk]),
        # unsealing
        (
            f"UPDATE {TABLE} SET sequence = NULL, prev_hash = NULL, hash = NULL WHERE id = %s",
            [sealed.pk],
        ),
    ]
    for sql, params in refused:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    assert audit_seal() == 1  # the sealer's own update is allowed
    assert all(report.problem is None for report in verify_trail())


@pytest.mark.postgres
def test_the_database_refuses_a_partial_seal_of_an_unsealed_event(org_a: Any) -> None:
    (event,) = recorded(org_a, 1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {TABLE} SET hash = %s WHERE id = %s", ["d" * 64, event.pk])
    assert audit_seal() == 1
