"""Reads of the ESCO taxonomy: search over all labels, and small browse lists.

Search runs on the indexed `normalised` column of OccupationLabel/SkillLabel:
first a prefix match (the index serves it: a range on SQLite, LIKE 'q%' with
the varchar_pattern_ops index on PostgreSQL), then, only when that found too
few concepts, a match at the start of a later word ("developer" finds
"software developer"; the concepts come from the word index of
OccupationWord/SkillWord); only when neither found anything, a typo-tolerant
match (`_corrected`: each query word corrected against the vocabulary of all
label words with rapidfuzz in the process, a typo in the first letters
included, then the concepts holding the corrected words read through the
word index); and only when no word came close, `_fuzzy` (indexed prefix
probes, scored by similarity). Preferred labels rank above alternative ones,
exact matches above prefixes, labels in the reader's language above the other.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from passend.taxonomy.models import (
    WORD_MAX_LENGTH,
    WORD_MIN_LENGTH,
    EscoImport,
    IscoGroup,
    LabelKind,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    OccupationWord,
    Skill,
    SkillGroup,
    SkillLabel,
    SkillWord,
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
# Typo tolerance through the vocabulary (`_corrected`): the shortest word that
# is corrected, the lengths from which one and two slips are forgiven, how many
# corrections of a word are tried, how many concepts' labels are read, from
# how many words a query may have one that no label holds, and in how many
# concepts a word (with its corrections) may occur and still pick concepts.
TYPO_MIN_WORD = 3
TYPO_ONE_FROM = 4
TYPO_TWO_FROM = 8
TYPO_WORDS = 40
TYPO_CONCEPTS = 50
TYPO_MISSING_FROM = 3
TYPO_COMMON = 1000
# How long a process trusts its vocabulary before it checks for a new load.
VOCABULARY_CHECK_SECONDS = 10.0


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


def _prefix(q: str, field: str = "normalised") -> Q:
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": q})
    # SQLite compares with the binary collation: a range is an exact prefix
    # test that uses the index (LIKE would not, being case-insensitive there).
    return Q(**{f"{field}__gte": q, f"{field}__lt": q + "\U0010ffff"})


def _later_word(
    base: QuerySet[Any], word_model: type[OccupationWord] | type[SkillWord], fk: str, q: str
) -> QuerySet[Any]:
    """Labels in which a later word starts with the query ("developer" finds
    "software developer"). The concepts come from the word index (the longest
    complete word of the query, or the words its last word starts), their
    labels from the concept index; only a query of short words reads the
    whole label table."""
    terms = q.split()
    complete = [t for t in terms[:-1] if WORD_MIN_LENGTH <= len(t) <= WORD_MAX_LENGTH]
    later = base.filter(normalised__contains=" " + q)
    if complete:
        words = word_model.objects.filter(word=max(complete, key=len))
    elif WORD_MIN_LENGTH <= len(terms[-1]) <= WORD_MAX_LENGTH:
        words = word_model.objects.filter(_prefix(terms[-1], "word"))
    else:
        return later
    concepts = words.order_by("word", f"{fk}_id").values(f"{fk}_id")[:CANDIDATE_ROWS]
    return later.filter(**{f"{fk}_id__in": concepts})


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
    word_model = OccupationWord if label_model is OccupationLabel else SkillWord
    rows: list[Any] = list(base.filter(_prefix(q)).order_by("normalised")[:CANDIDATE_ROWS])
    if len({row[0] for row in rows}) < limit:
        inner = _later_word(base, word_model, fk, q).order_by("normalised")
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
        for found in _corrected(label_model, word_model, fk, q, lang, limit):
            best.setdefault(found[0], found)
    if not best:  # no word comes close: perhaps words run together ("softwaredeveloper")
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


# --- typo tolerance through the word vocabulary ---------------------------


def _allowed_typos(length: int) -> int:
    """How many slips (OSA distance: a letter wrong, missing, too many, or two
    swapped) a word of this length may have: none up to 3 letters, one up to
    7, two from 8."""
    if length < TYPO_ONE_FROM:
        return 0
    return 1 if length < TYPO_TWO_FROM else 2


class Vocabulary:
    """The distinct words of all labels of occupations or of skills, with the
    number of concepts each occurs in: what a query's words are corrected to."""

    def __init__(self, frequency: dict[str, int]) -> None:
        self.frequency = frequency
        self.words = sorted(frequency)
        self._prefixes: dict[int, tuple[list[str], dict[str, tuple[str, ...]]]] = {}
        self._lengths: dict[tuple[int, int], list[str]] = {}

    def of_length(self, length: int, spread: int) -> list[str]:
        """The words within `spread` letters of `length` long (no others can
        be that few slips away)."""
        key = (length, spread)
        if key not in self._lengths:
            low, high = length - spread, length + spread
            self._lengths[key] = [w for w in self.words if low <= len(w) <= high]
        return self._lengths[key]

    def starting_with(self, start: str) -> list[str]:
        """The words that start with `start`, the most frequent first."""
        at = bisect.bisect_left(self.words, start)
        found = []
        for word in self.words[at:]:
            if not word.startswith(start):
                break
            found.append(word)
        return sorted(found, key=lambda w: (-self.frequency[w], w))

    def prefixes(self, length: int) -> tuple[list[str], dict[str, tuple[str, ...]]]:
        """The distinct first `length` letters of the longer words, and the words of each."""
        if length not in self._prefixes:
            table: dict[str, list[str]] = {}
            for word in self.words:
                if len(word) > length:
                    table.setdefault(word[:length], []).append(word)
            # Tuples of strings, which the garbage collector stops tracking.
            frozen = {start: tuple(words) for start, words in table.items()}
            self._prefixes[length] = (list(frozen), frozen)
        return self._prefixes[length]

    def corrections(self, word: str, *, partial: bool) -> dict[str, int]:
        """Vocabulary words the query word may stand for, with a cost: twice
        the slips it takes, plus one when the query word is only the start of
        it. The word itself (0), for the query's last word (which may be
        unfinished) the words it starts (1); then the words within the allowed
        distance, anywhere in the word, the first letters included (2 a slip),
        and, for a last word that is not a word with one slip, the words whose
        start is within the distance of it (3 for one slip)."""
        found: dict[str, int] = {}

        def add(other: str, cost: int) -> None:
            found[other] = min(cost, found.get(other, cost))

        if word in self.frequency:
            add(word, 0)
        if partial:
            for other in self.starting_with(word)[:TYPO_WORDS]:
                add(other, 0 if other == word else 1)
        allowed = _allowed_typos(len(word))
        if allowed:
            for other, slips, _i in process.extract(
                word,
                self.of_length(len(word), allowed),
                scorer=OSA.distance,
                score_cutoff=allowed,
                limit=None,
            ):
                add(other, 2 * int(slips))
            if partial and min(found.values(), default=9) > 2:
                keys, table = self.prefixes(len(word))
                for start, slips, _i in process.extract(
                    word, keys, scorer=OSA.distance, score_cutoff=allowed, limit=None
                ):
                    for other in table[start]:
                        add(other, 2 * int(slips) + 1)
        ranked = sorted(found, key=lambda w: (found[w], -self.frequency[w], w))
        return {w: found[w] for w in ranked[:TYPO_WORDS]}


_vocabularies: dict[str, tuple[Any, float, Vocabulary]] = {}


def forget_vocabularies() -> None:
    """Drop this process's vocabularies (load_esco calls it after a load)."""
    _vocabularies.clear()


def vocabulary(word_model: type[OccupationWord] | type[SkillWord]) -> Vocabulary:
    """The vocabulary of occupations or skills, kept in the process until the
    taxonomy changes (a new import, or new word rows; checked with two
    indexed look-ups at most every VOCABULARY_CHECK_SECONDS, and at once
    after a load in this process), built with one grouped read of the word
    index. A vocabulary that is a little out of date only proposes fewer or
    unneeded corrections: which concepts hold a word is read from the table."""
    key = word_model._meta.label
    cached = _vocabularies.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[1] < VOCABULARY_CHECK_SECONDS:
        return cached[2]
    latest = EscoImport.objects.order_by("-loaded_at", "-id").values_list("pk", "loaded_at")
    version = (latest.first(), word_model.objects.aggregate(top=Max("pk"))["top"])
    if cached is not None and cached[0] == version:
        _vocabularies[key] = (version, now, cached[2])
        return cached[2]
    counted = word_model.objects.values_list("word").annotate(n=Count("pk")).order_by()
    built = Vocabulary(dict(counted))
    _vocabularies[key] = (version, now, built)
    return built


def _corrected(
    label_model: type[OccupationLabel] | type[SkillLabel],
    word_model: type[OccupationWord] | type[SkillWord],
    fk: str,
    q: str,
    lang: str,
    limit: int,
) -> list[tuple[int, str, str]]:
    """Concepts whose labels hold the query's words or their nearest
    vocabulary words, best first: (concept id, matched label, its language).

    Each query word of 3 letters or more is corrected against the vocabulary
    in the process (rapidfuzz); the concepts holding the corrected words come
    from the (word, concept) index and their labels from the concept index:
    two queries after the vocabulary check, whatever the size of the taxonomy.
    A concept must hold every word (or a correction of it); with three words
    or more, one may be missing; a word that more than TYPO_COMMON concepts
    hold only ranks the labels. Among its labels the one holding the most
    query words with the fewest slips is shown; then the label that is the
    corrected query, preferred before alternative, a label that starts with
    the query's first word before one that has it later, the reader's
    language first.
    """
    terms = q.split()
    vocab = vocabulary(word_model)
    options = [
        vocab.corrections(term, partial=i == len(terms) - 1)
        for i, term in enumerate(terms)
        if len(term) >= TYPO_MIN_WORD
    ]
    if not options:
        return []
    # With three words or more, one may have no correction; no more.
    may_miss = (1 if len(options) >= TYPO_MISSING_FROM else 0) - sum(1 for o in options if not o)
    if may_miss < 0:
        return []
    # Words that hundreds of concepts share ("out", "and", "van") do not pick
    # the concepts (unless every word is such a one; then the rarest does);
    # they still rank the labels.
    spread = [(sum(vocab.frequency[w] for w in o), i) for i, o in enumerate(options) if o]
    required = [options[i] for n, i in spread if n <= TYPO_COMMON] or [options[min(spread)[1]]]
    if len(required) < 2:
        may_miss = 0
    picks: dict[str, list[tuple[int, int]]] = {}  # word -> (required word, cost)
    for index, option in enumerate(required):
        for w, cost in option.items():
            picks.setdefault(w, []).append((index, cost))
    # Per concept, the cheapest correction it holds of each required word.
    held: dict[int, dict[int, int]] = {}
    rows = word_model.objects.filter(word__in=sorted(picks)).values_list("word", f"{fk}_id")
    for w, concept_id in rows.iterator():
        cheapest = held.setdefault(concept_id, {})
        for index, cost in picks[w]:
            if cost < cheapest.get(index, 99):
                cheapest[index] = cost
    least = len(required) - may_miss
    costs = {
        concept_id: (len(required) - len(cheapest), sum(cheapest.values()))
        for concept_id, cheapest in held.items()
        if len(cheapest) >= least
    }
    if not costs:
        return []
    chosen = sorted(costs, key=lambda cid: (costs[cid], cid))[:TYPO_CONCEPTS]
    fields = (f"{fk}_id", "kind", "language", "label", "normalised")
    labels = label_model.objects.filter(**{f"{fk}_id__in": chosen}).values_list(*fields)

    # word -> (which query word it may stand for, slips), to read each label once.
    stands_for: dict[str, list[tuple[int, int]]] = {}
    for index, option in enumerate(options):
        for w, cost in option.items():
            stands_for.setdefault(w, []).append((index, cost))
    best: dict[int, tuple[tuple[int, ...], Any]] = {}
    for row in labels:
        concept_id, kind, row_lang, _label, norm = row
        label_terms = norm.split()
        found: dict[int, tuple[int, str]] = {}
        for term in label_terms:
            for index, cost in stands_for.get(term, ()):
                if index not in found or (cost, term) < found[index]:
                    found[index] = (cost, term)
        if not found:
            continue  # another label of the concept holds the words
        matched = [found[index][1] for index in sorted(found)]
        score = (
            len(options) - len(found),
            sum(cost for cost, _term in found.values()),  # slips, starts
            0 if label_terms == matched else 1,  # the label is the (corrected) query
            KIND_RANK.get(kind, 3),
            0 if label_terms[0] == matched[0] else 1,  # it starts with it
            0 if row_lang == lang else 1,
            len(norm),
        )
        if concept_id not in best or score < best[concept_id][0]:
            best[concept_id] = (score, row)
    ordered = sorted(best.values(), key=lambda item: (item[0], item[1][0]))
    return [(row[0], row[3], row[2]) for _score, row in ordered[:limit]]


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
