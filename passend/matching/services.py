"""Rankings: run the engine, explain the best results, and log what was shown.

`rank_candidates` (a professional, from a vacancy) and `rank_vacancies` (a
candidate or their advisor, from a profile) answer a `RankingResult`. Every
ranking shown is logged as a `Ranking` with its `RankingEntry` rows: who asked,
when, the model and data version, and each result's score and explanation
(AI Act Art. 12 and 26(6)). A ranking proposes nothing: a professional chooses
whom to propose, through the applications pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from passend.candidates.models import CandidateProfile
from passend.matching import engine, geo
from passend.matching.features import SIGNAL_KEYS, WEIGHTS
from passend.matching.models import (
    CandidateIndex,
    Direction,
    JobPreference,
    Ranking,
    RankingEntry,
    VacancyIndex,
)
from passend.matching.taxonomy import taxonomy
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import record
from passend.privacy.datamap import Purpose
from passend.taxonomy.encoder import get_encoder
from passend.taxonomy.selectors import latest_import
from passend.vacancies.models import Vacancy, VacancyStatus

SHOWN = 20
MAX_SKILLS_SHOWN = 8


@dataclass
class Match:
    candidate_id: Any
    vacancy_id: Any
    score: float
    explanation: dict
    candidate: CandidateProfile | None = None
    vacancy: Vacancy | None = None

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class RankingResult:
    ranking: Ranking | None
    matches: list[Match] = field(default_factory=list)
    considered: int = 0
    model_free: bool = False
    text_truncated: bool = False
    # Why the list may be poor: "no_occupation", "no_skills", "empty_profile", "no_taxonomy".
    notices: list[str] = field(default_factory=list)


def _model_id() -> str:
    encoder = get_encoder()
    return encoder.model_id if encoder else "model-free (lexical and taxonomy)"


def _data_version(pool: engine.Pool) -> str:
    esco = latest_import()
    return f"esco:{esco.pk if esco else '-'};index:{pool.version}"[:80]


def _explanation(
    signals: dict[str, np.ndarray],
    i: int,
    *,
    vacancy: dict,
    candidate: dict,
) -> dict:
    tax = taxonomy()
    parts = {}
    for key in SIGNAL_KEYS:
        value = float(signals[key][i])
        known = not np.isnan(value)
        parts[key] = {
            "score": round(value, 3) if known else None,
            "weight": WEIGHTS[key],
            "points": round(WEIGHTS[key] * (value if known else engine.UNKNOWN_CREDIT) * 100, 1),
        }
    requirements = {int(k): float(v) for k, v in vacancy.get("requirements", {}).items()}
    own = {int(k): float(v) for k, v in candidate.get("skills", {}).items()}
    by_rarity = sorted(
        requirements, key=lambda s: -float(tax.rarity[s]) if s < tax.skill_count else 0
    )
    matched = [
        [skill, requirements[skill] >= 1.0 or vacancy.get("implied", False), own[skill] <= 0.5]
        for skill in by_rarity
        if skill in own
    ][:MAX_SKILLS_SHOWN]
    missing = [
        skill
        for skill in by_rarity
        if skill not in own and (requirements[skill] >= 1.0 or vacancy.get("implied", False))
    ][:MAX_SKILLS_SHOWN]
    detail: dict[str, Any] = {
        "implied": bool(vacancy.get("implied")),
        "occupation_recognised": bool(vacancy.get("occupation_recognised")),
    }
    occupation = vacancy.get("occupation")
    if occupation is not None:
        detail["vacancy_occupation"] = occupation
        best, best_sim = None, 0.0
        for own_occupation in candidate.get("occupations", {}):
            sim = tax.similarity_between(int(occupation), int(own_occupation))
            if sim > best_sim:
                best, best_sim = int(own_occupation), sim
        if best is not None:
            detail["closest_occupation"] = best
            detail["closest_similarity"] = round(best_sim, 2)
            detail["closest_recognised"] = best in candidate.get("recognised", [])
        years = sum(
            float(spent)
            for own_occupation, spent in candidate.get("occupations", {}).items()
            if tax.similarity_between(int(occupation), int(own_occupation))
            >= engine.RELATED_OCCUPATION
        )
        detail["years"] = round(years, 1)
        wished = [
            o
            for o in candidate.get("wanted", [])
            if tax.similarity_between(int(occupation), int(o)) >= engine.RELATED_OCCUPATION
        ]
        detail["wished"] = bool(wished)
    km = float(signals["_km"][i])
    detail["km"] = None if np.isnan(km) else round(km, 1)
    ends = [str(candidate.get("geo") or ""), str(vacancy.get("geo") or "")]
    detail["km_precision"] = (
        geo.Precision(ends[0]).coarser(geo.Precision(ends[1])).value if all(ends) else None
    )
    detail["remote"] = bool(vacancy.get("remote"))
    detail["education"] = [candidate.get("education"), vacancy.get("education")]
    detail["hours"] = [candidate.get("hours"), vacancy.get("hours")]
    detail["hours_wish"] = [candidate.get("hours_min"), candidate.get("hours_max")]
    return {"signals": parts, "matched": matched, "missing": missing, "detail": detail}


@transaction.atomic
def preference_save(*, form: Any) -> JobPreference:
    """Save the candidate's wishes (the form's fields and its chosen occupations), audited."""
    preference: JobPreference = form.save()
    preference.occupations.set(form.occupations())
    record(
        action=Action.UPDATE,
        target=preference,
        # The wished occupations are a many-to-many: named in the detail, not as a column.
        fields=sorted(name for name in form.changed_data if not name.startswith("occupation_")),
        detail="occupations" if any(n.startswith("occupation_") for n in form.changed_data) else "",
        purpose=Purpose.MEDIATION,
        subject=preference.profile.membership.user_id,
    )
    return preference


def _log(
    *,
    direction: str,
    organisation_id: Any,
    vacancy: Vacancy | None,
    candidate: CandidateProfile | None,
    requested_by: Any,
    pool: engine.Pool,
    matches: list[Match],
) -> Ranking:
    with transaction.atomic():
        ranking = Ranking.objects.create(
            organisation_id=organisation_id,
            direction=direction,
            vacancy=vacancy,
            candidate=candidate,
            requested_by=requested_by,
            requested_at=timezone.now(),
            model_id=_model_id(),
            data_version=_data_version(pool),
            considered=len(pool),
        )
        RankingEntry.objects.bulk_create(
            [
                RankingEntry(
                    organisation_id=organisation_id,
                    ranking=ranking,
                    candidate_id=match.candidate_id,
                    vacancy_id=match.vacancy_id,
                    position=position,
                    score=match.score,
                    explanation=match.explanation,
                )
                for position, match in enumerate(matches, start=1)
            ]
        )
    return ranking


def _vector(row: CandidateIndex | VacancyIndex | None) -> np.ndarray | None:
    return engine.stored_vector(row) if row is not None else None


def rank_candidates(
    vacancy: Vacancy, *, requested_by: Any = None, limit: int = SHOWN, log: bool = True
) -> RankingResult:
    """The candidates of the vacancy's organisation, best first, explained."""
    row = VacancyIndex.objects.filter(vacancy=vacancy).first()
    if row is None:
        engine.index_vacancies([vacancy])
        row = VacancyIndex.objects.get(vacancy=vacancy)
    features = row.features
    pool = engine.candidate_pool(vacancy.organisation_id)
    result = RankingResult(ranking=None, model_free=get_encoder() is None)
    result.text_truncated = row.text_truncated
    if not features.get("occupation"):
        result.notices.append("no_occupation")
    if not features.get("requirements"):
        result.notices.append("no_skills")
    matches: list[Match] = []
    if len(pool):
        signals = engine.score_candidates(features, _vector(row), pool)
        scores = engine.combine(signals)
        wanted = max(limit, 1) * engine.SHORTLIST_FACTOR
        while True:
            best = engine.top(scores, wanted)
            ids = [pool.ids[i] for i in best]
            allowed = engine.allowed_candidates(ids)
            chosen = [i for i in best if pool.ids[i] in allowed][:limit]
            if len(chosen) >= limit or wanted >= len(pool):
                break
            wanted *= 4
        shown = dict(
            CandidateIndex.objects.filter(profile_id__in=[pool.ids[i] for i in chosen]).values_list(
                "profile_id", "features"
            )
        )
        for i in chosen:
            matches.append(
                Match(
                    candidate_id=pool.ids[i],
                    vacancy_id=vacancy.pk,
                    score=round(float(scores[i]), 4),
                    explanation=_explanation(
                        signals, i, vacancy=features, candidate=shown.get(pool.ids[i], {})
                    ),
                )
            )
        profiles = CandidateProfile.objects.filter(
            pk__in=[m.candidate_id for m in matches]
        ).select_related("membership__user")
        by_pk = {p.pk: p for p in profiles}
        for match in matches:
            match.candidate = by_pk.get(match.candidate_id)
            match.vacancy = vacancy
    result.matches = matches
    result.considered = len(pool)
    if log:
        result.ranking = _log(
            direction=Direction.CANDIDATES,
            organisation_id=vacancy.organisation_id,
            vacancy=vacancy,
            candidate=None,
            requested_by=requested_by,
            pool=pool,
            matches=matches,
        )
    return result


def rank_vacancies(
    candidate: CandidateProfile,
    *,
    requested_by: Any = None,
    limit: int = SHOWN,
    log: bool = True,
) -> RankingResult:
    """The published vacancies of the candidate's organisation, best first, explained.

    A candidate who restricted processing or objects to matching gets an
    empty list (the gate); the page says why."""
    result = RankingResult(ranking=None, model_free=get_encoder() is None)
    if candidate.pk not in engine.allowed_candidates([candidate.pk]):
        result.notices.append("blocked")
        return result
    row = CandidateIndex.objects.filter(profile=candidate).first()
    if row is None:
        engine.index_candidates([candidate])
        row = CandidateIndex.objects.get(profile=candidate)
    features = row.features
    result.text_truncated = row.text_truncated
    if not features.get("occupations") and not features.get("skills"):
        result.notices.append("empty_profile")
    pool = engine.vacancy_pool(candidate.organisation_id)
    matches: list[Match] = []
    if len(pool):
        signals = engine.score_vacancies(features, _vector(row), pool)
        scores = engine.combine(signals)
        best = engine.top(scores, limit)
        for i in best:
            matches.append(
                Match(
                    candidate_id=candidate.pk,
                    vacancy_id=pool.ids[i],
                    score=round(float(scores[i]), 4),
                    explanation=_explanation(
                        signals, i, vacancy=(pool.features or [])[i], candidate=features
                    ),
                )
            )
        vacancies = Vacancy.objects.filter(
            pk__in=[m.vacancy_id for m in matches], status=VacancyStatus.PUBLISHED
        ).select_related("employer", "occupation")
        by_pk = {v.pk: v for v in vacancies}
        matches = [m for m in matches if m.vacancy_id in by_pk]
        for match in matches:
            match.vacancy = by_pk[match.vacancy_id]
            match.candidate = candidate
    result.matches = matches
    result.considered = len(pool)
    if log:
        result.ranking = _log(
            direction=Direction.VACANCIES,
            organisation_id=candidate.organisation_id,
            vacancy=None,
            candidate=candidate,
            requested_by=requested_by,
            pool=pool,
            matches=matches,
        )
    return result
