"""`manage.py verify_audit` against a trail tampered with by raw SQL."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from passend.common.scope import organisation_scope
from passend.privacy.audit.chain import event_hash
from passend.privacy.audit.models import Action, AuditEvent
from passend.privacy.audit.services import audit_seal, record
from passend.tenancy.models import OrganisationContact


@pytest.fixture
def trail(org_a: Any, org_b: Any) -> list[AuditEvent]:
    """Five sealed events in A's chain, two in B's."""
    events = []
    for org, count in [(org_a, 5), (org_b, 2)]:
        with organisation_scope(org):
            contact = OrganisationContact.objects.create(
                organisation=org, name="Contact", email="contact@example.test"
            )
            for _ in range(count):
                events.append(
                    record(
                        action=Action.UPDATE,
                        target=contact,
                        fields=["phone"],
                        purpose="organisation_admin",
                    )
                )
    audit_seal()
    return [AuditEvent.objects.unscoped().get(pk=event.pk) for event in events[:5]]


def verify(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def broken(*args: str) -> tuple[CommandError, str]:
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit", *args, stdout=StringIO(), stderr=err)
    assert caught.value.returncode == 1
    return caught.value, err.getvalue()


def test_it_passes_an_untouched_trail_and_prints_anchors(
    trail: list[AuditEvent], org_a: Any
) -> None:
    out, err = verify()
    assert err == ""
    assert f"OK {org_a.pk}: 5 events verified; anchor {org_a.pk}:5:{trail[4].hash}" in out


def test_it_says_so_when_the_trail_is_empty(db: Any) -> None:
    out, _ = verify()
    assert "empty" in out


def test_it_names_an_altered_event(trail: list[AuditEvent], tamper: Callable[..., None]) -> None:
    tamper("UPDATE {table} SET actor_user_id = 999 WHERE id = %s", [trail[2].pk])
    error, err = broken()
    assert f"{trail[2].chain} #3 (altered)" in str(error)
    assert "first bad event is number 3 (altered" in err


def test_it_names_a_deleted_event(trail: list[AuditEvent], tamper: Callable[..., None]) -> None:
    tamper("DELETE FROM {table} WHERE id = %s", [trail[1].pk])
    error, err = broken()
    assert "#2 (missing)" in str(error)
    assert "events 2..2 are missing" in err


def test_it_names_a_deleted_last_event(
    trail: list[AuditEvent], tamper: Callable[..., None]
) -> None:
    tamper("DELETE FROM {table} WHERE id = %s", [trail[4].pk])
    error, err = broken()
    assert "#5 (missing)" in str(error)
    assert "the chain head says 5 events were recorded" in err


def test_it_names_reordered_events(trail: list[AuditEvent], tamper: Callable[..., None]) -> None:
    # Swap positions 2 and 4 in two steps (the sequence is unique per chain).
    tamper("UPDATE {table} SET sequence = 1000 WHERE id = %s", [trail[1].pk])
    tamper("UPDATE {table} SET sequence = 2 WHERE id = %s", [trail[3].pk])
    tamper("UPDATE {table} SET sequence = 4 WHERE id = %s", [trail[1].pk])
    error, err = broken()
    assert "#2 (reordered)" in str(error)
    assert "this event was recorded at position 4" in err


def test_it_names_reordering_by_timestamps_as_an_alteration(
    trail: list[AuditEvent], tamper: Callable[..., None]
) -> None:
    tamper("UPDATE {table} SET occurred_at = %s WHERE id = %s", [trail[4].occurred_at, trail[0].pk])
    error, _ = broken()
    assert "#1 (altered)" in str(error)


def test_it_names_an_inserted_event(trail: list[AuditEvent], tamper: Callable[..., None]) -> None:
    # Make room at position 3, then forge an event there with a hash of its own.
    chain = trail[0].chain
    tamper(
        "UPDATE {table} SET sequence = sequence + 1000 WHERE chain = %s AND sequence >= 3", [chain]
    )
    tamper(
        "UPDATE {table} SET sequence = sequence - 999 WHERE chain = %s AND sequence > 1000", [chain]
    )
    forged = {**trail[2].as_hashed(), "target_id": "forged", "prev_hash": "e" * 64}
    forged["hash"] = event_hash(forged)
    tamper(
        "INSERT INTO {table} (chain, sequence, prev_hash, hash, occurred_at, organisation_id, "
        "actor_kind, actor_user_id, actor_membership_id, actor_role, action, target_model, "
        "target_id, subject_user_id, fields, purpose, detail) "
        "SELECT chain, 3, %s, %s, occurred_at, organisation_id, actor_kind, actor_user_id, "
        "actor_membership_id, actor_role, action, target_model, %s, subject_user_id, fields, "
        "purpose, detail FROM {table} WHERE id = %s",
        [forged["prev_hash"], forged["hash"], "forged", trail[0].pk],
    )
    error, err = broken()
    assert "#3" in str(error)
    assert "first bad event is number 3" in err


def test_it_names_an_event_appended_outside_the_trail(
    trail: list[AuditEvent], tamper: Callable[..., None]
) -> None:
    last = trail[4]
    forged = {**last.as_hashed(), "sequence": 6, "prev_hash": last.hash}
    forged["hash"] = event_hash(forged)
    tamper(
        "INSERT INTO {table} (chain, sequence, prev_hash, hash, occurred_at, organisation_id, "
        "actor_kind, actor_user_id, actor_membership_id, actor_role, action, target_model, "
        "target_id, subject_user_id, fields, purpose, detail) "
        "SELECT chain, 6, %s, %s, occurred_at, organisation_id, actor_kind, actor_user_id, "
        "actor_membership_id, actor_role, action, target_model, target_id, subject_user_id, "
        "fields, purpose, detail FROM {table} WHERE id = %s",
        [forged["prev_hash"], forged["hash"], last.pk],
    )
    error, err = broken()
    assert "#6 (inserted)" in str(error)
    assert "added outside the trail" in err


def test_it_catches_a_rewritten_tail_with_an_anchor(
    trail: list[AuditEvent], tamper: Callable[..., None], org_a: Any
) -> None:
    out, _ = verify()
    anchor = next(line for line in out.splitlines() if str(org_a.pk) in line).split("anchor ")[1]
    # An attacker who knows the algorithm rewrites event 5 and the chain head to match.
    rewritten = {**trail[4].as_hashed(), "actor_user_id": 999}
    rewritten["hash"] = event_hash(rewritten)
    tamper(
        "UPDATE {table} SET actor_user_id = 999, hash = %s WHERE id = %s",
        [rewritten["hash"], trail[4].pk],
    )
    tamper(
        "UPDATE audit_auditchain SET head_hash = %s WHERE key = %s",
        [rewritten["hash"], trail[4].chain],
    )
    verify()  # without the anchor, a consistent rewrite passes
    error, err = broken("--anchor", anchor)
    assert "#5 (altered)" in str(error)
    assert "rewritten" in err


def test_it_verifies_one_organisation_only(
    trail: list[AuditEvent], tamper: Callable[..., None], org_a: Any, org_b: Any
) -> None:
    tamper("UPDATE {table} SET detail = 'x' WHERE id = %s", [trail[0].pk])
    out, _ = verify("--organisation", org_b.slug)
    assert str(org_b.pk) in out
    assert str(org_a.pk) not in out
    error, _ = broken("--organisation", str(org_a.pk))
    assert "#1 (altered)" in str(error)


def test_it_rejects_unknown_organisations_and_bad_anchors(trail: list[AuditEvent]) -> None:
    with pytest.raises(CommandError, match="No organisation"):
        verify("--organisation", "nope")
    with pytest.raises(CommandError, match="An anchor looks like"):
        verify("--anchor", "platform:1")


def test_it_reports_a_chain_whose_head_record_is_gone(
    trail: list[AuditEvent], tamper: Callable[..., None]
) -> None:
    tamper("DELETE FROM audit_auditchain WHERE key = %s", [trail[0].chain])
    _error, err = broken()
    assert "no head record" in err
