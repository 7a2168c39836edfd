"""Candidate embeddings: in-process with numpy, or in PostgreSQL with pgvector.

The embedded default keeps each candidate's embedding in `CandidateIndex.vector`
(unit-length float32 bytes) and compares them in-process. On PostgreSQL with
the `vector` extension installed (migration 0002 installs it when the server
offers it), a mirror table `matching_candidatevector` holds the same
embeddings as a pgvector column, written by `sync` in the transaction that
writes the index rows, and read by `cosines` and `nearest`. Both paths give
the same cosines, ids and order (tested where the extension exists).

The mirror has no foreign key: the test runner empties tables with a TRUNCATE
that names Django's tables only, which PostgreSQL refuses while another table
references one of them. Triggers on the index keep it in step instead: a
deleted index row (deleted with its profile) deletes its embedding, a
TRUNCATE empties the mirror, and a changed `vector` clears the embedding
until `sync` writes the new one (a writer that does not sync leaves it empty,
never stale). Searches are exact (no HNSW index: its approximate answers
would differ from the in-process ones); `organisation_id` is indexed, so a
query scans one organisation's rows. `settings.MATCHING_VECTOR_BACKEND`
chooses: "auto" (pgvector when available, else numpy) or "numpy".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from passend.common.scope import ScopeError, current_organisation
from passend.matching.models import CandidateIndex

logger = logging.getLogger(__name__)

TABLE = "matching_candidatevector"
DIMENSIONS = 512
PGVECTOR = "pgvector"
NUMPY = "numpy"
AUTO = "auto"
BACKFILL_BATCH = 1000
# Rows multiplied at once by the in-process `nearest` (4,096 x 512 floats: 8 MB).
BLOCK = 4096

_lock = threading.Lock()
_available: dict[tuple[str, str], bool] = {}

_AVAILABLE = (
    "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') "
    "AND to_regclass('matching_candidatevector') IS NOT NULL"
)
_OFFERED = "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')"
_CREATE = """
CREATE TABLE IF NOT EXISTS matching_candidatevector (
    profile_id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL,
    embedding vector(512)
);
CREATE INDEX IF NOT EXISTS matching_candidatevector_organisation
    ON matching_candidatevector (organisation_id);
CREATE OR REPLACE FUNCTION matching_candidatevector_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM matching_candidatevector;
        RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM matching_candidatevector WHERE profile_id = OLD.profile_id;
        RETURN OLD;
    END IF;
    IF NEW.vector IS DISTINCT FROM OLD.vector
        OR NEW.organisation_id IS DISTINCT FROM OLD.organisation_id
        OR NEW.profile_id IS DISTINCT FROM OLD.profile_id THEN
        DELETE FROM matching_candidatevector WHERE profile_id = OLD.profile_id;
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS matching_candidatevector_rows ON matching_candidateindex;
CREATE TRIGGER matching_candidatevector_rows
    AFTER UPDATE OR DELETE ON matching_candidateindex
    FOR EACH ROW EXECUTE FUNCTION matching_candidatevector_follow();
DROP TRIGGER IF EXISTS matching_candidatevector_truncate ON matching_candidateindex;
CREATE TRIGGER matching_candidatevector_truncate
    AFTER TRUNCATE ON matching_candidateindex
    FOR EACH STATEMENT EXECUTE FUNCTION matching_candidatevector_follow();
"""
_DROP = """
DROP TABLE IF EXISTS matching_candidatevector;
DROP FUNCTION IF EXISTS matching_candidatevector_follow() CASCADE;
"""
_UPSERT = (
    "INSERT INTO matching_candidatevector (profile_id, organisation_id, embedding) "
    "VALUES (%s::uuid, %s::uuid, %s::vector) "
    "ON CONFLICT (profile_id) DO UPDATE SET "
    "organisation_id = EXCLUDED.organisation_id, embedding = EXCLUDED.embedding"
)
_BACKFILL = (
    "SELECT profile_id, organisation_id, vector FROM matching_candidateindex "
    "WHERE profile_id > %s::uuid ORDER BY profile_id LIMIT %s"
)
_COSINES = (
    "SELECT profile_id, 1 - (embedding <=> %s::vector) FROM matching_candidatevector "
    "WHERE organisation_id = %s::uuid AND profile_id = ANY(%s::uuid[]) "
    "AND embedding IS NOT NULL"
)
_NEAREST = (
    "SELECT profile_id, 1 - (embedding <=> %s::vector) FROM matching_candidatevector "
    "WHERE organisation_id = %s::uuid AND embedding IS NOT NULL "
    "ORDER BY embedding <=> %s::vector, profile_id LIMIT %s"
)


def _default() -> BaseDatabaseWrapper:
    return connections[router.db_for_write(CandidateIndex)]


def forget() -> None:
    """Ask the database again (after the extension or the table came or went)."""
    with _lock:
        _available.clear()


def pgvector_available(connection: BaseDatabaseWrapper | None = None) -> bool:
    """PostgreSQL with the `vector` extension installed and the mirror table
    present; asked once per connection alias and database."""
    connection = connection or _default()
    if connection.vendor != "postgresql":
        return False
    key = (connection.alias, str(connection.settings_dict.get("NAME")))
    with _lock:
        known = _available.get(key)
    if known is not None:
        return known
    with connection.cursor() as cursor:
        cursor.execute(_AVAILABLE)
        found = bool(cursor.fetchone()[0])
    with _lock:
        _available[key] = found
    return found


def backend(connection: BaseDatabaseWrapper | None = None) -> str:
    """ "pgvector" or "numpy", as `settings.MATCHING_VECTOR_BACKEND` and the database allow."""
    choice = getattr(settings, "MATCHING_VECTOR_BACKEND", AUTO) or AUTO
    if choice == NUMPY:
        return NUMPY
    if choice != AUTO:
        raise ImproperlyConfigured(
            f"MATCHING_VECTOR_BACKEND is {choice!r}; it must be {AUTO!r} or {NUMPY!r}."
        )
    return PGVECTOR if pgvector_available(connection) else NUMPY


def _literal(vector: Any) -> str | None:
    """pgvector's text form of a 512-d vector ('[0.1,-0.2,...]'); None if it is not one."""
    row = np.asarray(vector, dtype=np.float32).ravel()
    if row.shape != (DIMENSIONS,) or not np.isfinite(row).all():
        return None
    # str() of a float32 is its shortest round-trip form; pgvector reads it back exactly.
    return "[" + ",".join(str(value) for value in row) + "]"


def _blob_literal(blob: Any) -> str | None:
    data = bytes(blob or b"")
    if len(data) != DIMENSIONS * 4:
        return None
    return _literal(np.frombuffer(data, dtype=np.float32))


def _in_scope(organisation_id: Any) -> None:
    """Raw SQL passes no ScopedManager: the organisation must be the scope's."""
    if str(current_organisation().pk) != str(organisation_id):
        raise ScopeError("Vectors of another organisation than the scope's were asked for.")


def sync(rows: Iterable[Any], connection: BaseDatabaseWrapper | None = None) -> int:
    """Mirror the embeddings of `CandidateIndex` rows (anything with
    `profile_id`, `organisation_id` and `vector`) into pgvector (a no-op without it);
    answers how many rows were written. A row without a 512-d embedding
    (model-free mode, another encoder) gets an empty one."""
    connection = connection or _default()
    if not pgvector_available(connection):
        return 0
    params = [
        (str(row.profile_id), str(row.organisation_id), _blob_literal(row.vector)) for row in rows
    ]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(_UPSERT, params)
    return len(params)


def cosines(
    organisation_id: Any,
    vector: Any,
    profile_ids: Sequence[Any],
    *,
    using: str | None = None,
) -> np.ndarray | None:
    """The cosine of `vector` with each profile's embedding, in the order of
    `profile_ids` (nan where a profile has none), computed by pgvector; None
    when the backend is numpy (the caller multiplies in-process)."""
    if using is None:
        using = backend()
    literal = _literal(vector) if using == PGVECTOR else None
    if literal is None:
        return None
    _in_scope(organisation_id)
    out = np.full(len(profile_ids), np.nan, dtype=np.float32)
    if not profile_ids:
        return out
    position = {str(pk): i for i, pk in enumerate(profile_ids)}
    with _default().cursor() as cursor:
        cursor.execute(_COSINES, [literal, str(organisation_id), list(position)])
        for pk, cosine in cursor.fetchall():
            out[position[str(pk)]] = cosine
    return out


def _numpy_nearest(organisation_id: Any, query: np.ndarray, k: int) -> list[tuple[Any, float]]:
    rows = [
        (pk, bytes(blob or b""))
        for pk, blob in CandidateIndex.objects.filter(organisation_id=organisation_id)
        .order_by("profile_id")
        .values_list("profile_id", "vector")
        .iterator(chunk_size=5000)
    ]
    rows = [(pk, blob) for pk, blob in rows if len(blob) == query.size * 4]
    if not rows:
        return []
    matrix = np.frombuffer(b"".join(blob for _pk, blob in rows), dtype=np.float32)
    matrix = matrix.reshape(len(rows), query.size)
    # Row by row the same sums (a matrix product may add rows up differently, so
    # two equal embeddings could score a hair apart and lose their tie order).
    dots = np.concatenate(
        [(matrix[i : i + BLOCK] * query).sum(axis=1) for i in range(0, len(rows), BLOCK)]
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = dots / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(query))
    known = np.flatnonzero(np.isfinite(scores))
    # Best first; equal scores by profile id, as PostgreSQL orders them.
    order = known[np.argsort(-scores[known], kind="stable")][:k]
    return [(rows[i][0], float(scores[i])) for i in order]


def nearest(
    organisation_id: Any, vector: Any, k: int, *, using: str | None = None
) -> list[tuple[Any, float]]:
    """The organisation's k candidates whose embeddings are nearest `vector`,
    as (profile id, cosine), best first: by pgvector when the backend is
    pgvector, else in-process over the organisation's index rows."""
    _in_scope(organisation_id)
    if k <= 0:
        return []
    if using is None:
        using = backend()
    query = np.asarray(vector, dtype=np.float32).ravel()
    literal = _literal(query) if using == PGVECTOR else None
    if literal is None:
        return _numpy_nearest(organisation_id, query, k)
    with _default().cursor() as cursor:
        cursor.execute(_NEAREST, [literal, str(organisation_id), literal, k])
        return [(pk, float(cosine)) for pk, cosine in cursor.fetchall()]


def install(connection: BaseDatabaseWrapper) -> bool:
    """For migration 0002: on PostgreSQL that offers `vector`, install it,
    create the mirror and fill it from the index. Never fails a migrate: a
    server without the extension (or a role that may not create it) keeps the
    numpy path. Answers whether the mirror exists."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(_OFFERED)
        if not cursor.fetchone()[0]:
            logger.info("pgvector is not available on this PostgreSQL; matching stays in-process.")
            return False
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
        except DatabaseError as error:
            logger.warning(
                "pgvector could not be installed (%s); matching stays in-process.", error
            )
            return False
        cursor.execute(_CREATE)
    forget()
    _backfill(connection)
    return True


def _backfill(connection: BaseDatabaseWrapper) -> None:
    after = "00000000-0000-0000-0000-000000000000"
    while True:
        with connection.cursor() as cursor:
            cursor.execute(_BACKFILL, [after, BACKFILL_BATCH])
            batch = cursor.fetchall()
            if not batch:
                return
            cursor.executemany(
                _UPSERT, [(str(p), str(o), _blob_literal(blob)) for p, o, blob in batch]
            )
        after = str(batch[-1][0])


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Drop the mirror (the extension stays: something else may use it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_DROP)
    forget()
