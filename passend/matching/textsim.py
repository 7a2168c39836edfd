"""Text similarity for matching: character n-gram TF-IDF fused with a sentence encoder.

`HybridText(documents, encoder)` indexes a list of texts (vacancies, or
profiles); `.scores(queries)` answers, for each query, a similarity in [0, 1]
with every document:

    score = DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * lexical

where `lexical` is the cosine of character 3-5-gram TF-IDF vectors (robust to
Dutch compounds, inflection and typos) and `dense` the encoder's cosine mapped
from [DENSE_FLOOR, DENSE_FLOOR + DENSE_SPAN] onto [0, 1] (unrelated texts sit
near the floor). The weight was chosen on the development half of the proxy
benchmarks and is reported on the other half (benchmarks/bench_match_proxies.py,
docs/matching-proxies.md).

Without an encoder (model-free mode, `get_encoder()` is None) the score is
the lexical cosine alone. Scores are absolute, not ranks within a query, so
they can be compared across queries and combined with other signals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


class TextEncoder(Protocol):
    """What is needed of an encoder (passend.taxonomy.encoder.Encoder has it)."""

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text."""
        ...


# Chosen on the development halves of the full proxy sets (3,006 ESCO occupations
# in Dutch and English, 923 O*NET occupations both ways): 0.4 gave the best mean
# gain over char TF-IDF, 0.3 to 0.6 all within 2 % of it (docs/matching-proxies.md).
DENSE_WEIGHT = 0.4
# USE multilingual v3 cosines: unrelated texts near the floor, close paraphrases
# around floor + span (passend.matching.engine reads the encoder the same way).
DENSE_FLOOR = 0.15
DENSE_SPAN = 0.6
CHAR_NGRAMS = (3, 5)
# Queries are scored in blocks of this many rows to bound the memory of the
# dense (queries x documents) products.
BLOCK = 512


def char_vectorizer() -> TfidfVectorizer:
    """Character n-grams within word boundaries, accents folded, sublinear tf."""
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=CHAR_NGRAMS,
        lowercase=True,
        strip_accents="unicode",
        sublinear_tf=True,
        dtype=np.float32,
    )


def dense_scale(cosines: np.ndarray) -> np.ndarray:
    """Encoder cosines mapped onto [0, 1] by DENSE_FLOOR and DENSE_SPAN."""
    return np.clip((cosines - DENSE_FLOOR) / DENSE_SPAN, 0.0, 1.0).astype(np.float32)


def fuse(lexical: np.ndarray, dense: np.ndarray | None, weight: float = DENSE_WEIGHT) -> np.ndarray:
    """The weighted fusion of a lexical cosine matrix and raw encoder cosines."""
    if dense is None:
        return lexical.astype(np.float32, copy=False)
    return (weight * dense_scale(dense) + (1.0 - weight) * lexical).astype(np.float32)


class HybridText:
    """An index of texts that answers fused similarities to new texts."""

    def __init__(
        self,
        documents: Sequence[str],
        encoder: TextEncoder | None = None,
        *,
        dense_weight: float = DENSE_WEIGHT,
        vectors: np.ndarray | None = None,
    ) -> None:
        """Index `documents`; `vectors` are their encoder rows, if already known."""
        self.documents = list(documents)
        self.encoder = encoder
        self.dense_weight = dense_weight
        self._vectorizer = char_vectorizer()
        # An empty or blank-only list has no n-grams to learn: every score is 0.
        self._lexical = (
            self._vectorizer.fit_transform(self.documents)
            if any(text.strip() for text in self.documents)
            else None
        )
        self._vectors: np.ndarray | None = None
        if encoder is not None:
            self._vectors = (
                np.asarray(vectors, dtype=np.float32)
                if vectors is not None
                else encoder.encode(self.documents)
            )

    @property
    def model_free(self) -> bool:
        return self._vectors is None

    def lexical(self, queries: Sequence[str]) -> np.ndarray:
        """Character n-gram TF-IDF cosines, (len(queries), len(documents))."""
        if self._lexical is None or not queries:
            return np.zeros((len(queries), len(self.documents)), dtype=np.float32)
        matrix = self._vectorizer.transform(list(queries))
        return np.asarray((matrix @ self._lexical.T).toarray(), dtype=np.float32)

    def dense(self, queries: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray | None:
        """Raw encoder cosines, or None in model-free mode.

        `vectors` are the queries' encoder rows when already known (unit length);
        otherwise the queries are encoded here.
        """
        if self._vectors is None or self.encoder is None:
            return None
        if vectors is None:
            vectors = self.encoder.encode(list(queries))
        return np.asarray(vectors, dtype=np.float32) @ self._vectors.T

    def scores(self, queries: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """Fused similarities in [0, 1], one row per query, one column per document."""
        blocks = [
            fuse(
                self.lexical(queries[start : start + BLOCK]),
                self.dense(
                    queries[start : start + BLOCK],
                    None if vectors is None else vectors[start : start + BLOCK],
                ),
                self.dense_weight,
            )
            for start in range(0, len(queries), BLOCK)
        ]
        if not blocks:
            return np.zeros((0, len(self.documents)), dtype=np.float32)
        return np.vstack(blocks)

    def rank(self, query: str, top: int = 10) -> list[tuple[int, float]]:
        """The `top` documents for one query: (index, score), best first."""
        row = self.scores([query])[0]
        order = np.argsort(-row, kind="stable")[:top]
        return [(int(i), float(row[i])) for i in order]
