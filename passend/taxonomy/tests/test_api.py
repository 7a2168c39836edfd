"""/api/v1/taxonomy: search and read, for every authenticated caller."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import client_for
from passend.api.tests.helpers import get, make_token, problem
from passend.taxonomy.models import Occupation
from passend.taxonomy.services import load_esco
from passend.taxonomy.tests.fixtures import BAKER, DEVELOPER, KNEAD, compact_folder


@pytest.fixture
def esco(db: Any, tmp_path: Path) -> None:
    load_esco(compact_folder(tmp_path / "esco"))


def test_it_searches_occupations_with_a_token(esco: None, carla: Any, org_a: Any) -> None:
    response = get("/api/v1/taxonomy/occupations?q=programmeur", make_token(carla, org_a))

    assert response.status_code == 200
    [hit] = response.json()
    assert hit["uri"] == DEVELOPER
    assert (hit["label"], hit["matched"], hit["pref_nl"]) == (
        "software developer",
        "programmeur",
        "softwareontwikkelaar",
    )


def test_it_searches_skills_in_the_asked_language(esco: None, dave: Any, org_a: Any) -> None:
    client = client_for(dave, org_a)

    body = client.get("/api/v1/taxonomy/skills?q=knead&language=nl").json()

    assert [(h["uri"], h["label"]) for h in body] == [(KNEAD, "deeg kneden")]


def test_it_returns_an_empty_list_for_no_match(esco: None, alice: Any, org_a: Any) -> None:
    assert get("/api/v1/taxonomy/skills?q=zzzz", make_token(alice, org_a)).json() == []


def test_it_refuses_anonymous_callers(esco: None) -> None:
    problem(get("/api/v1/taxonomy/skills?q=deeg"))
    assert get("/api/v1/taxonomy/occupations?q=bak").status_code == 401


@pytest.mark.parametrize(
    "query",
    ["", "?q=" + "x" * 101, "?q=bak&limit=0", "?q=bak&limit=51", "?q=bak&language=de"],
)
def test_it_refuses_bad_parameters(esco: None, alice: Any, org_a: Any, query: str) -> None:
    response = get(f"/api/v1/taxonomy/occupations{query}", make_token(alice, org_a))

    assert response.status_code == 422
    problem(response)


def test_it_reads_an_occupation_with_its_skills(esco: None, charlie: Any, org_b: Any) -> None:
    baker = Occupation.objects.get(uri=BAKER)

    body = get(f"/api/v1/taxonomy/occupations/{baker.pk}?language=nl", make_token(charlie, org_b))

    data = body.json()
    assert (data["uri"], data["label"]) == (BAKER, "bakker")
    assert data["alt_nl"] == ["broodbakker", "warme bakker"]
    assert {(s["uri"], s["relation"]) for s in data["skills"]} >= {(KNEAD, "essential")}


def test_it_answers_404_for_a_missing_occupation(esco: None, alice: Any, org_a: Any) -> None:
    response = get("/api/v1/taxonomy/occupations/999999", make_token(alice, org_a))

    assert response.status_code == 404
    problem(response)
