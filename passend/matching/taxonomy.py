"""What ESCO says about how close two occupations are, and how rare a skill is.

Loaded once per process from the taxonomy tables (about half a second for the
whole of ESCO) and kept as arrays indexed by the concepts' primary keys:

- occupation similarity fuses the hierarchy (the same occupation, a broader or
  narrower one, a sibling under the same broader occupation, the same ISCO-08
  unit, minor or sub-major group) with the overlap of the two occupations'
  essential skills (Jaccard), taking the larger;
- a skill's rarity is its inverse frequency over ESCO's occupations, scaled to
  0.3..1: a skill every occupation asks for ("communicate") weighs little,
  "bake bread" a lot.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

from passend.taxonomy.models import Occupation, OccupationSkill, Relation, Skill

SAME = 1.0
PARENT_OR_CHILD = 0.85
SIBLING = 0.8
ISCO_UNIT = 0.7
ISCO_MINOR = 0.45
ISCO_SUB_MAJOR = 0.25
# Skill overlap counts up to this: two occupations sharing every essential
# skill are close, not the same.
SKILL_OVERLAP_CAP = 0.9
IMPLIED_SKILL_WEIGHT = 0.6
# Similarity rows kept per process (12 KB each with ESCO's 3,007 occupations).
SIMILARITY_ROWS_KEPT = 512


@dataclass
class Taxonomy:
    occupation_count: int
    skill_count: int
    broader: np.ndarray  # occupation pk -> broader occupation pk, -1 none
    isco: list[str]  # occupation pk -> ISCO-08 unit code, "" none
    essential: sparse.csr_matrix  # occupation pk x skill pk, 1.0 where essential
    optional: sparse.csr_matrix
    rarity: np.ndarray  # skill pk -> 0.3..1

    @cached_property
    def essential_sizes(self) -> np.ndarray:
        return np.asarray(self.essential.sum(axis=1)).ravel()

    def occupation_similarity(self, occupation_id: int) -> np.ndarray:
        """Similarity of `occupation_id` to every occupation (by pk), 0..1; the
        rows last asked for are kept (an explanation asks for the same few)."""
        cache: dict[int, np.ndarray] = self.__dict__.setdefault("_similarity", {})
        row = cache.get(occupation_id)
        if row is None:
            row = self._similarity_row(occupation_id)
            row.setflags(write=False)
            if len(cache) >= SIMILARITY_ROWS_KEPT:
                cache.pop(next(iter(cache)))
            cache[occupation_id] = row
        return row

    def _similarity_row(self, occupation_id: int) -> np.ndarray:
        size = self.occupation_count
        sim = np.zeros(size, dtype=np.float32)
        if not 0 <= occupation_id < size:
            return sim
        # Skill overlap (Jaccard of the essential skills).
        row = self.essential[occupation_id]
        if row.nnz:
            shared = np.asarray(self.essential @ row.T.toarray()).ravel()
            union = self.essential_sizes + row.nnz - shared
            with np.errstate(divide="ignore", invalid="ignore"):
                jaccard = np.where(union > 0, shared / union, 0.0)
            sim = np.maximum(sim, (jaccard * SKILL_OVERLAP_CAP).astype(np.float32))
        # ISCO-08 groups, from the widest to the narrowest.
        code = self.isco[occupation_id]
        if code:
            for length, value in ((2, ISCO_SUB_MAJOR), (3, ISCO_MINOR), (4, ISCO_UNIT)):
                if len(code) >= length:
                    same = self._isco_prefix(length) == code[:length]
                    sim[same] = np.maximum(sim[same], value)
        # The occupation hierarchy.
        parent = int(self.broader[occupation_id])
        if parent >= 0:
            siblings = self.broader == parent
            sim[siblings] = np.maximum(sim[siblings], SIBLING)
            sim[parent] = max(sim[parent], PARENT_OR_CHILD)
        children = self.broader == occupation_id
        sim[children] = np.maximum(sim[children], PARENT_OR_CHILD)
        sim[occupation_id] = SAME
        return sim

    def _isco_prefix(self, length: int) -> np.ndarray:
        cache = self.__dict__.setdefault("_prefixes", {})
        if length not in cache:
            cache[length] = np.array(
                [code[:length] if len(code) >= length else "-" for code in self.isco]
            )
        return cache[length]

    def similarity_between(self, a: int, b: int) -> float:
        return float(self.occupation_similarity(a)[b]) if 0 <= b < self.occupation_count else 0.0

    def implied_requirements(self, occupation_id: int) -> dict[int, float]:
        """What an occupation asks for when a vacancy names no skills: its
        essential skills, at a lower weight than skills an employer chose."""
        if not 0 <= occupation_id < self.occupation_count:
            return {}
        row = self.essential[occupation_id]
        return {int(skill): IMPLIED_SKILL_WEIGHT for skill in row.indices}

    def essential_skills(self, occupation_id: int) -> list[int]:
        if not 0 <= occupation_id < self.occupation_count:
            return []
        return [int(skill) for skill in self.essential[occupation_id].indices]


_lock = threading.Lock()
_cached: dict[str, Taxonomy] = {}


def taxonomy() -> Taxonomy:
    """The process's taxonomy arrays, loaded on first use (forget() after load_esco)."""
    with _lock:
        if "t" not in _cached:
            _cached["t"] = _load()
        return _cached["t"]


def forget() -> None:
    with _lock:
        _cached.clear()


def _load() -> Taxonomy:
    occupations = list(Occupation.objects.values_list("pk", "broader_id", "isco_group"))
    occupation_count = max((pk for pk, _b, _i in occupations), default=0) + 1
    skill_count = (Skill.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    broader = np.full(occupation_count, -1, dtype=np.int64)
    isco = [""] * occupation_count
    for pk, parent, code in occupations:
        broader[pk] = parent if parent is not None else -1
        isco[pk] = code or ""
    rows: dict[str, tuple[list[int], list[int]]] = {
        Relation.ESSENTIAL: ([], []),
        Relation.OPTIONAL: ([], []),
    }
    for occupation, skill, relation in OccupationSkill.objects.values_list(
        "occupation_id", "skill_id", "relation"
    ).iterator(chunk_size=10_000):
        target = rows.get(relation)
        if target is not None:
            target[0].append(occupation)
            target[1].append(skill)

    def matrix(pairs: tuple[list[int], list[int]]) -> sparse.csr_matrix:
        occ, skl = pairs
        return sparse.csr_matrix(
            (np.ones(len(occ), dtype=np.float32), (occ, skl)),
            shape=(occupation_count, skill_count),
        )

    essential = matrix(rows[Relation.ESSENTIAL])
    optional = matrix(rows[Relation.OPTIONAL])
    frequency = np.asarray((essential + optional).sum(axis=0)).ravel()
    total = max(len(occupations), 1)
    idf = np.log((total + 1) / (frequency + 1))
    top = math.log(total + 1) or 1.0
    rarity = (0.3 + 0.7 * np.clip(idf / top, 0, 1)).astype(np.float32)
    return Taxonomy(
        occupation_count=occupation_count,
        skill_count=skill_count,
        broader=broader,
        isco=isco,
        essential=essential,
        optional=optional,
        rarity=rarity,
    )
