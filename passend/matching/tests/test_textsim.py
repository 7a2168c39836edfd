"""Text similarity for matching: character n-gram TF-IDF fused with the encoder."""

from __future__ import annotations

import numpy as np
import pytest

from passend.matching import textsim
from passend.matching.textsim import HybridText

VACANCIES = [
    "Heftruckchauffeur in een distributiecentrum: orderpicken, laden en lossen van vrachtwagens.",
    "Verpleegkundige op de afdeling interne geneeskunde, zorg voor patiënten en medicatie.",
    "Boekhouder voor de financiële administratie: facturen, btw-aangifte en jaarrekening.",
    "Kok in een restaurant: bereiden van maaltijden, hygiëne en bestellen van ingrediënten.",
]


class FakeEncoder:
    """Encodes a text as its counts of a few topic words: enough to test the fusion."""

    TOPICS = (
        ("heftruck", "magazijn", "logistiek", "vrachtwagen"),
        ("patiënt", "zorg", "verpleeg", "ziekenhuis"),
        ("factuur", "facturen", "boekhoud", "administratie"),
        ("kok", "keuken", "maaltijd", "restaurant"),
    )
    model_id = "fake 1"

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        rows = np.array(
            [
                [sum(word in text.lower() for word in topic) + 0.01 for topic in self.TOPICS]
                for text in texts
            ],
            dtype=np.float32,
        )
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_the_related_vacancy_ranks_first_without_a_model():
    index = HybridText(VACANCIES)
    best, _ = index.rank("ervaring als heftruckchauffeur en orderpicker")[0]
    assert best == 0


def test_without_an_encoder_the_score_is_the_lexical_cosine():
    index = HybridText(VACANCIES)
    assert index.model_free
    assert index.dense(["kok"]) is None
    np.testing.assert_allclose(index.scores(["kok"]), index.lexical(["kok"]))


def test_the_lexical_part_copes_with_typos_and_inflection():
    index = HybridText(VACANCIES)
    best, _ = index.rank("verpleegkundigen patienten")[0]
    assert best == 1


def test_the_encoder_finds_a_related_text_without_shared_words():
    encoder = FakeEncoder()
    index = HybridText(VACANCIES, encoder)
    assert not index.model_free
    # "magazijn" and "logistiek" are in no vacancy; the encoder links them to the first.
    best, _ = index.rank("medewerker magazijn logistiek")[0]
    assert best == 0


def test_scores_lie_between_0_and_1_one_row_per_query():
    index = HybridText(VACANCIES, FakeEncoder())
    scores = index.scores(["kok", "boekhouder", "iets heel anders"])
    assert scores.shape == (3, len(VACANCIES))
    assert scores.min() >= 0.0
    assert scores.max() <= 1.0


def test_known_vectors_are_used_instead_of_encoding_again():
    encoder = FakeEncoder()
    vectors = encoder.encode(VACANCIES)
    index = HybridText(VACANCIES, encoder, vectors=vectors)
    index.scores(["kok"], vectors=encoder.encode(["kok"]))
    assert encoder.calls == 2


def test_the_fusion_weighs_the_encoder_by_dense_weight():
    lexical = np.array([[0.2, 0.4]], dtype=np.float32)
    dense = np.array([[textsim.DENSE_FLOOR + textsim.DENSE_SPAN, textsim.DENSE_FLOOR]])
    fused = textsim.fuse(lexical, dense, weight=0.25)
    np.testing.assert_allclose(fused, [[0.25 * 1.0 + 0.75 * 0.2, 0.75 * 0.4]], rtol=1e-6)


def test_encoder_cosines_below_the_floor_count_as_unrelated():
    assert textsim.dense_scale(np.array([-0.3, 0.0, textsim.DENSE_FLOOR])).tolist() == [0, 0, 0]


@pytest.mark.parametrize("documents", [[], ["", "  "]])
def test_an_index_of_nothing_scores_nothing(documents):
    index = HybridText(documents)
    assert index.scores(["kok"]).shape == (1, len(documents))
    assert not index.scores(["kok"]).any()


def test_no_queries_give_no_rows():
    assert HybridText(VACANCIES).scores([]).shape == (0, len(VACANCIES))
