"""The lists read their page in the order of an index, at 100,000 candidates.

Issue 12: the candidate list, the API's list and the caseload sorted the whole
organisation on the user's name (across a join) for every page, and counted
it for the paginator. Now they order by a stored key (`sort_name`) with
indexes that match each list's filter and order. This test fills an
organisation with 100,000 candidates in SQL, runs ANALYZE, renders each list
page, and reads the PostgreSQL plan (EXPLAIN, FORMAT JSON) of every query the
page ran on the profiles or memberships: none sorts rows it read by scanning
one of those tables, and the pages' rows are never found by a sequential scan.
It checks the plans' structure, never timings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passend.candidates.models import CandidateProfile
from passend.candidates.services import candidate_profile_ensure
from passend.coaching.models import ActionPlan, Trajectory, TrajectoryStatus
from passend.common.scope import organisation_scope
from passend.tenancy.models import Membership

# Transactional: VACUUM (which cannot run in a transaction) sets the visibility
# map, as autovacuum does on a live database, so that counts may read indexes only.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CANDIDATES = 100_000
BOBS_CANDIDATES = 400
PROFILES = CandidateProfile._meta.db_table
MEMBERSHIPS = Membership._meta.db_table
LISTED = {PROFILES, MEMBERSHIPS}
BULK = "bulk-plan-"


def _clone(model: Any, template_pk: Any, source: str, overrides: dict[str, str | None]) -> None:
    """Insert one row per row of `source` (SQL, aliased `s`), copying the
    template row's columns except those overridden (None: left to its default)."""
    table = model._meta.db_table
    quote = connection.ops.quote_name
    columns = [
        f.column
        for f in model._meta.local_concrete_fields
        if f.column not in overrides or overrides[f.column] is not None
    ]
    values = [overrides.get(column) or f"t.{quote(column)}" for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
            f"SELECT {', '.join(values)} FROM {quote(table)} t CROSS JOIN ({source}) s "
            f"WHERE t.{quote(model._meta.pk.column)} = %s",
            [template_pk],
        )


@pytest.fixture
def large_organisation(personas: Any) -> Any:
    """Organisation A with 100,000 more candidates, each with a profile; bob is
    the career advisor of a current trajectory of 400 of them."""
    org = personas.organisations["a"]
    carla = personas.memberships["carla"]
    bob = personas.memberships["bob"]
    user_model = carla.user.__class__
    with organisation_scope(org):
        profile = candidate_profile_ensure(membership=carla)
        trajectory = Trajectory.objects.create(
            organisation=org,
            candidate=profile,
            goal="Work in logistics",
            status=TrajectoryStatus.ACTIVE,
            start_date=date(2026, 1, 1),
            professional=bob,
        )
        ActionPlan.objects.create(organisation=org, trajectory=trajectory)
    # Names in no order of insertion: md5 of the row number.
    _clone(
        user_model,
        carla.user_id,
        f"SELECT n FROM generate_series(1, {CANDIDATES}) AS n",
        {
            "id": None,
            "email": f"'{BULK}' || s.n || '@example.test'",
            "name": "'Kandidaat ' || md5(s.n::text)",
        },
    )
    _clone(
        Membership,
        carla.pk,
        f"SELECT id AS user_id, name FROM {user_model._meta.db_table} WHERE email LIKE '{BULK}%%'",
        {"id": "gen_random_uuid()", "user_id": "s.user_id", "sort_name": "lower(s.name)"},
    )
    _clone(
        CandidateProfile,
        profile.pk,
        f"SELECT id AS membership_id, sort_name FROM {MEMBERSHIPS} "
        f"WHERE sort_name LIKE 'kandidaat %%'",
        {
            "id": "gen_random_uuid()",
            "membership_id": "s.membership_id",
            "sort_name": "s.sort_name",
            "first_name": "''",
            "last_name": "''",
            "bsn_index": "NULL",
        },
    )
    _clone(
        Trajectory,
        trajectory.pk,
        f"SELECT id AS candidate_id FROM {PROFILES} WHERE sort_name LIKE 'kandidaat %%' "
        f"ORDER BY id LIMIT {BOBS_CANDIDATES}",
        {"id": "gen_random_uuid()", "candidate_id": "s.candidate_id"},
    )
    with connection.cursor() as cursor:
        for table in (user_model._meta.db_table, MEMBERSHIPS, PROFILES, Trajectory._meta.db_table):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
    with organisation_scope(org):
        assert CandidateProfile.objects.count() > CANDIDATES
    return org


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _seq_scanned(plan: dict[str, Any]) -> set[str]:
    return {
        node["Relation Name"]
        for node in _nodes(plan)
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in LISTED
    }


def _plan_of(sql: str) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (row,) = cursor.fetchall()
    document = row[0] if not isinstance(row[0], str) else json.loads(row[0])
    return document[0]["Plan"]


def _problems(sql: str) -> list[str]:
    """What is wrong with a query's plan: a (full) sort over rows read by a
    sequential scan of the profiles or memberships, or such a scan at all."""
    plan = _plan_of(sql)
    found = []
    for node in _nodes(plan):
        if node["Node Type"] == "Sort" and _seq_scanned(node):
            found.append(f"sorts a sequential scan of {sorted(_seq_scanned(node))}")
    if _seq_scanned(plan):
        found.append(f"scans {sorted(_seq_scanned(plan))} sequentially")
    return found


def _listed_queries(client: Any, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    listed = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and any(f'"{table}"' in q["sql"] for table in LISTED)
    ]
    assert listed, f"{url} ran no query on the candidates"
    return listed


# Every list page and its counts (one organisation filled once: a test each
# would fill it again).
PAGES = [
    "candidates:list",
    "candidates:list?page=3",
    "/api/v1/candidates?page_size=50",
    "/api/v1/candidates?page=4",
    "coaching:caseload",
    "coaching:caseload?mine=1",
    "coaching:caseload?page=2",
    "coaching:caseload?mine=1&sort=next_appointment",
    "web:home",
    # The forms that offer the organisation's career advisors.
    "/coaching/candidates/{carla}/",
    "/coaching/candidates/{carla}/trajectories/new/",
]


def _url(page: str, carla: Any = None) -> str:
    if page.startswith("/"):
        return page.format(carla=carla)
    name, _sep, query = page.partition("?")
    return reverse(name) + (f"?{query}" if query else "")


def test_it_reads_each_list_page_and_its_counts_through_indexes(large_organisation, as_persona):
    """The first visit computes the organisation's totals once (one pass, then
    cached: passend.candidates.counts) and sorts nothing; every later visit
    reads its page, and any count it still makes, through indexes only."""
    bob = as_persona("bob", "a")
    with organisation_scope(large_organisation):
        carla = CandidateProfile.objects.get(membership__user__email="carla@passend.test").pk
    first: dict[str, list[str]] = {}
    totals = 0
    for page in PAGES:
        for sql in _listed_queries(bob, _url(page, carla)):
            totals += 'AS "with_profile"' in sql  # selectors.listed_counts
            if sorts := [p for p in _problems(sql) if p.startswith("sorts")]:
                first[f"{page}: {sql}"] = sorts
    assert not first, "\n\n".join(f"{p}\n  {sql}" for sql, p in first.items())
    assert totals == 1, "the organisation's totals are counted once, then cached"

    wrong: dict[str, list[str]] = {}
    for page in PAGES:
        for sql in _listed_queries(bob, _url(page, carla)):
            if problems := _problems(sql):
                wrong[f"{page}: {sql}"] = problems
    assert not wrong, "\n\n".join(f"{p}\n  {sql}" for sql, p in wrong.items())
