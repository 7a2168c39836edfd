"""The rows `verify_audit` walks: each chain's sealed events, its head and anchors.

Reading the trail for people (an organisation's trail, a person's disclosures)
is `passend.privacy.trail`, above tenancy; this module imports no app above audit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from passend.privacy.audit.chain import GENESIS, Break, Head, check_anchor, verify_chain
from passend.privacy.audit.models import AuditChain, AuditEvent


def chain_keys_with_events() -> list[str]:
    return list(
        AuditEvent.objects.unscoped().order_by("chain").values_list("chain", flat=True).distinct()
    )


def events_for_verification(*, key: str, after: int = 0) -> Iterator[Mapping[str, Any]]:
    """One chain's sealed events in sequence order, streamed, with every hashed field."""
    return (
        AuditEvent.objects.unscoped()
        .filter(chain=key, sequence__gt=after)
        .order_by("sequence")
        .values()
        .iterator(chunk_size=2000)
    )


def stored_hash(*, key: str, sequence: int) -> str | None:
    return (
        AuditEvent.objects.unscoped()
        .filter(chain=key, sequence=sequence)
        .values_list("hash", flat=True)
        .first()
    )


@dataclass
class ChainReport:
    key: str
    events: int  # sealed events verified
    head: Head
    problem: Break | None = None
    unsealed: int = 0  # recorded, not yet chained by `audit_seal`


def unsealed_counts() -> dict[str, int]:
    """Per chain, how many committed events are still waiting for the sealer."""
    rows = (
        AuditEvent.objects.unscoped()
        .filter(hash__isnull=True)
        .order_by()
        .values("chain")
        .annotate(count=Count("id"))
    )
    return {row["chain"]: row["count"] for row in rows}


def _verify_one(key: str, head_row: AuditChain | None, anchors: Sequence[Head]) -> ChainReport:
    base = head_row.base if head_row is not None else None
    counted = 0
    last = base or Head(0, GENESIS)

    def counting(rows: Iterator[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        nonlocal counted, last
        for row in rows:
            counted += 1
            last = Head(int(row["sequence"]), row["hash"])
            yield row

    rows = counting(events_for_verification(key=key, after=base.sequence if base else 0))
    if head_row is None:
        problem = verify_chain(key, rows)
        if problem is None and counted:
            problem = Break(key, 1, "head", "the chain has events but no head record")
        elif problem is None and anchors:
            problem = Break(key, anchors[0].sequence, "missing", "the anchored chain is gone")
        return ChainReport(key, counted, last, problem)
    problem = verify_chain(key, rows, base=base, head=head_row.head)
    for anchor in anchors:
        if problem is not None:
            break
        if anchor.sequence < head_row.base_sequence:
            continue  # removed by retention since it was anchored
        stored: str | None = head_row.base_hash
        if anchor.sequence != head_row.base_sequence:
            stored = stored_hash(key=key, sequence=anchor.sequence)
        problem = check_anchor(key, anchor, stored)
    return ChainReport(key, counted, head_row.head, problem)


def verify_trail(
    *, chain: str | None = None, anchors: dict[str, list[Head]] | None = None
) -> list[ChainReport]:
    """Recompute every chain's sealed events (or one chain's); each report names the
    first break, if any, and counts the events not yet sealed. Reads only: seal
    first (`audit_seal`) to verify everything committed so far."""
    anchors = anchors or {}
    head_rows = {row.key: row for row in AuditChain.objects.order_by("key")}
    keys = sorted(set(head_rows) | set(chain_keys_with_events()) | set(anchors))
    if chain is not None:
        keys = [chain]
    waiting = unsealed_counts()
    reports = [_verify_one(key, head_rows.get(key), anchors.get(key, [])) for key in keys]
    for report in reports:
        report.unsealed = waiting.get(report.key, 0)
    return reports
