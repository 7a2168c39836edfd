"""The index: features the engine scores, derived from profiles and vacancies.

Only the fields that `passend.matching.features.SIGNALS` declares are read
here; the fairness test and the system check keep it that way. A profile or
vacancy change enqueues `refresh` after commit (passend.matching.signals);
`manage.py match_index` rebuilds an organisation's index with a progress bar.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from passend.candidates.models import (
    AvailabilitySlot,
    CandidateProfile,
    CandidateSkill,
    Course,
    Education,
    SkillLevel,
    WorkExperience,
)
from passend.matching import geo, vectors
from passend.matching.models import CandidateIndex, JobPreference, VacancyIndex
from passend.matching.taxonomy import taxonomy
from passend.taxonomy.encoder import get_encoder, truncate
from passend.taxonomy.models import Occupation, Skill
from passend.taxonomy.normalise import normalise_titles
from passend.vacancies.models import EducationLevel, Vacancy, VacancySkill, WorkMode

BATCH = 500
SKILL_LEVEL_WEIGHT: dict[str, float] = {
    SkillLevel.EXPERT: 1.0,
    SkillLevel.GOOD: 0.9,
    SkillLevel.BASIC: 0.7,
}
# Skills a person's occupations imply, without their saying so, count for less.
INFERRED_SKILL_WEIGHT = 0.5
OPTIONAL_SKILL_WEIGHT = 0.5
EDUCATION_RANK = {level: rank for rank, level in enumerate(EducationLevel.values)}

_LEVEL_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), level)
    for pattern, level in (
        (r"\b(wo|universiteit|university|master|msc|phd|doctoraal|drs)\b", EducationLevel.WO),
        (r"\b(hbo|hogeschool|bachelor|bsc|ba)\b", EducationLevel.HBO),
        (r"\b(havo|vwo|gymnasium|atheneum)\b", EducationLevel.HAVO_VWO),
        (r"\bmbo[\s-]*(niveau\s*)?4\b|\bniveau\s*4\b|\blevel\s*4\b", EducationLevel.MBO_4),
        (r"\bmbo[\s-]*(niveau\s*)?3\b|\bniveau\s*3\b|\blevel\s*3\b", EducationLevel.MBO_3),
        (r"\bmbo[\s-]*(niveau\s*)?[12]\b|\bniveau\s*[12]\b|\bentree\b", EducationLevel.MBO_2),
        (r"\bmbo\b", EducationLevel.MBO_3),
        (r"\b(vmbo|mavo|lbo|vbo)\b", EducationLevel.VMBO),
    )
)


def education_rank(*texts: str) -> int | None:
    """The Dutch level a free-text education names, as a rank (None: unknown)."""
    text = " ".join(texts)
    for pattern, level in _LEVEL_PATTERNS:
        if pattern.search(text):
            return EDUCATION_RANK[level]
    return None


def _years(started: date, ended: date | None, today: date) -> float:
    return max(((ended or today) - started).days / 365.25, 0.1)


def _hours(slots: Iterable[AvailabilitySlot]) -> float | None:
    total = 0.0
    seen = False
    for slot in slots:
        seen = True
        start = datetime.combine(date.min, slot.starts_at)
        end = datetime.combine(date.min, slot.ends_at)
        total += max((end - start).total_seconds() / 3600, 0)
    return round(total, 1) if seen else None


def _point(postcode: str) -> dict[str, Any]:
    point = geo.postcode_point(postcode) if postcode else None
    if point is None:
        return {"lat": None, "lon": None, "geo": None}
    return {"lat": point.lat, "lon": point.lon, "geo": str(point.precision.value)}


def _labels(model: type[Occupation] | type[Skill], ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        pk: (nl or en)
        for pk, nl, en in model.objects.filter(pk__in=ids).values_list("pk", "pref_nl", "pref_en")
    }


# A job title without an ESCO occupation counts as the occupation the title
# normaliser recognises in it, when it is this sure (docs/matching.md).
RECOGNISED = 0.6


def recognised(titles: list[str]) -> dict[str, int]:
    """Title -> the ESCO occupation recognised in it (only the sure ones), batched."""
    unique = sorted({title.strip() for title in titles if title and title.strip()})
    if not unique:
        return {}
    best = normalise_titles(unique, language="nl", top=1)
    return {
        title: hits[0].occupation_id
        for title, hits in zip(unique, best, strict=True)
        if hits and hits[0].score >= RECOGNISED
    }


def candidate_features(profiles: list[CandidateProfile], today: date | None = None) -> list[dict]:
    """The features and the summary text of each profile, in the same order."""
    today = today or timezone.localdate()
    ids = [profile.pk for profile in profiles]
    work: dict[Any, list[WorkExperience]] = defaultdict(list)
    for row in WorkExperience.objects.filter(profile__in=ids).only(
        "profile_id", "role", "occupation_id", "started_on", "ended_on", "description"
    ):
        work[row.profile_id].append(row)
    education: dict[Any, list[Education]] = defaultdict(list)
    for row in Education.objects.filter(profile__in=ids).only(
        "profile_id", "programme", "level", "completed"
    ):
        education[row.profile_id].append(row)
    skills: dict[Any, list[CandidateSkill]] = defaultdict(list)
    for row in CandidateSkill.objects.filter(profile__in=ids).only(
        "profile_id", "skill_id", "level"
    ):
        skills[row.profile_id].append(row)
    courses: dict[Any, list[str]] = defaultdict(list)
    for profile_id, name in Course.objects.filter(profile__in=ids).values_list(
        "profile_id", "name"
    ):
        courses[profile_id].append(name)
    slots: dict[Any, list[AvailabilitySlot]] = defaultdict(list)
    for row in AvailabilitySlot.objects.filter(profile__in=ids).only(
        "profile_id", "starts_at", "ends_at"
    ):
        slots[row.profile_id].append(row)
    preferences = {
        pref.profile_id: pref
        for pref in JobPreference.objects.filter(profile__in=ids).prefetch_related("occupations")
    }
    tax = taxonomy()
    roles = [row.role for rows in work.values() for row in rows if not row.occupation_id]
    guessed = recognised(roles)
    occupation_ids = {
        row.occupation_id for rows in work.values() for row in rows if row.occupation_id
    } | set(guessed.values())
    skill_ids = {row.skill_id for rows in skills.values() for row in rows}
    occupation_labels = _labels(Occupation, occupation_ids)
    skill_labels = _labels(Skill, skill_ids)

    out = []
    for profile in profiles:
        occupations: dict[int, float] = defaultdict(float)
        texts: list[str] = []
        recognised_here: list[int] = []
        for row in work[profile.pk]:
            texts.append(row.role)
            occupation = row.occupation_id or guessed.get(row.role.strip())
            if occupation:
                occupations[occupation] += _years(row.started_on, row.ended_on, today)
                texts.append(occupation_labels.get(occupation, ""))
                if not row.occupation_id:
                    recognised_here.append(occupation)
            if row.description:
                texts.append(row.description)
        own: dict[int, float] = {}
        for occupation in occupations:
            for skill in tax.essential_skills(occupation):
                own[skill] = INFERRED_SKILL_WEIGHT
        for skill_row in skills[profile.pk]:
            own[skill_row.skill_id] = SKILL_LEVEL_WEIGHT.get(skill_row.level, 0.7)
            texts.append(skill_labels.get(skill_row.skill_id, ""))
        ranks = [
            rank
            for row in education[profile.pk]
            if row.completed and (rank := education_rank(row.level, row.programme)) is not None
        ]
        texts.extend(row.programme for row in education[profile.pk])
        texts.extend(courses[profile.pk])
        preference = preferences.get(profile.pk)
        features = {
            "skills": {str(k): v for k, v in own.items()},
            "occupations": {str(k): round(v, 2) for k, v in occupations.items()},
            # Occupations recognised from a role's words, not chosen from ESCO.
            "recognised": sorted(set(recognised_here)),
            "education": max(ranks) if ranks else None,
            "hours": _hours(slots[profile.pk]),
            "wanted": sorted(o.pk for o in preference.occupations.all()) if preference else [],
            "hours_min": preference.hours_min if preference else None,
            "hours_max": preference.hours_max if preference else None,
            "max_km": preference.max_distance_km if preference else None,
            **_point(profile.postcode),
        }
        out.append({"features": features, "text": ". ".join(t for t in texts if t)})
    return out


_MARKDOWN = re.compile(r"[*_#>`\[\]()]+")


def vacancy_features(vacancies: list[Vacancy]) -> list[dict]:
    ids = [vacancy.pk for vacancy in vacancies]
    asked: dict[Any, list[tuple[int, bool]]] = defaultdict(list)
    for vacancy_id, skill_id, required in VacancySkill.objects.filter(vacancy__in=ids).values_list(
        "vacancy_id", "skill_id", "required"
    ):
        asked[vacancy_id].append((skill_id, required))
    tax = taxonomy()
    guessed = recognised([v.title for v in vacancies if not v.occupation_id])
    skill_labels = _labels(Skill, {skill for rows in asked.values() for skill, _r in rows})
    occupation_labels = _labels(
        Occupation,
        {v.occupation_id for v in vacancies if v.occupation_id} | set(guessed.values()),
    )
    out = []
    for vacancy in vacancies:
        requirements = {
            skill: (1.0 if required else OPTIONAL_SKILL_WEIGHT)
            for skill, required in asked[vacancy.pk]
        }
        occupation = vacancy.occupation_id or guessed.get(vacancy.title.strip())
        implied = False
        if not requirements and occupation:
            requirements = tax.implied_requirements(occupation)
            implied = bool(requirements)
        level = vacancy.education_level
        features = {
            "occupation": occupation,
            "occupation_recognised": bool(occupation and not vacancy.occupation_id),
            "requirements": {str(k): v for k, v in requirements.items()},
            "implied": implied,
            "education": EDUCATION_RANK[level] if level and level != EducationLevel.NONE else None,
            "hours": vacancy.hours_per_week,
            "remote": vacancy.work_mode == WorkMode.REMOTE,
            **_point(vacancy.postcode),
        }
        text = ". ".join(
            t
            for t in (
                vacancy.title,
                occupation_labels.get(occupation or 0, ""),
                *(skill_labels.get(skill, "") for skill, _r in asked[vacancy.pk]),
                _MARKDOWN.sub(" ", vacancy.description),
            )
            if t
        )
        out.append({"features": features, "text": text})
    return out


def _vectors(texts: list[str]) -> tuple[list[bytes], str, list[bool]]:
    encoder = get_encoder()
    cut = [truncate(text)[1] for text in texts]
    if encoder is None:
        return [b""] * len(texts), "", cut
    matrix = encoder.encode(texts)
    return [row.astype(np.float32).tobytes() for row in matrix], encoder.model_id, cut


def _index(
    objects: list[Any],
    *,
    derive: Callable[[list[Any]], list[dict]],
    model: type[CandidateIndex] | type[VacancyIndex],
    key: str,
    progress: Callable[[int], None] | None,
) -> int:
    """Derive, embed and upsert `objects` in batches; answers how many rows were written."""
    written = 0
    for start in range(0, len(objects), BATCH):
        batch = objects[start : start + BATCH]
        derived = derive(batch)
        embeddings, model_id, cut = _vectors([d["text"] for d in derived])
        now = timezone.now()
        rows = [
            model(
                organisation_id=obj.organisation_id,
                vector=vector,
                model_id=model_id,
                features=d["features"],
                text_truncated=truncated,
                indexed_at=now,
                **{key: obj},
            )
            for obj, d, vector, truncated in zip(batch, derived, embeddings, cut, strict=True)
        ]
        with transaction.atomic():
            model.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=[key],
                update_fields=["vector", "model_id", "features", "text_truncated", "indexed_at"],
            )
            if model is CandidateIndex:
                vectors.sync(rows)  # the pgvector mirror, when there is one
        written += len(rows)
        if progress:
            progress(len(rows))
    return written


def index_candidates(
    profiles: list[CandidateProfile], progress: Callable[[int], None] | None = None
) -> int:
    """(Re)index `profiles`; answers how many rows were written."""
    return _index(
        profiles, derive=candidate_features, model=CandidateIndex, key="profile", progress=progress
    )


def index_vacancies(vacancies: list[Vacancy], progress: Callable[[int], None] | None = None) -> int:
    return _index(
        vacancies, derive=vacancy_features, model=VacancyIndex, key="vacancy", progress=progress
    )


def refresh_candidate(profile_id: Any) -> bool:
    profile = CandidateProfile.objects.filter(pk=profile_id).first()
    if profile is None:
        return False
    index_candidates([profile])
    return True


def refresh_vacancy(vacancy_id: Any) -> bool:
    vacancy = Vacancy.objects.filter(pk=vacancy_id).first()
    if vacancy is None:
        return False
    index_vacancies([vacancy])
    return True


def missing_candidates(limit: int | None = None) -> list[CandidateProfile]:
    """Profiles of the current organisation with no index row yet (or an index
    from another model: the encoder changed)."""
    encoder = get_encoder()
    model_id = encoder.model_id if encoder else ""
    queryset = CandidateProfile.objects.exclude(
        pk__in=CandidateIndex.objects.filter(model_id=model_id).values("profile")
    ).order_by("pk")
    return list(queryset[:limit] if limit else queryset)


def missing_vacancies(limit: int | None = None) -> list[Vacancy]:
    encoder = get_encoder()
    model_id = encoder.model_id if encoder else ""
    queryset = Vacancy.objects.exclude(
        pk__in=VacancyIndex.objects.filter(model_id=model_id).values("vacancy")
    ).order_by("pk")
    return list(queryset[:limit] if limit else queryset)
