"""The stored sort key of a person's name, so that lists sort in an index.

A list ordered by a name across a join sorts the whole organisation for
every page; a key stored on the listed row, with an index that matches the
list's filter and order, lets the database read the first page in order and
stop. The key folds case and accents, so "Émile", "emile" and "EMILE" sort
together, the same in SQLite and PostgreSQL (no collation needed).

Leaf layer: no app of Passend.
"""

from __future__ import annotations

import unicodedata

# The longest name a key keeps: the account's name field allows 200 characters.
SORT_KEY_LENGTH = 200


def sort_key(name: str | None) -> str:
    """`name` casefolded, without accents, its whitespace collapsed."""
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())[:SORT_KEY_LENGTH]
