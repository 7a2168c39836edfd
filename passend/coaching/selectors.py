"""Reads of coaching data. Each costs a fixed number of queries, however many
candidates the organisation has and however long the page is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.candidates.models import CandidateProfile
from passend.coaching.models import (
    Appointment,
    Note,
    NoteVisibility,
    Task,
    Trajectory,
    TrajectoryEvent,
    TrajectoryStatus,
)
from passend.tenancy.models import Membership, Role

TIMELINE_LENGTH = 50


CURRENT_STATUSES = (TrajectoryStatus.ACTIVE, TrajectoryStatus.PAUSED, TrajectoryStatus.PLANNED)


class CaseloadSort(models.TextChoices):
    NAME = "name", _("name")
    NEXT_APPOINTMENT = "next_appointment", _("next appointment")
    LAST_ACTIVITY = "last_activity", _("last activity")


NO_TRAJECTORY = "none"


@dataclass(frozen=True)
class CaseloadFilter:
    """What the caseload is narrowed to and ordered by; every field optional."""

    search: str = ""
    status: str = ""  # a TrajectoryStatus, or NO_TRAJECTORY
    scheme_id: Any = None
    overdue: bool = False
    sort: str = CaseloadSort.NAME


def caseload(
    *,
    professional: Membership | None = None,
    filters: CaseloadFilter | None = None,
    today: date | None = None,
) -> QuerySet[CandidateProfile]:
    """The candidates of the organisation in scope, each with their current
    trajectory (active, else paused, else planned: goal, status, advisor),
    next appointment, open and overdue tasks and last activity.

    `professional`: only the candidates whose current trajectory that career
    advisor is responsible for ("my candidates"), the same rule as the advisor
    column. `filters`: search by name, trajectory status, scheme, overdue
    tasks, and the order. Every filter is an uncorrelated `IN`, computed once.
    """
    filters = filters or CaseloadFilter()
    today = today or timezone.localdate()
    now = timezone.now()
    active = Trajectory.objects.filter(
        candidate=OuterRef("pk"), status=TrajectoryStatus.ACTIVE
    ).order_by("-start_date", "-created_at")
    current = (
        Trajectory.objects.filter(candidate=OuterRef("pk"), status__in=CURRENT_STATUSES)
        .annotate(
            rank=Case(
                When(status=TrajectoryStatus.ACTIVE, then=Value(0)),
                When(status=TrajectoryStatus.PAUSED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "-start_date", "-created_at")
    )
    next_appointment = Appointment.objects.filter(
        candidate=OuterRef("pk"), starts_at__gte=now
    ).order_by("starts_at")

    def count_of(tasks: QuerySet[Task]) -> Any:
        counted = tasks.order_by().values("candidate").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    open_tasks = Task.objects.filter(candidate=OuterRef("pk"), done_at__isnull=True)

    def latest(queryset: QuerySet[Any], field: str) -> Any:
        newest = queryset.order_by(f"-{field}").values(field)[:1]
        return Coalesce(Subquery(newest), F("created_at"))

    candidates = (
        CandidateProfile.objects.filter(membership__is_active=True, membership__role=Role.CANDIDATE)
        .select_related("membership__user")
        .annotate(
            active_goal=Subquery(active.values("goal")[:1]),
            active_trajectory_id=Subquery(active.values("pk")[:1]),
            active_professional=Subquery(active.values("professional__user__name")[:1]),
            current_goal=Subquery(current.values("goal")[:1]),
            current_status=Subquery(current.values("status")[:1]),
            current_professional=Subquery(current.values("professional__user__name")[:1]),
            next_appointment_at=Subquery(next_appointment.values("starts_at")[:1]),
            open_tasks=count_of(open_tasks),
            overdue_tasks=count_of(open_tasks.filter(due_date__lt=today)),
            # What last happened in the coaching: a task changed, a note, a
            # status change, an appointment held; else when the profile began.
            last_activity_at=Greatest(
                latest(Task.objects.filter(candidate=OuterRef("pk")), "updated_at"),
                latest(Note.objects.filter(candidate=OuterRef("pk")), "created_at"),
                latest(
                    TrajectoryEvent.objects.filter(trajectory__candidate=OuterRef("pk")),
                    "created_at",
                ),
                latest(
                    Appointment.objects.filter(candidate=OuterRef("pk"), starts_at__lt=now),
                    "starts_at",
                ),
                F("created_at"),
            ),
        )
    )
    if professional is not None:
        # An uncorrelated IN: computed once, where a correlated EXISTS would
        # walk the advisor's trajectories for every candidate.
        mine = Trajectory.objects.filter(
            professional=professional, status__in=CURRENT_STATUSES
        ).values("candidate")
        candidates = candidates.filter(pk__in=mine)
    search = filters.search.strip()
    if search:
        name = Q(membership__user__name__icontains=search)
        for word in search.split():
            name |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        candidates = candidates.filter(name)
    if filters.status == NO_TRAJECTORY:
        candidates = candidates.exclude(pk__in=Trajectory.objects.values("candidate"))
    elif filters.status:
        candidates = candidates.filter(
            pk__in=Trajectory.objects.filter(status=filters.status).values("candidate")
        )
    if filters.scheme_id is not None:
        candidates = candidates.filter(
            pk__in=Trajectory.objects.filter(scheme_id=filters.scheme_id).values("candidate")
        )
    if filters.overdue:
        candidates = candidates.filter(
            pk__in=Task.objects.filter(done_at__isnull=True, due_date__lt=today).values("candidate")
        )
    if filters.sort == CaseloadSort.NEXT_APPOINTMENT:
        order: list[Any] = [F("next_appointment_at").asc(nulls_last=True)]
    elif filters.sort == CaseloadSort.LAST_ACTIVITY:
        order = [F("last_activity_at").desc(nulls_last=True)]
    else:
        order = []
    return candidates.order_by(*order, "membership__user__name", "pk")


def trajectories_of(candidate: CandidateProfile) -> list[Trajectory]:
    """The candidate's trajectories, newest first, with their plans and tasks."""
    return list(
        Trajectory.objects.filter(candidate=candidate)
        .select_related("plan", "professional__user", "scheme")
        .prefetch_related("plan__tasks")
    )


def tasks_of(candidate: CandidateProfile) -> QuerySet[Task]:
    """All tasks of the candidate, open ones first."""
    return Task.objects.filter(candidate=candidate).select_related("plan__trajectory")


def notes_of(candidate: CandidateProfile, *, actor: Membership) -> QuerySet[Note]:
    """The notes the actor may read: career advisors all, the candidate only shared ones."""
    notes = Note.objects.filter(candidate=candidate).select_related("author__user")
    if actor.role not in (Role.ADMIN, Role.PROFESSIONAL):
        notes = notes.filter(visibility=NoteVisibility.SHARED)
    return notes


def appointments_of(candidate: CandidateProfile, *, upcoming: bool = False) -> QuerySet[Any]:
    appointments = Appointment.objects.filter(candidate=candidate).select_related(
        "professional__user"
    )
    if upcoming:
        appointments = appointments.filter(starts_at__gte=timezone.now())
    return appointments


@dataclass(frozen=True)
class Completion:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def completion_of(candidate: CandidateProfile) -> Completion:
    """How many of the candidate's tasks are done, for the progress bar."""
    counts = Task.objects.filter(candidate=candidate).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False))
    )
    return Completion(done=counts["done"], total=counts["total"])


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # trajectory, task, note, appointment
    at: datetime
    title: str
    text: str
    id: Any


def timeline(
    candidate: CandidateProfile, *, actor: Membership, limit: int = TIMELINE_LENGTH
) -> list[TimelineEntry]:
    """What happened in the candidate's coaching, newest first: trajectory
    status changes, tasks done, notes (shared ones only for the candidate)
    and appointments. Four queries, each at most `limit` rows."""
    entries: list[TimelineEntry] = []
    events = (
        TrajectoryEvent.objects.filter(trajectory__candidate=candidate)
        .select_related("trajectory")
        .order_by("-created_at")[:limit]
    )
    for event in events:
        entries.append(
            TimelineEntry(
                kind="trajectory",
                at=event.created_at,
                title=str(_("Trajectory %(status)s") % {"status": event.get_status_display()}),
                text=event.trajectory.goal,
                id=event.trajectory_id,
            )
        )
    done = Task.objects.filter(candidate=candidate, done_at__isnull=False).order_by("-done_at")
    for task in done[:limit]:
        assert task.done_at is not None
        entries.append(
            TimelineEntry(
                kind="task", at=task.done_at, title=str(_("Task done")), text=task.title, id=task.pk
            )
        )
    for note in notes_of(candidate, actor=actor).order_by("-created_at")[:limit]:
        title = _("Shared note") if note.is_shared else _("Note not shown to the candidate")
        entries.append(
            TimelineEntry(
                kind="note", at=note.created_at, title=str(title), text=note.text, id=note.pk
            )
        )
    for appointment in appointments_of(candidate).order_by("-starts_at")[:limit]:
        entries.append(
            TimelineEntry(
                kind="appointment",
                at=appointment.starts_at,
                title=str(_("Appointment")),
                text=appointment.place or appointment.online_link,
                id=appointment.pk,
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]
