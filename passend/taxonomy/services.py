"""Importing ESCO into the taxonomy tables (see docs/taxonomy.md).

`load_esco(directory)` reads one of two layouts, plain or gzip-compressed
(`name.csv` or `name.csv.gz`):

* the compact bilingual set of ../shared/data/esco (`occupations.csv`,
  `skills.csv`, `occupation_descriptions.csv`, `skill_descriptions.csv`,
  `occupation_skills.csv`, `occupation_broader.csv`);
* the official ESCO CSV download (`occupations_<lang>.csv`,
  `skills_<lang>.csv` for lang in en and nl, `occupationSkillRelations.csv`
  or `occupationSkillRelations_<lang>.csv`, `broaderRelationsOccPillar.csv`
  or `broaderRelationsOccPillar_<lang>.csv`).

The import is idempotent: concepts are matched on their ESCO URI, only rows
whose values changed are written, and only the fields a file provides are
touched (loading the English download and later the Dutch one merges them).
Everything runs in one transaction, with bulk writes in batches.
"""

from __future__ import annotations

import csv
import gzip
import logging
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from passend.taxonomy.models import (
    LABEL_SEPARATOR,
    LabelKind,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Relation,
    Skill,
    SkillLabel,
)
from passend.taxonomy.text import normalise

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
LANGUAGES = ("en", "nl")
OCCUPATION_FIELDS = (
    "code",
    "isco_group",
    "pref_en",
    "pref_nl",
    "alt_en",
    "alt_nl",
    "hidden_en",
    "hidden_nl",
    "description_en",
    "description_nl",
)
SKILL_FIELDS = (
    "skill_type",
    "reuse_level",
    "pref_en",
    "pref_nl",
    "alt_en",
    "alt_nl",
    "hidden_en",
    "collections",
    "nl_source",
    "description_en",
    "description_nl",
)
LABEL_COLUMNS = (
    ("pref", LabelKind.PREFERRED),
    ("alt", LabelKind.ALTERNATIVE),
    ("hidden", LabelKind.HIDDEN),
)
RELATIONS = {choice.value for choice in Relation}

Rows = dict[str, dict[str, str]]


class EscoDataError(Exception):
    """The folder holds no ESCO data this importer can read, or a file is malformed."""


@dataclass
class EscoData:
    """What was read from a folder, before it is written."""

    layout: str
    occupations: Rows = field(default_factory=dict)
    skills: Rows = field(default_factory=dict)
    relations: dict[tuple[str, str], str] | None = None
    occupation_broader: dict[str, str] | None = None


@dataclass
class LoadResult:
    layout: str
    occupations_created: int = 0
    occupations_updated: int = 0
    skills_created: int = 0
    skills_updated: int = 0
    labels_written: int = 0
    relations_created: int = 0
    relations_updated: int = 0
    relations_deleted: int = 0
    relations_skipped: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return _(
            "ESCO (%(layout)s layout): occupations %(oc)d new, %(ou)d changed; "
            "skills %(sc)d new, %(su)d changed; %(labels)d labels written; "
            "relations %(rc)d new, %(ru)d changed, %(rd)d removed, %(rs)d skipped "
            "(unknown concept); %(seconds).1f s."
        ) % {
            "layout": self.layout,
            "oc": self.occupations_created,
            "ou": self.occupations_updated,
            "sc": self.skills_created,
            "su": self.skills_updated,
            "labels": self.labels_written,
            "rc": self.relations_created,
            "ru": self.relations_updated,
            "rd": self.relations_deleted,
            "rs": self.relations_skipped,
            "seconds": self.seconds,
        }


# --- reading -------------------------------------------------------------


def _find(directory: Path, *names: str) -> Path | None:
    for name in names:
        for candidate in (directory / name, directory / f"{name}.gz"):
            if candidate.is_file():
                return candidate
    return None


def _read(path: Path) -> Iterator[dict[str, str]]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames:
                raise EscoDataError(_("%(file)s is empty.") % {"file": path.name})
            for row in reader:
                yield {key: (value or "").strip() for key, value in row.items() if key}
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error) as exc:
        raise EscoDataError(
            _("%(file)s cannot be read: %(error)s") % {"file": path.name, "error": exc}
        ) from exc


def _require(row: dict[str, str], column: str, path: Path) -> str:
    if column not in row:
        raise EscoDataError(
            _("%(file)s has no column %(column)s.") % {"file": path.name, "column": column}
        )
    return row[column]


def _labels(raw: str, separator: str) -> str:
    """Normalise a label list to our separator, without empties or duplicates."""
    seen: dict[str, None] = {}
    for part in raw.split(separator):
        label = part.strip()
        if label:
            seen.setdefault(label, None)
    return LABEL_SEPARATOR.join(seen)


def read_esco(directory: Path) -> EscoData:
    """Read either layout from `directory`; EscoDataError when neither is there."""
    if not directory.is_dir():
        raise EscoDataError(_("%(dir)s is not a folder.") % {"dir": directory})
    if _find(directory, "occupations.csv") or _find(directory, "skills.csv"):
        return _read_compact(directory)
    if any(
        _find(directory, f"{kind}_{lang}.csv")
        for kind in ("occupations", "skills")
        for lang in LANGUAGES
    ):
        return _read_official(directory)
    raise EscoDataError(
        _(
            "No ESCO files in %(dir)s: expected occupations.csv and skills.csv "
            "(compact set) or occupations_en.csv / skills_en.csv (official ESCO download)."
        )
        % {"dir": directory}
    )


def _read_compact(directory: Path) -> EscoData:
    data = EscoData(layout="compact")
    path = _find(directory, "occupations.csv")
    if path:
        for row in _read(path):
            uri = _require(row, "uri", path)
            record = {name: row.get(name, "") for name in OCCUPATION_FIELDS if name in row}
            for name in ("alt_en", "alt_nl", "hidden_en", "hidden_nl"):
                if name in record:
                    record[name] = _labels(record[name], LABEL_SEPARATOR)
            data.occupations[uri] = record
    path = _find(directory, "skills.csv")
    if path:
        for row in _read(path):
            uri = _require(row, "uri", path)
            record = {name: row.get(name, "") for name in SKILL_FIELDS if name in row}
            for name in ("alt_en", "alt_nl", "hidden_en"):
                if name in record:
                    record[name] = _labels(record[name], LABEL_SEPARATOR)
            data.skills[uri] = record
    for rows, name in (
        (data.occupations, "occupation_descriptions.csv"),
        (data.skills, "skill_descriptions.csv"),
    ):
        path = _find(directory, name)
        if path:
            for row in _read(path):
                target = rows.get(_require(row, "uri", path))
                if target is not None:
                    for column in ("description_en", "description_nl"):
                        if column in row:
                            target[column] = row[column]
    path = _find(directory, "occupation_skills.csv")
    if path:
        data.relations = {}
        for row in _read(path):
            key = (_require(row, "occupation_uri", path), _require(row, "skill_uri", path))
            data.relations[key] = _require(row, "relation", path)
    path = _find(directory, "occupation_broader.csv")
    if path:
        data.occupation_broader = {}
        for row in _read(path):
            if row.get("type") == "occupation" and row.get("broader_type") == "occupation":
                data.occupation_broader[row["uri"]] = _require(row, "broader_uri", path)
    return data


def _read_official(directory: Path) -> EscoData:
    data = EscoData(layout="official")
    for lang in LANGUAGES:
        path = _find(directory, f"occupations_{lang}.csv")
        if path:
            for row in _read(path):
                uri = _require(row, "conceptUri", path)
                record = data.occupations.setdefault(uri, {})
                record[f"pref_{lang}"] = _require(row, "preferredLabel", path)
                record[f"alt_{lang}"] = _labels(row.get("altLabels", ""), "\n")
                record[f"hidden_{lang}"] = _labels(row.get("hiddenLabels", ""), "\n")
                record[f"description_{lang}"] = row.get("description", "")
                if "code" in row:
                    record["code"] = row["code"]
                if "iscoGroup" in row:
                    record["isco_group"] = row["iscoGroup"]
        path = _find(directory, f"skills_{lang}.csv")
        if path:
            for row in _read(path):
                uri = _require(row, "conceptUri", path)
                record = data.skills.setdefault(uri, {})
                record[f"pref_{lang}"] = _require(row, "preferredLabel", path)
                record[f"alt_{lang}"] = _labels(row.get("altLabels", ""), "\n")
                if lang == "en":
                    record["hidden_en"] = _labels(row.get("hiddenLabels", ""), "\n")
                record[f"description_{lang}"] = row.get("description", "")
                if "skillType" in row:
                    record["skill_type"] = row["skillType"]
                if "reuseLevel" in row:
                    record["reuse_level"] = row["reuseLevel"]
                if lang == "nl":
                    record["nl_source"] = "esco-nl"
    names = [f"occupationSkillRelations_{lang}.csv" for lang in LANGUAGES]
    path = _find(directory, "occupationSkillRelations.csv", *names)
    if path:
        data.relations = {}
        for row in _read(path):
            key = (_require(row, "occupationUri", path), _require(row, "skillUri", path))
            data.relations[key] = _require(row, "relationType", path)
    names = [f"broaderRelationsOccPillar_{lang}.csv" for lang in LANGUAGES]
    path = _find(directory, "broaderRelationsOccPillar.csv", *names)
    if path:
        data.occupation_broader = {}
        for row in _read(path):
            concept_type = row.get("conceptType", "").lower()
            broader_type = row.get("broaderType", "").lower()
            if concept_type == "occupation" and broader_type == "occupation":
                uri = _require(row, "conceptUri", path)
                data.occupation_broader[uri] = _require(row, "broaderUri", path)
    return data


# --- writing -------------------------------------------------------------


def _insert_rows(
    model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Plain multi-row INSERT through the connection: the ORM's per-object
    overhead dominated the import time for hundreds of thousands of rows."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for batch in _batches(rows, BATCH_SIZE * 10):
            cursor.executemany(sql, batch)


def _batches(items: list[Any], size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _upsert(
    model: type[Occupation] | type[Skill], rows: Rows, fields: Iterable[str]
) -> tuple[dict[str, int], set[int], int, int]:
    """Create new and update changed concepts; returns uri->id, ids whose labels
    must be rebuilt, and the created and updated counts."""
    fields = tuple(fields)
    existing = {
        values["uri"]: values for values in model.objects.values("id", "uri", *fields).iterator()
    }
    to_create: list[Any] = []
    # One bulk_update per set of changed fields keeps unchanged columns untouched.
    to_update: dict[tuple[str, ...], list[Any]] = {}
    label_fields = {f"{kind}_{lang}" for kind, _kind in LABEL_COLUMNS for lang in LANGUAGES}
    relabel: set[int] = set()
    updated = 0
    for uri, record in rows.items():
        if not uri:
            continue
        current = existing.get(uri)
        if current is None:
            to_create.append(model(uri=uri, **record))
            continue
        diff = {name: value for name, value in record.items() if current[name] != value}
        if diff:
            updated += 1
            obj = model(id=current["id"], uri=uri, **diff)
            to_update.setdefault(tuple(sorted(diff)), []).append(obj)
            if label_fields & diff.keys():
                relabel.add(current["id"])
    for batch in _batches(to_create):
        model.objects.bulk_create(batch)
    for names, objs in to_update.items():
        model.objects.bulk_update(objs, names, batch_size=BATCH_SIZE)
    ids = dict(model.objects.values_list("uri", "id").iterator())
    relabel.update(ids[obj.uri] for obj in to_create)
    return ids, relabel, len(to_create), updated


def _rebuild_labels(
    concept_model: type[Occupation] | type[Skill],
    label_model: type[OccupationLabel] | type[SkillLabel],
    fk: str,
    ids: set[int],
) -> int:
    if not ids:
        return 0
    id_list = sorted(ids)
    for batch in _batches(id_list):
        label_model.objects.filter(**{f"{fk}_id__in": batch}).delete()
    columns = [f"{kind}_{lang}" for kind, _kind in LABEL_COLUMNS for lang in LANGUAGES]
    columns = [c for c in columns if hasattr(concept_model, c)]
    written = 0
    for batch in _batches(id_list):
        labels: list[tuple[Any, ...]] = []
        seen: set[tuple[int, str, str]] = set()
        for values in concept_model.objects.filter(id__in=batch).values("id", *columns):
            for prefix, kind in LABEL_COLUMNS:
                for lang in LANGUAGES:
                    raw = values.get(f"{prefix}_{lang}") or ""
                    for label in raw.split(LABEL_SEPARATOR):
                        norm = normalise(label)
                        key = (values["id"], lang, norm)
                        if not norm or key in seen:
                            continue
                        seen.add(key)
                        labels.append((values["id"], lang, kind.value, label[:255], norm))
        _insert_rows(label_model, (f"{fk}_id", "language", "kind", "label", "normalised"), labels)
        written += len(labels)
    return written


def _write_relations(
    data: EscoData, occupation_ids: dict[str, int], skill_ids: dict[str, int], result: LoadResult
) -> None:
    if data.relations is None:
        return
    wanted: dict[tuple[int, int], str] = {}
    for (occ_uri, skill_uri), relation in data.relations.items():
        occ_id = occupation_ids.get(occ_uri)
        skill_id = skill_ids.get(skill_uri)
        if occ_id is None or skill_id is None or relation not in RELATIONS:
            result.relations_skipped += 1
            continue
        wanted[(occ_id, skill_id)] = relation
    covered = {occ_id for occ_id, _skill in wanted}
    existing = {
        (occ_id, skill_id): (pk, relation)
        for pk, occ_id, skill_id, relation in OccupationSkill.objects.values_list(
            "id", "occupation_id", "skill_id", "relation"
        ).iterator()
    }
    to_create = [
        (occ_id, skill_id, relation)
        for (occ_id, skill_id), relation in wanted.items()
        if (occ_id, skill_id) not in existing
    ]
    to_update = [
        OccupationSkill(id=pk, relation=wanted[key])
        for key, (pk, relation) in existing.items()
        if key in wanted and wanted[key] != relation
    ]
    # A relation of an occupation in this file that the file no longer has is removed.
    to_delete = [
        pk for key, (pk, _rel) in existing.items() if key[0] in covered and key not in wanted
    ]
    _insert_rows(OccupationSkill, ("occupation_id", "skill_id", "relation"), to_create)
    OccupationSkill.objects.bulk_update(to_update, ["relation"], batch_size=BATCH_SIZE)
    for batch in _batches(to_delete):
        OccupationSkill.objects.filter(id__in=batch).delete()
    result.relations_created = len(to_create)
    result.relations_updated = len(to_update)
    result.relations_deleted = len(to_delete)


def _write_broader(data: EscoData, occupation_ids: dict[str, int]) -> None:
    if data.occupation_broader is None:
        return
    current = dict(Occupation.objects.values_list("id", "broader_id").iterator())
    to_update = []
    for uri, broader_uri in data.occupation_broader.items():
        occ_id = occupation_ids.get(uri)
        broader_id = occupation_ids.get(broader_uri)
        if occ_id is None or broader_id is None or occ_id == broader_id:
            continue
        if current.get(occ_id) != broader_id:
            to_update.append(Occupation(id=occ_id, broader_id=broader_id))
    Occupation.objects.bulk_update(to_update, ["broader"], batch_size=BATCH_SIZE)


def write_esco(data: EscoData) -> LoadResult:
    result = LoadResult(layout=data.layout)
    with transaction.atomic():
        occ_ids, occ_relabel, result.occupations_created, result.occupations_updated = _upsert(
            Occupation, data.occupations, OCCUPATION_FIELDS
        )
        skill_ids, skill_relabel, result.skills_created, result.skills_updated = _upsert(
            Skill, data.skills, SKILL_FIELDS
        )
        result.labels_written = _rebuild_labels(
            Occupation, OccupationLabel, "occupation", occ_relabel
        ) + _rebuild_labels(Skill, SkillLabel, "skill", skill_relabel)
        _write_relations(data, occ_ids, skill_ids, result)
        _write_broader(data, occ_ids)
    return result


def load_esco(directory: Path | str) -> LoadResult:
    """Read and import ESCO from `directory` (either layout); idempotent."""
    started = time.monotonic()
    data = read_esco(Path(directory))
    result = write_esco(data)
    result.seconds = time.monotonic() - started
    logger.info(
        "ESCO loaded (%s layout): %d occupations, %d skills, %.1f s",
        result.layout,
        len(data.occupations),
        len(data.skills),
        result.seconds,
    )
    return result
