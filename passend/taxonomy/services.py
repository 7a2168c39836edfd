"""Importing ESCO into the taxonomy tables (see docs/taxonomy.md).

`load_esco()` loads the bundle shipped in `passend/taxonomy/data/` (and does
nothing when the newest import was that same bundle); `load_esco(path)` loads
another bundle or a folder in either layout that `files.read_esco` reads.

The import is idempotent: concepts are matched on their ESCO URI, only rows
whose values changed are written, and only the fields a file provides are
touched (loading the English download and later the Dutch one merges them).
Everything runs in one transaction, with bulk writes in batches.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from passend.taxonomy.files import (
    BUNDLE_PATH,
    BUNDLE_SUFFIX,
    ISCO_GROUP_FIELDS,
    LANGUAGES,
    OCCUPATION_FIELDS,
    RELATIONS,
    SKILL_FIELDS,
    SKILL_GROUP_FIELDS,
    EscoData,
    EscoDataError,
    Rows,
    read_bundle,
    read_esco,
)
from passend.taxonomy.models import (
    LABEL_SEPARATOR,
    WORD_MAX_LENGTH,
    WORD_MIN_LENGTH,
    EscoImport,
    IscoGroup,
    LabelKind,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    OccupationWord,
    Skill,
    SkillGroup,
    SkillLabel,
    SkillWord,
)
from passend.taxonomy.selectors import forget_vocabularies
from passend.taxonomy.text import normalise
from passend.taxonomy.text import words as label_words

__all__ = ["EscoData", "EscoDataError", "LoadResult", "load_esco", "read_esco", "write_esco"]

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
LABEL_COLUMNS = (
    ("pref", LabelKind.PREFERRED),
    ("alt", LabelKind.ALTERNATIVE),
    ("hidden", LabelKind.HIDDEN),
)


@dataclass
class LoadResult:
    layout: str
    version: str = ""
    skipped: bool = False
    occupations_created: int = 0
    occupations_updated: int = 0
    skills_created: int = 0
    skills_updated: int = 0
    groups_created: int = 0
    groups_updated: int = 0
    labels_written: int = 0
    relations_created: int = 0
    relations_updated: int = 0
    relations_deleted: int = 0
    relations_skipped: int = 0
    hierarchy_created: int = 0
    hierarchy_deleted: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        if self.skipped:
            return _(
                "ESCO %(version)s: this bundle is already loaded; nothing to do "
                "(--force loads it again)."
            ) % {"version": self.version}
        return _(
            "ESCO (%(layout)s layout): occupations %(oc)d new, %(ou)d changed; "
            "skills %(sc)d new, %(su)d changed; ISCO and skill groups %(gc)d new, "
            "%(gu)d changed; %(labels)d labels written; "
            "relations %(rc)d new, %(ru)d changed, %(rd)d removed, %(rs)d skipped "
            "(unknown concept); hierarchy links %(hc)d new, %(hd)d removed; %(seconds).1f s."
        ) % {
            "layout": self.layout,
            "oc": self.occupations_created,
            "ou": self.occupations_updated,
            "sc": self.skills_created,
            "su": self.skills_updated,
            "gc": self.groups_created,
            "gu": self.groups_updated,
            "labels": self.labels_written,
            "rc": self.relations_created,
            "ru": self.relations_updated,
            "rd": self.relations_deleted,
            "rs": self.relations_skipped,
            "hc": self.hierarchy_created,
            "hd": self.hierarchy_deleted,
            "seconds": self.seconds,
        }


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


def _set_column(model: type[models.Model], column: str, values: list[tuple[Any, int]]) -> None:
    """UPDATE one column of many rows, (value, id) each: bulk_update's CASE
    expressions were most of the time of a first load."""
    if not values:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for batch in _batches(values, BATCH_SIZE * 10):
            cursor.executemany(sql, batch)


def _batches(items: list[Any], size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _upsert(
    model: type[Occupation] | type[Skill] | type[IscoGroup] | type[SkillGroup],
    rows: Rows,
    fields: Iterable[str],
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
    word_model: type[OccupationWord] | type[SkillWord],
    fk: str,
    ids: set[int],
) -> int:
    """Replace the label rows of these concepts, and their words (the typo
    search's vocabulary) with them; returns the number of labels written."""
    if not ids:
        return 0
    id_list = sorted(ids)
    for batch in _batches(id_list):
        label_model.objects.filter(**{f"{fk}_id__in": batch}).delete()
        word_model.objects.filter(**{f"{fk}_id__in": batch}).delete()
    columns = [f"{kind}_{lang}" for kind, _kind in LABEL_COLUMNS for lang in LANGUAGES]
    columns = [c for c in columns if hasattr(concept_model, c)]
    written = 0
    for batch in _batches(id_list):
        labels: list[tuple[Any, ...]] = []
        seen: set[tuple[int, str, str]] = set()
        concept_words: set[tuple[int, str]] = set()
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
                        concept_words.update(
                            (values["id"], word)
                            for word in label_words(norm, WORD_MIN_LENGTH, WORD_MAX_LENGTH)
                        )
        _insert_rows(label_model, (f"{fk}_id", "language", "kind", "label", "normalised"), labels)
        _insert_rows(word_model, (f"{fk}_id", "word"), sorted(concept_words))
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


def _broader_pairs(
    broader: set[tuple[str, str, str, str]], kind: str, broader_kind: str
) -> list[tuple[str, str]]:
    return sorted(
        (uri, b_uri) for k, uri, b_k, b_uri in broader if (k, b_k) == (kind, broader_kind)
    )


def _write_parents(
    model: type[Occupation] | type[IscoGroup] | type[SkillGroup],
    pairs: list[tuple[str, str]],
    ids: dict[str, int],
) -> None:
    """Set the `broader` foreign key; a concept with several parents keeps the first."""
    current = dict(model.objects.values_list("id", "broader_id").iterator())
    wanted: dict[int, int] = {}
    for uri, broader_uri in pairs:
        concept_id, broader_id = ids.get(uri), ids.get(broader_uri)
        if concept_id is not None and broader_id is not None and concept_id != broader_id:
            wanted.setdefault(concept_id, broader_id)
    to_update = [
        (broader_id, concept_id)
        for concept_id, broader_id in wanted.items()
        if current.get(concept_id) != broader_id
    ]
    _set_column(model, "broader_id", to_update)


def _write_isco_links(data: EscoData, occupation_ids: dict[str, int]) -> None:
    """Point each occupation of the file at the ISCO group of its `isco_group` code."""
    by_code = dict(IscoGroup.objects.values_list("code", "id").iterator())
    current = dict(Occupation.objects.values_list("id", "isco_id").iterator())
    to_update = []
    for uri, record in data.occupations.items():
        occ_id = occupation_ids.get(uri)
        if occ_id is None or "isco_group" not in record:
            continue
        isco_id = by_code.get(record["isco_group"])
        if current.get(occ_id) != isco_id:
            to_update.append((isco_id, occ_id))
    _set_column(Occupation, "isco_id", to_update)


def _sync_links(
    through: type[models.Model],
    columns: tuple[str, str],
    wanted: set[tuple[int, int]],
    covered: set[int],
    result: LoadResult,
) -> None:
    """Make the links of the `covered` left-hand ids exactly `wanted`."""
    left, right = columns
    existing = {
        (a, b): pk
        for pk, a, b in through._default_manager.values_list("id", left, right).iterator()
    }
    to_create = sorted(wanted - existing.keys())
    to_delete = [pk for key, pk in existing.items() if key[0] in covered and key not in wanted]
    _insert_rows(through, columns, to_create)
    for batch in _batches(to_delete):
        through._default_manager.filter(id__in=batch).delete()
    result.hierarchy_created += len(to_create)
    result.hierarchy_deleted += len(to_delete)


def _write_hierarchy(
    data: EscoData,
    occupation_ids: dict[str, int],
    skill_ids: dict[str, int],
    result: LoadResult,
) -> None:
    isco_ids = dict(IscoGroup.objects.values_list("uri", "id").iterator())
    group_ids = dict(SkillGroup.objects.values_list("uri", "id").iterator())
    if data.occupation_broader is not None:
        broader = data.occupation_broader
        _write_parents(
            Occupation, _broader_pairs(broader, "occupation", "occupation"), occupation_ids
        )
        _write_parents(IscoGroup, _broader_pairs(broader, "isco_group", "isco_group"), isco_ids)
    _write_isco_links(data, occupation_ids)
    if data.skill_broader is None:
        return
    broader = data.skill_broader
    _write_parents(SkillGroup, _broader_pairs(broader, "skill_group", "skill_group"), group_ids)
    # The file speaks for every skill it names and every skill of the skills file.
    covered = {skill_ids[uri] for uri in data.skills if uri in skill_ids}
    covered |= {
        skill_ids[uri] for kind, uri, _b, _u in broader if kind == "skill" and uri in skill_ids
    }
    for through, columns, parent_ids, parent_kind in (
        (Skill.groups.through, ("skill_id", "skillgroup_id"), group_ids, "skill_group"),
        (Skill.broader_skills.through, ("from_skill_id", "to_skill_id"), skill_ids, "skill"),
    ):
        wanted = {
            (skill_ids[uri], parent_ids[b_uri])
            for uri, b_uri in _broader_pairs(broader, "skill", parent_kind)
            if uri in skill_ids and b_uri in parent_ids and (parent_kind, uri) != ("skill", b_uri)
        }
        _sync_links(through, columns, wanted, covered, result)


def write_esco(
    data: EscoData, *, kind: str = EscoImport.Kind.FOLDER, name: str = "", sha256: str = ""
) -> LoadResult:
    """Write what was read, in one transaction, and record the import."""
    result = LoadResult(layout=data.layout, version=str(data.metadata.get("esco_version", "")))
    with transaction.atomic():
        for model, rows, fields in (
            (IscoGroup, data.isco_groups, ISCO_GROUP_FIELDS),
            (SkillGroup, data.skill_groups, SKILL_GROUP_FIELDS),
        ):
            if rows is not None:
                _ids, _relabel, created, updated = _upsert(model, rows, fields)
                result.groups_created += created
                result.groups_updated += updated
        occ_ids, occ_relabel, result.occupations_created, result.occupations_updated = _upsert(
            Occupation, data.occupations, OCCUPATION_FIELDS
        )
        skill_ids, skill_relabel, result.skills_created, result.skills_updated = _upsert(
            Skill, data.skills, SKILL_FIELDS
        )
        result.labels_written = _rebuild_labels(
            Occupation, OccupationLabel, OccupationWord, "occupation", occ_relabel
        ) + _rebuild_labels(Skill, SkillLabel, SkillWord, "skill", skill_relabel)
        _write_relations(data, occ_ids, skill_ids, result)
        _write_hierarchy(data, occ_ids, skill_ids, result)
        EscoImport.objects.create(
            kind=kind, name=name[:255], layout=data.layout, version=result.version, sha256=sha256
        )
    forget_vocabularies()
    return result


def latest_import() -> EscoImport | None:
    return EscoImport.objects.order_by("-loaded_at", "-id").first()


def load_esco(path: Path | str | None = None, *, force: bool = False) -> LoadResult:
    """Import ESCO from a bundle file or a folder (either layout); idempotent.

    Without `path`, the bundle shipped with Passend. A bundle whose checksum
    is that of the newest import is not read again unless `force` is given.
    """
    started = time.monotonic()
    path = Path(path) if path else BUNDLE_PATH
    if path.is_file() and path.name.endswith(BUNDLE_SUFFIX):
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        latest = latest_import()
        if not force and latest is not None and latest.sha256 == digest:
            return LoadResult(layout="bundle", version=latest.version, skipped=True)
        data = read_bundle(content)
        result = write_esco(data, kind=EscoImport.Kind.BUNDLE, name=path.name, sha256=digest)
    elif not path.exists() and path == BUNDLE_PATH:
        raise EscoDataError(
            _("The ESCO bundle %(file)s is missing; scripts/build_esco_bundle.py builds it.")
            % {"file": path}
        )
    else:
        data = read_esco(path)
        result = write_esco(data, kind=EscoImport.Kind.FOLDER, name=path.name)
    result.seconds = time.monotonic() - started
    logger.info(
        "ESCO loaded (%s layout): %d occupations, %d skills, %.1f s",
        result.layout,
        len(data.occupations),
        len(data.skills),
        result.seconds,
    )
    return result
