"""Taxonomy pages and autocomplete fragments, with and without data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from passend.taxonomy import files
from passend.taxonomy.models import Occupation, Skill
from passend.taxonomy.services import load_esco
from passend.taxonomy.tests.fixtures import BAKER, DEVELOPER, HYGIENE, KNEAD, compact_folder

ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
SEP = "\u203a"  # between a group and the one below it
ADAPTED = "modified and adapted version of ESCO"
ONET = "O*NET (U.S. Department of Labor, CC BY 4.0) and on the Canadian Skills and Knowledge"


@pytest.fixture
def esco(db: Any, tmp_path: Path) -> None:
    load_esco(compact_folder(tmp_path / "esco"))


@pytest.fixture
def esco_bundle(db: Any, tmp_path: Path) -> None:
    data = files.read_esco(compact_folder(tmp_path / "esco"))
    bundle = tmp_path / "esco-9.9.9.tar.xz"
    bundle.write_bytes(files.build_bundle(data, metadata={"esco_version": "9.9.9"}))
    load_esco(bundle)


def test_it_sends_visitors_to_the_login_page(db: Any) -> None:
    for path in ("/taxonomy/", "/taxonomy/skills/search?q=deeg", "/taxonomy/occupations/search"):
        response = Client().get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_it_explains_how_to_load_the_taxonomy_when_it_is_empty(as_persona: Any) -> None:
    response = as_persona("carla", "a").get("/taxonomy/")

    assert response.status_code == 200
    assert "manage.py load_esco" in response.content.decode()
    assert ATTRIBUTION in response.content.decode()


def test_it_says_so_in_the_fragment_when_the_taxonomy_is_empty(as_persona: Any) -> None:
    response = as_persona("bob", "a").get("/taxonomy/skills/search?q=deeg")

    assert response.status_code == 200
    assert "has not been loaded yet" in response.content.decode()


def test_it_returns_options_for_the_autocomplete(esco: None, as_persona: Any) -> None:
    client = as_persona("dave", "a")
    skill = Skill.objects.get(uri=KNEAD)

    body = client.get("/taxonomy/skills/search", {"q": "Deeg kned"}).content.decode()

    assert f'<option value="{skill.pk}" data-uri="{KNEAD}">knead dough' in body
    occupation = Occupation.objects.get(uri=DEVELOPER)
    body = client.get("/taxonomy/occupations/search", {"q": "programmeur"}).content.decode()
    assert f'value="{occupation.pk}"' in body
    assert "(programmeur)" in body


def test_it_takes_the_query_from_a_field_named_something_q(esco: None, as_persona: Any) -> None:
    body = as_persona("bob", "a").get("/taxonomy/skills/search", {"skill_q": "knead"})

    assert "knead dough" in body.content.decode()


def test_it_answers_the_autocomplete_in_dutch(esco: None, as_persona: Any) -> None:
    client = as_persona("carla", "a")
    client.post("/i18n/setlang/", {"language": "nl"})

    body = client.get("/taxonomy/occupations/search", {"q": "baker"}).content.decode()

    assert ">bakker (baker)<" in body


def test_it_asks_for_more_characters_or_says_nothing_was_found(esco: None, as_persona: Any) -> None:
    client = as_persona("alice", "a")

    short = client.get("/taxonomy/skills/search", {"q": "d"}).content.decode()
    none = client.get("/taxonomy/skills/search", {"q": "<script>zz"}).content.decode()

    assert "at least 2 characters" in short
    assert "Nothing found" in none
    assert "<script>" not in none
    assert client.get("/taxonomy/skills/search", {"q": "dee", "limit": "x"}).status_code == 200


def test_it_refuses_other_methods(esco: None, as_persona: Any) -> None:
    assert as_persona("alice", "a").post("/taxonomy/skills/search").status_code == 405


def test_it_searches_on_the_browse_page(esco: None, as_persona: Any) -> None:
    response = as_persona("charlie", "b").get("/taxonomy/", {"q": "bak"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "4 occupations and 4 skills" in body
    baker = Occupation.objects.get(uri=BAKER)
    assert f'href="/taxonomy/occupations/{baker.pk}/"' in body


def test_it_shows_an_occupation_with_its_skills(esco: None, as_persona: Any) -> None:
    baker = Occupation.objects.get(uri=BAKER)
    knead = Skill.objects.get(uri=KNEAD)

    body = as_persona("carla", "a").get(f"/taxonomy/occupations/{baker.pk}/").content.decode()

    assert "warme bakker" in body
    assert "Bakers make bread." in body
    assert f'href="/taxonomy/skills/{knead.pk}/">knead dough' in body


def test_it_shows_a_skill_with_its_occupations(esco: None, as_persona: Any) -> None:
    knead = Skill.objects.get(uri=KNEAD)

    body = as_persona("bob", "a").get(f"/taxonomy/skills/{knead.pk}/").content.decode()

    assert "deeg kneden" in body
    assert "pastry baker" in body
    assert "Essential" in body


def test_it_answers_404_for_a_missing_concept(esco: None, as_persona: Any) -> None:
    client = as_persona("alice", "a")

    assert client.get("/taxonomy/occupations/999999/").status_code == 404
    assert client.get("/taxonomy/skills/999999/").status_code == 404


def test_it_carries_the_esco_attribution_in_the_footer(as_persona: Any) -> None:
    assert ATTRIBUTION in as_persona("alice", "a").get("/").content.decode()


def test_it_carries_the_attribution_for_visitors_too(db: Any) -> None:
    body = Client().get("/accounts/login/").content.decode()

    assert ATTRIBUTION in body
    assert 'href="/taxonomy/"' not in body


def test_it_names_the_version_the_adaptation_and_the_credits(
    esco_bundle: None, as_persona: Any
) -> None:
    body = as_persona("bob", "a").get("/taxonomy/").content.decode()

    assert ATTRIBUTION in body
    assert ADAPTED in body
    assert "Version: ESCO v9.9.9 (esco-9.9.9.tar.xz, loaded on " in body
    assert ONET in body
    assert "4 ISCO-08 groups and 2 skill groups, with 5 essential and optional skills" in body


def test_it_shows_the_isco_groups_of_an_occupation(esco_bundle: None, as_persona: Any) -> None:
    baker = Occupation.objects.get(uri=BAKER)

    body = as_persona("carla", "a").get(f"/taxonomy/occupations/{baker.pk}/").content.decode()

    assert f"7 Craft and related trades workers {SEP} 75 " in body
    assert f"{SEP} 7512 Bakers, pastry-cooks and confectionery makers" in body
    assert "Version: ESCO v9.9.9" in body


def test_it_shows_the_groups_and_broader_skills_of_a_skill(
    esco_bundle: None, as_persona: Any
) -> None:
    knead = Skill.objects.get(uri=KNEAD)
    hygiene = Skill.objects.get(uri=HYGIENE)
    client = as_persona("dave", "a")

    body = client.get(f"/taxonomy/skills/{knead.pk}/").content.decode()
    broader = client.get(f"/taxonomy/skills/{hygiene.pk}/").content.decode()

    assert f"072 manufacturing and processing {SEP} 0721 food processing" in body
    assert f'href="/taxonomy/skills/{hygiene.pk}/">food hygiene' in body
    assert f'href="/taxonomy/skills/{knead.pk}/">knead dough' in broader


def test_it_says_in_the_footer_that_the_data_is_adapted(db: Any) -> None:
    body = Client().get("/accounts/login/").content.decode()

    assert ADAPTED in body
    assert ONET in body
