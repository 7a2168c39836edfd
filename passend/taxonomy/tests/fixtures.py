"""Tiny ESCO folders for the tests, in both layouts the importer reads."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

OCC = "http://data.europa.eu/esco/occupation/"
SKILL = "http://data.europa.eu/esco/skill/"
BAKER = OCC + "baker"
PASTRY = OCC + "pastry-baker"
DEVELOPER = OCC + "software-developer"
COORDINATOR = OCC + "coordinator"
KNEAD = SKILL + "knead-dough"
PYTHON = SKILL + "python"
HYGIENE = SKILL + "food-hygiene"
TEAMWORK = SKILL + "teamwork"


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, gz: bool = False) -> None:
    if gz:
        path = path.with_name(path.name + ".gz")
        with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *rows])
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def compact_folder(root: Path, *, skills_gz: bool = True) -> Path:
    """The layout of ../shared/data/esco, four occupations and four skills."""
    root.mkdir(parents=True, exist_ok=True)
    write_csv(
        root / "occupations.csv",
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
                "bread maker|bread baker",
                "broodbakker|warme bakker",
                "",
                "",
            ],
            [
                PASTRY,
                "7512.2",
                "7512",
                "pastry baker",
                "banketbakker",
                "confectioner",
                "patissier",
                "",
                "",
            ],
            [
                DEVELOPER,
                "2512.4",
                "2512",
                "software developer",
                "softwareontwikkelaar",
                "programmer|coder",
                "programmeur",
                "",
                "softwareontwikkelar",
            ],
            [
                COORDINATOR,
                "3339.1",
                "3339",
                "event coordinator",
                "coördinator evenementen",
                "",
                "evenementencoördinator",
                "",
                "",
            ],
        ],
    )
    write_csv(
        root / "occupation_descriptions.csv",
        ["uri", "description_en", "description_nl"],
        [[BAKER, "Bakers make bread.", "Bakkers maken brood."], [OCC + "unknown", "x", "y"]],
    )
    write_csv(
        root / "skills.csv",
        [
            "uri",
            "skill_type",
            "reuse_level",
            "pref_en",
            "pref_nl",
            "alt_en",
            "alt_nl",
            "hidden_en",
            "nl_source",
            "collections",
        ],
        [
            [
                KNEAD,
                "skill/competence",
                "occupation-specific",
                "knead dough",
                "deeg kneden",
                "work dough",
                "",
                "",
                "esco-1.2-nl-collections",
                "",
            ],
            [
                PYTHON,
                "knowledge",
                "cross-sector",
                "Python (computer programming)",
                "",
                "Python",
                "",
                "",
                "",
                "digital",
            ],
            [
                HYGIENE,
                "knowledge",
                "sector-specific",
                "food hygiene",
                "voedselhygiëne",
                "",
                "hygiëne van voedsel",
                "",
                "esco-1.2-nl-collections",
                "",
            ],
            [
                TEAMWORK,
                "skill/competence",
                "transversal",
                "work in teams",
                "in teamverband werken",
                "teamwork",
                "samenwerken",
                "",
                "esco-1.0.3-nl-vdab-mapping",
                "transversal",
            ],
        ],
        gz=skills_gz,
    )
    write_csv(
        root / "skill_descriptions.csv",
        ["uri", "description_en", "description_nl"],
        [[KNEAD, "Knead dough by hand.", "Deeg met de hand kneden."]],
    )
    write_csv(
        root / "occupation_skills.csv",
        ["occupation_uri", "skill_uri", "relation"],
        [
            [BAKER, KNEAD, "essential"],
            [BAKER, HYGIENE, "essential"],
            [BAKER, TEAMWORK, "optional"],
            [PASTRY, KNEAD, "essential"],
            [DEVELOPER, PYTHON, "optional"],
            [DEVELOPER, SKILL + "not-in-the-file", "essential"],
        ],
        gz=True,
    )
    write_csv(
        root / "occupation_broader.csv",
        ["type", "uri", "broader_type", "broader_uri"],
        [
            ["occupation", PASTRY, "occupation", BAKER],
            ["occupation", BAKER, "isco_group", "http://data.europa.eu/esco/isco/C7512"],
        ],
    )
    return root


OFFICIAL_OCC_HEADER = [
    "conceptType",
    "conceptUri",
    "iscoGroup",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "regulatedProfessionNote",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
    "code",
]
OFFICIAL_SKILL_HEADER = [
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
]


def official_folder(root: Path, languages: tuple[str, ...] = ("en", "nl")) -> Path:
    """The layout of the official ESCO CSV download (v1.1.x/v1.2.x)."""
    root.mkdir(parents=True, exist_ok=True)
    labels = {
        "en": {BAKER: ("baker", "bread maker\nbread baker"), KNEAD: ("knead dough", "work dough")},
        "nl": {BAKER: ("bakker", "broodbakker\nwarme bakker"), KNEAD: ("deeg kneden", "")},
    }
    for lang in languages:
        write_csv(
            root / f"occupations_{lang}.csv",
            OFFICIAL_OCC_HEADER,
            [
                [
                    "Occupation",
                    BAKER,
                    "7512",
                    *labels[lang][BAKER],
                    "",
                    "released",
                    "",
                    "",
                    "",
                    "",
                    "",
                    f"desc {lang}",
                    "7512.1",
                ]
            ],
        )
        write_csv(
            root / f"skills_{lang}.csv",
            OFFICIAL_SKILL_HEADER,
            [
                [
                    "KnowledgeSkillCompetence",
                    KNEAD,
                    "skill/competence",
                    "occupation-specific",
                    *labels[lang][KNEAD],
                    "",
                    "released",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            ],
            gz=lang == "nl",
        )
    write_csv(
        root / "occupationSkillRelations.csv",
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [[BAKER, "essential", "skill/competence", KNEAD]],
    )
    write_csv(
        root / "broaderRelationsOccPillar.csv",
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        [["Occupation", BAKER, "ISCOGroup", "http://data.europa.eu/esco/isco/C7512"]],
    )
    return root
