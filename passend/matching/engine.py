"""The matching engine: vacancy -> ranked candidates, candidate -> ranked vacancies.

Each of eight signals (passend.matching.features.SIGNALS) gives a score from
0 to 1, or "unknown" when the data it needs is missing. The total is the
weighted sum, where an unknown signal counts for UNKNOWN_CREDIT of its weight,
so a thin profile ranks below a rich one without being ruled out. Scores are
computed for the whole organisation at once with numpy and scipy over an
in-process pool built from the index (the embedded default; see
docs/matching.md for pgvector), then the best are checked against the
restriction gate in one query and explained.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Max
from scipy import sparse

from passend.candidates.models import CandidateProfile
from passend.common.scope import current_organisation
from passend.matching import vectors
from passend.matching.features import SIGNAL_KEYS, WEIGHTS
from passend.matching.index import (
    index_candidates,
    index_vacancies,
    missing_candidates,
    missing_vacancies,
)
from passend.matching.models import CandidateIndex, VacancyIndex
from passend.matching.taxonomy import taxonomy
from passend.privacy.restriction.gate import ProcessingPurpose, exclude_blocked
from passend.taxonomy.encoder import get_encoder
from passend.tenancy.models import Role
from passend.vacancies.models import Vacancy, VacancyStatus

UNKNOWN_CREDIT = 0.25
# Cosines of the sentence encoder between unrelated texts sit near this floor.
TEXT_FLOOR = 0.15
TEXT_SPAN = 0.6
EXPERIENCE_FULL_YEARS = 3.0
RELATED_OCCUPATION = 0.5
NEAR_KM = 5.0
DEFAULT_MAX_KM = 40.0
# Index rows created in-line when a pool finds profiles the job has not indexed yet.
INLINE_INDEX_LIMIT = 2000
MISSING_CHECK_SECONDS = 60
# The best this many are checked against the gate before the shown top is taken.
SHORTLIST_FACTOR = 5


@dataclass
class Pool:
    """One side of the matching, for one organisation, as arrays."""

    ids: list[Any]
    version: str
    vectors: np.ndarray | None  # (n, d) float32, zero rows where missing
    has_vector: np.ndarray
    # Kept for vacancies (few); a candidate pool reads the shown ones' features
    # when it explains them (a dict per candidate would cost 1 GB at 100,000).
    features: list[dict] | None
    skills: sparse.csr_matrix  # n x skill pk (weights)
    occupations: sparse.csr_matrix  # n x occupation pk (years; 1 for a vacancy's)
    wanted: sparse.csr_matrix  # n x occupation pk (candidates' wishes)
    education: np.ndarray  # rank, nan unknown
    hours: np.ndarray  # nan unknown
    hours_min: np.ndarray
    hours_max: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    max_km: np.ndarray
    remote: np.ndarray
    missing_checked: float = field(default_factory=time.monotonic)
    version_checked: float = field(default_factory=time.monotonic)
    position: dict[Any, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.position = {pk: i for i, pk in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)


def _csr(rows: list[dict[str, float]], width: int) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for row in rows:
        for key, value in row.items():
            column = int(key)
            if 0 <= column < width:
                indices.append(column)
                data.append(float(value))
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices), np.asarray(indptr)),
        shape=(len(rows), width),
    )


def _floats(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float32)


def _build(rows: list[tuple[Any, bytes, dict]], version: str, *, candidates: bool) -> Pool:
    tax = taxonomy()
    encoder = get_encoder()
    dims = encoder.dimensions if encoder else 0
    ids = [row[0] for row in rows]
    features = [row[2] for row in rows]
    vectors = None
    has_vector = np.zeros(len(rows), dtype=bool)
    if dims:
        vectors = np.zeros((len(rows), dims), dtype=np.float32)
        for i, (_pk, blob, _f) in enumerate(rows):
            if blob and len(blob) == dims * 4:
                vectors[i] = np.frombuffer(blob, dtype=np.float32)
                has_vector[i] = True
    if candidates:
        skills = _csr([f.get("skills", {}) for f in features], tax.skill_count)
        occupations = _csr([f.get("occupations", {}) for f in features], tax.occupation_count)
    else:
        skills = _csr([f.get("requirements", {}) for f in features], tax.skill_count)
        occupations = _csr(
            [{str(f["occupation"]): 1.0} if f.get("occupation") else {} for f in features],
            tax.occupation_count,
        )
    wanted = _csr(
        [{str(o): 1.0 for o in f.get("wanted", [])} for f in features], tax.occupation_count
    )
    return Pool(
        ids=ids,
        version=version,
        vectors=vectors,
        has_vector=has_vector,
        features=None if candidates else features,
        skills=skills,
        occupations=occupations,
        wanted=wanted,
        education=_floats([f.get("education") for f in features]),
        hours=_floats([f.get("hours") for f in features]),
        hours_min=_floats([f.get("hours_min") for f in features]),
        hours_max=_floats([f.get("hours_max") for f in features]),
        lat=_floats([f.get("lat") for f in features]),
        lon=_floats([f.get("lon") for f in features]),
        max_km=_floats([f.get("max_km") for f in features]),
        remote=np.array([bool(f.get("remote")) for f in features], dtype=bool),
    )


_lock = threading.Lock()
_pools: dict[tuple[str, Any], Pool] = {}


def forget_pools() -> None:
    with _lock:
        _pools.clear()


def _version(model: type[CandidateIndex] | type[VacancyIndex]) -> str:
    # Both served by the (organisation, indexed_at) index: no row is read.
    stats = model.objects.aggregate(n=Count("*"), last=Max("indexed_at"))
    last = stats["last"].isoformat() if stats["last"] else "-"
    return f"{stats['n']}@{last}"


def _pool(
    model: type[CandidateIndex] | type[VacancyIndex],
    key_field: str,
    organisation_id: Any,
    *,
    candidates: bool,
    **only: Any,
) -> Pool:
    """An organisation's pool, kept in the process until the index changes
    (asked at most once a `MATCHING_POOL_CHECK_SECONDS`: a ranking may be that
    much behind a profile change, and saves a count over the whole index)."""
    key = (key_field, organisation_id)
    pause = float(getattr(settings, "MATCHING_POOL_CHECK_SECONDS", 1.0))
    with _lock:
        pool = _pools.get(key)
        if pool is not None and time.monotonic() - pool.version_checked < pause:
            return pool
    version = _version(model)
    with _lock:
        pool = _pools.get(key)
        if pool is not None and pool.version == version:
            pool.version_checked = time.monotonic()
            return pool
    rows = list(
        model.objects.filter(**only)
        .order_by(key_field)
        .values_list(key_field, "vector", "features")
        .iterator(chunk_size=5000)
    )
    rows = [(pk, bytes(blob or b""), f) for pk, blob, f in rows]
    pool = _build(rows, version, candidates=candidates)
    with _lock:
        _pools[key] = pool
    return pool


def _index_missing(key: tuple[str, Any], find: Any, index: Any) -> None:
    """Index rows the background job has not written (yet) — when the pool is
    built, and then at most once a minute, not on every ranking: at 100,000
    candidates the look-up reads the whole index."""
    cached = _pools.get(key)
    if cached is not None and time.monotonic() - cached.missing_checked < MISSING_CHECK_SECONDS:
        return
    missing = find(limit=INLINE_INDEX_LIMIT)
    if missing:
        index(missing)
    if cached is not None:
        cached.missing_checked = time.monotonic()


def candidate_pool(organisation_id: Any) -> Pool:
    """The current organisation's candidates as a pool, rebuilt when the index changed."""
    _index_missing(("profile_id", organisation_id), missing_candidates, index_candidates)
    return _pool(
        CandidateIndex,
        "profile_id",
        organisation_id,
        candidates=True,
        profile__membership__is_active=True,
        profile__membership__role=Role.CANDIDATE,
    )


def vacancy_pool(organisation_id: Any) -> Pool:
    """The current organisation's published vacancies as a pool."""
    _index_missing(("vacancy_id", organisation_id), missing_vacancies, index_vacancies)
    return _pool(
        VacancyIndex,
        "vacancy_id",
        organisation_id,
        candidates=False,
        vacancy__status=VacancyStatus.PUBLISHED,
    )


# --- the signals, on aligned arrays (one side broadcast against the other) ---

# An array, or a numpy scalar broadcast against one.
Values = Any


def education_signal(have: Values, asked: Values) -> Values:
    out = np.where(have >= asked, 1.0, np.where(have == asked - 1, 0.5, 0.0))
    return np.where(np.isnan(have) | np.isnan(asked), np.nan, out)


def hours_signal(available: Values, asked: Values) -> Values:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.minimum(available / asked, 1.0)
    return np.where(np.isnan(available) | np.isnan(asked) | (asked <= 0), np.nan, out)


def distance_km(lat1: Values, lon1: Values, lat2: Values, lon2: Values) -> Values:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def distance_signal(km: Values, max_km: Values, remote: Values) -> Values:
    limit = np.where(np.isnan(max_km), DEFAULT_MAX_KM, np.maximum(max_km, NEAR_KM + 1))
    out = np.clip(1.0 - (km - NEAR_KM) / (limit - NEAR_KM), 0.0, 1.0)
    out = np.where(np.isnan(km), np.nan, out)
    return np.where(remote, 1.0, out)


def text_signal(cosine: Values, known: Values) -> Values:
    out = np.clip((cosine - TEXT_FLOOR) / TEXT_SPAN, 0.0, 1.0)
    return np.where(known, out, np.nan)


def hours_wish_signal(low: Values, high: Values, asked: Values) -> Values:
    inside = (np.isnan(low) | (asked >= low)) & (np.isnan(high) | (asked <= high))
    return np.where(np.isnan(low) & np.isnan(high), np.nan, inside.astype(np.float32))


def preference_signal(wish_occupation: Values, wish_hours: Values) -> Values:
    """The mean of the wishes that are known (nan when none is)."""
    known = (~np.isnan(wish_occupation)).astype(np.float32) + (~np.isnan(wish_hours))
    total = np.nan_to_num(wish_occupation) + np.nan_to_num(wish_hours)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(known > 0, total / known, np.nan).astype(np.float32)


def combine(signals: dict[str, np.ndarray]) -> np.ndarray:
    total = np.zeros_like(next(iter(signals.values())), dtype=np.float32)
    for key in SIGNAL_KEYS:
        values = signals[key]
        total += WEIGHTS[key] * np.where(np.isnan(values), UNKNOWN_CREDIT, values)
    return total


def _nan(n: int) -> np.ndarray:
    return np.full(n, np.nan, dtype=np.float32)


def _row_max_of(matrix: sparse.csr_matrix, values: np.ndarray) -> np.ndarray:
    """Each row's largest `values[column]` over the columns it stores; nan for
    an empty row. One gather and one `maximum.reduceat`: no sparse product."""
    out = np.full(matrix.shape[0], np.nan, dtype=np.float32)
    filled = np.diff(matrix.indptr) > 0
    if matrix.nnz:
        picked = np.asarray(values, dtype=np.float32)[matrix.indices]
        out[filled] = np.maximum.reduceat(picked, matrix.indptr[:-1][filled])
    return out


def score_candidates(vacancy: dict, vector: np.ndarray | None, pool: Pool) -> dict[str, np.ndarray]:
    """Every signal for one vacancy (its index features) against a candidate pool."""
    tax = taxonomy()
    n = len(pool)
    occupation = vacancy.get("occupation")
    if occupation is not None:
        sim = tax.occupation_similarity(int(occupation))
        occ = _row_max_of(pool.occupations, sim)
        related = np.where(sim >= RELATED_OCCUPATION, sim, 0.0)
        years = np.asarray(pool.occupations @ related).ravel()
        experience = np.minimum(years / EXPERIENCE_FULL_YEARS, 1.0).astype(np.float32)
        wished = _row_max_of(pool.wanted, sim)
    else:
        occ, experience, wished = _nan(n), _nan(n), _nan(n)
    requirements = np.zeros(tax.skill_count, dtype=np.float32)
    for key, weight in vacancy.get("requirements", {}).items():
        if 0 <= int(key) < tax.skill_count:
            requirements[int(key)] = weight * tax.rarity[int(key)]
    need = requirements.sum()
    if need > 0:
        skills = (np.asarray(pool.skills @ requirements).ravel() / need).astype(np.float32)
        skills = np.minimum(skills, 1.0)
    else:
        skills = _nan(n)
    if vector is not None and pool.vectors is not None:
        # pgvector when MATCHING_VECTOR_BACKEND and the database allow (None: numpy);
        # a row the mirror lacks is computed in-process (passend/matching/vectors.py).
        cosine = vectors.cosines(current_organisation().pk, vector, pool.ids)
        if cosine is None:
            cosine = pool.vectors @ vector
        else:
            lacking = np.isnan(cosine) & pool.has_vector
            cosine[lacking] = pool.vectors[lacking] @ vector
        text = text_signal(cosine, pool.has_vector)
    else:
        text = _nan(n)
    asked_hours = np.float32(vacancy.get("hours") or np.nan)
    lat, lon = vacancy.get("lat"), vacancy.get("lon")
    km = (
        distance_km(pool.lat, pool.lon, np.float32(lat), np.float32(lon))
        if lat is not None and lon is not None
        else _nan(n)
    )
    asked_level = vacancy.get("education")
    return {
        "occupation": occ,
        "skills": skills,
        "text": text,
        "experience": experience,
        "education": education_signal(
            pool.education, np.float32(np.nan if asked_level is None else asked_level)
        ),
        "hours": hours_signal(pool.hours, asked_hours),
        "distance": distance_signal(km, pool.max_km, np.bool_(vacancy.get("remote"))),
        "preference": preference_signal(
            wished, hours_wish_signal(pool.hours_min, pool.hours_max, asked_hours)
        ),
        "_km": km,
    }


def score_vacancies(
    candidate: dict, vector: np.ndarray | None, pool: Pool
) -> dict[str, np.ndarray]:
    """Every signal for one candidate (their index features) against a vacancy pool."""
    tax = taxonomy()
    n = len(pool)
    vacancy_occupation = np.full(n, -1, dtype=np.int64)
    rows, cols = pool.occupations.nonzero()
    vacancy_occupation[rows] = cols
    has_occupation = vacancy_occupation >= 0
    own = {int(k): float(v) for k, v in candidate.get("occupations", {}).items()}
    wanted = [int(o) for o in candidate.get("wanted", [])]
    occ = np.where(has_occupation, 0.0, np.nan).astype(np.float32)
    years = np.zeros(n, dtype=np.float32)
    wished = np.where(has_occupation & bool(wanted), 0.0, np.nan).astype(np.float32)
    safe = np.where(has_occupation, vacancy_occupation, 0)
    for occupation, spent in own.items():
        sim = tax.occupation_similarity(occupation)[safe]
        occ = np.where(has_occupation, np.maximum(occ, sim), np.nan)
        years += np.where(has_occupation & (sim >= RELATED_OCCUPATION), sim * spent, 0.0)
    for occupation in wanted:
        sim = tax.occupation_similarity(occupation)[safe]
        wished = np.where(has_occupation, np.maximum(wished, sim), np.nan)
    if not own:
        occ = _nan(n)
    experience = np.where(has_occupation, np.minimum(years / EXPERIENCE_FULL_YEARS, 1.0), np.nan)
    have = np.zeros(tax.skill_count, dtype=np.float32)
    for key, weight in candidate.get("skills", {}).items():
        if 0 <= int(key) < tax.skill_count:
            have[int(key)] = weight
    weighted = pool.skills.multiply(tax.rarity).tocsr()
    need = np.asarray(weighted.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        skills = np.where(need > 0, np.asarray(weighted @ have).ravel() / need, np.nan)
    skills = np.minimum(skills, 1.0).astype(np.float32)
    if vector is not None and pool.vectors is not None:
        text = text_signal(pool.vectors @ vector, pool.has_vector)
    else:
        text = _nan(n)
    lat, lon = candidate.get("lat"), candidate.get("lon")
    km = (
        distance_km(np.float32(lat), np.float32(lon), pool.lat, pool.lon)
        if lat is not None and lon is not None
        else _nan(n)
    )
    max_km = np.float32(np.nan if candidate.get("max_km") is None else candidate["max_km"])
    low = np.float32(np.nan if candidate.get("hours_min") is None else candidate["hours_min"])
    high = np.float32(np.nan if candidate.get("hours_max") is None else candidate["hours_max"])
    level = candidate.get("education")
    available = np.float32(np.nan if candidate.get("hours") is None else candidate["hours"])
    return {
        "occupation": occ.astype(np.float32),
        "skills": skills,
        "text": text,
        "experience": experience.astype(np.float32),
        "education": education_signal(
            np.float32(np.nan if level is None else level), pool.education
        ),
        "hours": hours_signal(np.full(n, available, dtype=np.float32), pool.hours),
        "distance": distance_signal(km, np.full(n, max_km), pool.remote),
        "preference": preference_signal(
            wished, hours_wish_signal(np.full(n, low), np.full(n, high), pool.hours)
        ),
        "_km": km,
    }


def top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the k best scores, best first (ties by position: stable)."""
    if len(scores) == 0 or k <= 0:
        return np.zeros(0, dtype=np.int64)
    k = min(k, len(scores))
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.lexsort((part, -scores[part]))]


def allowed_candidates(ids: list[Any]) -> set[Any]:
    """Which of `ids` may be matched: an active candidate membership, no
    restriction, no objection to matching (the gate's hook, one query)."""
    queryset = CandidateProfile.objects.filter(
        pk__in=ids, membership__is_active=True, membership__role=Role.CANDIDATE
    )
    return set(exclude_blocked(queryset, ProcessingPurpose.MATCHING).values_list("pk", flat=True))


def stored_vector(features_row: VacancyIndex | CandidateIndex) -> np.ndarray | None:
    """An index row's embedding, or None (model-free, or made by another model)."""
    encoder = get_encoder()
    blob = bytes(features_row.vector or b"")
    if encoder is None or len(blob) != encoder.dimensions * 4:
        return None
    return np.frombuffer(blob, dtype=np.float32)


def published(ids: list[Any]) -> set[Any]:
    return set(
        Vacancy.objects.filter(pk__in=ids, status=VacancyStatus.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
