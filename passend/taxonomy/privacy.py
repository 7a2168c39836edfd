"""Data map of the ESCO taxonomy (see docs/datamap.md and docs/taxonomy.md).

Occupations, skills, their labels and relations are public reference data of
the European Commission: none of it is about a natural person. The fields are
listed one by one so that a field added later must be declared on purpose.
"""

from __future__ import annotations

from passend.privacy.datamap import NOT_PERSONAL, declare
from passend.taxonomy.models import (
    EscoImport,
    IscoGroup,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    OccupationWord,
    Skill,
    SkillGroup,
    SkillLabel,
    SkillWord,
)

_CONCEPT = (
    "id",
    "uri",
    "pref_en",
    "pref_nl",
    "alt_en",
    "alt_nl",
    "description_en",
    "description_nl",
)
_LABEL = ("id", "language", "kind", "label", "normalised")

declare(
    Occupation,
    fields=dict.fromkeys(
        (
            *_CONCEPT,
            "code",
            "isco_group",
            "isco",
            "hidden_en",
            "hidden_nl",
            "broader",
            "skills",
        ),
        NOT_PERSONAL,
    ),
)
declare(
    Skill,
    fields=dict.fromkeys(
        (
            *_CONCEPT,
            "skill_type",
            "reuse_level",
            "hidden_en",
            "collections",
            "nl_source",
            "groups",
            "broader_skills",
        ),
        NOT_PERSONAL,
    ),
)
declare(
    OccupationSkill,
    fields=dict.fromkeys(("id", "occupation", "skill", "relation"), NOT_PERSONAL),
)
declare(OccupationLabel, fields=dict.fromkeys((*_LABEL, "occupation"), NOT_PERSONAL))
declare(SkillLabel, fields=dict.fromkeys((*_LABEL, "skill"), NOT_PERSONAL))
# The words of those labels (the typo-tolerant search's vocabulary): reference data too.
declare(OccupationWord, fields=dict.fromkeys(("id", "word", "occupation"), NOT_PERSONAL))
declare(SkillWord, fields=dict.fromkeys(("id", "word", "skill"), NOT_PERSONAL))
declare(
    IscoGroup,
    fields=dict.fromkeys(("id", "uri", "code", "pref_en", "pref_nl", "broader"), NOT_PERSONAL),
)
declare(SkillGroup, fields=dict.fromkeys((*_CONCEPT, "code", "broader"), NOT_PERSONAL))
# Which ESCO release was loaded, from which file: no person is involved.
declare(
    EscoImport,
    fields=dict.fromkeys(
        ("id", "loaded_at", "kind", "name", "layout", "version", "sha256"), NOT_PERSONAL
    ),
)
