"""Job-title normalisation to ESCO occupations on the full shipped bundle
(docs/matching-normalisation.md): the service, model-free mode and the
esco_normalise command."""

from __future__ import annotations

import io
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from passend.taxonomy import encoder, normalise
from passend.taxonomy.models import Occupation
from passend.taxonomy.services import load_esco

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bundle(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The shipped bundle, loaded once for this module in a transaction that is
    rolled back at its end; the encoder runs on one thread (two threads crawl
    on a busy machine), and the index is dropped afterwards."""
    with override_settings(MATCHING_ENCODER_THREADS=1):
        encoder._loaded.clear()
        with django_db_blocker.unblock(), transaction.atomic():
            load_esco()
            normalise.forget_index()
            yield
            transaction.set_rollback(True)
    normalise.forget_index()
    encoder._loaded.clear()


@pytest.fixture
def model_free(bundle: None) -> Iterator[None]:
    with override_settings(MATCHING_ENCODER="none"):
        encoder._loaded.clear()
        normalise.forget_index()
        yield
    encoder._loaded.clear()
    normalise.forget_index()


def uri(**label: str) -> str:
    return Occupation.objects.get(**label).uri


def top(title: str, language: str = "nl", count: int = 3) -> list[str]:
    return [match.uri for match in normalise.normalise_title(title, language, top=count)]


CASES = [
    ("bakker", "nl", {"pref_nl": "bakker"}),
    ("verpleegkundige", "nl", {"pref_nl": "algemeen verpleegkundige"}),
    ("vrachtwagenchauffeur", "nl", {"pref_nl": "vrachtwagenchauffeur"}),
    ("Vrachtwagenchauffeur (m/v)", "nl", {"pref_nl": "vrachtwagenchauffeur"}),
    ("software developer", "en", {"pref_en": "software developer"}),
    ("softwareontwikkelaar", "nl", {"pref_en": "software developer"}),
    ("baker", "en", {"pref_en": "baker"}),
]


@pytest.mark.parametrize(("title", "language", "label"), CASES)
def test_it_maps_a_title_to_its_occupation_in_the_top_three(
    bundle: None, title: str, language: str, label: dict[str, str]
) -> None:
    assert uri(**label) in top(title, language)


def test_it_maps_bakker_to_baker_first_with_a_score_and_the_matching_label(bundle: None) -> None:
    best = normalise.normalise_title("bakker")[0]
    assert best.uri == uri(pref_en="baker")
    assert best.occupation_id == Occupation.objects.get(pref_en="baker").pk
    assert best.label == "bakker"
    assert 0.9 <= best.score <= 1.0


def test_it_ranks_scores_from_high_to_low_and_keeps_to_top(bundle: None) -> None:
    matches = normalise.normalise_title("kapper", top=5)
    assert len(matches) == 5
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert len({m.uri for m in matches}) == 5


def test_it_forgives_typos(bundle: None) -> None:
    assert uri(pref_nl="vrachtwagenchauffeur") in top("vrachtwagenchaufeur")
    assert uri(pref_nl="buschauffeur") in top("buschaufeur")
    assert uri(pref_en="software developer") in top("sofware develloper", "en")


def test_it_finds_a_synonym_that_shares_few_letters(bundle: None) -> None:
    # "vroedvrouw" is an ESCO label of "verloskundige"; "vroedkundige" is none.
    assert uri(pref_nl="verloskundige") in top("vroedkundige", count=5)


@pytest.mark.parametrize("title", ["", "   ", "\t\n", "?!", "--"])
def test_it_answers_nothing_for_an_empty_title(bundle: None, title: str) -> None:
    assert normalise.normalise_title(title) == []


@pytest.mark.parametrize("title", ["xqzvjkw", "qqqq zzzz", "brrrzzzpfft"])
def test_it_answers_nothing_for_nonsense(bundle: None, title: str) -> None:
    assert normalise.normalise_title(title) == []


def test_it_survives_huge_input(bundle: None) -> None:
    huge = "verpleegkundige " * 50_000 + "x" * 100_000
    assert isinstance(normalise.normalise_title(huge), list)


def test_it_answers_batches_in_the_same_order(bundle: None) -> None:
    titles = ["bakker", "", "software developer", "xqzvjkw", "bakker"] * 30
    batched = normalise.normalise_titles(titles, top=3)
    assert len(batched) == len(titles)
    for title, matches in zip(titles[:5], batched[:5], strict=True):
        assert [m.uri for m in matches] == top(title, count=3)
    assert batched[-5] == batched[0]


def test_it_works_without_a_model(model_free: None) -> None:
    assert encoder.get_encoder() is None
    assert uri(pref_nl="bakker") == top("bakker")[0]
    assert uri(pref_nl="vrachtwagenchauffeur") in top("vrachtwagenchaufeur")
    assert uri(pref_en="software developer") in top("software developer", "en")
    assert normalise.normalise_title("xqzvjkw") == []
    assert normalise.normalise_title("") == []
    index = normalise.get_index()
    assert index is not None
    assert index.model_free


def run(stdin: str, *args: str) -> str:
    out = io.StringIO()
    call_command("esco_normalise", *args, stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


def test_the_command_writes_one_line_per_title_in_order_with_empty_lines_kept(
    bundle: None,
) -> None:
    output = run("bakker\n\nsoftware developer\nxqzvjkw\n", "--lang", "en", "--top", "3")
    lines = output.split("\n")
    assert lines[-1] == ""  # the output ends with a newline
    lines = lines[:-1]
    assert len(lines) == 4
    assert lines[1] == ""
    assert lines[3] == ""
    first = lines[0].split("\t")
    assert len(first) == 6
    assert first[0] == uri(pref_en="baker")
    for score in first[1::2]:
        assert len(score.split(".")[1]) == 4
        assert 0 <= float(score) <= 1
    assert lines[2].split("\t")[0] == uri(pref_en="software developer")


def test_the_command_defaults_to_dutch_and_ten_occupations(bundle: None) -> None:
    fields = run("verpleegkundige").rstrip("\n").split("\t")
    assert len(fields) == 20
    assert uri(pref_nl="algemeen verpleegkundige") in fields[0::2][:3]


def test_the_command_rejects_a_bad_top(bundle: None) -> None:
    with pytest.raises(CommandError):
        run("bakker\n", "--top", "0")


def test_the_command_says_when_esco_is_not_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    empty = SimpleNamespace(objects=SimpleNamespace(exists=lambda: False))
    monkeypatch.setattr("passend.taxonomy.management.commands.esco_normalise.Occupation", empty)
    with pytest.raises(CommandError, match="load_esco"):
        run("bakker\n")
