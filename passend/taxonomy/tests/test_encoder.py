"""The packaged sentence encoder: unit vectors, truncation, and the disk cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from passend.taxonomy import encoder


@pytest.fixture
def model(settings: Any, tmp_path: Path) -> encoder.Encoder:
    settings.MATCHING_ENCODER = "use"
    settings.MATCHING_CACHE_DIR = str(tmp_path)
    loaded = encoder.get_encoder()
    assert loaded is not None
    return loaded


def test_it_answers_unit_vectors_and_finds_dutch_near_english(model: encoder.Encoder) -> None:
    vectors = model.encode(["bakker", "baker", "verpleegkundige"])

    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_it_reads_the_second_time_from_the_disk_cache(
    model: encoder.Encoder, tmp_path: Path, monkeypatch: Any
) -> None:
    first = model.encode_cached(["bakker", "kok"])
    assert list(tmp_path.glob("embeddings-*.npy"))

    def refuse(texts: list[str]) -> np.ndarray:
        raise AssertionError("encoded again")

    monkeypatch.setattr(encoder.Encoder, "encode", lambda self, texts: refuse(texts))
    second = model.encode_cached(["bakker", "kok"])

    assert np.allclose(first, second, atol=1e-3)


def test_it_cuts_long_texts_at_a_word_and_says_so() -> None:
    text, cut = encoder.truncate("woord " * 1000)

    assert cut
    assert len(text) <= encoder.MAX_CHARS
    assert text.endswith("woord")
    assert encoder.truncate("kort") == ("kort", False)


def test_model_free_mode_has_no_encoder(settings: Any) -> None:
    settings.MATCHING_ENCODER = "none"
    try:
        assert encoder.get_encoder() is None
        assert encoder.model_free()
    finally:
        encoder._loaded.pop("none", None)
