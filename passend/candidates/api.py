"""The profile endpoints: my profile, the caseload, one candidate, a section's entries.

An employer's answer about a shared candidate is built by selectors.employer_view
(an allow-list); the fields it leaves out are not in the response at all, not
even as null.
"""

# No `from __future__ import annotations` here: ninja reads the parameters of a
# `@paginate`d operation through its wrapper, which cannot resolve string annotations.

import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict

from passend.candidates import selectors, services
from passend.candidates.access import get_candidate_for_actor
from passend.candidates.models import CandidateProfile
from passend.candidates.sections import SECTIONS
from passend.common.api.actor import actor_of, membership_of
from passend.common.api.pagination import Counted, PagePagination
from passend.common.api.problems import Problem
from passend.common.api.schemas import problems
from passend.privacy.crypto.logging import contains_personal_number
from passend.tenancy.models import Membership, Role

router = Router(tags=["candidates"])


class CandidateOut(Schema):
    id: UUID
    name: str
    first_name: str
    last_name: str
    city: str
    interests: str
    # Not for employers: absent from their answers.
    is_worker: bool | None = None
    street: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    gender: str | None = None
    date_of_birth: datetime.date | None = None
    marital_status: str | None = None
    nationality: str | None = None
    email: str | None = None
    phone: str | None = Field(None, description="E.164, e.g. +31612345678.")
    bsn: str | None = Field(None, description="Flex workers only; each read is audited.")
    iban: str | None = Field(None, description="Each read is audited.")
    self_employment_type: str | None = None
    self_employment_number: str | None = None
    self_employment_valid_from: datetime.date | None = None
    self_employment_valid_until: datetime.date | None = None


class CandidatePatch(Schema):
    # Unknown fields (is_worker, say) are refused, not silently ignored.
    model_config = ConfigDict(extra="forbid")

    first_name: str | None = None
    last_name: str | None = None
    street: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    city: str | None = None
    gender: str | None = None
    date_of_birth: datetime.date | None = None
    marital_status: str | None = None
    nationality: str | None = None
    email: str | None = None
    phone: str | None = None
    bsn: str | None = Field(None, description="Only for flex workers (payroll).")
    iban: str | None = None
    self_employment_type: str | None = None
    self_employment_number: str | None = None
    self_employment_valid_from: datetime.date | None = None
    self_employment_valid_until: datetime.date | None = None
    interests: str | None = None


class CandidateSummary(Schema):
    id: UUID
    name: str
    city: str
    is_worker: bool

    @staticmethod
    def resolve_name(profile: Any) -> str:
        return str(profile.display_name)


class SearchIn(Schema):
    q: str = Field(
        "",
        max_length=100,
        description="Part of the name. A BSN or IBAN is refused: it is never a search key.",
    )


FULL_FIELDS = tuple(name for name in CandidateOut.model_fields if name not in ("id", "name"))


def _full(profile: CandidateProfile) -> dict[str, Any]:
    selectors.full_view(profile)
    data = {name: getattr(profile, name) for name in FULL_FIELDS}
    data.update(id=profile.pk, name=profile.display_name)
    return data


def _employer(profile: CandidateProfile) -> dict[str, Any]:
    view = selectors.employer_view(profile)
    view.pop("sections")
    return view


DATE_FIELDS = {"date_of_birth", "self_employment_valid_from", "self_employment_valid_until"}


def _own(membership: Membership) -> CandidateProfile:
    if membership.role != Role.CANDIDATE:
        raise Problem(403, _("Only candidates have a profile of their own."))
    return services.candidate_profile_ensure(membership=membership)


@router.get(
    "/me",
    response={200: CandidateOut, **problems(403, 404)},
    summary="My profile",
    operation_id="candidate_me",
    exclude_unset=True,
)
def me(request: HttpRequest) -> Any:
    return _full(_own(membership_of(actor_of(request))))


@router.patch(
    "/me",
    response={200: CandidateOut, **problems(403, 404, 422)},
    summary="Change my profile",
    description="Send only the fields to change. The BSN is accepted for flex workers only.",
    operation_id="candidate_me_update",
    exclude_unset=True,
)
def me_update(request: HttpRequest, payload: CandidatePatch) -> Any:
    membership = membership_of(actor_of(request))
    profile = _own(membership)
    data = {
        name: ("" if value is None and name not in DATE_FIELDS else value)
        for name, value in payload.model_dump(exclude_unset=True).items()
    }
    services.candidate_profile_update(profile=profile, by=membership, data=data)
    return _full(profile)


@router.get(
    "",
    response={200: list[CandidateSummary], **problems(403, 404, 422)},
    summary="The organisation's candidates",
    description="Career advisors and admins; search by name with `q`. Paginated.",
    operation_id="candidate_list",
)
@paginate(PagePagination)
def candidate_list(request: HttpRequest, search: Query[SearchIn]) -> Any:
    membership = membership_of(actor_of(request))
    if membership.role not in (Role.ADMIN, Role.PROFESSIONAL):
        raise Problem(403, _("Only career advisors and administrators see all candidates."))
    if contains_personal_number(search.q):
        # The same rule as the web search: a BSN or IBAN is never a search key
        # (UAVG art. 46), so it is refused rather than looked for.
        raise Problem(422, _("Search by name. A BSN or bank account number is never a search key."))
    profiles = selectors.candidate_profiles(search.q)
    if search.q.strip():
        return profiles
    return Counted(profiles, selectors.profile_count())


@router.get(
    "/{candidate_id}",
    response={200: CandidateOut, **problems(404)},
    summary="One candidate",
    description=(
        "The candidate themselves, career advisors and admins get the whole profile; an "
        "employer gets a shared profile without BSN, IBAN, date of birth, gender, "
        "nationality, marital status, address or contact details."
    ),
    operation_id="candidate_detail",
    exclude_unset=True,
)
def candidate_detail(request: HttpRequest, candidate_id: str) -> Any:
    membership = membership_of(actor_of(request))
    profile = get_candidate_for_actor(membership, candidate_id)
    if membership.role == Role.EMPLOYER:
        return _employer(profile)
    return _full(profile)


@router.get(
    "/{candidate_id}/sections/{kind}",
    response={200: list[dict[str, Any]], **problems(404)},
    summary="The entries of one section of a profile",
    description=(
        "Sections: " + ", ".join(SECTIONS) + ". Employers see only the sections that are "
        "shared with employers (not leave, social media or schemes)."
    ),
    operation_id="candidate_section",
)
def candidate_section(request: HttpRequest, candidate_id: str, kind: str) -> Any:
    membership = membership_of(actor_of(request))
    profile = get_candidate_for_actor(membership, candidate_id)
    spec = SECTIONS.get(kind)
    if spec is None or (membership.role == Role.EMPLOYER and not spec.for_employers):
        raise Problem(404)
    return [_entry(entry, spec.fields) for entry in selectors.section_entries(profile, spec)]


def _entry(entry: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": str(entry.pk)}
    for name in fields:
        value = getattr(entry, name)
        if hasattr(value, "uri"):
            value = {"uri": value.uri, "label": value.label()}
        elif hasattr(value, "pk"):
            value = {"id": str(value.pk), "name": str(value)}
        elif isinstance(value, (datetime.date, datetime.time)):
            value = value.isoformat()
        data[name] = value
    return data
