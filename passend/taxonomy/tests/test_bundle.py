"""The ESCO bundle in the repository: built reproducibly, loaded by default."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import lzma
import os
import re
import tarfile
import time
from io import StringIO
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from passend.taxonomy import files, selectors
from passend.taxonomy.models import (
    EscoImport,
    IscoGroup,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Skill,
    SkillGroup,
    SkillLabel,
)
from passend.taxonomy.services import EscoDataError, load_esco
from passend.taxonomy.tests.fixtures import (
    BAKER,
    FOOD_PROCESSING,
    HYGIENE,
    KNEAD,
    compact_folder,
)

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "build_esco_bundle.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_esco_bundle", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build(folder: Path, output: Path, *extra: str) -> bytes:
    assert _script().main([str(folder), "--output", str(output), *extra]) == 0
    return output.read_bytes()


def _members(content: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(lzma.decompress(content)), mode="r:") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


@pytest.mark.django_db
def test_it_loads_the_bundle_shipped_with_the_repository(settings: Any) -> None:
    """`load_esco` without a path: the real taxonomy, from inside the repository."""
    settings.ESCO_DATA_DIR = None
    assert files.BUNDLE_PATH.is_relative_to(settings.BASE_DIR)
    out = StringIO()
    started = time.monotonic()

    call_command("load_esco", stdout=out)

    assert time.monotonic() - started < 120
    assert "occupations 3007 new" in out.getvalue()
    assert (Occupation.objects.count(), Skill.objects.count()) == (3007, 13896)
    assert OccupationSkill.objects.count() == 123788
    assert OccupationSkill.objects.filter(relation="essential").count() == 64891
    assert (IscoGroup.objects.count(), SkillGroup.objects.count()) == (619, 640)
    assert Occupation.objects.exclude(pref_nl="").count() == 3007
    assert Skill.objects.exclude(pref_nl="").count() == 6965
    assert Occupation.objects.filter(isco__isnull=True).count() == 0
    assert Skill.objects.filter(groups__isnull=False).distinct().count() > 13000
    assert Skill.broader_skills.through.objects.count() > 6000
    assert OccupationLabel.objects.filter(language="nl", kind="alt").count() > 10000
    assert OccupationLabel.objects.filter(language="nl", kind="hidden").exists()
    assert SkillLabel.objects.filter(language="en", kind="alt").count() > 50000
    assert Skill.objects.exclude(description_nl="").count() == 2235
    baker = selectors.search_occupations("bakker", language="nl")[0]
    assert baker.label == "bakker"
    assert isinstance(baker.concept, Occupation)
    assert baker.concept.isco is not None
    assert baker.concept.isco.code == "7512"
    assert [g.code for g in selectors.isco_path(baker.concept)] == ["7", "75", "751", "7512"]
    assert selectors.search_skills("Python", language="en")[0].label.startswith("Python")
    record = EscoImport.objects.get()
    assert (record.kind, record.name, record.version) == ("bundle", files.BUNDLE_PATH.name, "1.1.1")

    again = StringIO()
    call_command("load_esco", stdout=again)

    assert "already loaded" in again.getvalue()
    assert EscoImport.objects.count() == 1


def test_it_builds_the_same_bundle_twice_byte_for_byte(tmp_path: Path) -> None:
    folder = compact_folder(tmp_path / "esco")

    first = _build(folder, tmp_path / "first.tar.xz", "--esco-version", "9.9.9")
    for path in folder.iterdir():
        os.utime(path, (1_000_000_000, 1_000_000_000))
    second = _build(folder, tmp_path / "second.tar.xz", "--esco-version", "9.9.9")

    assert first == second
    members = _members(first)
    assert list(members) == [
        "metadata.json",
        "occupations.csv",
        "occupation_descriptions.csv",
        "skills.csv",
        "skill_descriptions.csv",
        "isco_groups.csv",
        "skill_groups.csv",
        "occupation_skills.csv",
        "occupation_broader.csv",
        "skill_broader.csv",
    ]
    relations = list(csv.reader(io.StringIO(members["occupation_skills.csv"].decode())))
    assert relations[1:] == sorted(relations[1:])
    metadata = json.loads(members["metadata.json"])
    assert metadata["esco_version"] == "9.9.9"
    assert metadata["attribution"] == files.ATTRIBUTION
    assert "modified and adapted version of ESCO" in metadata["modified"]
    assert "O*NET" in metadata["credits"]
    assert metadata["counts"]["occupations"] == 4
    assert set(metadata["inputs"]) == {p.name for p in folder.iterdir()}


def test_it_sorts_rows_so_the_order_of_the_input_does_not_matter(tmp_path: Path) -> None:
    data = files.read_esco(compact_folder(tmp_path / "esco"))
    reversed_data = files.read_esco(compact_folder(tmp_path / "esco-2"))
    reversed_data.occupations = dict(reversed(list(reversed_data.occupations.items())))
    assert reversed_data.relations is not None
    reversed_data.relations = dict(reversed(list(reversed_data.relations.items())))

    assert files.build_bundle(data, metadata={"esco_version": "x"}) == files.build_bundle(
        reversed_data, metadata={"esco_version": "x"}
    )


@pytest.mark.django_db
def test_it_loads_a_bundle_built_from_a_small_folder(tmp_path: Path) -> None:
    bundle = tmp_path / "esco-9.9.9.tar.xz"
    _build(compact_folder(tmp_path / "esco"), bundle, "--esco-version", "9.9.9")

    result = load_esco(bundle)

    assert (result.layout, result.version, result.occupations_created) == ("bundle", "9.9.9", 4)
    assert result.relations_skipped == 1  # the relation to a skill that is not in the set
    baker = Occupation.objects.get(uri=BAKER)
    assert (baker.pref_nl, baker.description_nl) == ("bakker", "Bakkers maken brood.")
    assert baker.alternative_labels("nl") == ["broodbakker", "warme bakker"]
    assert baker.isco is not None
    assert baker.isco.code == "7512"
    knead = Skill.objects.get(uri=KNEAD)
    assert knead.groups.get().uri == FOOD_PROCESSING
    assert knead.broader_skills.get().uri == HYGIENE
    assert OccupationSkill.objects.count() == 5
    assert [h.concept.uri for h in selectors.search_occupations("warme bakker")] == [BAKER]
    record = EscoImport.objects.get()
    assert (record.kind, record.version, len(record.sha256)) == ("bundle", "9.9.9", 64)


@pytest.mark.django_db
def test_it_skips_a_bundle_it_loaded_last_unless_forced(tmp_path: Path) -> None:
    bundle = tmp_path / "esco-9.9.9.tar.xz"
    _build(compact_folder(tmp_path / "esco"), bundle, "--esco-version", "9.9.9")
    load_esco(bundle)

    skipped = load_esco(bundle)
    forced = load_esco(bundle, force=True)

    assert skipped.skipped
    assert "already loaded" in skipped.summary()
    assert not forced.skipped
    assert (forced.occupations_created, forced.occupations_updated, forced.labels_written) == (
        0,
        0,
        0,
    )
    assert EscoImport.objects.count() == 2
    # A folder loaded in between: the bundle is loaded again.
    load_esco(compact_folder(tmp_path / "other"))
    assert not load_esco(bundle).skipped


@pytest.mark.django_db
def test_it_refuses_a_broken_or_foreign_bundle(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tar.xz"
    broken.write_bytes(b"not xz at all")
    foreign = tmp_path / "foreign.tar.xz"
    content = files.build_bundle(files.EscoData(layout="compact"), metadata={})
    members = _members(content)
    members["metadata.json"] = json.dumps({"format": 99}).encode()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    foreign.write_bytes(lzma.compress(raw.getvalue()))

    with pytest.raises(EscoDataError, match="cannot be read"):
        load_esco(broken)
    with pytest.raises(CommandError, match="format 99"):
        call_command("load_esco", str(foreign), stdout=StringIO())
    assert not EscoImport.objects.exists()


def test_it_documents_the_bundle_next_to_it() -> None:
    readme = (files.BUNDLE_PATH.parent / "README.md").read_text(encoding="utf-8")
    content = files.BUNDLE_PATH.read_bytes()
    metadata = json.loads(_members(content)["metadata.json"])
    assert hashlib.sha256(content).hexdigest() in readme
    assert f"{len(content):,} bytes" in readme
    assert files.BUNDLE_PATH.name in readme
    assert files.ATTRIBUTION in readme
    assert "modified and adapted version of ESCO" in readme
    assert "O\\*NET" in readme
    assert metadata["esco_version"] == files.BUNDLE_VERSION
    assert metadata["attribution"] == files.ATTRIBUTION
    assert 2_000_000 < len(content) < 3_200_000


def test_it_reads_no_data_from_outside_the_repository() -> None:
    """No test may depend on the data folder beside the clone: what it needs is made or
    shipped here. The pattern is built in pieces, so this file does not match itself."""
    beside_the_clone = re.compile("shared" + r"[\"', /]+" + "data")
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in [*root.glob("passend/**/tests/**/*.py"), *root.glob("tests/**/*.py")]:
        if beside_the_clone.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
