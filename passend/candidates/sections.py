"""The sections of a candidate's profile (P5): one registry for pages, forms and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from passend.candidates.models import (
    AvailabilityException,
    AvailabilitySlot,
    CandidateSkill,
    Course,
    Education,
    LeavePeriod,
    ProfileScheme,
    Section,
    SocialMediaAccount,
    WebLink,
    WorkExperience,
)


@dataclass(frozen=True)
class SectionSpec:
    kind: str
    model: type[Section]
    title: Promise
    fields: tuple[str, ...]
    # Shown to employers with whom the profile is shared.
    for_employers: bool
    related: tuple[str, ...] = ()


SECTIONS: dict[str, SectionSpec] = {
    spec.kind: spec
    for spec in (
        SectionSpec(
            "work",
            WorkExperience,
            _("Work history"),
            ("employer_name", "role", "occupation", "started_on", "ended_on", "description"),
            True,
            ("occupation",),
        ),
        SectionSpec(
            "education",
            Education,
            _("Education history"),
            ("institution", "programme", "level", "started_on", "ended_on", "completed"),
            True,
        ),
        SectionSpec("skills", CandidateSkill, _("Skills"), ("skill", "level"), True, ("skill",)),
        SectionSpec(
            "courses",
            Course,
            _("Courses and test results"),
            ("name", "provider", "completed_on", "result"),
            True,
        ),
        SectionSpec(
            "availability",
            AvailabilitySlot,
            _("Weekly availability"),
            ("weekday", "starts_at", "ends_at"),
            True,
        ),
        SectionSpec(
            "exceptions",
            AvailabilityException,
            _("Availability exceptions"),
            ("date", "available", "note"),
            True,
        ),
        SectionSpec(
            "leave", LeavePeriod, _("Leave"), ("starts_on", "ends_on", "description"), False
        ),
        SectionSpec("links", WebLink, _("Web links"), ("title", "url"), True),
        SectionSpec("social", SocialMediaAccount, _("Social media"), ("platform", "handle"), False),
        SectionSpec(
            "schemes",
            ProfileScheme,
            _("Applicable schemes"),
            ("scheme", "note"),
            False,
            ("scheme",),
        ),
    )
}
