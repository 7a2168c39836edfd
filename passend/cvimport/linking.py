"""Linking what a CV names to ESCO: roles to occupations, skill phrases to skills.

Roles go through `passend.taxonomy.normalise.normalise_title` (ranked ESCO
occupations with a score); when that module cannot be used, through the
label search of `taxonomy.selectors`. Skill phrases are looked up by an
exact label first (any ESCO label, Dutch or English, case and accents
ignored), then by the label search. The person picks or drops each link on
the review page.
"""

from __future__ import annotations

import logging
from typing import Any

from passend.taxonomy import selectors
from passend.taxonomy.models import Skill

logger = logging.getLogger(__name__)

OCCUPATION_CHOICES = 3
SKILL_CHOICES = 3


def occupations_for(title: str, language: str) -> list[dict[str, Any]]:
    """Up to three ESCO occupations for a role as written, best first."""
    if not title.strip():
        return []
    try:
        from passend.taxonomy.normalise import normalise_title

        matches = normalise_title(title, language=language or "nl", top=OCCUPATION_CHOICES)
        return [
            {"id": m.occupation_id, "label": m.label, "score": round(float(m.score), 3)}
            for m in matches
        ]
    except ImportError:
        pass
    except Exception:  # the normaliser is an aid: the review works without it
        logger.warning("Title normalisation failed; falling back to label search.", exc_info=True)
    hits = selectors.search_occupations(title, language=language or "nl", limit=OCCUPATION_CHOICES)
    return [{"id": hit.pk, "label": hit.label, "score": None} for hit in hits]


def skills_for(phrase: str, language: str) -> list[dict[str, Any]]:
    """Up to three ESCO skills for a phrase: exact label matches, else the search's best."""
    exact = list(selectors.exact_concepts(Skill, phrase))[:SKILL_CHOICES]
    if exact:
        return [{"id": s.pk, "label": s.label(language or "nl"), "exact": True} for s in exact]
    hits = selectors.search_skills(phrase, language=language or "nl", limit=SKILL_CHOICES)
    return [{"id": hit.pk, "label": hit.label, "exact": False} for hit in hits]
