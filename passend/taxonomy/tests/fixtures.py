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
ISCO = "http://data.europa.eu/esco/isco/"
ISCED = "http://data.europa.eu/esco/isced-f/"
MANUFACTURING = ISCED + "072"
FOOD_PROCESSING = ISCED + "0721"
ISCO_GROUPS = [
    ["7", ISCO + "C7", "Craft and related trades workers", "Ambachtslieden"],
    ["75", ISCO + "C75", "Food processing, wood working, garment workers", "Voedselverwerking"],
    ["751", ISCO + "C751", "Food processing and related trades workers", "Slagers en bakkers"],
    ["7512", ISCO + "C7512", "Bakers, pastry-cooks and confectionery makers", "Bakkers"],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, gz: bool = False) -> None:
    if gz:
        path = path.with_name(path.name + ".gz")
        with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *rows])
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def compact_folder(root: Path, *, skills_gz: bool = True) -> Path:
    """The compact layout (the bundle's), four occupations, four skills and their groups."""
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
            ["occupation", BAKER, "isco_group", ISCO + "C7512"],
            ["isco_group", ISCO + "C75", "isco_group", ISCO + "C7"],
            ["isco_group", ISCO + "C751", "isco_group", ISCO + "C75"],
            ["isco_group", ISCO + "C7512", "isco_group", ISCO + "C751"],
        ],
    )
    write_csv(root / "isco_groups.csv", ["code", "uri", "pref_en", "pref_nl"], ISCO_GROUPS)
    write_csv(
        root / "skill_groups.csv",
        ["uri", "code", "pref_en", "pref_nl", "alt_en", "alt_nl"],
        [
            [
                MANUFACTURING,
                "072",
                "manufacturing and processing",
                "productie en verwerking",
                "",
                "",
            ],
            [FOOD_PROCESSING, "0721", "food processing", "voedselverwerking", "", "levensmiddelen"],
        ],
    )
    write_csv(
        root / "skill_broader.csv",
        ["type", "uri", "broader_type", "broader_uri"],
        [
            ["skill_group", FOOD_PROCESSING, "skill_group", MANUFACTURING],
            ["skill", HYGIENE, "skill_group", FOOD_PROCESSING],
            ["skill", KNEAD, "skill_group", FOOD_PROCESSING],
            ["skill", KNEAD, "skill", HYGIENE],
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
        [
            ["Occupation", BAKER, "ISCOGroup", ISCO + "C7512"],
            ["ISCOGroup", ISCO + "C7512", "ISCOGroup", ISCO + "C751"],
        ],
    )
    isco_labels = {"en": "Bakers", "nl": "Bakkers"}
    group_labels = {"en": "food processing", "nl": "voedselverwerking"}
    for lang in languages:
        write_csv(
            root / f"ISCOGroups_{lang}.csv",
            ["conceptType", "conceptUri", "code", "preferredLabel", "altLabels", "inScheme"],
            [
                ["ISCOGroup", ISCO + "C751", "751", f"food {lang}", "", ""],
                ["ISCOGroup", ISCO + "C7512", "7512", isco_labels[lang], "", ""],
            ],
        )
        write_csv(
            root / f"skillGroups_{lang}.csv",
            ["conceptType", "conceptUri", "preferredLabel", "altLabels", "code"],
            # The English download leaves the code of ISCED-F groups empty.
            [
                [
                    "SkillGroup",
                    FOOD_PROCESSING,
                    group_labels[lang],
                    "",
                    "" if lang == "en" else "0721",
                ]
            ],
        )
    write_csv(
        root / "broaderRelationsSkillPillar.csv",
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        [["KnowledgeSkillCompetence", KNEAD, "SkillGroup", FOOD_PROCESSING]],
    )
    return root
