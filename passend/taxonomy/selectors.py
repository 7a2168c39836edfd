"""Reads of the ESCO taxonomy: search over all labels, and small browse lists.

Search runs on the indexed `normalised` column of OccupationLabel/SkillLabel:
first a prefix match (the index serves it: a range on SQLite, LIKE 'q%' with
the varchar_pattern_ops index on PostgreSQL), then, only when that found too
few concepts, a match at the start of a later word ("developer" finds
"software developer"); only when neither found anything, a typo-tolerant
match (`_fuzzy`: indexed prefix probes, scored by similarity). Preferred
labels rank above alternative ones, exact matches above prefixes, labels in
the reader's language above the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from rapidfuzz import fuzz

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
# Typo tolerance: how short a probed prefix may get, how many rows the probes
# may gather, and how alike a label must be to the query to count as a hit.
FUZZY_MIN_PREFIX = 3
FUZZY_ROWS = 200
FUZZY_MIN_SIMILARITY = 0.75
FUZZY_HEAD = 5
FUZZY_VARIANT_ROWS = 40


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
    if not best:  # nothing starts with the query: perhaps a typo
        for row in _fuzzy(base, q, lang):
            if row[0] not in best:
                best[row[0]] = (row[0], row[3], row[2])
                if len(best) >= limit:
                    break
    return list(best.values())


def similarity(query: str, normalised_label: str) -> float:
    """How alike a (normalised) query is to the start of a label, 0 to 1 (the
    Indel similarity of rapidfuzz), forgiving a label that goes on after the
    query: "verplegkund" is close to "verpleegkundige"."""
    best = 0.0
    for extra in (0, 1, -1, 2):
        end = len(query) + extra
        if end < 1 or (extra > 0 and end > len(normalised_label)):
            continue
        best = max(best, fuzz.ratio(query, normalised_label[:end]) / 100)
    return best


def _early_variants(word: str) -> set[str]:
    """The first FUZZY_HEAD letters of the word with one early slip undone."""
    head = word[: FUZZY_HEAD + 1]
    variants: set[str] = set()
    for i in range(len(head)):
        variants.add(head[:i] + head[i + 1 :])  # a letter too many
        variants.add(head[:i] + head[i] + head[i:])  # a double letter typed once
        if i + 1 < len(head):
            variants.add(head[:i] + head[i + 1] + head[i] + head[i + 2 :])  # swapped
    cut = {variant[:FUZZY_HEAD] for variant in variants}
    return {v for v in cut if len(v) >= FUZZY_MIN_PREFIX} - {word[:FUZZY_HEAD]}


def _fuzzy(base: QuerySet[Any], q: str, lang: str) -> list[Any]:
    """Labels close to a query with a typo, best first.

    Candidates come from the prefix index only: for each word of the query
    (longest first), labels that start with ever shorter prefixes of it, down
    to FUZZY_MIN_PREFIX characters, until FUZZY_ROWS rows are gathered; so a
    typo after the first three characters of a word is forgiven, on SQLite and
    PostgreSQL alike, with a bounded number of indexed queries. The rows are
    then scored in Python and those alike enough kept. A typo early in the
    first word (a letter too many, a double letter typed once, two letters
    swapped) is caught by probing the first FUZZY_HEAD letters of each such
    variant too ("comunicatie" finds "communicatie").
    """
    rows: dict[tuple[int, str], Any] = {}
    words = sorted({w for w in q.split() if len(w) >= FUZZY_MIN_PREFIX}, key=len, reverse=True)
    for word in words[:2]:
        for length in range(len(word) - 1, FUZZY_MIN_PREFIX - 1, -1):
            found = list(base.filter(_prefix(word[:length])).order_by("normalised")[:FUZZY_ROWS])
            for row in found:
                rows.setdefault((row[0], row[4]), row)
            if len(rows) >= FUZZY_ROWS or len(found) >= FUZZY_ROWS:
                break
    if words:
        for variant in _early_variants(words[0]):
            found = list(base.filter(_prefix(variant)).order_by("normalised")[:FUZZY_VARIANT_ROWS])
            for row in found:
                rows.setdefault((row[0], row[4]), row)
    scored = []
    for row in rows.values():
        score = similarity(q, row[4])
        if score >= FUZZY_MIN_SIMILARITY:
            # Rounded, so that among about equally close labels the preferred
            # ones and those in the reader's language come first.
            closeness = -round(score, 1)
            scored.append((closeness, KIND_RANK.get(row[1], 3), 0 if row[2] == lang else 1, row))
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored]


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


def exact_concepts(
    model: type[Occupation] | type[Skill], text: str
) -> list[Occupation] | list[Skill]:
    """The concepts one of whose labels (any kind, either language) is `text`,
    case and accents ignored, or whose ESCO URI it is; those whose preferred
    label it is come first. One indexed query on the labels."""
    text = text.strip()
    if model.objects.filter(uri=text).exists():
        return list(model.objects.filter(uri=text))  # type: ignore[return-value]
    q = normalise(text)
    if not q:
        return []
    label_model = OccupationLabel if model is Occupation else SkillLabel
    fk = "occupation_id" if model is Occupation else "skill_id"
    rows = label_model.objects.filter(normalised=q).values_list(fk, "kind")[:CANDIDATE_ROWS]
    order: dict[int, int] = {}
    for concept_id, kind in rows:
        order[concept_id] = min(order.get(concept_id, 9), KIND_RANK.get(kind, 3))
    if not order:
        # Concepts made without label rows (by hand, not by load_esco).
        named = model.objects.filter(Q(pref_nl__iexact=text) | Q(pref_en__iexact=text))
        return list(named.order_by("pk")[:CANDIDATE_ROWS])  # type: ignore[return-value]
    concepts = model.objects.in_bulk(list(order))
    ranked = sorted(order, key=lambda concept_id: (order[concept_id], concept_id))
    return [concepts[pk] for pk in ranked if pk in concepts]  # type: ignore[return-value]
