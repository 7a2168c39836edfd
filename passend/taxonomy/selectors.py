"""Reads of the ESCO taxonomy: search over all labels, and small browse lists.

Search runs on the indexed `normalised` column of OccupationLabel/SkillLabel:
first a prefix match (the index serves it: a range on SQLite, LIKE 'q%' with
the varchar_pattern_ops index on PostgreSQL), then, only when that found too
few concepts, a match at the start of a later word ("developer" finds
"software developer"). Preferred labels rank above alternative ones, exact
matches above prefixes, labels in the reader's language above the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from passend.taxonomy.models import (
    EscoImport,
    IscoGroup,
    LabelKind,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Skill,
    SkillGroup,
    SkillLabel,
)
from passend.taxonomy.text import normalise

MIN_QUERY_LENGTH = 2
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
CANDIDATE_ROWS = 400
KIND_RANK = {LabelKind.PREFERRED: 0, LabelKind.ALTERNATIVE: 1, LabelKind.HIDDEN: 2}


@dataclass(frozen=True)
class SearchHit:
    concept: Occupation | Skill
    label: str  # the preferred label in the reader's language
    matched: str  # the label that matched (may equal `label`)
    matched_language: str

    @property
    def uri(self) -> str:
        return self.concept.uri

    @property
    def pk(self) -> int:
        return self.concept.pk


def taxonomy_loaded() -> bool:
    return Occupation.objects.exists() or Skill.objects.exists()


def counts() -> dict[str, int]:
    return {
        "occupations": Occupation.objects.count(),
        "skills": Skill.objects.count(),
        "relations": OccupationSkill.objects.count(),
        "isco_groups": IscoGroup.objects.count(),
        "skill_groups": SkillGroup.objects.count(),
    }


def latest_import() -> EscoImport | None:
    """The newest load of ESCO: which version the taxonomy holds, and from where."""
    return EscoImport.objects.order_by("-loaded_at", "-id").first()


def _prefix(q: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(normalised__startswith=q)
    # SQLite compares with the binary collation: a range is an exact prefix
    # test that uses the index (LIKE would not, being case-insensitive there).
    return Q(normalised__gte=q, normalised__lt=q + "\U0010ffff")


def _search(
    label_model: type[OccupationLabel] | type[SkillLabel],
    fk: str,
    query: str,
    language: str,
    limit: int,
) -> list[tuple[int, str, str]]:
    """(concept id, matched label, matched language), best first."""
    q = normalise(query)
    if len(q) < MIN_QUERY_LENGTH:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    lang = "nl" if language.lower().startswith("nl") else "en"
    fields = (f"{fk}_id", "kind", "language", "label", "normalised")
    base = label_model.objects.values_list(*fields)
    rows: list[Any] = list(base.filter(_prefix(q)).order_by("normalised")[:CANDIDATE_ROWS])
    if len({row[0] for row in rows}) < limit:
        inner = base.filter(normalised__contains=" " + q).order_by("normalised")
        rows += list(inner[:CANDIDATE_ROWS])

    def rank(row: Any) -> tuple[int, int, int, int, int]:
        _id, kind, row_lang, _label, norm = row
        return (
            0 if norm == q else 1,
            0 if norm.startswith(q) else 1,
            KIND_RANK.get(kind, 3),
            0 if row_lang == lang else 1,
            len(norm),
        )

    best: dict[int, tuple[int, str, str]] = {}
    for row in sorted(rows, key=rank):
        if row[0] not in best:
            best[row[0]] = (row[0], row[3], row[2])
            if len(best) >= limit:
                break
    return list(best.values())


def _hits(
    model: type[Occupation] | type[Skill], found: list[tuple[int, str, str]], language: str
) -> list[SearchHit]:
    concepts = model.objects.in_bulk([concept_id for concept_id, _l, _g in found])
    return [
        SearchHit(
            concept=concepts[concept_id],
            label=concepts[concept_id].label(language),
            matched=matched,
            matched_language=matched_language,
        )
        for concept_id, matched, matched_language in found
        if concept_id in concepts
    ]


def search_occupations(
    query: str, *, language: str = "en", limit: int = DEFAULT_LIMIT
) -> list[SearchHit]:
    found = _search(OccupationLabel, "occupation", query, language, limit)
    return _hits(Occupation, found, language)


def search_skills(
    query: str, *, language: str = "en", limit: int = DEFAULT_LIMIT
) -> list[SearchHit]:
    found = _search(SkillLabel, "skill", query, language, limit)
    return _hits(Skill, found, language)


def occupation_skills(occupation: Occupation) -> QuerySet[OccupationSkill]:
    return (
        OccupationSkill.objects.filter(occupation=occupation)
        .select_related("skill")
        .order_by("relation", "skill__pref_en")
    )


# ISCO-08 has four levels and ESCO's skill groups at most four: one join each.
_UP = "broader__broader__broader"


def occupation_by_id(pk: int) -> Occupation | None:
    return Occupation.objects.select_related("broader", f"isco__{_UP}").filter(pk=pk).first()


def isco_path(occupation: Occupation) -> list[IscoGroup]:
    """The occupation's ISCO-08 groups, from the major group down to its unit group."""
    path: list[IscoGroup] = []
    group = occupation.isco
    while group is not None and group not in path:
        path.insert(0, group)
        group = group.broader
    return path


def skill_by_id(pk: int) -> Skill | None:
    return (
        Skill.objects.prefetch_related(
            Prefetch("groups", queryset=SkillGroup.objects.select_related(_UP)),
            Prefetch("broader_skills", queryset=Skill.objects.order_by("pref_en")),
            Prefetch("narrower_skills", queryset=Skill.objects.order_by("pref_en")),
        )
        .filter(pk=pk)
        .first()
    )


def skill_group_paths(skill: Skill) -> list[list[SkillGroup]]:
    """For each group the skill belongs to: its path from the top of the skills pillar."""
    paths = []
    for group in skill.groups.all():
        path: list[SkillGroup] = []
        current: SkillGroup | None = group
        while current is not None and current not in path:
            path.insert(0, current)
            current = current.broader
        paths.append(path)
    return sorted(paths, key=lambda p: [g.code for g in p])


def skill_occupations(skill: Skill) -> QuerySet[OccupationSkill]:
    return (
        OccupationSkill.objects.filter(skill=skill)
        .select_related("occupation")
        .order_by("relation", "occupation__pref_en")
    )
