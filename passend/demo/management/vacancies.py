"""Demo vacancies: organisation A publishes its employers' vacancies on the
public job pages; a few of them are published, one is a draft. The bakery's
first vacancy has applications in several stages, and carla has a proposal
waiting for her answer (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from passend.candidates.models import CandidateProfile
from passend.common.scope import organisation_scope
from passend.matching.services import rank_vacancies
from passend.taxonomy.models import Occupation, OccupationSkill, Relation
from passend.taxonomy.normalise import normalise_title
from passend.vacancies import services
from passend.vacancies.models import Proposal, Vacancy, VacancyStatus


@dataclass(frozen=True)
class DemoVacancy:
    employer: str
    title: str
    occupation: str  # the ESCO preferred Dutch label, if the bundle has it
    hours: int
    publish: bool
    description: str
    extra: dict[str, Any]


VACANCIES = [
    DemoVacancy(
        "Bakkerij De Korenaar",
        "Broodbakker",
        "bakker",
        32,
        True,
        "Je bakt brood en banket voor onze winkels in Utrecht.\n\n"
        "- vroege diensten, vrijdag en zaterdag\n- ervaring is mooi, leren mag ook",
        {
            "city": "Utrecht",
            "postcode": "3511 AB",
            "salary_min": 2400,
            "salary_max": 2900,
            "salary_period": "month",
            "education_level": "mbo2",
            "positions": 2,
        },
    ),
    DemoVacancy(
        "Bakkerij De Korenaar",
        "Verkoopmedewerker bakkerij",
        "verkoopmedewerker bakkerij",
        20,
        False,
        "Je helpt klanten in de winkel en zorgt voor een volle toonbank.",
        {"city": "Utrecht", "postcode": "3511 AB", "contract_type": "fixed_term"},
    ),
    DemoVacancy(
        "Zorggroep Het Baken",
        "Verzorgende IG",
        "verzorgende IG",
        28,
        True,
        "Je verzorgt bewoners van onze woongroepen, in een vast team.",
        {
            "city": "Amersfoort",
            "postcode": "3811 AA",
            "salary_min": 17,
            "salary_max": 21,
            "salary_period": "hour",
            "education_level": "mbo3",
            "work_mode": "on_site",
        },
    ),
    DemoVacancy(
        "Zorggroep Het Baken",
        "Planner zorgroosters",
        # ESCO has no roster planner; "planner" alone is a town planner there.
        "administratief medewerker",
        36,
        True,
        "Je maakt de roosters van drie teams, grotendeels vanuit huis.",
        {
            "city": "Amersfoort",
            "postcode": "3811 AA",
            "work_mode": "hybrid",
            "education_level": "hbo",
        },
    ),
]


def ensure_demo_vacancies(personas: Any) -> int:
    """Add the demo vacancies that are missing; how many were added."""
    organisation = personas.organisations["a"]
    if not organisation.publishes_vacancies:
        organisation.publishes_vacancies = True
        organisation.save(update_fields=["publishes_vacancies"])
    added = 0
    advisor = personas.memberships["bob"]
    closing = timezone.localdate() + timedelta(days=42)
    with organisation_scope(organisation):
        for spec in VACANCIES:
            employer = personas.employers[spec.employer]
            if Vacancy.objects.filter(employer=employer, title=spec.title).exists():
                continue
            occupation = _occupation(spec)
            vacancy = services.vacancy_create(
                employer=employer,
                by=advisor,
                title=spec.title,
                occupation=occupation,
                description=spec.description,
                hours_per_week=spec.hours,
                closing_date=closing,
                **spec.extra,
            )
            _ask_skills(vacancy)
            if spec.publish:
                services.vacancy_publish(vacancy=vacancy, by=advisor)
            added += 1
        _demo_pipeline(personas)
    return added


def _occupation(spec: DemoVacancy) -> Occupation | None:
    """The ESCO occupation by its Dutch label, else the best the title normaliser finds."""
    found = Occupation.objects.filter(pref_nl__iexact=spec.occupation).first()
    if found is not None:
        return found
    best = normalise_title(spec.occupation, language="nl", top=1)
    return Occupation.objects.filter(pk=best[0].occupation_id).first() if best else None


def _ask_skills(vacancy: Vacancy) -> None:
    """Three of the occupation's essential skills required, two optional ones a plus."""
    if vacancy.occupation is None:
        return
    links = OccupationSkill.objects.filter(occupation=vacancy.occupation).order_by("skill_id")
    chosen = [
        *((link.skill, True) for link in links.filter(relation=Relation.ESSENTIAL)[:3]),
        *((link.skill, False) for link in links.filter(relation=Relation.OPTIONAL)[:2]),
    ]
    for skill, required in chosen:
        services.vacancy_skill_add(vacancy=vacancy, skill=skill, required=required)


# Where the demo's applicants stand in the bakery's pipeline.
DEMO_STAGES = ("new", "new", "screening", "interview", "rejected")


def _demo_pipeline(personas: Any) -> None:
    advisor = personas.memberships["bob"]
    carla = CandidateProfile.objects.filter(membership=personas.memberships["carla"]).first()
    bakery = Vacancy.objects.filter(title="Broodbakker", status=VacancyStatus.PUBLISHED).first()
    planner = Vacancy.objects.filter(title="Planner zorgroosters").first()
    if bakery is not None and not bakery.applications.exists():
        applicants = (
            CandidateProfile.objects.filter(membership__is_active=True)
            .exclude(pk=getattr(carla, "pk", None))
            .order_by("sort_name", "pk")[: len(DEMO_STAGES)]
        )
        for profile, stage in zip(applicants, DEMO_STAGES, strict=False):
            application = services.application_create(
                vacancy=bakery,
                candidate=profile,
                motivation="Ik werk graag vroeg en met mijn handen.",
                by=profile.membership,
            )
            if stage != "new":
                services.application_move(
                    application=application,
                    stage=stage,
                    by=advisor,
                    rejection_reason="requirements" if stage == "rejected" else "",
                )
    if (
        carla is not None
        and planner is not None
        and planner.status == VacancyStatus.PUBLISHED
        and not Proposal.objects.filter(vacancy=planner, candidate=carla).exists()
    ):
        # bob looked at the vacancies that fit carla first: the ranking he saw is
        # logged, and carla reads its explanation with the proposal.
        rank_vacancies(carla, requested_by=advisor.user)
        services.proposal_create(
            vacancy=planner,
            candidate=carla,
            by=advisor,
            message="Je plant graag en werkt nauwkeurig: dit past bij je.",
        )
