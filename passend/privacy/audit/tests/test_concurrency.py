"""Concurrent writers of one organisation: they never wait for each other's
transactions, and sealing still gives the chain gap-free numbers (PostgreSQL;
SQLite serialises writers by itself)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, transaction

from passend.common.scope import organisation_scope
from passend.privacy.audit.models import Action, AuditChain, AuditEvent
from passend.privacy.audit.selectors import verify_trail
from passend.privacy.audit.services import audit_seal, record
from passend.tenancy.models import OrganisationContact

WRITERS = 6
EACH = 20
WAIT = 5.0  # seconds; far longer than an append takes


def new_contact(org: Any) -> OrganisationContact:
    with organisation_scope(org):
        return OrganisationContact.objects.create(
            organisation=org, name="Contact", email="contact@example.test"
        )


def update(contact: OrganisationContact, org: Any) -> AuditEvent:
    return record(
        action=Action.UPDATE,
        target=contact,
        fields=["phone"],
        purpose="organisation_admin",
        organisation=org,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_numbers_concurrent_appends_without_gaps(org_a: Any) -> None:
    contact = new_contact(org_a)

    def write(_: int) -> list[int]:
        try:
            return [update(contact, org_a).pk for _ in range(EACH)]
        finally:
            connection.close()

    def seal(_: int) -> int:
        try:
            return audit_seal(batch=7)
        finally:
            connection.close()

    # Sealers run alongside the writers and each other: they take turns per chain.
    with ThreadPoolExecutor(max_workers=WRITERS + 2) as pool:
        writes = [pool.submit(write, n) for n in range(WRITERS)]
        seals = [pool.submit(seal, n) for n in range(4)]
        ids = [pk for future in writes for pk in future.result()]
        sealed_alongside = sum(future.result() for future in seals)
    sealed_after = audit_seal()
    assert sealed_alongside + sealed_after == WRITERS * EACH
    events = AuditEvent.objects.unscoped().filter(chain=str(org_a.pk))
    assert sorted(events.values_list("id", flat=True)) == sorted(ids)
    sequences = sorted(events.values_list("sequence", flat=True))
    assert sequences == list(range(1, WRITERS * EACH + 1))
    assert AuditChain.objects.get(pk=str(org_a.pk)).sequence == WRITERS * EACH
    assert all(report.problem is None for report in verify_trail())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_a_writer_record_while_another_writers_transaction_is_open(org_a: Any) -> None:
    """Before sealing existed, the second writer waited on the chain's head row
    until the first writer's transaction (a whole request) ended."""
    first_contact, second_contact = new_contact(org_a), new_contact(org_a)
    recorded = threading.Event()
    second_done = threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                update(first_contact, org_a)
                recorded.set()
                # The rest of a long request: its transaction stays open.
                outcome["second finished meanwhile"] = second_done.wait(WAIT)
        finally:
            connection.close()

    def second() -> None:
        try:
            recorded.wait(WAIT)
            with transaction.atomic():
                update(second_contact, org_a)
            second_done.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcome["second finished meanwhile"] is True
    assert audit_seal() == 2
    assert all(report.problem is None for report in verify_trail())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_seals_an_event_that_commits_late_behind_those_sealed_before(org_a: Any) -> None:
    early_contact, late_contact = new_contact(org_a), new_contact(org_a)
    recorded = threading.Event()
    sealed = threading.Event()
    ids: dict[str, int] = {}

    def slow_request() -> None:
        try:
            with transaction.atomic():
                ids["late"] = update(late_contact, org_a).pk  # the lower id
                recorded.set()
                sealed.wait(WAIT)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_request)
    thread.start()
    recorded.wait(WAIT)
    ids["early"] = update(early_contact, org_a).pk  # autocommit: committed at once
    assert audit_seal() == 1  # the open transaction's event is not visible yet
    sealed.set()
    thread.join()
    assert audit_seal() == 1
    assert ids["late"] < ids["early"]
    position = dict(
        AuditEvent.objects.unscoped().filter(chain=str(org_a.pk)).values_list("id", "sequence")
    )
    assert (position[ids["early"]], position[ids["late"]]) == (1, 2)
    assert all(report.problem is None for report in verify_trail())
