"""Shared helpers for retrieval benchmarks: metrics, two lexical baselines, and
aggregation of element scores to concept scores.

No Django here: a benchmark hands in plain lists of texts and ids.

Metrics (every function takes one query's ranking, a list of ids best first,
and the set of its relevant ids; `evaluate` averages them over queries):

* `reciprocal_rank`: 1 / rank of the first relevant id (0 when none is ranked).
* `accuracy_at(k)`: 1 when a relevant id is in the top k.
* `ndcg_at(k)`: binary-gain nDCG@k (the ideal ranking puts every relevant id first).
* `average_precision`: AP over all relevant ids (MAP when averaged), for
  multi-relevant qrels; relevant ids that are not ranked count as misses.

Baselines (both rank a fixed list of documents for a batch of queries and
answer a dense queries x documents score matrix):

* `BM25`: Okapi BM25 over words (lower case, accents stripped, `\\w+` tokens).
* `CharTfidf`: cosine of character n-gram TF-IDF vectors (scikit-learn's
  `char_wb` analyser, 3-5-grams, sublinear tf by default), the strong lexical
  baseline of MELO and TalentCLEF.

`aggregate_max` turns element scores (one per surface form) into concept
scores (the best surface form of each concept), and `top_ids` ranks them.

Example::

    index = CharTfidf(label_texts)
    concept_scores = aggregate_max(index.scores(queries), label_concept, len(concepts))
    runs = [top_ids(row, concepts, k=100) for row in concept_scores]
    print(evaluate(runs, relevant_sets))
"""

from __future__ import annotations

import math
import re
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

Ranking = Sequence[Hashable]
Relevant = Collection[Hashable]

# --- metrics -------------------------------------------------------------


def reciprocal_rank(ranking: Ranking, relevant: Relevant) -> float:
    for position, item in enumerate(ranking, start=1):
        if item in relevant:
            return 1.0 / position
    return 0.0


def accuracy_at(k: int) -> Callable[[Ranking, Relevant], float]:
    def accuracy(ranking: Ranking, relevant: Relevant) -> float:
        return 1.0 if any(item in relevant for item in ranking[:k]) else 0.0

    accuracy.__name__ = f"A@{k}"
    return accuracy


def ndcg_at(k: int) -> Callable[[Ranking, Relevant], float]:
    def ndcg(ranking: Ranking, relevant: Relevant) -> float:
        if not relevant:
            return 0.0
        gain = sum(
            1.0 / math.log2(position + 1)
            for position, item in enumerate(ranking[:k], start=1)
            if item in relevant
        )
        ideal = sum(
            1.0 / math.log2(position + 1) for position in range(1, min(k, len(relevant)) + 1)
        )
        return gain / ideal

    ndcg.__name__ = f"nDCG@{k}"
    return ndcg


def average_precision(ranking: Ranking, relevant: Relevant) -> float:
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    for position, item in enumerate(ranking, start=1):
        if item in relevant:
            hits += 1
            total += hits / position
    return total / len(relevant)


DEFAULT_METRICS: dict[str, Callable[[Ranking, Relevant], float]] = {
    "MRR": reciprocal_rank,
    "A@1": accuracy_at(1),
    "A@10": accuracy_at(10),
    "nDCG@10": ndcg_at(10),
    "MAP": average_precision,
}


def evaluate(
    rankings: Sequence[Ranking],
    relevant: Sequence[Relevant],
    metrics: dict[str, Callable[[Ranking, Relevant], float]] | None = None,
) -> dict[str, float]:
    """The mean of each metric over the queries (rankings and relevant sets in the same order)."""
    if len(rankings) != len(relevant):
        raise ValueError("one ranking per set of relevant ids")
    chosen = metrics or DEFAULT_METRICS
    if not rankings:
        return dict.fromkeys(chosen, 0.0)
    return {
        name: sum(metric(r, rel) for r, rel in zip(rankings, relevant, strict=True)) / len(rankings)
        for name, metric in chosen.items()
    }


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of `values`; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))]


def latencies_ms(function: Callable[[str], object], queries: Sequence[str]) -> dict[str, float]:
    """Calls `function` once per query; p50 and p95 wall time in milliseconds."""
    times = []
    for query in queries:
        start = time.perf_counter()
        function(query)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "p50": statistics.median(times) if times else 0.0,
        "p95": percentile(times, 0.95),
    }


# --- baselines -----------------------------------------------------------

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case without accents ("Coördinator" -> "coordinator")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


class BM25:
    """Okapi BM25 over word tokens of `documents` (k1 1.2, b 0.75 by default)."""

    def __init__(
        self,
        documents: Sequence[str],
        k1: float = 1.2,
        b: float = 0.75,
        tokenise: Callable[[str], list[str]] = words,
    ) -> None:
        self.tokenise = tokenise
        self.vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        for row, document in enumerate(documents):
            for token, count in Counter(tokenise(document)).items():
                rows.append(row)
                cols.append(self.vocabulary.setdefault(token, len(self.vocabulary)))
                values.append(count)
        shape = (len(documents), max(1, len(self.vocabulary)))
        tf = sp.coo_matrix((np.asarray(values, dtype=np.float32), (rows, cols)), shape=shape)
        length = np.asarray(tf.tocsr().sum(axis=1)).ravel()
        average = float(length.mean()) if len(length) and length.mean() > 0 else 1.0
        df = np.bincount(tf.col, minlength=shape[1])
        n = len(documents)
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        data = tf.data * (k1 + 1) / (tf.data + k1 * (1 - b + b * length[tf.row] / average))
        # terms x documents, so a query is a sum of rows
        self.matrix = sp.csr_matrix(
            (data * idf[tf.col], (tf.col, tf.row)), shape=(shape[1], n), dtype=np.float32
        )
        self.size = n

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(queries), self.size), dtype=np.float32)
        for i, query in enumerate(queries):
            rows = [self.vocabulary[t] for t in self.tokenise(query) if t in self.vocabulary]
            if rows:
                out[i] = np.asarray(self.matrix[rows].sum(axis=0)).ravel()
        return out


class CharTfidf:
    """Cosine of character n-gram TF-IDF vectors of the queries and `documents`."""

    def __init__(
        self,
        documents: Sequence[str],
        ngram_range: tuple[int, int] = (3, 5),
        analyzer: str = "char_wb",
        sublinear_tf: bool = True,
    ) -> None:
        self.vectoriser = TfidfVectorizer(
            analyzer=analyzer,
            ngram_range=ngram_range,
            sublinear_tf=sublinear_tf,
            lowercase=True,
            strip_accents="unicode",
            dtype=np.float32,
        )
        self.matrix_t = self.vectoriser.fit_transform(list(documents)).T.tocsr()

    def scores(self, queries: Sequence[str]) -> np.ndarray:
        return np.asarray((self.vectoriser.transform(list(queries)) @ self.matrix_t).toarray())


# --- concepts ------------------------------------------------------------


def aggregate_max(
    element_scores: np.ndarray, element_group: Sequence[int] | np.ndarray, groups: int
) -> np.ndarray:
    """Concept scores from element scores: the best element of each group.

    `element_scores` is queries x elements (or one row); `element_group[j]` is
    the concept (0..groups-1) of element j. A concept without elements scores -inf.
    """
    scores = np.atleast_2d(np.asarray(element_scores, dtype=np.float32))
    group = np.asarray(element_group, dtype=np.int64)
    out = np.full((scores.shape[0], groups), -np.inf, dtype=np.float32)
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_group)) + 1] if len(group) else np.array([])
    if len(starts):
        out[:, sorted_group[starts]] = np.maximum.reduceat(scores[:, order], starts, axis=1)
    return out


def top_ids(scores: np.ndarray, ids: Sequence[Hashable], k: int = 100) -> list[Hashable]:
    """The ids of the k best scores, best first (ties in id order)."""
    row = np.asarray(scores).ravel()
    k = min(k, len(row))
    if k <= 0:
        return []
    best = np.argpartition(-row, k - 1)[:k]
    best = best[np.lexsort((best, -row[best]))]
    return [ids[i] for i in best if np.isfinite(row[i])]
