"""Helpers for tampering with the audit trail the way an attacker with SQL would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from passend.privacy.audit.models import AuditEvent

TABLE = AuditEvent._meta.db_table


def tamper_sql(sql: str, params: list[Any] | None = None) -> None:
    """Run raw SQL against the audit table, past the PostgreSQL trigger if there is one.

    Disabling the trigger is part of the test's transaction and rolled back with it.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql.replace("{table}", TABLE), params or [])
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_event_append_only")


@pytest.fixture
def tamper() -> Callable[..., None]:
    return tamper_sql
