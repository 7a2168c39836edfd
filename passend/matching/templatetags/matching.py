"""`{% why_matched candidate vacancy %}`: the explanation a ranking gave for this
pair, for pages of apps below matching (a proposal the candidate reads)."""

from __future__ import annotations

from typing import Any

from django import template

from passend.matching import explain
from passend.matching.models import RankingEntry

register = template.Library()


@register.inclusion_tag("matching/_why_matched.html")
def why_matched(candidate: Any, vacancy: Any) -> dict[str, Any]:
    """The latest logged explanation of `candidate` for `vacancy` (nothing when
    they were never ranked together: proposed by name, say)."""
    entry = (
        RankingEntry.objects.filter(candidate=candidate, vacancy=vacancy)
        .order_by("-created_at")
        .first()
    )
    if entry is None:
        return {"reading": None}
    occupations, skills = explain.labels_for([entry.explanation])
    return {
        "reading": explain.read(entry.explanation, occupations, skills),
        "percent": round(entry.score * 100),
    }
