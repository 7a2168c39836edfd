"""ESCO taxonomy endpoints: search occupations and skills, read an occupation.

Reference data: every authenticated actor may read it; no organisation data
is involved.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from passend.common.api.actor import actor_of
from passend.common.api.problems import Problem
from passend.common.api.schemas import problems
from passend.taxonomy import selectors
from passend.taxonomy.models import Occupation, Relation, Skill
from passend.taxonomy.selectors import SearchHit

router = Router(tags=["taxonomy"])


class SearchIn(Schema):
    q: str = Field(
        description="Search text (at least 2 characters), Dutch or English; "
        "preferred, alternative and hidden labels are searched, case and accents ignored.",
        max_length=100,
    )
    limit: int = Field(selectors.DEFAULT_LIMIT, ge=1, le=selectors.MAX_LIMIT)
    language: Literal["nl", "en"] | None = Field(
        None, description="Language of `label`; default: the request's language."
    )


class ConceptOut(Schema):
    id: int
    uri: str = Field(description="The ESCO concept URI.")
    label: str = Field(description="Preferred label in the requested language.")
    pref_en: str
    pref_nl: str
    matched: str = Field(description="The label that matched the search.")


class SkillRef(Schema):
    id: int
    uri: str
    label: str
    relation: Relation


class OccupationOut(Schema):
    id: int
    uri: str
    label: str
    pref_en: str
    pref_nl: str
    alt_en: list[str]
    alt_nl: list[str]
    code: str
    isco_group: str
    description_en: str
    description_nl: str
    skills: list[SkillRef]


def _language(requested: str | None) -> str:
    return requested or (get_language() or "en")[:2]


def _out(hit: SearchHit) -> dict[str, Any]:
    concept: Occupation | Skill = hit.concept
    return {
        "id": concept.pk,
        "uri": concept.uri,
        "label": hit.label,
        "pref_en": concept.pref_en,
        "pref_nl": concept.pref_nl,
        "matched": hit.matched,
    }


@router.get(
    "/occupations",
    response={200: list[ConceptOut], **problems(422)},
    summary="Search ESCO occupations",
    operation_id="taxonomy_occupations",
)
def occupations(request: HttpRequest, search: Query[SearchIn]) -> Any:
    actor_of(request)
    language = _language(search.language)
    hits = selectors.search_occupations(search.q, language=language, limit=search.limit)
    return [_out(hit) for hit in hits]


@router.get(
    "/skills",
    response={200: list[ConceptOut], **problems(422)},
    summary="Search ESCO skills",
    operation_id="taxonomy_skills",
)
def skills(request: HttpRequest, search: Query[SearchIn]) -> Any:
    actor_of(request)
    language = _language(search.language)
    hits = selectors.search_skills(search.q, language=language, limit=search.limit)
    return [_out(hit) for hit in hits]


@router.get(
    "/occupations/{occupation_id}",
    response={200: OccupationOut, **problems(404, 422)},
    summary="One ESCO occupation with its essential and optional skills",
    operation_id="taxonomy_occupation",
)
def occupation(
    request: HttpRequest, occupation_id: int, language: Literal["nl", "en"] | None = None
) -> Any:
    actor_of(request)
    found = selectors.occupation_by_id(occupation_id)
    if found is None:
        raise Problem(404, _("No such occupation."))
    lang = _language(language)
    return {
        "id": found.pk,
        "uri": found.uri,
        "label": found.label(lang),
        "pref_en": found.pref_en,
        "pref_nl": found.pref_nl,
        "alt_en": found.alternative_labels("en"),
        "alt_nl": found.alternative_labels("nl"),
        "code": found.code,
        "isco_group": found.isco_group,
        "description_en": found.description_en,
        "description_nl": found.description_nl,
        "skills": [
            {
                "id": relation.skill.pk,
                "uri": relation.skill.uri,
                "label": relation.skill.label(lang),
                "relation": relation.relation,
            }
            for relation in selectors.occupation_skills(found)
        ],
    }
