"""Normalisation of labels and search queries.

Lower-case (casefold), accents removed (NFKD without combining marks, so
"coördinator" finds "coordinator" and the other way round), every run of
characters that are not letters or digits turned into one space. The same
function builds the indexed `normalised` column and the query, so they meet.
"""

from __future__ import annotations

import unicodedata

MAX_NORMALISED_LENGTH = 255


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    out: list[str] = []
    space = False
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        if char.isalnum():
            if space and out:
                out.append(" ")
            out.append(char)
            space = False
        else:
            space = True
    return "".join(out)[:MAX_NORMALISED_LENGTH]


def words(normalised: str, min_length: int = 3, max_length: int = 64) -> set[str]:
    """The distinct words of a normalised label that the typo-tolerant search
    keeps in its vocabulary (see OccupationWord/SkillWord)."""
    return {word for word in normalised.split() if min_length <= len(word) <= max_length}
