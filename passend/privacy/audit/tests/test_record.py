"""record(): who, where, what, and the chain it appends to."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from passend.common.scope import organisation_scope
from passend.privacy.audit.chain import GENESIS, PLATFORM_CHAIN
from passend.privacy.audit.middleware import SYSTEM, Actor, acting_as
from passend.privacy.audit.models import Action, AppendOnlyError, AuditChain, AuditEvent
from passend.privacy.audit.selectors import verify_trail
from passend.privacy.audit.services import (
    PLATFORM,
    Target,
    audit_prune,
    audit_seal,
    record,
    record_read,
)
from passend.privacy.datamap import Purpose
from passend.tenancy.models import Membership, OrganisationContact


def contact(org: Any) -> OrganisationContact:
    with organisation_scope(org):
        return OrganisationContact.objects.create(
            organisation=org, name="Contact", email="contact@example.test"
        )


def reread(event: AuditEvent) -> AuditEvent:
    return AuditEvent.objects.unscoped().get(pk=event.pk)


def membership_of(user: Any, org: Any) -> Membership:
    with organisation_scope(org):
        return Membership.objects.get(user=user)


def test_it_takes_actor_and_organisation_from_the_context(org_a: Any, alice: Any) -> None:
    target = contact(org_a)
    membership = membership_of(alice, org_a)
    with organisation_scope(org_a), acting_as(Actor.for_user(alice, membership)):
        event = record(
            action=Action.UPDATE,
            target=target,
            fields=["phone"],
            purpose=Purpose.ORGANISATION_ADMIN,
        )
    assert event.organisation_id == org_a.pk
    assert event.chain == str(org_a.pk)
    assert event.actor_kind == "user"
    assert event.actor_user_id == alice.pk
    assert event.actor_membership_id == membership.pk
    assert event.actor_role == "admin"
    assert event.target_model == "tenancy.organisationcontact"
    assert event.target_id == str(target.pk)
    assert event.fields == ["phone"]
    assert event.purpose == "organisation_admin"


def test_it_acts_as_the_system_outside_a_request(org_a: Any) -> None:
    target = contact(org_a)
    with organisation_scope(org_a):
        event = record(action="create", target=target, purpose="organisation_admin")
    assert event.actor_kind == "system"
    assert event.actor_user_id is None
    assert event.actor_membership_id is None


def test_it_records_platform_events_in_their_own_chain(org_a: Any, alice: Any) -> None:
    event = record(action=Action.LOGIN, target=alice, purpose=Purpose.SECURITY, actor=alice)
    assert event.organisation_id is None
    assert event.chain == PLATFORM_CHAIN
    with organisation_scope(org_a):
        forced = record(
            action=Action.LOGIN, target=alice, purpose=Purpose.SECURITY, organisation=PLATFORM
        )
    assert forced.chain == PLATFORM_CHAIN
    audit_seal()
    event, forced = reread(event), reread(forced)
    assert (event.sequence, forced.sequence) == (1, 2)


def test_it_accepts_an_explicit_membership_as_actor(org_a: Any, bob: Any) -> None:
    membership = membership_of(bob, org_a)
    event = record(
        action=Action.READ,
        target=contact(org_a),
        fields=["phone"],
        purpose=Purpose.ORGANISATION_ADMIN,
        actor=membership,
        organisation=org_a,
    )
    assert (event.actor_user_id, event.actor_membership_id) == (bob.pk, membership.pk)
    assert event.actor_role == "professional"


def test_it_finds_the_subject_through_the_data_map(org_a: Any, carla: Any) -> None:
    membership = membership_of(carla, org_a)
    with organisation_scope(org_a):
        event = record(
            action=Action.UPDATE, target=membership, fields=["role"], purpose=Purpose.ACCOUNT
        )
    assert event.subject_user_id == carla.pk


def test_it_links_each_event_to_the_one_before(org_a: Any) -> None:
    target = contact(org_a)
    with organisation_scope(org_a):
        events = [
            record(
                action=Action.UPDATE, target=target, fields=["phone"], purpose="organisation_admin"
            )
            for _ in range(3)
        ]
    assert [e.sequence for e in events] == [None, None, None]
    assert audit_seal() == 3
    events = [reread(e) for e in events]
    assert [e.sequence for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    for event in events:
        stored = AuditEvent.objects.unscoped().get(pk=event.pk)
        assert stored.compute_hash() == stored.hash
    head = AuditChain.objects.get(pk=str(org_a.pk))
    assert (head.sequence, head.head_hash) == (3, events[2].hash)


def test_it_keeps_separate_chains_per_organisation(org_a: Any, org_b: Any) -> None:
    with organisation_scope(org_a):
        a = record(action=Action.CREATE, target=contact(org_a), purpose="organisation_admin")
    with organisation_scope(org_b):
        b = record(action=Action.CREATE, target=contact(org_b), purpose="organisation_admin")
    audit_seal()
    a, b = reread(a), reread(b)
    assert (a.sequence, b.sequence) == (1, 1)
    assert a.chain != b.chain
    assert all(report.problem is None for report in verify_trail())


def test_it_refuses_to_change_or_delete_an_event(org_a: Any) -> None:
    with organisation_scope(org_a):
        event = record(action=Action.CREATE, target=contact(org_a), purpose="organisation_admin")
        event.detail = "rewritten"
        with pytest.raises(AppendOnlyError):
            event.save()
        with pytest.raises(AppendOnlyError):
            event.delete()
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.filter(pk=event.pk).delete()
        assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_it_reads_no_events_without_a_scope(org_a: Any) -> None:
    from passend.common.scope import ScopeError

    with pytest.raises(ScopeError):
        list(AuditEvent.objects.all())


def test_it_refuses_values_where_field_names_belong(org_a: Any) -> None:
    with organisation_scope(org_a), pytest.raises(ValueError, match="never their values"):
        record(
            action=Action.UPDATE,
            target=contact(org_a),
            fields=["+31 6 12345678"],
            purpose="organisation_admin",
        )


@pytest.mark.parametrize(
    "detail", ["sent to carla@example.test", "BSN 111222333", "IBAN NL91ABNA0417164300", "x" * 201]
)
def test_it_refuses_personal_data_in_the_detail(org_a: Any, detail: str) -> None:
    target = contact(org_a)
    with organisation_scope(org_a), pytest.raises(ValueError, match="detail"):
        record(action=Action.UPDATE, target=target, purpose="security", detail=detail)


def test_it_refuses_unknown_actions_and_purposes(org_a: Any) -> None:
    target = contact(org_a)
    with organisation_scope(org_a):
        with pytest.raises(ValueError, match="peek"):
            record(action="peek", target=target, purpose="security")
        with pytest.raises(ValueError, match="curiosity"):
            record(action=Action.READ, target=target, purpose="curiosity")
        assert AuditEvent.objects.count() == 0


def test_it_refuses_an_unsaved_or_odd_target(org_a: Any) -> None:
    with organisation_scope(org_a):
        with pytest.raises(ValueError, match="saved object"):
            record(action=Action.CREATE, target=OrganisationContact(), purpose="security")
        with pytest.raises(TypeError):
            record(action=Action.CREATE, target="tenancy.organisationcontact", purpose="security")


def test_it_records_a_read_of_sensitive_fields(org_a: Any, bob: Any, carla: Any) -> None:
    with organisation_scope(org_a):
        event = record_read(
            target=Target("candidates.profile", "p-1"),
            fields=["bsn"],
            purpose=Purpose.PAYMENTS,
            subject=carla,
            actor=membership_of(bob, org_a),
        )
        with pytest.raises(ValueError, match="Name the sensitive fields"):
            record_read(target=org_a, fields=[], purpose=Purpose.PAYMENTS)
    assert (event.action, event.fields, event.subject_user_id) == ("read", ["bsn"], carla.pk)


def failed_write(target: Any) -> None:
    try:
        with transaction.atomic():
            record(action=Action.DELETE, target=target, purpose="organisation_admin")
            raise RuntimeError("the write failed")
    except RuntimeError:
        pass


def test_it_rolls_the_event_back_with_the_write_it_describes(org_a: Any) -> None:
    target = contact(org_a)
    with organisation_scope(org_a):
        failed_write(target)
        assert AuditEvent.objects.count() == 0
        event = record(action=Action.DELETE, target=target, purpose="organisation_admin")
    audit_seal()
    assert reread(event).sequence == 1


def test_it_prunes_old_events_and_the_chain_still_verifies(org_a: Any) -> None:
    target = contact(org_a)
    with organisation_scope(org_a):
        for _ in range(4):
            record(action=Action.UPDATE, target=target, fields=["phone"], purpose="security")
    removed = audit_prune(before=timezone.now() + timedelta(seconds=1))
    assert removed == 4
    head = AuditChain.objects.get(pk=str(org_a.pk))
    assert head.base_sequence == 4
    remaining = list(AuditEvent.objects.unscoped().filter(chain=str(org_a.pk)))
    assert [(e.sequence, e.action, e.target_id) for e in remaining] == [(5, "prune", "4")]
    assert all(report.problem is None for report in verify_trail())
    with organisation_scope(org_a):
        later = record(action=Action.UPDATE, target=target, fields=["phone"], purpose="security")
    audit_seal()
    assert reread(later).sequence == 6
    assert all(report.problem is None for report in verify_trail())


def test_it_prunes_nothing_newer_than_the_cut_off(org_a: Any) -> None:
    with organisation_scope(org_a):
        record(action=Action.CREATE, target=contact(org_a), purpose="security")
    assert audit_prune(before=timezone.now() - timedelta(days=1)) == 0
    assert AuditChain.objects.get(pk=str(org_a.pk)).base_sequence == 0


def test_the_system_actor_is_the_default(org_a: Any) -> None:
    with acting_as(SYSTEM), organisation_scope(org_a):
        event = record(action=Action.CREATE, target=contact(org_a), purpose="security")
    assert event.actor_kind == "system"


@pytest.mark.postgres
def test_it_is_append_only_in_the_database_itself(org_a: Any) -> None:
    from django.db import connection

    with organisation_scope(org_a):
        event = record(action=Action.CREATE, target=contact(org_a), purpose="security")
    table = AuditEvent._meta.db_table
    for sql in [
        f"UPDATE {table} SET detail = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.unscoped().filter(pk=event.pk, detail="").exists()
