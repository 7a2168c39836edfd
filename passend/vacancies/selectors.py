"""Reads of vacancies: lists for the people who manage them, a vacancy's history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects
from django.utils.text import capfirst

from passend.candidates.models import CandidateProfile
from passend.common.sorting import sort_key
from passend.privacy.restriction.gate import ProcessingPurpose, exclude_blocked
from passend.tenancy.models import Membership, Role
from passend.vacancies.access import vacancies_for_actor
from passend.vacancies.models import (
    CONFIGURABLE_PHASES,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationNote,
    PipelineStage,
    Proposal,
    ProposalStatus,
    Stage,
    Vacancy,
    VacancyEvent,
    VacancySkill,
    VacancyStatus,
)


def vacancy_list_for_actor(actor: Membership, *, status: str = "") -> QuerySet[Vacancy]:
    """Newest first, read in the order of an index (vacancy_by_status or _by_employer)."""
    vacancies = vacancies_for_actor(actor).select_related("employer", "occupation")
    if status:
        vacancies = vacancies.filter(status=status)
    return vacancies.order_by("-created_at", "pk")


def skills_of(vacancy: Vacancy) -> list[VacancySkill]:
    return list(VacancySkill.objects.filter(vacancy=vacancy).select_related("skill"))


def history_of(vacancy: Vacancy) -> list[VacancyEvent]:
    return list(
        VacancyEvent.objects.filter(vacancy=vacancy)
        .select_related("by", "copied_from")
        .order_by("created_at", "pk")
    )


def due_to_close(today: date) -> QuerySet[Vacancy]:
    """Published vacancies whose closing date has passed (index vacancy_open_by_closing)."""
    return Vacancy.objects.filter(status=VacancyStatus.PUBLISHED, closing_date__lt=today)


# --- Applications ------------------------------------------------------------


def open_vacancies() -> QuerySet[Vacancy]:
    """The organisation's published vacancies, newest first (what a candidate may apply to)."""
    return (
        Vacancy.objects.filter(status=VacancyStatus.PUBLISHED)
        .select_related("employer")
        .order_by("-published_at", "pk")
    )


def applications_of_candidate(candidate: CandidateProfile) -> QuerySet[Application]:
    """A candidate's applications, newest first, each with its history."""
    return (
        Application.objects.filter(candidate=candidate)
        .select_related("vacancy__employer", "interview")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "pk"))
        )
        .order_by("-created_at", "pk")
    )


def stages_of(organisation_id: Any) -> list[PipelineStage]:
    """The organisation's pipeline stages in order; the defaults (unsaved, one
    per phase) while it has none of its own. One query."""
    stages = list(
        PipelineStage.objects.filter(organisation_id=organisation_id).order_by(
            "position", "created_at"
        )
    )
    if stages:
        return stages
    return [
        # pk None: not stored (the model's default would make up an id).
        PipelineStage(
            pk=None, organisation_id=organisation_id, name=str(capfirst(phase.label)), phase=phase
        )
        for phase in CONFIGURABLE_PHASES
    ]


@dataclass
class Column:
    """One column of the pipeline: a stage and the applications in it."""

    key: str  # the stage's id, or its phase for a default stage
    name: str
    phase: str
    stage: PipelineStage | None  # None for the candidate's own "withdrawn"
    applications: list[Application] = field(default_factory=list)  # those shown
    count: int = 0  # all of the column's applications

    @property
    def more(self) -> int:
        return self.count - len(self.applications)


# The cards a column shows at first: a board of a few hundred cards stays quick
# to read and to send; "show all" opens one column in full.
PER_COLUMN = 50


def column_key(stage: PipelineStage) -> str:
    """A stored stage's id; a default stage's phase."""
    return str(stage.pk) if stage.pk else str(stage.phase)


def pipeline(vacancy: Vacancy, *, show: str = "") -> list[Column]:
    """The vacancy's applications per stage of the organisation's pipeline, oldest
    first in each; "withdrawn" last; the first PER_COLUMN of each column, all of
    the column `show`. Three queries however many applications.

    The included documents come with their rows in one join, and only for the
    cards shown: prefetching `attachments__document` makes Django 5.2 read the
    documents with one `id = %s OR ...` per document on SQLite, which fails past
    a thousand ("Expression tree is too large"; benchmarks/bench_pipeline.py)."""
    stages = stages_of(vacancy.organisation_id)
    columns = [Column(column_key(s), s.name, s.phase, s) for s in stages]
    columns.append(
        Column(Stage.WITHDRAWN, str(capfirst(Stage.WITHDRAWN.label)), Stage.WITHDRAWN, None)
    )
    by_key = {column.key: column for column in columns}
    first_of_phase: dict[str, Column] = {}
    for column in columns:
        first_of_phase.setdefault(column.phase, column)
    applications = (
        Application.objects.filter(vacancy=vacancy)
        .select_related("candidate__membership__user", "interview")
        .defer("motivation")  # not on the board: no need to decrypt it
        .annotate(note_count=Count("notes", distinct=True))
        .order_by("created_at", "pk")
    )
    fallback = columns[0]
    for application in applications:
        found = by_key.get(str(application.step_id)) if application.step_id else None
        if found is None or found.phase != application.stage:
            found = first_of_phase.get(application.stage, fallback)
        found.applications.append(application)
    shown: list[Application] = []
    for column in columns:
        column.count = len(column.applications)
        if column.key != show:
            column.applications = column.applications[:PER_COLUMN]
        shown += column.applications
    prefetch_related_objects(
        shown, Prefetch("attachments", ApplicationDocument.objects.select_related("document"))
    )
    return columns


def notes_of(application: Application) -> list[ApplicationNote]:
    return list(
        ApplicationNote.objects.filter(application=application)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def pending_proposals(candidate: CandidateProfile) -> QuerySet[Proposal]:
    """Vacancies an advisor proposed to the candidate, waiting for their answer."""
    return (
        Proposal.objects.filter(
            candidate=candidate,
            status=ProposalStatus.PENDING,
            vacancy__status=VacancyStatus.PUBLISHED,
        )
        .select_related("vacancy__employer", "proposed_by")
        .order_by("-created_at", "pk")
    )


def proposals_of(vacancy: Vacancy) -> QuerySet[Proposal]:
    """The proposals of a vacancy still waiting, and declined ones (advisors see both)."""
    return (
        Proposal.objects.filter(
            vacancy=vacancy, status__in=[ProposalStatus.PENDING, ProposalStatus.DECLINED]
        )
        .select_related("candidate__membership__user")
        .order_by("-created_at", "pk")
    )


SUGGESTIONS = 20


def suggestions(
    vacancy: Vacancy, query: str = "", *, candidate_id: str = ""
) -> list[CandidateProfile]:
    """Candidates an advisor may propose: active, not applied or proposed already,
    and never one who restricted processing or objects to matching (the gate's
    hook, in the same query). Filtered by name; by name order, 20 at most."""
    candidates = (
        CandidateProfile.objects.filter(membership__is_active=True, membership__role=Role.CANDIDATE)
        .exclude(pk__in=Application.objects.filter(vacancy=vacancy).values("candidate"))
        .exclude(
            pk__in=Proposal.objects.filter(vacancy=vacancy, status=ProposalStatus.PENDING).values(
                "candidate"
            )
        )
        .select_related("membership__user")
    )
    candidates = exclude_blocked(candidates, ProcessingPurpose.MATCHING)
    if candidate_id:
        try:
            candidates = candidates.filter(pk=candidate_id)
        except (ValueError, ValidationError):
            return []
    words = query.strip()
    if words:
        candidates = candidates.filter(sort_name__contains=sort_key(words))
    return list(candidates.order_by("sort_name", "pk")[:SUGGESTIONS])


def application_count(vacancy: Vacancy) -> int:
    return Application.objects.filter(vacancy=vacancy).count()


def application_counts(vacancies: list[Vacancy]) -> dict[object, int]:
    rows = (
        Application.objects.filter(vacancy__in=vacancies)
        .values("vacancy")
        .annotate(n=Count("pk"))
        .values_list("vacancy", "n")
    )
    return dict(rows)
