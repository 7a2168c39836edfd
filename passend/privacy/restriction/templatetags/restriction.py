"""The restriction banner for pages about a person (the advisor's candidate page).

    {% load restriction %}
    {% restriction_banner profile.membership %}

or, to decide yourself what to show:

    {% restriction_status profile.membership as status %}
    {% if status.restricted %}...{% endif %}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template

from passend.privacy.restriction import selectors
from passend.privacy.restriction.models import ObjectablePurpose, Restriction

register = template.Library()


@dataclass(frozen=True)
class RestrictionStatus:
    restriction: Restriction | None = None
    objections: list[str] = field(default_factory=list)  # labels of the purposes objected to

    @property
    def restricted(self) -> bool:
        return self.restriction is not None

    def __bool__(self) -> bool:
        return self.restricted or bool(self.objections)


@register.simple_tag
def restriction_status(membership: Any) -> RestrictionStatus:
    """The person's active restriction and objections in this organisation (two queries)."""
    if membership is None or getattr(membership, "pk", None) is None:
        return RestrictionStatus()
    labels = dict(ObjectablePurpose.choices)
    objected = sorted(selectors.objected_purposes(membership))
    return RestrictionStatus(
        restriction=selectors.active_restriction_of(membership),
        objections=[str(labels[purpose]) for purpose in objected],
    )


@register.inclusion_tag("restriction/_banner.html")
def restriction_banner(membership: Any) -> dict[str, Any]:
    return {"status": restriction_status(membership)}
