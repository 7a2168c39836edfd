"""Matching in the API (/api/v1/matching/): job-title normalisation and rankings.

The same rules as the pages: advisors and admins rank candidates for a
vacancy and vacancies for a candidate; a candidate reads their own vacancies;
another organisation's vacancy or candidate is a 404. Every ranking answered
is logged like one shown on a page.
"""

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from passend.candidates.access import get_candidate_for_actor
from passend.common.api.actor import actor_of, membership_of
from passend.common.api.problems import Problem
from passend.common.api.schemas import problems
from passend.matching import explain, services
from passend.matching.services import RankingResult
from passend.taxonomy.normalise import normalise_title
from passend.tenancy.models import Membership, Role
from passend.vacancies.access import MANAGERS, get_vacancy_for_actor, own_profile

router = Router(tags=["matching"])


class NormaliseIn(Schema):
    title: str = Field("", max_length=500, description="A job title as someone wrote it.")
    lang: Literal["nl", "en"] = "nl"
    top: int = Field(10, ge=1, le=50)


class OccupationScore(Schema):
    occupation_id: int
    uri: str
    label: str
    score: float


class SignalOut(Schema):
    key: str
    label: str
    points: float
    share: float
    known: bool
    reason: str


class MatchOut(Schema):
    candidate_id: UUID
    vacancy_id: UUID
    score: float = Field(description="0 to 1: the sum of the signals' points / 100.")
    signals: list[SignalOut]
    matching_skills: list[str]
    missing_skills: list[str]


class RankingOut(Schema):
    ranking_id: UUID | None
    considered: int
    model_free: bool
    notices: list[str]
    results: list[MatchOut]


@router.get(
    "/normalise",
    response={200: list[OccupationScore], **problems(422)},
    summary="Map a job title to ranked ESCO occupations",
    operation_id="matching_normalise",
)
def normalise(request: HttpRequest, query: Query[NormaliseIn]) -> Any:
    membership_of(actor_of(request))
    return [
        {"occupation_id": m.occupation_id, "uri": m.uri, "label": m.label, "score": m.score}
        for m in normalise_title(query.title, language=query.lang, top=query.top)
    ]


def _out(result: RankingResult) -> dict[str, Any]:
    occupations, skills = explain.labels_for([m.explanation for m in result.matches])
    results = []
    for match in result.matches:
        reading = explain.read(match.explanation, occupations, skills)
        results.append(
            {
                "candidate_id": match.candidate_id,
                "vacancy_id": match.vacancy_id,
                "score": match.score,
                "signals": [
                    {
                        "key": line.key,
                        "label": line.label,
                        "points": line.points,
                        "share": line.share,
                        "known": line.known,
                        "reason": line.sentence,
                    }
                    for line in reading.lines
                ],
                "matching_skills": [label for label, _inferred in reading.matched],
                "missing_skills": reading.missing,
            }
        )
    return {
        "ranking_id": result.ranking.pk if result.ranking else None,
        "considered": result.considered,
        "model_free": result.model_free,
        "notices": result.notices,
        "results": results,
    }


def _manager(request: HttpRequest) -> Membership:
    membership = membership_of(actor_of(request))
    if membership.role not in MANAGERS:
        raise Problem(403, _("Only career advisors and administrators rank candidates."))
    return membership


@router.get(
    "/vacancies/{vacancy_id}/candidates",
    response={200: RankingOut, **problems(403, 404)},
    summary="Candidates ranked for a vacancy, each with why",
    description="Nothing is proposed: you choose whom to propose (applications API).",
    operation_id="matching_candidates_for_vacancy",
)
def candidates_for_vacancy(request: HttpRequest, vacancy_id: UUID) -> Any:
    membership = _manager(request)
    vacancy = get_vacancy_for_actor(membership, vacancy_id)
    return _out(services.rank_candidates(vacancy, requested_by=request.user))


@router.get(
    "/candidates/{candidate_id}/vacancies",
    response={200: RankingOut, **problems(403, 404)},
    summary="Vacancies ranked for a candidate, each with why",
    operation_id="matching_vacancies_for_candidate",
)
def vacancies_for_candidate(request: HttpRequest, candidate_id: UUID) -> Any:
    membership = _manager(request)
    candidate = get_candidate_for_actor(membership, candidate_id)
    return _out(services.rank_vacancies(candidate, requested_by=request.user))


@router.get(
    "/me/vacancies",
    response={200: RankingOut, **problems(403, 404)},
    summary="Vacancies for you, each with why",
    operation_id="matching_my_vacancies",
)
def my_vacancies(request: HttpRequest) -> Any:
    membership = membership_of(actor_of(request))
    if membership.role != Role.CANDIDATE:
        raise Problem(403, _("Only candidates have vacancies for them."))
    profile = own_profile(membership)
    if profile is None:
        raise Problem(404, _("Fill in your profile first."))
    return _out(services.rank_vacancies(profile, requested_by=request.user))
