"""Job-title normalisation: a free-text title to ranked ESCO occupations.

`normalise_title("Vrachtwagenchauffeur")` answers the ESCO occupations the
title most likely names, best first, each with a score in 0..1 and the ESCO
surface form that matched best (docs/matching-normalisation.md).

Every English and Dutch preferred, alternative and hidden label of every
occupation is a surface form of its concept. A title is compared with all of
them and the label scores are combined per concept with four signals:

* `char`: cosine of character 3-5-gram TF-IDF vectors (within word bounds,
  sublinear tf) of the title and a label; forgiving typos, inflection and
  Dutch compounds that share a part ("torenkraanbediener" and
  "torenkraanmachinist").
* `dense`: cosine of the sentence embeddings (passend.taxonomy.encoder) of the
  title and a label; finds synonyms that share no letters ("vroedvrouw",
  "verloskundige") and crosses languages.
* `words`: word BM25 against one document per concept (all its labels),
  Dutch compounds split into known label words ("archiefdeskundige" also
  counts as "archief" and "deskundige"), normalised by the best concept.
* `centroid`: cosine of the title with the mean of the concept's label
  vectors (dense, or character n-grams in model-free mode): a concept whose
  labels as a whole resemble the title.

Label scores are weighted by the kind of label (preferred above alternative
above hidden) and by language (the title's language slightly above the other),
`char` and `dense` take the best label of a concept, and the signals are
summed with fixed weights tuned on a development split of MELO (see
benchmarks/bench_title_normalise.py). Without an encoder (model-free mode) the
lexical signals alone are used, with their own weights.

The index is built from the database once per process, on first use, under a
lock; it is rebuilt when ESCO is loaded again (checked at most every
CHECK_SECONDS) or after `forget_index()`.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as l2_normalise

from passend.taxonomy.encoder import Encoder, get_encoder
from passend.taxonomy.models import LABEL_SEPARATOR, EscoImport, Occupation
from passend.taxonomy.text import normalise

if TYPE_CHECKING:
    from collections.abc import Iterable

# The weight of a label's score by its kind, and of a label in the other
# language than the title's.
KIND_WEIGHT = {"pref": 1.0, "alt": 0.95, "hidden": 0.9}
OTHER_LANGUAGE_WEIGHT = 0.98
# Signal weights (they sum to 1, so a fused score stays within 0..1).
WEIGHTS = {"char": 0.30, "dense": 0.50, "words": 0.05, "centroid": 0.15}
WEIGHTS_MODEL_FREE = {"char": 0.80, "words": 0.05, "centroid": 0.15}
# No concept at or above this fused score: the title is taken for nonsense.
MIN_SCORE = 0.30
MIN_SCORE_MODEL_FREE = 0.25
# ... and when no label shares this much of its character n-grams with the
# title, the embedding alone must reach MIN_SCORE_WITHOUT_LETTERS ("xqzvjkw"
# is near "kok" for the encoder, and near no label in letters).
MIN_LETTERS = 0.35
MIN_SCORE_WITHOUT_LETTERS = 0.45
# Titles are cut to this many characters (a pasted paragraph is not a title).
MAX_TITLE_CHARS = 200
# Dutch compounds: only words this long are split, into parts at least
# MIN_PART long that occur in two labels or more, with an optional linking
# "s", "e" or "en" ("veiligheidscoordinator" -> "veiligheid" + "coordinator").
SPLIT_FROM = 7
MIN_PART = 3
LINKS = ("", "s", "e", "en")
BM25_K1 = 1.2
BM25_B = 0.75
BATCH = 64
# Concepts whose labels are compared with the title's embedding one by one.
CANDIDATES = 200
MAX_TOP = 100
CHECK_SECONDS = 30.0

# "(m/v)", "m/v/x", "(h/f)", "M/V/X": gender markers of job advertisements.
_GENDER = re.compile(r"\(?\b[mvwhfxd](?:\s*/\s*[mvwhfxd]){1,3}\b\)?", re.IGNORECASE)


@dataclass(frozen=True)
class OccupationMatch:
    occupation_id: int
    uri: str
    score: float  # 0..1, higher is better
    label: str  # the ESCO surface form that matched best


def clean_title(title: str) -> str:
    """The title without gender markers and cut to MAX_TITLE_CHARS."""
    text = _GENDER.sub(" ", title[: MAX_TITLE_CHARS * 2])
    return " ".join(text.split())[:MAX_TITLE_CHARS]


class Decompounder:
    """Splits Dutch compounds into words that occur in the labels."""

    def __init__(self, vocabulary: set[str]) -> None:
        self.vocabulary = vocabulary
        self._cache: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def split(self, word: str) -> tuple[str, ...]:
        cached = self._cache.get(word)
        if cached is None:
            cached = self._split(word)
            with self._lock:
                if len(self._cache) > 100_000:
                    self._cache.clear()
                self._cache[word] = cached
        return cached

    def _split(self, word: str) -> tuple[str, ...]:
        if len(word) < SPLIT_FROM:
            return (word,)
        best: tuple[str, str] | None = None
        for at in range(MIN_PART, len(word) - MIN_PART + 1):
            head, rest = word[:at], word[at:]
            if head not in self.vocabulary:
                continue
            for link in LINKS:
                if not rest.startswith(link):
                    continue
                tail = rest[len(link) :]
                # The most even split wins ("vrachtwagen" + "chauffeur").
                if (
                    len(tail) >= MIN_PART
                    and tail in self.vocabulary
                    and (best is None or min(len(head), len(tail)) > min(map(len, best)))
                ):
                    best = (head, tail)
        if best is None:
            return (word,)
        return (best[0], *self._split(best[1]))

    def tokens(self, normalised: str) -> list[str]:
        """The words of a normalised text, each followed by its parts."""
        out: list[str] = []
        for word in normalised.split():
            out.append(word)
            parts = self.split(word)
            if len(parts) > 1:
                out.extend(parts)
        return out


@dataclass
class Index:
    """Everything needed to rank occupations for a title; read-only once built."""

    ids: np.ndarray  # occupation pk, per concept
    uris: list[str]
    labels: list[str]  # surface forms, grouped by concept
    label_concept: np.ndarray  # concept position of each label
    label_language: np.ndarray  # "nl"/"en" per label
    label_weight: dict[str, np.ndarray]  # per language of the title: kind x language, per label
    starts: np.ndarray  # first label of each concept (every concept has one)
    ends: np.ndarray  # one past its last label
    vectoriser: TfidfVectorizer
    char_t: sp.csr_matrix  # n-grams x labels
    char_centroid_t: sp.csr_matrix  # n-grams x concepts
    decompounder: Decompounder
    vocabulary: dict[str, int]
    bm25: sp.csr_matrix  # words x concepts
    encoder: Encoder | None
    dense: np.ndarray | None  # labels x dims
    dense_centroid: np.ndarray | None  # concepts x dims
    key: tuple[Any, ...]
    built_seconds: float = 0.0
    checked: float = field(default_factory=time.monotonic)

    @property
    def model_free(self) -> bool:
        return self.dense is None


_lock = threading.Lock()
_encode_lock = threading.Lock()
_index: Index | None = None


def forget_index() -> None:
    """Drop the process's index; the next call builds it again."""
    global _index
    with _lock:
        _index = None


def _database_key() -> tuple[Any, ...]:
    latest = EscoImport.objects.order_by("-loaded_at", "-id").values_list("pk", flat=True).first()
    count = Occupation.objects.count()
    return (latest, count)


def get_index() -> Index | None:
    """The process's index (built on first use); None when no occupation is loaded."""
    global _index
    encoder = get_encoder()
    model_id = encoder.model_id if encoder else None
    index = _index
    if index is not None and index.key[0] == model_id:
        if time.monotonic() - index.checked < getattr(
            settings, "TAXONOMY_INDEX_CHECK_SECONDS", CHECK_SECONDS
        ):
            return index
        if index.key[1:] == _database_key():
            index.checked = time.monotonic()
            return index
    with _lock:
        index = _index
        key = (model_id, *_database_key())
        if index is None or index.key != key:
            _index = index = _build(encoder, key)
        return index if index is not None and len(index.uris) else None


def _rows() -> Iterable[tuple[int, str, str, str, str]]:
    """(pk, uri, text, language, kind) of every label, grouped by occupation."""
    fields = ("pk", "uri", "pref_nl", "alt_nl", "hidden_nl", "pref_en", "alt_en", "hidden_en")
    for row in Occupation.objects.order_by("pk").values_list(*fields).iterator(chunk_size=1000):
        pk, uri = row[0], row[1]
        for (language, kind), raw in zip(
            [(lang, kind) for lang in ("nl", "en") for kind in ("pref", "alt", "hidden")],
            row[2:],
            strict=True,
        ):
            for text in (raw or "").split(LABEL_SEPARATOR):
                text = " ".join(text.split())
                if text and normalise(text):
                    yield pk, uri, text, language, kind


def _build(encoder: Encoder | None, key: tuple[Any, ...]) -> Index | None:
    started = time.perf_counter()
    ids: list[int] = []
    uris: list[str] = []
    labels: list[str] = []
    label_concept: list[int] = []
    languages: list[str] = []
    kinds: list[float] = []
    for pk, uri, text, language, kind in _rows():
        if not ids or ids[-1] != pk:
            ids.append(pk)
            uris.append(uri)
        labels.append(text)
        label_concept.append(len(ids) - 1)
        languages.append(language)
        kinds.append(KIND_WEIGHT[kind])
    if not labels:
        return None
    concept_of = np.asarray(label_concept, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(concept_of)) + 1]
    normalised = [normalise(text) for text in labels]

    vectoriser = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
    )
    char = vectoriser.fit_transform(normalised).tocsr()
    membership = sp.csr_matrix(
        (np.ones(len(labels), dtype=np.float32), (concept_of, np.arange(len(labels)))),
        shape=(len(ids), len(labels)),
    )
    char_centroid = l2_normalise(membership @ char)

    counts = Counter(word for text in normalised for word in text.split())
    decompounder = Decompounder(
        {w for w, n in counts.items() if n >= 2 and len(w) >= MIN_PART and not w.isdigit()}
    )
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    documents: list[Counter[str]] = [Counter() for _ in ids]
    for concept, text in zip(label_concept, normalised, strict=True):
        documents[concept].update(decompounder.tokens(text))
    for concept, document in enumerate(documents):
        for word, n in document.items():
            rows.append(concept)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
            values.append(n)
    tf = sp.csr_matrix(
        (np.asarray(values, dtype=np.float32), (rows, cols)), shape=(len(ids), len(vocabulary))
    ).tocoo()
    df = np.bincount(tf.col, minlength=len(vocabulary))
    idf = np.log1p((len(ids) - df + 0.5) / (df + 0.5)).astype(np.float32)
    length = np.asarray(tf.tocsr().sum(axis=1)).ravel()
    norm = BM25_K1 * (1 - BM25_B + BM25_B * length[tf.row] / length.mean())
    weight = tf.data * (BM25_K1 + 1) / (tf.data + norm) * idf[tf.col]
    bm25 = sp.csr_matrix((weight, (tf.col, tf.row)), shape=(len(vocabulary), len(ids)))

    dense = dense_centroid = None
    if encoder is not None:
        dense = encoder.encode_cached(labels)
        dense_centroid = np.zeros((len(ids), dense.shape[1]), dtype=np.float32)
        np.add.at(dense_centroid, concept_of, dense)
        dense_centroid /= np.maximum(np.linalg.norm(dense_centroid, axis=1, keepdims=True), 1e-9)

    return Index(
        ids=np.asarray(ids, dtype=np.int64),
        uris=uris,
        labels=labels,
        label_concept=concept_of,
        label_language=np.asarray(languages),
        label_weight={
            language: np.asarray(kinds, dtype=np.float32)
            * np.where(np.asarray(languages) == language, 1.0, OTHER_LANGUAGE_WEIGHT).astype(
                np.float32
            )
            for language in ("nl", "en")
        },
        starts=starts,
        ends=np.r_[starts[1:], len(labels)],
        vectoriser=vectoriser,
        char_t=char.T.tocsr(),
        char_centroid_t=char_centroid.T.tocsr(),
        decompounder=decompounder,
        vocabulary=vocabulary,
        bm25=bm25,
        encoder=encoder,
        dense=dense,
        dense_centroid=dense_centroid,
        key=key,
        built_seconds=time.perf_counter() - started,
    )


def _word_scores(index: Index, normalised: str) -> np.ndarray:
    rows = sorted(
        {
            index.vocabulary[w]
            for w in index.decompounder.tokens(normalised)
            if w in index.vocabulary
        }
    )
    if not rows:
        return np.zeros(len(index.uris), dtype=np.float32)
    scores = np.asarray(index.bm25[rows].sum(axis=0)).ravel()
    best = scores.max()
    return scores / best if best > 0 else scores


def _rank_batch(
    index: Index, titles: list[str], language: str, top: int
) -> list[list[OccupationMatch]]:
    cleaned = [clean_title(title) for title in titles]
    normalised = [normalise(text) for text in cleaned]
    out: list[list[OccupationMatch]] = [[] for _ in titles]
    todo = [i for i, text in enumerate(normalised) if text]
    if not todo:
        return out
    weights = index.label_weight[language]
    queries = index.vectoriser.transform([normalised[i] for i in todo])
    char = (queries @ index.char_t).toarray()  # titles x labels
    vectors: np.ndarray | None = None
    dense_centroid: np.ndarray | None = None
    if index.dense is not None and index.encoder is not None and index.dense_centroid is not None:
        with _encode_lock:
            vectors = index.encoder.encode([cleaned[i] for i in todo])
        dense_centroid = np.clip(vectors @ index.dense_centroid.T, 0.0, 1.0)
    signal_weights = WEIGHTS_MODEL_FREE if vectors is None else WEIGHTS
    threshold = MIN_SCORE_MODEL_FREE if vectors is None else MIN_SCORE
    for row, i in enumerate(todo):
        label_char = char[row] * weights
        concept: np.ndarray = signal_weights["char"] * np.maximum.reduceat(label_char, index.starts)
        concept += signal_weights["words"] * _word_scores(index, normalised[i])
        label_dense: np.ndarray | None = None
        if vectors is not None and dense_centroid is not None and index.dense is not None:
            # The dense label scores of every label would stream all label
            # vectors per title; the centroid stands in for them to pick the
            # CANDIDATES concepts that get their labels compared.
            preliminary = (
                concept
                + (signal_weights["dense"] + signal_weights["centroid"]) * dense_centroid[row]
            )
            count = min(CANDIDATES, len(concept))
            picked = np.sort(np.argpartition(-preliminary, count - 1)[:count])
            first, last = index.starts[picked], index.ends[picked]
            lengths = last - first
            rows = np.repeat(first - np.r_[0, np.cumsum(lengths)[:-1]], lengths) + np.arange(
                lengths.sum()
            )
            label_dense = np.zeros(len(index.labels), dtype=np.float32)
            label_dense[rows] = np.clip(index.dense[rows] @ vectors[row], 0.0, 1.0) * weights[rows]
            best_dense = np.maximum.reduceat(label_dense[rows], np.r_[0, np.cumsum(lengths)[:-1]])
            final = np.full(len(concept), -1.0, dtype=np.float32)
            final[picked] = (
                concept[picked]
                + signal_weights["dense"] * best_dense
                + signal_weights["centroid"] * dense_centroid[row][picked]
            )
            concept = final
        else:
            char_centroid = (queries[row] @ index.char_centroid_t).toarray().ravel()
            concept += signal_weights["centroid"] * char_centroid
        count = min(top, len(concept))
        best = np.argpartition(-concept, count - 1)[:count]
        best = best[np.argsort(-concept[best], kind="stable")]
        if concept[best[0]] < threshold or (
            char[row].max() < MIN_LETTERS and concept[best[0]] < MIN_SCORE_WITHOUT_LETTERS
        ):
            continue
        matches = []
        for c in best:
            score = float(concept[c])
            if score < threshold:
                break
            first, last = index.starts[c], index.ends[c]
            label_score = signal_weights["char"] * label_char[first:last]
            if label_dense is not None:
                label_score = label_score + signal_weights["dense"] * label_dense[first:last]
            label = index.labels[first + int(np.argmax(label_score))]
            matches.append(
                OccupationMatch(
                    occupation_id=int(index.ids[c]),
                    uri=index.uris[c],
                    score=min(1.0, max(0.0, score)),
                    label=label,
                )
            )
        out[i] = matches
    return out


def normalise_titles(
    titles: list[str], language: str = "nl", top: int = 10
) -> list[list[OccupationMatch]]:
    """Ranked ESCO occupations for each title, in the order of `titles`.

    An empty title, or one no occupation resembles enough, gets []. Never raises
    for odd input; answers [] for every title when ESCO is not loaded.
    """
    if not titles:
        return []
    top = max(0, min(int(top), MAX_TOP))
    index = get_index()
    if index is None or top == 0:
        return [[] for _ in titles]
    language = "en" if str(language).lower().startswith("en") else "nl"
    out: list[list[OccupationMatch]] = []
    for start in range(0, len(titles), BATCH):
        batch = [title if isinstance(title, str) else "" for title in titles[start : start + BATCH]]
        out.extend(_rank_batch(index, batch, language, top))
    return out


def normalise_title(title: str, language: str = "nl", top: int = 10) -> list[OccupationMatch]:
    """Ranked ESCO occupations for one job title (Dutch or English), best first."""
    return normalise_titles([title], language=language, top=top)[0]
