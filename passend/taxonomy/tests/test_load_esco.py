"""`manage.py load_esco`: both layouts, idempotence, updates, bad folders."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from passend.taxonomy import selectors
from passend.taxonomy.models import (
    EscoImport,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    OccupationWord,
    Skill,
    SkillGroup,
    SkillLabel,
    SkillWord,
)
from passend.taxonomy.services import EscoDataError, load_esco
from passend.taxonomy.tests.fixtures import (
    BAKER,
    DEVELOPER,
    FOOD_PROCESSING,
    HYGIENE,
    KNEAD,
    MANUFACTURING,
    PASTRY,
    TEAMWORK,
    compact_folder,
    official_folder,
    write_csv,
)

pytestmark = pytest.mark.django_db


def test_it_loads_the_compact_layout_plain_and_gzipped(tmp_path: Path) -> None:
    result = load_esco(compact_folder(tmp_path / "esco"))

    assert (Occupation.objects.count(), Skill.objects.count()) == (4, 4)
    assert result.occupations_created == 4
    assert result.skills_created == 4
    baker = Occupation.objects.get(uri=BAKER)
    assert (baker.pref_en, baker.pref_nl, baker.code, baker.isco_group) == (
        "baker",
        "bakker",
        "7512.1",
        "7512",
    )
    assert baker.alternative_labels("nl") == ["broodbakker", "warme bakker"]
    assert baker.description_nl == "Bakkers maken brood."
    assert Occupation.objects.get(uri=PASTRY).broader == baker
    assert baker.broader is None
    knead = Skill.objects.get(uri=KNEAD)
    assert (knead.pref_nl, knead.skill_type, knead.description_en) == (
        "deeg kneden",
        "skill/competence",
        "Knead dough by hand.",
    )
    relations = {
        (r.skill.uri, r.relation) for r in OccupationSkill.objects.filter(occupation=baker)
    }
    assert relations == {(KNEAD, "essential"), (HYGIENE, "essential"), (TEAMWORK, "optional")}
    assert set(baker.skills.values_list("uri", flat=True)) == {KNEAD, HYGIENE, TEAMWORK}
    # The relation to a skill that is not in the file is skipped, not an error.
    assert result.relations_skipped == 1
    assert OccupationSkill.objects.count() == 5
    labels = set(baker.labels.values_list("language", "kind", "normalised"))
    assert ("nl", "pref", "bakker") in labels
    assert ("nl", "alt", "warme bakker") in labels
    assert ("en", "alt", "bread maker") in labels


def test_it_changes_nothing_when_loaded_again(tmp_path: Path) -> None:
    folder = compact_folder(tmp_path / "esco")
    load_esco(folder)
    label_ids = set(SkillLabel.objects.values_list("id", flat=True))
    word_ids = set(SkillWord.objects.values_list("id", flat=True))
    assert set(SkillWord.objects.filter(skill__uri=KNEAD).values_list("word", flat=True)) == {
        "knead",
        "dough",
        "work",
        "deeg",
        "kneden",
    }

    again = load_esco(folder)

    assert (again.occupations_created, again.occupations_updated) == (0, 0)
    assert (again.skills_created, again.skills_updated, again.labels_written) == (0, 0, 0)
    assert (again.relations_created, again.relations_updated, again.relations_deleted) == (0, 0, 0)
    assert set(SkillLabel.objects.values_list("id", flat=True)) == label_ids
    assert set(SkillWord.objects.values_list("id", flat=True)) == word_ids
    assert (Occupation.objects.count(), OccupationSkill.objects.count()) == (4, 5)


def test_it_updates_labels_and_relations_in_place(tmp_path: Path) -> None:
    folder = compact_folder(tmp_path / "esco")
    load_esco(folder)
    baker_id = Occupation.objects.get(uri=BAKER).pk
    write_csv(
        folder / "occupations.csv",
        [
            "uri",
            "code",
            "isco_group",
            "pref_en",
            "pref_nl",
            "alt_en",
            "alt_nl",
            "hidden_en",
            "hidden_nl",
        ],
        [
            [
                BAKER,
                "7512.1",
                "7512",
                "baker",
                "bakker",
                "bread maker",
                "ambachtelijk bakker",
                "",
                "",
            ]
        ],
    )
    write_csv(
        folder / "occupation_skills.csv",
        ["occupation_uri", "skill_uri", "relation"],
        [[BAKER, KNEAD, "optional"], [BAKER, HYGIENE, "essential"]],
        gz=True,
    )

    result = load_esco(folder)

    baker = Occupation.objects.get(uri=BAKER)
    assert baker.pk == baker_id  # the same row: foreign keys elsewhere stay valid
    assert baker.alternative_labels("nl") == ["ambachtelijk bakker"]
    assert (result.occupations_updated, result.relations_updated, result.relations_deleted) == (
        1,
        1,
        1,
    )
    assert not OccupationLabel.objects.filter(normalised="warme bakker").exists()
    # The words go with the labels: a typo finds the new one, the old one is gone.
    assert OccupationWord.objects.filter(occupation=baker, word="ambachtelijk").count() == 1
    assert not OccupationWord.objects.filter(occupation=baker, word="warme").exists()
    assert [h.concept.uri for h in selectors.search_occupations("mabachtelijk")] == [BAKER]
    assert [h.concept.uri for h in selectors.search_occupations("ambachtelijk")] == [BAKER]
    relations = dict(
        OccupationSkill.objects.filter(occupation=baker).values_list("skill__uri", "relation")
    )
    assert relations == {KNEAD: "optional", HYGIENE: "essential"}
    # Occupations not in the new file keep their rows and relations.
    assert Occupation.objects.filter(uri=DEVELOPER).exists()
    assert OccupationSkill.objects.filter(occupation__uri=PASTRY).count() == 1


def test_it_reads_the_official_esco_download(tmp_path: Path) -> None:
    result = load_esco(official_folder(tmp_path / "official"))

    assert result.layout == "official"
    baker = Occupation.objects.get(uri=BAKER)
    assert (baker.pref_en, baker.pref_nl, baker.code, baker.isco_group) == (
        "baker",
        "bakker",
        "7512.1",
        "7512",
    )
    assert baker.alternative_labels("en") == ["bread maker", "bread baker"]
    assert baker.alternative_labels("nl") == ["broodbakker", "warme bakker"]
    assert (baker.description_en, baker.description_nl) == ("desc en", "desc nl")
    knead = Skill.objects.get(uri=KNEAD)
    assert (knead.pref_en, knead.pref_nl) == ("knead dough", "deeg kneden")
    assert OccupationSkill.objects.get().relation == "essential"


def test_it_merges_languages_loaded_one_after_the_other(tmp_path: Path) -> None:
    load_esco(official_folder(tmp_path / "en", languages=("en",)))
    load_esco(official_folder(tmp_path / "nl", languages=("nl",)))

    baker = Occupation.objects.get(uri=BAKER)
    assert (baker.pref_en, baker.pref_nl) == ("baker", "bakker")
    assert [h.concept.uri for h in selectors.search_occupations("bread maker")] == [BAKER]
    assert [h.concept.uri for h in selectors.search_occupations("warme bakker")] == [BAKER]


def test_it_refuses_a_folder_without_esco_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")

    with pytest.raises(CommandError, match="No ESCO files"):
        call_command("load_esco", str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("load_esco", str(tmp_path / "missing"), stdout=StringIO())
    assert not Occupation.objects.exists()


def test_it_writes_nothing_from_a_malformed_file(tmp_path: Path) -> None:
    folder = compact_folder(tmp_path / "esco")
    (folder / "occupation_skills.csv.gz").unlink()
    write_csv(folder / "occupation_skills.csv", ["occupation", "skill"], [[BAKER, KNEAD]])

    with pytest.raises(EscoDataError, match="has no column occupation_uri"):
        load_esco(folder)
    assert not Occupation.objects.exists()
    assert not Skill.objects.exists()


def test_it_refuses_a_file_that_is_not_text(tmp_path: Path) -> None:
    folder = compact_folder(tmp_path / "esco")
    (folder / "skills.csv.gz").write_bytes(b"\x1f\x8b\x08 this is not gzip")

    with pytest.raises(EscoDataError, match="cannot be read"):
        load_esco(folder)
    assert not Occupation.objects.exists()


def test_it_reports_what_the_command_did(tmp_path: Path) -> None:
    out = StringIO()

    call_command("load_esco", str(compact_folder(tmp_path / "esco")), stdout=out)

    assert "occupations 4 new" in out.getvalue()
    assert "skills 4 new" in out.getvalue()


def test_it_loads_isco_groups_skill_groups_and_the_skill_hierarchy(tmp_path: Path) -> None:
    result = load_esco(compact_folder(tmp_path / "esco"))

    assert result.groups_created == 6
    baker = Occupation.objects.select_related("isco").get(uri=BAKER)
    assert baker.isco is not None
    assert (baker.isco.code, baker.isco.pref_nl) == ("7512", "Bakkers")
    assert [g.code for g in selectors.isco_path(baker)] == ["7", "75", "751", "7512"]
    assert Occupation.objects.get(uri=DEVELOPER).isco is None  # 2512 is not in the file
    food = SkillGroup.objects.get(uri=FOOD_PROCESSING)
    assert (food.code, food.pref_nl, food.alternative_labels("nl")) == (
        "0721",
        "voedselverwerking",
        ["levensmiddelen"],
    )
    assert food.broader == SkillGroup.objects.get(uri=MANUFACTURING)
    knead = Skill.objects.get(uri=KNEAD)
    assert list(knead.groups.all()) == [food]
    assert list(knead.broader_skills.values_list("uri", flat=True)) == [HYGIENE]
    assert list(Skill.objects.get(uri=HYGIENE).narrower_skills.all()) == [knead]
    assert result.hierarchy_created == 3


def test_it_removes_hierarchy_links_the_file_no_longer_has(tmp_path: Path) -> None:
    folder = compact_folder(tmp_path / "esco")
    load_esco(folder)
    write_csv(
        folder / "skill_broader.csv",
        ["type", "uri", "broader_type", "broader_uri"],
        [["skill", KNEAD, "skill_group", FOOD_PROCESSING]],
    )

    again = load_esco(folder)

    assert (again.hierarchy_created, again.hierarchy_deleted) == (0, 2)
    knead = Skill.objects.get(uri=KNEAD)
    assert not knead.broader_skills.exists()
    assert not Skill.objects.get(uri=HYGIENE).groups.exists()
    assert knead.groups.get().uri == FOOD_PROCESSING


def test_it_reads_groups_and_hierarchy_from_the_official_download(tmp_path: Path) -> None:
    load_esco(official_folder(tmp_path / "official"))

    baker = Occupation.objects.get(uri=BAKER)
    assert baker.isco is not None
    assert (baker.isco.code, baker.isco.pref_en, baker.isco.pref_nl) == (
        "7512",
        "Bakers",
        "Bakkers",
    )
    assert baker.isco.broader is not None
    assert baker.isco.broader.code == "751"
    group = Skill.objects.get(uri=KNEAD).groups.get()
    # The Dutch file's code fills the one the English file leaves empty.
    assert (group.code, group.pref_en, group.pref_nl) == (
        "0721",
        "food processing",
        "voedselverwerking",
    )


def test_it_records_a_folder_import(tmp_path: Path) -> None:
    load_esco(compact_folder(tmp_path / "esco"))

    record = EscoImport.objects.get()
    assert (record.kind, record.name, record.layout, record.sha256) == (
        "folder",
        "esco",
        "compact",
        "",
    )
