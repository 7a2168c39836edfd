"""Concurrent writers get gap-free sequence numbers in one chain (PostgreSQL:
the chain head row is locked; SQLite serialises writers by itself)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from passend.privacy.audit.models import Action, AuditEvent
from passend.privacy.audit.selectors import verify_trail
from passend.privacy.audit.services import record
from passend.tenancy.models import OrganisationContact
from passend.tenancy.scope import organisation_scope

WRITERS = 6
EACH = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_numbers_concurrent_appends_without_gaps(org_a: Any) -> None:
    with organisation_scope(org_a):
        contact = OrganisationContact.objects.create(
            organisation=org_a, name="Contact", email="contact@example.test"
        )

    def write(_: int) -> list[int]:
        try:
            return [
                record(
                    action=Action.UPDATE,
                    target=contact,
                    fields=["phone"],
                    purpose="organisation_admin",
                    organisation=org_a,
                ).sequence
                for _ in range(EACH)
            ]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        sequences = [n for batch in pool.map(write, range(WRITERS)) for n in batch]
    assert sorted(sequences) == list(range(1, WRITERS * EACH + 1))
    stored = AuditEvent.objects.unscoped().filter(chain=str(org_a.pk)).count()
    assert stored == WRITERS * EACH
    assert all(report.problem is None for report in verify_trail())
