"""Typo tolerance anywhere in a word, the first letters included, on the full
ESCO bundle: Dutch and English, occupations and skills (docs/taxonomy.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from passend.taxonomy import selectors
from passend.taxonomy.models import Occupation, OccupationWord, Skill, SkillWord
from passend.taxonomy.services import load_esco

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bundle(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The shipped bundle, loaded once for this module in a transaction that
    is rolled back at its end (each test runs in a savepoint of it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_esco()
        yield
        transaction.set_rollback(True)
    selectors.forget_vocabularies()


def top5(kind: str, query: str, language: str) -> list[str]:
    search = selectors.search_occupations if kind == "occupation" else selectors.search_skills
    return [hit.uri for hit in search(query, language=language, limit=5)]


def uri(kind: str, **label: str) -> str:
    model = Occupation if kind == "occupation" else Skill
    return model.objects.get(**label).uri


# (kind, language, the preferred label, typos in the first, second and third letter)
CASES = [
    (
        "occupation",
        "nl",
        {"pref_nl": "buschauffeur"},
        ["uschauffeur", "bsuchauffeur", "buxchauffeur"],
    ),
    (
        "occupation",
        "nl",
        {"pref_nl": "algemeen verpleegkundige"},
        ["averpleegkundige", "vreplegkundige", "algemeen vepreegkundige"],
    ),
    (
        "occupation",
        "en",
        {"pref_en": "software developer"},
        ["osftware developer", "sfotware developer", "sotfware developer"],
    ),
    (
        "occupation",
        "en",
        {"pref_en": "electrician"},
        ["lectrician", "eelctrician", "elcetrician"],
    ),
    (
        "skill",
        "nl",
        {"pref_nl": "klantenservice verlenen"},
        ["lkantenservice verlenen", "kalntenservice verlenen", "klantenservice vrelenen"],
    ),
    (
        "skill",
        "nl",
        {"pref_nl": "in teams werken"},
        ["in eteams werken", "in taems werken", "in tesms werken"],
    ),
    (
        "skill",
        "en",
        {"pref_en": "maintain customer service"},
        ["maintain ucstomer service", "maintain cstomer service", "maintain cuxtomer service"],
    ),
    (
        "skill",
        "en",
        {"pref_en": "work in teams"},
        ["owrk in teams", "wrok in teams", "wokr in teams"],
    ),
]


@pytest.mark.parametrize(("kind", "language", "label", "typos"), CASES)
def test_it_finds_a_label_with_a_typo_in_its_first_three_letters(
    bundle: None, kind: str, language: str, label: dict[str, str], typos: list[str]
) -> None:
    expected = uri(kind, **label)
    for query in typos:
        assert expected in top5(kind, query, language), query


def test_it_finds_a_single_word_with_a_slip_at_its_start(bundle: None) -> None:
    assert uri("occupation", pref_en="baker") in top5("occupation", "abker", "en")
    assert uri("occupation", pref_nl="bakker") in top5("occupation", "bkaker", "nl")
    assert uri("skill", pref_nl="klantenservice verlenen") in top5("skill", "lkantenservice", "nl")


def test_it_corrects_the_one_misspelt_word_of_several(bundle: None) -> None:
    developer = uri("occupation", pref_en="software developer")
    assert top5("occupation", "software edveloper", "en")[0] == developer
    assert top5("occupation", "sfotware developer", "en")[0] == developer
    assert developer in top5("occupation", "sfotware ontwikkelaar", "nl")
    # An unfinished last word after a misspelt one.
    assert developer in top5("occupation", "sfotware develo", "en")
    service = uri("skill", pref_nl="klantenservice verlenen")
    assert top5("skill", "klantenservice vrelenen", "nl")[0] == service


def test_it_finds_little_or_nothing_for_nonsense(bundle: None) -> None:
    for query in ("xqzwvk", "qwrtzplkjh", "zzzzzzzz", "vbnmqwpo xkcdzz"):
        assert top5("occupation", query, "nl") == [], query
        assert top5("skill", query, "en") == [], query


def test_it_ranks_the_exact_and_preferred_labels_before_corrections(bundle: None) -> None:
    # A query that starts a label is never corrected into another one.
    assert selectors.search_occupations("bakker", language="nl")[0].label == "bakker"
    # Among corrections, the label that is the corrected query comes first.
    hit = selectors.search_occupations("abker", language="en")[0]
    assert (hit.label, hit.matched) == ("baker", "baker")


def test_it_keeps_the_typo_search_to_a_few_indexed_queries(
    bundle: None, django_assert_max_num_queries: Any
) -> None:
    selectors.search_skills("kalntenservice", language="nl")  # builds the vocabulary
    with django_assert_max_num_queries(7):
        selectors.search_skills("lkantenservice verlenen", language="nl")
    with django_assert_max_num_queries(7):
        selectors.search_occupations("vreplegkundige", language="nl")


def test_it_holds_the_words_of_every_label(bundle: None) -> None:
    assert OccupationWord.objects.count() > 50000
    assert SkillWord.objects.count() > 150000
    assert OccupationWord.objects.filter(word="verpleegkundige").count() > 10
