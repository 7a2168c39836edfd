"""The hash chain of the audit trail: pure functions, no database.

Each event's hash is SHA-256 over a canonical JSON serialisation of every
recorded field, its chain, its sequence number and the previous event's hash.
Changing, removing, inserting or moving an event therefore breaks the chain
at that point, and `verify_chain` names the first sequence number where it
breaks.

The hash is deliberately unkeyed: anyone holding a copy of the trail can
verify it without a secret that could be lost or must be rotated. Someone
who can write to the database could recompute a whole tail; against that the
chain heads are anchored outside the database (`verify_audit --anchor`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

GENESIS = "0" * 64
PLATFORM_CHAIN = "platform"

# Every recorded field, in the order they are serialised. Adding a field means
# adding it here, so old events keep their hash only if the new field's
# absence serialises as before: give new fields a default of None.
HASHED_FIELDS = (
    "chain",
    "sequence",
    "prev_hash",
    "occurred_at",
    "organisation_id",
    "actor_kind",
    "actor_user_id",
    "actor_membership_id",
    "actor_role",
    "action",
    "target_model",
    "target_id",
    "subject_user_id",
    "fields",
    "purpose",
    "detail",
)

# How far from its stored position a moved event is looked for when its hash
# does not match: only on the failure path, to tell "reordered" from "altered".
REORDER_WINDOW = 64


def chain_key(organisation_id: UUID | str | None) -> str:
    """One chain per organisation, and one for events outside any organisation."""
    return str(organisation_id) if organisation_id is not None else PLATFORM_CHAIN


def _canonical_value(value: Any) -> Any:
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("Audit timestamps must be timezone-aware.")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_canonical_value(item) for item in value]
    return value


_encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def canonical(event: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed: every field of HASHED_FIELDS, nothing else."""
    data = {name: _canonical_value(event.get(name)) for name in HASHED_FIELDS}
    return _encoder.encode(data).encode()


def event_hash(event: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first place where a chain does not verify."""

    chain: str
    sequence: int
    kind: str  # altered, missing, reordered, inserted, head
    message: str

    def __str__(self) -> str:
        return f"chain {self.chain}: event {self.sequence}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class Head:
    sequence: int
    hash: str


def _moved_from(event: Mapping[str, Any]) -> int | None:
    """The position whose hash this event carries, if it was moved from there."""
    sequence = int(event["sequence"])
    stored = event["hash"]
    for candidate in range(max(1, sequence - REORDER_WINDOW), sequence + REORDER_WINDOW + 1):
        if candidate == sequence:
            continue
        if event_hash({**event, "sequence": candidate}) == stored:
            return candidate
    return None


def verify_chain(
    chain: str,
    events: Iterable[Mapping[str, Any]],
    *,
    base: Head | None = None,
    head: Head | None = None,
) -> Break | None:
    """Recompute a chain; return the first break, or None if it is intact.

    `events` must be the chain's stored events in ascending sequence order.
    `base` is where the chain starts (after pruning; the genesis otherwise),
    `head` is what the chain's head record says was appended last.
    """
    previous = base or Head(0, GENESIS)
    for event in events:
        sequence = int(event["sequence"])
        expected = previous.sequence + 1
        if sequence > expected:
            return Break(
                chain,
                expected,
                "missing",
                f"events {expected}..{sequence - 1} are missing (deleted)",
            )
        if sequence < expected:
            return Break(chain, sequence, "reordered", f"sequence {sequence} appears twice")
        if event_hash(event) != event["hash"]:
            origin = _moved_from(event)
            if origin is not None:
                return Break(
                    chain,
                    sequence,
                    "reordered",
                    f"this event was recorded at position {origin}",
                )
            return Break(chain, sequence, "altered", "its contents do not match its hash")
        if event["prev_hash"] != previous.hash:
            return Break(
                chain,
                sequence,
                "inserted",
                "it does not follow the event before it (inserted or reordered)",
            )
        previous = Head(sequence, event["hash"])
    if head is not None:
        if head.sequence > previous.sequence:
            return Break(
                chain,
                previous.sequence + 1,
                "missing",
                f"the chain head says {head.sequence} events were recorded; "
                f"the last one stored is {previous.sequence} (deleted)",
            )
        if head.sequence < previous.sequence:
            return Break(
                chain,
                head.sequence + 1,
                "inserted",
                f"events after the recorded head {head.sequence} were added outside the trail",
            )
        if head.hash != previous.hash:
            return Break(chain, previous.sequence, "head", "the chain head's hash does not match")
    return None


def check_anchor(chain: str, anchor: Head, stored_hash: str | None) -> Break | None:
    """An anchor is a head noted outside the database: it must still be in the chain."""
    if stored_hash is None:
        return Break(chain, anchor.sequence, "missing", "the anchored event is no longer stored")
    if stored_hash != anchor.hash:
        return Break(
            chain,
            anchor.sequence,
            "altered",
            "the chain was rewritten: this event's hash differs from the anchored one",
        )
    return None


def parse_anchor(text: str) -> tuple[str, Head]:
    """`<chain>:<sequence>:<hash>` as `verify_audit` prints it."""
    parts = text.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit() or len(parts[2]) != 64:
        raise ValueError(f"An anchor looks like <chain>:<sequence>:<64 hex digits>, not {text!r}")
    try:
        int(parts[2], 16)
    except ValueError:
        raise ValueError(f"The anchor's hash is not hexadecimal: {text!r}") from None
    return parts[0], Head(int(parts[1]), parts[2].lower())


def format_anchor(chain: str, head: Head) -> str:
    return f"{chain}:{head.sequence}:{head.hash}"
