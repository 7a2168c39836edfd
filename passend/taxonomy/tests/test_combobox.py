"""The ESCO combobox: search over every label with typos forgiven, the options
fragment, and the form field's no-JavaScript fallback (nearest terms to pick)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from passend.taxonomy import selectors
from passend.taxonomy.forms import EscoOccupationField, EscoSkillField
from passend.taxonomy.models import LabelKind, Occupation, Skill
from passend.taxonomy.services import load_esco
from passend.taxonomy.tests.fixtures import (
    BAKER,
    DEVELOPER,
    HYGIENE,
    KNEAD,
    PASTRY,
    compact_folder,
)


@pytest.fixture
def esco(db: Any, tmp_path: Path) -> None:
    load_esco(compact_folder(tmp_path / "esco"))


def first(hits: list[selectors.SearchHit]) -> str:
    return hits[0].uri if hits else ""


class SkillForm(forms.Form):
    skill = EscoSkillField(label="Skill (ESCO)")


class WorkForm(forms.Form):
    occupation = EscoOccupationField(label="Occupation (ESCO)", required=False)


def test_it_finds_a_skill_by_part_of_its_dutch_label(esco: None) -> None:
    assert first(selectors.search_skills("deeg kne", language="nl")) == KNEAD


def test_it_finds_a_skill_by_its_english_label(esco: None) -> None:
    assert first(selectors.search_skills("knead", language="en")) == KNEAD


def test_it_finds_a_skill_and_an_occupation_by_an_alternative_label(esco: None) -> None:
    hit = selectors.search_skills("work dou", language="en")[0]
    assert (hit.uri, hit.matched, hit.label) == (KNEAD, "work dough", "knead dough")
    assert first(selectors.search_occupations("broodbak", language="nl")) == BAKER


def test_it_forgives_a_typo(esco: None) -> None:
    assert first(selectors.search_occupations("programeur", language="nl")) == DEVELOPER
    assert first(selectors.search_occupations("banketbaker", language="nl")) == PASTRY
    assert first(selectors.search_skills("voedselhygeine", language="nl")) == HYGIENE
    assert first(selectors.search_skills("deeg knedn", language="nl")) == KNEAD


def test_it_does_not_call_something_unlike_the_query_a_typo(esco: None) -> None:
    assert selectors.search_occupations("astronaut of the deep sea") == []
    assert selectors.search_skills("bakkerij", language="nl") == []


def test_the_typo_search_keeps_to_a_bounded_number_of_queries(
    esco: None, django_assert_max_num_queries: Any
) -> None:
    word = "softwareontwikkelaarrrrr"  # the longest word a probe could start from
    with django_assert_max_num_queries(3 + len(word) * 2):
        selectors.search_occupations(word)


def test_it_rates_a_label_that_goes_on_after_the_query_as_alike() -> None:
    assert selectors.similarity("verplegkund", "verpleegkundige") >= 0.75
    assert selectors.similarity("klantenservise", "klantenservice verlenen") >= 0.75
    assert selectors.similarity("astronaut", "bakker") < 0.5


def test_it_takes_an_exact_label_in_either_language_of_any_kind(esco: None) -> None:
    knead = Skill.objects.get(uri=KNEAD)
    for text in ("Deeg kneden", "knead dough", "work dough", KNEAD):
        form = SkillForm({"skill": text})
        assert form.is_valid(), (text, form.errors)
        assert form.cleaned_data["skill"] == knead


def test_it_takes_the_term_picked_in_the_list(esco: None) -> None:
    knead = Skill.objects.get(uri=KNEAD)
    form = SkillForm({"skill": "deeg kneden", "skill_id": str(knead.pk)})
    assert form.is_valid()
    assert form.cleaned_data["skill"] == knead


def test_it_offers_the_nearest_terms_and_keeps_what_was_typed(esco: None) -> None:
    knead = Skill.objects.get(uri=KNEAD)
    with translation.override("nl"):
        form = SkillForm({"skill": "deeg knedn"})
        assert not form.is_valid()
        assert form.errors.as_data()["skill"][0].code == "not_found"
        html = str(form["skill"])

    assert 'value="deeg knedn"' in html
    assert f'name="skill_pick" id="id_skill_pick_1" value="{knead.pk}"' in html
    assert ">deeg kneden<" in html

    picked = SkillForm({"skill": "deeg knedn", "skill_pick": str(knead.pk)})
    assert picked.is_valid()
    assert picked.cleaned_data["skill"] == knead


def test_it_says_so_when_no_term_comes_close(esco: None) -> None:
    form = WorkForm({"occupation": "astronaut of the deep sea"})
    assert not form.is_valid()
    assert form.errors.as_data()["occupation"][0].code == "nothing_near"
    assert 'value="astronaut of the deep sea"' in str(form["occupation"])


def test_it_offers_the_occupation_it_recognises_when_no_label_has_the_words(
    esco: None,
) -> None:
    from passend.taxonomy.normalise import forget_index

    forget_index()
    form = WorkForm({"occupation": "broodbakker in de nachtdienst"})

    assert not form.is_valid()
    assert form.errors.as_data()["occupation"][0].code == "not_found"
    baker = Occupation.objects.get(uri=BAKER)
    assert f'value="{baker.pk}"' in str(form["occupation"])


def test_it_offers_each_term_when_a_label_names_more_than_one(esco: None) -> None:
    Occupation.objects.create(uri="http://example.org/other-baker", pref_en="bread maker")
    other = Occupation.objects.get(uri="http://example.org/other-baker")
    other.labels.create(
        kind=LabelKind.PREFERRED, language="en", label="bread maker", normalised="bread maker"
    )
    form = WorkForm({"occupation": "Bread maker"})
    assert not form.is_valid()
    assert form.errors.as_data()["occupation"][0].code == "ambiguous"
    html = str(form["occupation"])
    assert html.count('name="occupation_pick"') == 2


def test_it_leaves_an_optional_field_empty(esco: None) -> None:
    form = WorkForm({"occupation": ""})
    assert form.is_valid()
    assert form.cleaned_data["occupation"] is None


def test_it_renders_a_picked_term_with_its_label_and_id(esco: None) -> None:
    baker = Occupation.objects.get(uri=BAKER)
    with translation.override("nl"):
        html = str(WorkForm(initial={"occupation": baker})["occupation"])
    assert 'value="bakker"' in html
    assert f'name="occupation_id" value="{baker.pk}"' in html
    assert 'data-search-url="/taxonomy/options/occupations"' in html


def test_the_options_fragment_lists_terms_and_what_to_announce(esco: None, as_persona: Any) -> None:
    client = as_persona("carla", "a")
    knead = Skill.objects.get(uri=KNEAD)
    url = reverse("taxonomy:options", args=["skills"])

    response = client.get(url, {"q": "work dou"}, HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="1 term found. Use the arrow keys to choose, Enter to pick."' in body
    assert f'role="option" aria-selected="false" data-value="{knead.pk}"' in body
    assert (
        'data-label="knead dough">knead dough <span class="combobox-matched">(work dough)' in body
    )
    assert (
        client.get(reverse("taxonomy:options", args=["vacancies"]), {"q": "x"}).status_code == 404
    )


def test_the_options_fragment_says_when_nothing_was_found(esco: None, as_persona: Any) -> None:
    response = as_persona("carla", "a").get(
        reverse("taxonomy:options", args=["occupations"]), {"q": "qqqqqq"}
    )
    assert response.status_code == 200
    assert 'role="option"' not in response.content.decode()
    assert 'data-status="' in response.content.decode()


@pytest.mark.parametrize("text", ["\x00", "keuken\x00hulp"])
def test_it_refuses_control_characters_before_any_query(esco: None, text: str) -> None:
    form = WorkForm(data={"occupation": text, "occupation_id": "\x00"})
    with translation.override("en"):
        assert not form.is_valid()
        assert "control characters" in str(form.errors["occupation"])


@pytest.mark.parametrize("raw", ["²", "99999999999999999999", "-1"])
def test_it_treats_an_id_that_is_no_database_integer_as_no_pick(esco: None, raw: str) -> None:
    form = WorkForm(data={"occupation": "", "occupation_id": raw})
    assert form.is_valid()
    assert form.cleaned_data["occupation"] is None
