"""Embedding search: in-process (numpy) everywhere, pgvector on PostgreSQL
where the extension is installed, with the same results (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from passend.candidates.models import CandidateProfile
from passend.candidates.services import candidate_profile_ensure
from passend.common.scope import ScopeError, organisation_scope
from passend.matching import engine, services, vectors
from passend.matching.models import CandidateIndex, VacancyIndex
from passend.matching.tests import test_engine
from passend.tenancy.models import Membership, Role

# The ranking fixtures of test_engine (ESCO's compact test folder, a baker
# vacancy and three candidates), shared rather than copied.
esco = test_engine.esco
world = test_engine.world
World = test_engine.World

NO_PGVECTOR = (
    "pgvector is not installed on this PostgreSQL (Debian bookworm has no postgresql-15-pgvector)"
)
DIMS = vectors.DIMENSIONS


def _unit(rng: np.random.Generator) -> np.ndarray:
    row = rng.standard_normal(DIMS).astype(np.float32)
    return row / np.linalg.norm(row)


def _profile(org: Any, django_user_model: Any, email: str) -> CandidateProfile:
    user = django_user_model.objects.create_user(email, None, name=email.split("@")[0])
    member = Membership.objects.create(organisation=org, user=user, role=Role.CANDIDATE)
    return candidate_profile_ensure(membership=member)


def _indexed(profile: CandidateProfile, vector: np.ndarray | None) -> CandidateIndex:
    row, _created = CandidateIndex.objects.update_or_create(
        profile=profile,
        defaults={
            "organisation_id": profile.organisation_id,
            "vector": b"" if vector is None else vector.astype(np.float32).tobytes(),
            "model_id": "test",
            "features": {},
            "indexed_at": timezone.now(),
        },
    )
    vectors.sync([row])
    return row


@dataclass
class People:
    org: Any
    vectors: dict[Any, np.ndarray]  # profile id -> embedding (organisation A)
    empty: Any  # a profile of A without an embedding
    elsewhere: Any  # a profile of organisation B


@pytest.fixture
def people(personas: Any, django_user_model: Any) -> People:
    """Eleven candidates of organisation A with random embeddings (two of them
    equal, a tie), one without, and one of organisation B."""
    rng = np.random.default_rng(14)
    org = personas.organisations["a"]
    stored: dict[Any, np.ndarray] = {}
    with organisation_scope(org):
        for i in range(10):
            profile = _profile(org, django_user_model, f"vec{i}@example.org")
            stored[profile.pk] = _unit(rng)
            _indexed(profile, stored[profile.pk])
        twin = _profile(org, django_user_model, "twin@example.org")
        stored[twin.pk] = next(iter(stored.values())).copy()
        _indexed(twin, stored[twin.pk])
        empty = _profile(org, django_user_model, "novec@example.org")
        _indexed(empty, None)
    other = personas.organisations["b"]
    with organisation_scope(other):
        elsewhere = _profile(other, django_user_model, "vec-b@example.org")
        _indexed(elsewhere, _unit(rng))
    return People(org=org, vectors=stored, empty=empty.pk, elsewhere=elsewhere.pk)


def _brute_force(people: People, query: np.ndarray, k: int) -> list[tuple[Any, float]]:
    scored = []
    for pk, row in people.vectors.items():
        a, b = row.astype(np.float64), query.astype(np.float64)
        scored.append((pk, float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:k]


def _same(found: list[tuple[Any, float]], expected: list[tuple[Any, float]]) -> None:
    assert [pk for pk, _s in found] == [pk for pk, _s in expected]
    assert [s for _pk, s in found] == pytest.approx([s for _pk, s in expected], abs=1e-5)


@pytest.mark.parametrize("k", [1, 5, 11, 50])
def test_nearest_in_process_is_the_brute_force_ranking(people: People, k: int) -> None:
    query = _unit(np.random.default_rng(k))
    expected = _brute_force(people, query, k)
    with organisation_scope(people.org):
        _same(vectors.nearest(people.org.pk, query, k, using=vectors.NUMPY), expected)
        # The configured backend (pgvector where installed) gives the same.
        _same(vectors.nearest(people.org.pk, query, k), expected)
    ids = [pk for pk, _s in expected]
    assert people.empty not in ids
    assert people.elsewhere not in ids


def test_nearest_breaks_ties_by_profile_id(people: People) -> None:
    first = next(iter(people.vectors.values()))
    tied = sorted(pk for pk, row in people.vectors.items() if np.array_equal(row, first))
    assert len(tied) == 2
    with organisation_scope(people.org):
        found = vectors.nearest(people.org.pk, first, 2, using=vectors.NUMPY)
    assert [pk for pk, _s in found] == tied
    assert [s for _pk, s in found] == pytest.approx([1.0, 1.0], abs=1e-5)


def test_nearest_asks_nothing_for_none_and_keeps_to_the_scope(people: People) -> None:
    query = _unit(np.random.default_rng(1))
    with organisation_scope(people.org):
        assert vectors.nearest(people.org.pk, query, 0) == []
        with pytest.raises(ScopeError):
            vectors.nearest(people.elsewhere, query, 3)
    with pytest.raises(ScopeError):
        vectors.nearest(people.org.pk, query, 3)


def test_nearest_skips_vectors_of_another_size(people: People) -> None:
    with organisation_scope(people.org):
        assert vectors.nearest(people.org.pk, np.ones(8, dtype=np.float32), 3) == []


def test_without_pgvector_the_numpy_path_is_used(db: Any) -> None:
    if connection.vendor == "postgresql" and vectors.pgvector_available(connection):
        pytest.skip("pgvector is installed here")
    assert vectors.pgvector_available(connection) is False
    assert vectors.backend() == vectors.NUMPY
    assert vectors.sync([]) == 0
    query = np.ones(DIMS, dtype=np.float32)
    assert vectors.cosines("any organisation", query, ["any profile"]) is None


def test_pgvector_is_never_available_on_sqlite(db: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite pass checks this")
    vectors.forget()
    assert vectors.pgvector_available(connection) is False
    assert vectors.pgvector_available() is False
    assert vectors.install(connection) is False
    vectors.uninstall(connection)  # nothing to drop, no error


def test_the_setting_chooses_the_backend(db: Any, settings: Any) -> None:
    settings.MATCHING_VECTOR_BACKEND = "numpy"
    assert vectors.backend() == vectors.NUMPY
    settings.MATCHING_VECTOR_BACKEND = "auto"
    expected = vectors.PGVECTOR if vectors.pgvector_available() else vectors.NUMPY
    assert vectors.backend() == expected
    settings.MATCHING_VECTOR_BACKEND = "faiss"
    with pytest.raises(ImproperlyConfigured, match="MATCHING_VECTOR_BACKEND"):
        vectors.backend()


def test_the_vector_literal_is_pgvectors_text_form() -> None:
    row = np.zeros(DIMS, dtype=np.float32)
    row[0], row[1] = 0.1, -2.5e-6
    literal = vectors._literal(row)
    assert literal is not None
    values = np.array(literal.strip("[]").split(","), dtype=np.float32)
    assert np.array_equal(values, row)  # read back exactly
    assert vectors._literal(np.ones(3)) is None
    assert vectors._literal(np.full(DIMS, np.nan)) is None
    assert vectors._blob_literal(b"") is None
    assert vectors._blob_literal(row.tobytes()) == literal


# --- PostgreSQL with pgvector: the same answers as in-process ---


@pytest.fixture
def pgvector(db: Any) -> None:
    vectors.forget()
    if not vectors.pgvector_available(connection):
        pytest.skip(NO_PGVECTOR)


@pytest.mark.postgres
def test_pgvector_nearest_and_cosines_equal_the_numpy_path(pgvector: None, people: People) -> None:
    rng = np.random.default_rng(7)
    ids = [*people.vectors, people.empty, people.elsewhere]
    with organisation_scope(people.org):
        for _ in range(3):
            query = _unit(rng)
            for k in (1, 4, 20):
                in_db = vectors.nearest(people.org.pk, query, k, using=vectors.PGVECTOR)
                _same(in_db, vectors.nearest(people.org.pk, query, k, using=vectors.NUMPY))
                _same(in_db, _brute_force(people, query, k))
            cosine = vectors.cosines(people.org.pk, query, ids, using=vectors.PGVECTOR)
            assert cosine is not None
            expected = [float(people.vectors[pk] @ query) for pk in people.vectors]
            assert cosine[: len(expected)] == pytest.approx(expected, abs=1e-5)
            # no embedding, and another organisation's: nan
            assert np.isnan(cosine[-2:]).all()
            assert vectors.cosines(people.org.pk, query, [], using=vectors.PGVECTOR).size == 0
            assert vectors.cosines(people.org.pk, query, ids, using=vectors.NUMPY) is None


@pytest.mark.postgres
def test_the_mirror_follows_the_index(pgvector: None, people: People) -> None:
    def mirrored() -> set[Any]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT profile_id FROM matching_candidatevector WHERE embedding IS NOT NULL"
            )
            return {row[0] for row in cursor.fetchall()}

    assert set(people.vectors) | {people.elsewhere} <= mirrored()
    assert people.empty not in mirrored()
    gone, changed = list(people.vectors)[:2]
    with organisation_scope(people.org):
        CandidateProfile.objects.filter(pk=gone).delete()
        # A writer that changes the vector without `sync` leaves no stale embedding.
        CandidateIndex.objects.filter(profile_id=changed).update(vector=b"")
    assert gone not in mirrored()
    assert changed not in mirrored()


@pytest.mark.postgres
def test_rankings_are_the_same_with_pgvector_and_numpy(
    pgvector: None, world: World, settings: Any
) -> None:
    def ranked() -> tuple[list[Any], list[float], np.ndarray]:
        engine.forget_pools()
        with organisation_scope(world.org):
            result = services.rank_candidates(world.vacancy, log=False)
            row = VacancyIndex.objects.get(vacancy=world.vacancy)
            pool = engine.candidate_pool(world.org.pk)
            vector = engine.stored_vector(row)
            text = engine.score_candidates(row.features, vector, pool)["text"]
            # The mirror was filled when the ranking indexed the candidates: pgvector
            # answers for every one with an embedding (no in-process fallback).
            cosine = vectors.cosines(world.org.pk, vector, pool.ids, using=vectors.PGVECTOR)
            assert cosine is not None
            assert not np.isnan(cosine[pool.has_vector]).any()
        return [m.candidate_id for m in result.matches], [m.score for m in result.matches], text

    settings.MATCHING_VECTOR_BACKEND = "numpy"
    ids, scores, text = ranked()
    settings.MATCHING_VECTOR_BACKEND = "auto"
    assert vectors.backend() == vectors.PGVECTOR
    pg_ids, pg_scores, pg_text = ranked()

    assert pg_ids == ids
    assert pg_scores == pytest.approx(scores, abs=1e-4)
    np.testing.assert_allclose(pg_text, text, atol=1e-5)
    assert np.isfinite(text).any()
