"""The pure hash chain: canonical form and verification, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest

from passend.privacy.audit.chain import (
    GENESIS,
    Head,
    canonical,
    chain_key,
    check_anchor,
    event_hash,
    format_anchor,
    parse_anchor,
    verify_chain,
)

ORG = UUID("3f1c2a4e-0000-4000-8000-000000000001")
T0 = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def make_chain(length: int) -> list[dict[str, Any]]:
    events = []
    prev = GENESIS
    for n in range(1, length + 1):
        event: dict[str, Any] = {
            "chain": chain_key(ORG),
            "sequence": n,
            "prev_hash": prev,
            "occurred_at": T0 + timedelta(seconds=n),
            "organisation_id": ORG,
            "actor_kind": "user",
            "actor_user_id": 7,
            "actor_membership_id": UUID("3f1c2a4e-0000-4000-8000-000000000002"),
            "actor_role": "admin",
            "action": "update",
            "target_model": "tenancy.organisationcontact",
            "target_id": f"id-{n}",
            "subject_user_id": None,
            "fields": ["phone"],
            "purpose": "organisation_admin",
            "detail": "",
        }
        event["hash"] = event_hash(event)
        prev = event["hash"]
        events.append(event)
    return events


def test_it_hashes_the_same_moment_identically_in_any_time_zone() -> None:
    event = make_chain(1)[0]
    amsterdam = timezone(timedelta(hours=1))
    moved = {**event, "occurred_at": event["occurred_at"].astimezone(amsterdam)}
    assert canonical(moved) == canonical(event)
    assert event_hash(moved) == event["hash"]


def test_it_refuses_naive_timestamps() -> None:
    event = {**make_chain(1)[0], "occurred_at": datetime(2026, 1, 1)}
    with pytest.raises(ValueError, match="timezone-aware"):
        canonical(event)


def test_it_changes_the_hash_when_any_field_changes() -> None:
    event = make_chain(1)[0]
    for name, value in [
        ("actor_user_id", 8),
        ("fields", ["email"]),
        ("purpose", "security"),
        ("occurred_at", T0),
        ("prev_hash", "f" * 64),
        ("chain", "platform"),
    ]:
        assert event_hash({**event, name: value}) != event["hash"], name


def test_it_accepts_an_intact_chain() -> None:
    events = make_chain(5)
    assert verify_chain("c", events, head=Head(5, events[-1]["hash"])) is None


def test_it_names_an_altered_event() -> None:
    events = make_chain(5)
    events[2] = {**events[2], "actor_user_id": 99}
    problem = verify_chain("c", events)
    assert problem is not None
    assert (problem.sequence, problem.kind) == (3, "altered")


def test_it_names_the_first_missing_event() -> None:
    events = make_chain(5)
    del events[1]
    problem = verify_chain("c", events)
    assert problem is not None
    assert (problem.sequence, problem.kind) == (2, "missing")


def test_it_notices_a_deleted_tail_through_the_head() -> None:
    events = make_chain(5)
    problem = verify_chain("c", events[:3], head=Head(5, events[-1]["hash"]))
    assert problem is not None
    assert (problem.sequence, problem.kind) == (4, "missing")


def test_it_recognises_an_event_moved_to_another_position() -> None:
    events = make_chain(5)
    third, fourth = events[2], events[3]
    events[2] = {**fourth, "sequence": 3}
    events[3] = {**third, "sequence": 4}
    problem = verify_chain("c", events)
    assert problem is not None
    assert (problem.sequence, problem.kind) == (3, "reordered")
    assert "position 4" in problem.message


def test_it_names_an_inserted_event_with_a_valid_hash_of_its_own() -> None:
    events = make_chain(4)
    forged = {**events[1], "target_id": "forged", "prev_hash": "a" * 64}
    forged["hash"] = event_hash(forged)
    events[1] = forged
    problem = verify_chain("c", events)
    assert problem is not None
    assert (problem.sequence, problem.kind) == (2, "inserted")


def test_it_names_events_appended_behind_the_head() -> None:
    events = make_chain(4)
    problem = verify_chain("c", events, head=Head(3, events[2]["hash"]))
    assert problem is not None
    assert (problem.sequence, problem.kind) == (4, "inserted")


def test_it_starts_a_pruned_chain_at_its_base() -> None:
    events = make_chain(6)
    base = Head(3, events[2]["hash"])
    assert verify_chain("c", events[3:], base=base, head=Head(6, events[-1]["hash"])) is None
    problem = verify_chain("c", events[3:], base=Head(3, "b" * 64))
    assert problem is not None
    assert (problem.sequence, problem.kind) == (4, "inserted")


def test_it_checks_an_anchor_against_the_stored_hash() -> None:
    events = make_chain(3)
    anchor = Head(2, events[1]["hash"])
    assert check_anchor("c", anchor, events[1]["hash"]) is None
    rewritten = check_anchor("c", anchor, "c" * 64)
    assert rewritten is not None
    assert rewritten.kind == "altered"
    gone = check_anchor("c", anchor, None)
    assert gone is not None
    assert gone.kind == "missing"


def test_it_round_trips_anchors_and_rejects_malformed_ones() -> None:
    text = format_anchor(str(ORG), Head(12, "ab" * 32))
    assert parse_anchor(text) == (str(ORG), Head(12, "ab" * 32))
    for bad in ["platform:12", "platform:x:" + "a" * 64, "platform:1:" + "z" * 64, "p:1:abc"]:
        with pytest.raises(ValueError, match="anchor"):
            parse_anchor(bad)
