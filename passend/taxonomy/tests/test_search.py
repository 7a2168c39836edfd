"""Search over all labels: Dutch and English, case and accents ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from passend.taxonomy import selectors
from passend.taxonomy.services import load_esco
from passend.taxonomy.tests.fixtures import (
    BAKER,
    COORDINATOR,
    DEVELOPER,
    HYGIENE,
    KNEAD,
    PASTRY,
    PYTHON,
    TEAMWORK,
    compact_folder,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def esco(tmp_path: Path) -> None:
    load_esco(compact_folder(tmp_path / "esco"))


def uris(hits: list[selectors.SearchHit]) -> list[str]:
    return [hit.uri for hit in hits]


def test_it_finds_occupations_by_dutch_and_english_preferred_labels(esco: None) -> None:
    assert uris(selectors.search_occupations("bakker", language="nl"))[0] == BAKER
    assert uris(selectors.search_occupations("baker", language="en"))[0] == BAKER
    assert uris(selectors.search_occupations("Software", language="en")) == [DEVELOPER]


def test_it_shows_the_label_in_the_readers_language(esco: None) -> None:
    assert selectors.search_occupations("baker", language="nl")[0].label == "bakker"
    assert selectors.search_occupations("bakker", language="en")[0].label == "baker"
    # No Dutch label: the English one is shown.
    assert selectors.search_skills("python", language="nl")[0].label.startswith("Python")


def test_it_finds_alternative_and_hidden_labels(esco: None) -> None:
    hit = selectors.search_occupations("programmeur", language="nl")[0]
    assert (hit.uri, hit.matched, hit.label) == (DEVELOPER, "programmeur", "softwareontwikkelaar")
    assert uris(selectors.search_occupations("confectioner")) == [PASTRY]
    assert uris(selectors.search_occupations("softwareontwikkelar")) == [DEVELOPER]
    assert uris(selectors.search_skills("samenwerken", language="nl")) == [TEAMWORK]


def test_it_ignores_case_and_accents(esco: None) -> None:
    assert uris(selectors.search_occupations("COORDINATOR")) == [COORDINATOR]
    assert uris(selectors.search_occupations("coördinator")) == [COORDINATOR]
    assert uris(selectors.search_skills("voedselhygiene")) == [HYGIENE]
    assert uris(selectors.search_skills("Hygiëne")) == [HYGIENE]


def test_it_matches_the_start_of_a_later_word(esco: None) -> None:
    assert uris(selectors.search_occupations("developer")) == [DEVELOPER]
    assert uris(selectors.search_skills("kneden")) == [KNEAD]
    # ...but not the middle of a word ("eveloper", one letter short, is a typo).
    assert selectors.search_occupations("veloper") == []


def test_it_ranks_exact_and_preferred_labels_first(esco: None) -> None:
    assert uris(selectors.search_occupations("baker", language="en")) == [BAKER, PASTRY]
    assert uris(selectors.search_skills("python")) == [PYTHON]


def test_it_returns_nothing_for_short_or_empty_queries(esco: None) -> None:
    assert selectors.search_occupations("") == []
    assert selectors.search_occupations("b") == []
    assert selectors.search_occupations("  -- ") == []
    assert selectors.search_skills("%") == []
    assert selectors.search_occupations("zzzz") == []


def test_it_treats_like_wildcards_as_text(esco: None) -> None:
    assert selectors.search_occupations("ba%er") == []
    assert selectors.search_occupations("b_ker") == []


def test_it_limits_the_number_of_hits(esco: None) -> None:
    assert len(selectors.search_occupations("ba", limit=1)) == 1
    assert len(selectors.search_occupations("ba", limit=1000)) == 2


def test_it_searches_with_a_fixed_number_of_queries(
    esco: None, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        selectors.search_occupations("developer", limit=10)


def test_it_is_empty_without_data() -> None:
    assert not selectors.taxonomy_loaded()
    assert selectors.search_occupations("bakker") == []
