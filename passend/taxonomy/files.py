"""ESCO files: the two folder layouts we read, and the bundle we ship.

`read_esco(path)` reads, plain or gzip-compressed (`name.csv` or `name.csv.gz`):

* the compact bilingual set of ../shared/data/esco (`occupations.csv`,
  `skills.csv`, `occupation_descriptions.csv`, `skill_descriptions.csv`,
  `occupation_skills.csv`, `occupation_broader.csv`, `isco_groups.csv`,
  `skill_groups.csv`, `skill_broader.csv`);
* the official ESCO CSV download (`occupations_<lang>.csv`, `skills_<lang>.csv`,
  `ISCOGroups_<lang>.csv`, `skillGroups_<lang>.csv` for lang in en and nl,
  `occupationSkillRelations.csv`, `broaderRelationsOccPillar.csv`,
  `broaderRelationsSkillPillar.csv`, each also with a `_<lang>` suffix);
* a bundle (`esco-<version>.tar.xz`): the compact layout in an xz-compressed
  tar with a `metadata.json`, which `build_bundle` writes byte for byte the
  same from the same input (sorted rows, fixed member order and times).

Nothing here touches the database; `services.load_esco` writes what was read.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import lzma
import tarfile
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from passend.taxonomy.models import LABEL_SEPARATOR, Relation

LANGUAGES = ("en", "nl")
BUNDLE_FORMAT = 1
BUNDLE_SUFFIX = ".tar.xz"
# The bundle shipped with Passend; scripts/build_esco_bundle.py writes it.
BUNDLE_VERSION = "1.1.1"
BUNDLE_PATH = Path(__file__).resolve().parent / "data" / f"esco-{BUNDLE_VERSION}{BUNDLE_SUFFIX}"
# Members of a bundle get this modification time (2000-01-01), so that the
# bundle depends on its content only.
BUNDLE_MTIME = 946684800

ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
LICENCE = (
    "ESCO may be downloaded, used, reproduced and reused for any purpose and by any "
    "interested party free of charge (Commission Decision of 12 December 2011 on the "
    "reuse of Commission documents, 2011/833/EU), on two conditions: the use of ESCO "
    'is acknowledged with the statement "' + ATTRIBUTION + '", and any modified or '
    "adapted version of ESCO is clearly indicated as such. The Commission does not "
    "guarantee that ESCO or its translations are accurate, up to date or complete, "
    "and is not liable for any consequence of its use."
)
ONET_NOTE = (
    "The ESCO skills hierarchy is partly based on O*NET (U.S. Department of Labor, "
    "CC BY 4.0) and on the Canadian Skills and Knowledge Checklist."
)

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
ISCO_GROUP_FIELDS = ("code", "pref_en", "pref_nl")
SKILL_GROUP_FIELDS = ("code", "pref_en", "pref_nl", "alt_en", "alt_nl")
LABEL_LISTS = ("alt_en", "alt_nl", "hidden_en", "hidden_nl")
RELATIONS = {choice.value for choice in Relation}
# Concept types of the broader-relation files, official spelling -> ours.
CONCEPT_TYPES = {
    "occupation": "occupation",
    "iscogroup": "isco_group",
    "isco_group": "isco_group",
    "knowledgeskillcompetence": "skill",
    "skill": "skill",
    "skillgroup": "skill_group",
    "skill_group": "skill_group",
}

Rows = dict[str, dict[str, str]]
# (type, uri, broader type, broader uri), types as in CONCEPT_TYPES' values.
Broader = set[tuple[str, str, str, str]]


class EscoDataError(Exception):
    """The path holds no ESCO data this importer can read, or a file is malformed."""


@dataclass
class EscoData:
    """What was read from a folder or a bundle, before it is written.

    A part that is None was not in the input: writing leaves it alone.
    """

    layout: str
    occupations: Rows = field(default_factory=dict)
    skills: Rows = field(default_factory=dict)
    isco_groups: Rows | None = None
    skill_groups: Rows | None = None
    relations: dict[tuple[str, str], str] | None = None
    occupation_broader: Broader | None = None
    skill_broader: Broader | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


# --- sources: a folder, or the members of a bundle -----------------------


class _Source(ABC):
    """Where CSV files come from; `find` answers a name to pass to `rows`."""

    @abstractmethod
    def find(self, *names: str) -> str | None: ...

    @abstractmethod
    def open_text(self, name: str) -> IO[str]: ...

    def rows(self, name: str) -> Iterator[dict[str, str]]:
        try:
            with self.open_text(name) as handle:
                reader = csv.DictReader(handle)
                if not reader.fieldnames:
                    raise EscoDataError(_("%(file)s is empty.") % {"file": name})
                for row in reader:
                    yield {key: (value or "").strip() for key, value in row.items() if key}
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error) as exc:
            raise EscoDataError(
                _("%(file)s cannot be read: %(error)s") % {"file": name, "error": exc}
            ) from exc


class _Folder(_Source):
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def find(self, *names: str) -> str | None:
        for name in names:
            for candidate in (name, f"{name}.gz"):
                if (self.directory / candidate).is_file():
                    return candidate
        return None

    def open_text(self, name: str) -> IO[str]:
        path = self.directory / name
        if name.endswith(".gz"):
            return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
        return path.open(encoding="utf-8-sig", newline="")


class _Members(_Source):
    def __init__(self, members: dict[str, bytes]) -> None:
        self.members = members

    def find(self, *names: str) -> str | None:
        return next((name for name in names if name in self.members), None)

    def open_text(self, name: str) -> IO[str]:
        return io.TextIOWrapper(io.BytesIO(self.members[name]), encoding="utf-8", newline="")


def _require(row: dict[str, str], column: str, name: str) -> str:
    if column not in row:
        raise EscoDataError(
            _("%(file)s has no column %(column)s.") % {"file": name, "column": column}
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


# --- reading -------------------------------------------------------------


def read_esco(path: Path | str) -> EscoData:
    """Read a bundle file or a folder in either layout; EscoDataError when neither."""
    path = Path(path)
    if path.is_file() and path.name.endswith(BUNDLE_SUFFIX):
        return read_bundle(path.read_bytes())
    if not path.is_dir():
        raise EscoDataError(_("%(dir)s is not a folder.") % {"dir": path})
    source = _Folder(path)
    if source.find("occupations.csv") or source.find("skills.csv"):
        data = _read_compact(source)
        # An unpacked bundle still says which release it is.
        if (path / "metadata.json").is_file():
            data.metadata = _metadata(source_bytes=(path / "metadata.json").read_bytes())
        return data
    if any(
        source.find(f"{kind}_{lang}.csv")
        for kind in ("occupations", "skills")
        for lang in LANGUAGES
    ):
        return _read_official(source)
    raise EscoDataError(
        _(
            "No ESCO files in %(dir)s: expected occupations.csv and skills.csv "
            "(compact set) or occupations_en.csv / skills_en.csv (official ESCO download)."
        )
        % {"dir": path}
    )


def _read_broader(source: _Source, name: str, columns: tuple[str, str, str, str]) -> Broader:
    found: Broader = set()
    for row in source.rows(name):
        kind, uri, broader_kind, broader_uri = (_require(row, c, name) for c in columns)
        kind = CONCEPT_TYPES.get(kind.lower(), kind.lower())
        broader_kind = CONCEPT_TYPES.get(broader_kind.lower(), broader_kind.lower())
        if uri and broader_uri:
            found.add((kind, uri, broader_kind, broader_uri))
    return found


def _read_concepts(
    source: _Source, name: str | None, fields: tuple[str, ...], key: str = "uri"
) -> Rows | None:
    if name is None:
        return None
    rows: Rows = {}
    for row in source.rows(name):
        uri = _require(row, key, name)
        record = {column: row[column] for column in fields if column in row}
        for column in LABEL_LISTS:
            if column in record:
                record[column] = _labels(record[column], LABEL_SEPARATOR)
        rows[uri] = record
    return rows


def _read_compact(source: _Source) -> EscoData:
    data = EscoData(layout="compact")
    data.occupations = (
        _read_concepts(source, source.find("occupations.csv"), OCCUPATION_FIELDS) or {}
    )
    data.skills = _read_concepts(source, source.find("skills.csv"), SKILL_FIELDS) or {}
    for rows, file in (
        (data.occupations, "occupation_descriptions.csv"),
        (data.skills, "skill_descriptions.csv"),
    ):
        name = source.find(file)
        if name:
            for row in source.rows(name):
                target = rows.get(_require(row, "uri", name))
                if target is not None:
                    for column in ("description_en", "description_nl"):
                        if column in row:
                            target[column] = row[column]
    data.isco_groups = _read_concepts(source, source.find("isco_groups.csv"), ISCO_GROUP_FIELDS)
    data.skill_groups = _read_concepts(source, source.find("skill_groups.csv"), SKILL_GROUP_FIELDS)
    name = source.find("occupation_skills.csv")
    if name:
        data.relations = {}
        for row in source.rows(name):
            key = (_require(row, "occupation_uri", name), _require(row, "skill_uri", name))
            data.relations[key] = _require(row, "relation", name)
    columns = ("type", "uri", "broader_type", "broader_uri")
    name = source.find("occupation_broader.csv")
    if name:
        data.occupation_broader = _read_broader(source, name, columns)
    name = source.find("skill_broader.csv")
    if name:
        data.skill_broader = _read_broader(source, name, columns)
    return data


def _read_official(source: _Source) -> EscoData:
    data = EscoData(layout="official")
    for lang in LANGUAGES:
        name = source.find(f"occupations_{lang}.csv")
        if name:
            for row in source.rows(name):
                record = data.occupations.setdefault(_require(row, "conceptUri", name), {})
                record[f"pref_{lang}"] = _require(row, "preferredLabel", name)
                record[f"alt_{lang}"] = _labels(row.get("altLabels", ""), "\n")
                record[f"hidden_{lang}"] = _labels(row.get("hiddenLabels", ""), "\n")
                record[f"description_{lang}"] = row.get("description", "")
                if "code" in row:
                    record["code"] = row["code"]
                if "iscoGroup" in row:
                    record["isco_group"] = row["iscoGroup"]
        name = source.find(f"skills_{lang}.csv")
        if name:
            for row in source.rows(name):
                record = data.skills.setdefault(_require(row, "conceptUri", name), {})
                record[f"pref_{lang}"] = _require(row, "preferredLabel", name)
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
        name = source.find(f"ISCOGroups_{lang}.csv")
        if name:
            data.isco_groups = data.isco_groups or {}
            for row in source.rows(name):
                record = data.isco_groups.setdefault(_require(row, "conceptUri", name), {})
                record["code"] = _require(row, "code", name)
                record[f"pref_{lang}"] = _require(row, "preferredLabel", name)
        name = source.find(f"skillGroups_{lang}.csv")
        if name:
            data.skill_groups = data.skill_groups or {}
            for row in source.rows(name):
                record = data.skill_groups.setdefault(_require(row, "conceptUri", name), {})
                record[f"pref_{lang}"] = _require(row, "preferredLabel", name)
                record[f"alt_{lang}"] = _labels(row.get("altLabels", ""), "\n")
                # The English files leave some codes empty that the Dutch ones have.
                if row.get("code") or "code" not in record:
                    record["code"] = row.get("code", "")
    name = source.find(
        "occupationSkillRelations.csv",
        *(f"occupationSkillRelations_{lang}.csv" for lang in LANGUAGES),
    )
    if name:
        data.relations = {}
        for row in source.rows(name):
            key = (_require(row, "occupationUri", name), _require(row, "skillUri", name))
            data.relations[key] = _require(row, "relationType", name)
    columns = ("conceptType", "conceptUri", "broaderType", "broaderUri")
    for pillar in ("Occ", "Skill"):
        name = source.find(
            f"broaderRelations{pillar}Pillar.csv",
            *(f"broaderRelations{pillar}Pillar_{lang}.csv" for lang in LANGUAGES),
        )
        if name:
            found = _read_broader(source, name, columns)
            if pillar == "Occ":
                data.occupation_broader = found
            else:
                data.skill_broader = found
    return data


def _metadata(*, source_bytes: bytes) -> dict[str, Any]:
    try:
        metadata = json.loads(source_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise EscoDataError(_("metadata.json cannot be read: %(error)s") % {"error": exc}) from exc
    if not isinstance(metadata, dict):
        raise EscoDataError(
            _("metadata.json cannot be read: %(error)s") % {"error": "not an object"}
        )
    return metadata


def read_bundle(content: bytes) -> EscoData:
    """Read a bundle written by `build_bundle`."""
    members: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(lzma.decompress(content)), mode="r:") as tar:
            for member in tar.getmembers():
                handle = tar.extractfile(member) if member.isfile() else None
                if handle is not None:
                    members[member.name] = handle.read()
    except (lzma.LZMAError, tarfile.TarError, EOFError, OSError) as exc:
        raise EscoDataError(
            _("The ESCO bundle cannot be read: %(error)s") % {"error": exc}
        ) from exc
    if "metadata.json" not in members:
        raise EscoDataError(_("The ESCO bundle has no metadata.json."))
    metadata = _metadata(source_bytes=members["metadata.json"])
    if metadata.get("format") != BUNDLE_FORMAT:
        raise EscoDataError(
            _("The ESCO bundle has format %(format)s; this version of Passend reads %(ours)s.")
            % {"format": metadata.get("format"), "ours": BUNDLE_FORMAT}
        )
    data = _read_compact(_Members(members))
    data.layout = "bundle"
    data.metadata = metadata
    return data


# --- the bundle ----------------------------------------------------------


def _csv_bytes(header: Iterable[str], rows: Iterable[Iterable[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(sorted(tuple(row) for row in rows))
    return out.getvalue().encode("utf-8")


def _table(rows: Rows, fields: tuple[str, ...], key: str = "uri") -> bytes:
    return _csv_bytes(
        (key, *fields),
        ((uri, *(record.get(f, "") for f in fields)) for uri, record in rows.items()),
    )


def bundle_files(data: EscoData) -> dict[str, bytes]:
    """The compact layout's CSV files for `data`, rows sorted."""
    names = [f for f in OCCUPATION_FIELDS if not f.startswith("description_")]
    skill_names = [f for f in SKILL_FIELDS if not f.startswith("description_")]
    descriptions = ("description_en", "description_nl")
    broader = ("type", "uri", "broader_type", "broader_uri")
    return {
        "occupations.csv": _table(data.occupations, tuple(names)),
        "occupation_descriptions.csv": _table(data.occupations, descriptions),
        "skills.csv": _table(data.skills, tuple(skill_names)),
        "skill_descriptions.csv": _table(data.skills, descriptions),
        "isco_groups.csv": _table(data.isco_groups or {}, ISCO_GROUP_FIELDS),
        "skill_groups.csv": _table(data.skill_groups or {}, SKILL_GROUP_FIELDS),
        "occupation_skills.csv": _csv_bytes(
            ("occupation_uri", "skill_uri", "relation"),
            ((occ, skill, rel) for (occ, skill), rel in (data.relations or {}).items()),
        ),
        "occupation_broader.csv": _csv_bytes(broader, data.occupation_broader or set()),
        "skill_broader.csv": _csv_bytes(broader, data.skill_broader or set()),
    }


def bundle_counts(data: EscoData) -> dict[str, int]:
    relations = data.relations or {}
    return {
        "occupations": len(data.occupations),
        "skills": len(data.skills),
        "isco_groups": len(data.isco_groups or {}),
        "skill_groups": len(data.skill_groups or {}),
        "occupation_skills": len(relations),
        "occupation_skills_essential": sum(1 for r in relations.values() if r == "essential"),
        "occupation_broader": len(data.occupation_broader or set()),
        "skill_broader": len(data.skill_broader or set()),
    }


def build_bundle(data: EscoData, *, metadata: dict[str, Any]) -> bytes:
    """An xz-compressed tar of the compact layout and `metadata.json`.

    The same data and metadata give the same bytes: rows are sorted, members
    are written in a fixed order with fixed times and owners, and no build
    time is recorded.
    """
    files = bundle_files(data)
    metadata = {
        **metadata,
        "format": BUNDLE_FORMAT,
        "attribution": ATTRIBUTION,
        "licence": LICENCE,
        "credits": ONET_NOTE,
        "counts": bundle_counts(data),
        "files": {name: hashlib.sha256(body).hexdigest() for name, body in sorted(files.items())},
    }
    body = json.dumps(metadata, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    members = {"metadata.json": body.encode("utf-8"), **files}
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mtime = BUNDLE_MTIME
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(content))
    return lzma.compress(
        raw.getvalue(),
        format=lzma.FORMAT_XZ,
        check=lzma.CHECK_CRC64,
        preset=9 | lzma.PRESET_EXTREME,
    )


def input_checksums(directory: Path) -> dict[str, str]:
    """SHA-256 of every file in `directory` (the bundle's provenance)."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.iterdir())
        if path.is_file() and not path.name.startswith(".")
    }
