"""Reads never write (issue 10): no GET of any page changes the database.

Every GET of the authorisation matrix, for every kind of visitor, runs with a
watch on the SQL: an INSERT, UPDATE or DELETE fails the test, except the
writes named below, each with the reason it is allowed: on every page
(AUDIT_OF_READS), or on one route only (ROUTE_WRITES).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from passend.privacy.statement.models import StatementVersion
from tests.test_authorisation_matrix import (
    LIBRARY_ROUTES,
    ROUTES,
    VISITORS,
    _client,
    objects_of_a,
)

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)[`"]?', re.IGNORECASE)

# Reading personal data is itself recorded (P7, "who viewed my data"): a GET
# may append to the audit trail, on any page.
AUDIT_OF_READS = {
    "audit_auditevent": "the audit event of a read",
    "audit_auditchain": "the audit chain's head, moved by that event",
}

# Writes a GET makes by design, on one route only: (route name, table) -> why.
ROUTE_WRITES = {
    # The invitation e-mail's link, opened before signing in, keeps the token in
    # a new session, so that signing up or in afterwards joins the organisation.
    ("tenancy:invitation_accept", "django_session"): "the invitation token kept for sign-up",
    # The export's download link is single use (docs/rights.md): the GET that
    # hands over the zip deletes it and marks the job downloaded.
    ("rights:download", "rights_exportjob"): "the single-use download, used up",
    # A ranking shown is logged (AI Act Art. 12, docs/matching.md), and the
    # profiles or vacancies the index job has not reached yet are indexed first.
    **{
        (route, table): "the log of a ranking shown, and index rows not written yet"
        for route in ("matching:candidates", "matching:vacancies", "matching:for_me")
        for table in (
            "matching_ranking",
            "matching_rankingentry",
            "matching_candidateindex",
            "matching_vacancyindex",
            "matching_candidatevector",
        )
    },
}


@contextmanager
def writes_recorded(allowed: frozenset[str] = frozenset()) -> Iterator[list[str]]:
    """Collect every INSERT/UPDATE/DELETE on the default database, except to the
    audit trail and to the `allowed` tables."""
    found: list[str] = []

    def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        match = WRITE.match(sql)
        if match is not None:
            table = match.group(1).lower()
            if table not in AUDIT_OF_READS and table not in allowed:
                found.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield found


def get_routes() -> list[tuple[str, Any]]:
    return [
        (name, row)
        for table in (ROUTES, LIBRARY_ROUTES)
        for name, row in table.items()
        if row.get is not None
    ]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def test_it_watches_writes_so_this_test_can_fail(db: Any) -> None:
    with writes_recorded() as found, connection.cursor() as cursor:
        StatementVersion.objects.filter(major=99).update(minor=1)
        cursor.execute("DELETE FROM statement_statementversion WHERE major = 99")
        cursor.execute("SELECT COUNT(*) FROM statement_statementversion")
    assert [sql.split()[0] for sql in found] == ["UPDATE", "DELETE"]


def test_it_names_only_routes_that_exist() -> None:
    assert {route for route, _table in ROUTE_WRITES} <= set(ROUTES) | set(LIBRARY_ROUTES)


@pytest.mark.parametrize("visitor", VISITORS)
def test_it_writes_nothing_on_any_get(personas: Any, published_statement: Any, visitor: str
                                      ) -> None:  # fmt: skip
    # Given every object a route can point at, and a statement published before
    # the code last changed (a page that published the drift would INSERT)
    StatementVersion.objects.filter(pk=published_statement.pk).update(source_hash="0" * 64)
    objects = objects_of_a(personas)
    client = _client(personas, visitor)
    writes = []
    # When the visitor opens every page of the site
    for name, row in get_routes():
        url = reverse(name, kwargs=row.kwargs(objects) if row.kwargs else None)
        allowed = frozenset(table for (route, table) in ROUTE_WRITES if route == name)
        with writes_recorded(allowed) as found:
            client.get(url, row.data)
        writes += [f"GET {url}: {sql[:160]}" for sql in found]
    # Then nothing but the named exceptions was written
    assert writes == []
