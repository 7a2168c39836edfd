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
from django.db.models.functions import Coalesce, Greatest, RowNumber
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


class CaseloadStatus(models.TextChoices):
    """The caseload's status filter: a candidate with a trajectory of this
    status (any of theirs, not only the current one), or without any."""

    PLANNED = TrajectoryStatus.PLANNED.value, TrajectoryStatus.PLANNED.label
    ACTIVE = TrajectoryStatus.ACTIVE.value, TrajectoryStatus.ACTIVE.label
    PAUSED = TrajectoryStatus.PAUSED.value, TrajectoryStatus.PAUSED.label
    COMPLETED = TrajectoryStatus.COMPLETED.value, TrajectoryStatus.COMPLETED.label
    STOPPED = TrajectoryStatus.STOPPED.value, TrajectoryStatus.STOPPED.label
    NONE = NO_TRAJECTORY, _("no trajectory")


@dataclass(frozen=True)
class CaseloadFilter:
    """What the caseload is narrowed to and ordered by; every field optional.
    The one filter of the caseload page (CaseloadFilterForm) and its API."""

    search: str = ""
    status: str = ""  # a CaseloadStatus: a TrajectoryStatus, or NO_TRAJECTORY
    scheme_id: Any = None
    # Open tasks past their due date (done_at empty, due_date before today):
    # the same rule as the row's "overdue" count.
    overdue: bool = False
    # An active trajectory and no appointment from now on: the same rule as
    # the row's "no appointment planned" flag.
    no_appointment: bool = False
    sort: str = CaseloadSort.NAME

    def __post_init__(self) -> None:
        # Callers validate first (form, API schema); a wrong value here is a bug.
        if self.status and self.status not in CaseloadStatus.values:
            raise ValueError(f"not a caseload status: {self.status!r}")
        if self.sort not in CaseloadSort.values:
            raise ValueError(f"not a caseload order: {self.sort!r}")

    def is_filtered(self) -> bool:
        """Whether it narrows the caseload (the order does not)."""
        return bool(
            self.search.strip()
            or self.status
            or self.scheme_id is not None
            or self.overdue
            or self.no_appointment
        )


def caseload(
    *,
    professional: Membership | None = None,
    filters: CaseloadFilter | None = None,
    today: date | None = None,
    brief: bool = False,
) -> QuerySet[CandidateProfile]:
    """The candidates of the organisation in scope, each with their current
    trajectory (active, else paused, else planned: goal, status, advisor),
    next appointment, open and overdue tasks and last activity.

    `professional`: only the candidates whose current trajectory that career
    advisor is responsible for ("my candidates"), the same rule as the advisor
    column. `filters`: search by name, trajectory status, scheme, overdue
    tasks, no appointment planned, and the order. Every filter is an
    uncorrelated `IN`, computed once. `brief`: only the columns of the
    advisor's home (active goal, next appointment, open tasks), ordered by
    name; each column left out is a subquery per row the page does not pay for.
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
            next_appointment_at=Subquery(next_appointment.values("starts_at")[:1]),
            open_tasks=count_of(open_tasks),
        )
    )
    if not brief:
        candidates = candidates.annotate(
            active_trajectory_id=Subquery(active.values("pk")[:1]),
            active_professional=Subquery(active.values("professional__user__name")[:1]),
            current_goal=Subquery(current.values("goal")[:1]),
            current_status=Subquery(current.values("status")[:1]),
            current_professional=Subquery(current.values("professional__user__name")[:1]),
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
        # The row's flag, in SQL so the page, the API and the filter agree.
        candidates = candidates.annotate(
            no_appointment_planned=Case(
                When(
                    Q(active_trajectory_id__isnull=False, next_appointment_at__isnull=True),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=models.BooleanField(),
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
    if filters.no_appointment:
        candidates = candidates.filter(
            pk__in=Trajectory.objects.filter(status=TrajectoryStatus.ACTIVE).values("candidate")
        ).exclude(pk__in=Appointment.objects.filter(starts_at__gte=now).values("candidate"))
    if brief and filters.sort != CaseloadSort.NAME:
        raise ValueError("a brief caseload is ordered by name")
    if filters.sort == CaseloadSort.NEXT_APPOINTMENT:
        order: list[Any] = [F("next_appointment_at").asc(nulls_last=True)]
    elif filters.sort == CaseloadSort.LAST_ACTIVITY:
        order = [F("last_activity_at").desc(nulls_last=True)]
    else:
        order = []
    # By name: the stored key in the index candidate_list_by_name, so a page is
    # read in order instead of sorting the organisation.
    return candidates.order_by(*order, "sort_name", "pk")


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
    entries.extend(_event_entry(event) for event in events)
    done = Task.objects.filter(candidate=candidate, done_at__isnull=False).order_by("-done_at")
    entries.extend(_task_entry(task) for task in done[:limit])
    notes = notes_of(candidate, actor=actor).order_by("-created_at")[:limit]
    entries.extend(_note_entry(note) for note in notes)
    appointments = appointments_of(candidate).order_by("-starts_at")[:limit]
    entries.extend(_appointment_entry(appointment) for appointment in appointments)
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


# --- Windows on a candidate's coaching ------------------------------------
# The candidate's coaching page and "my plan" show a fixed number of the most
# relevant entries of everything that grows with time, each with a link to a
# paged list of all of it: a page's size and its number of queries do not
# grow with the person's history.

SHOWN_CURRENT_TRAJECTORIES = 5
SHOWN_CLOSED_TRAJECTORIES = 3
SHOWN_OPEN_TASKS = 20
SHOWN_DONE_TASKS = 5
SHOWN_NOTES = 10
SHOWN_UPCOMING_APPOINTMENTS = 5
SHOWN_PAST_APPOINTMENTS = 3
SHOWN_TIMELINE = 15


def _count_of(queryset: QuerySet[Any], by: str = "candidate") -> Any:
    """A correlated count of `queryset` (filtered on an OuterRef) as a scalar subquery."""
    counted = queryset.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class CoachingCounts:
    """How much of each list there is, for the "show all (N)" links."""

    current_trajectories: int
    closed_trajectories: int
    tasks: int
    done_tasks: int
    notes: int
    upcoming_appointments: int
    past_appointments: int

    @property
    def trajectories(self) -> int:
        return self.current_trajectories + self.closed_trajectories

    @property
    def appointments(self) -> int:
        return self.upcoming_appointments + self.past_appointments

    @property
    def completion(self) -> Completion:
        return Completion(done=self.done_tasks, total=self.tasks)


def coaching_counts(
    candidate: CandidateProfile, *, actor: Membership, now: datetime | None = None
) -> CoachingCounts:
    """Every count of the candidate's coaching page in one query."""
    now = now or timezone.now()
    mine = OuterRef("pk")
    trajectories = Trajectory.objects.filter(candidate=mine)
    tasks = Task.objects.filter(candidate=mine)
    notes = Note.objects.filter(candidate=mine)
    if not may_read_every_note(actor):
        notes = notes.filter(visibility=NoteVisibility.SHARED)
    appointments = Appointment.objects.filter(candidate=mine)
    row = (
        CandidateProfile.objects.filter(pk=candidate.pk)
        .annotate(
            current_trajectories=_count_of(trajectories.filter(status__in=CURRENT_STATUSES)),
            closed_trajectories=_count_of(trajectories.exclude(status__in=CURRENT_STATUSES)),
            tasks=_count_of(tasks),
            done_tasks=_count_of(tasks.filter(done_at__isnull=False)),
            notes=_count_of(notes),
            upcoming_appointments=_count_of(appointments.filter(starts_at__gte=now)),
            past_appointments=_count_of(appointments.filter(starts_at__lt=now)),
        )
        .values(*(field for field in CoachingCounts.__dataclass_fields__))
        .get()
    )
    return CoachingCounts(**row)


def may_read_every_note(actor: Membership) -> bool:
    """Career advisors and admins read every note; the candidate the shared ones."""
    return actor.role in (Role.ADMIN, Role.PROFESSIONAL)


@dataclass(frozen=True)
class TrajectoryView:
    """A trajectory with a window on its plan: the open tasks (earliest due
    first, at most SHOWN_OPEN_TASKS) and the most recently done ones."""

    trajectory: Trajectory
    open_tasks: list[Task]
    done_tasks: list[Task]
    open_count: int
    done_count: int

    @property
    def task_count(self) -> int:
        return self.open_count + self.done_count

    @property
    def hidden_tasks(self) -> int:
        return self.task_count - len(self.open_tasks) - len(self.done_tasks)


@dataclass(frozen=True)
class TrajectoryWindow:
    current: list[TrajectoryView]
    closed: list[Trajectory]


def with_task_counts(trajectories: QuerySet[Trajectory]) -> QuerySet[Trajectory]:
    """Trajectories with their open and done task counts (scalar subqueries)."""
    tasks = Task.objects.filter(plan__trajectory=OuterRef("pk"))
    return trajectories.annotate(
        open_count=_count_of(tasks.filter(done_at__isnull=True), by="plan"),
        done_count=_count_of(tasks.filter(done_at__isnull=False), by="plan"),
    )


OPEN_TASK_ORDER = (F("due_date").asc(nulls_last=True), F("created_at").asc(), F("pk").asc())


def _task_window(plans: list[Any], *, done: bool, size: int) -> dict[Any, list[Task]]:
    """At most `size` open (earliest due first) or done (latest first) tasks of
    each plan, in one query."""
    order = (F("done_at").desc(), F("pk").desc()) if done else OPEN_TASK_ORDER
    tasks = (
        Task.objects.filter(plan__in=plans, done_at__isnull=not done)
        .annotate(row=models.Window(RowNumber(), partition_by=[F("plan")], order_by=order))
        .filter(row__lte=size)
        .order_by("plan", "row")
    )
    window: dict[Any, list[Task]] = {plan: [] for plan in plans}
    for task in tasks:
        window[task.plan_id].append(task)
    return window


def trajectory_window(candidate: CandidateProfile) -> TrajectoryWindow:
    """The candidate's current trajectories (active, paused, planned; at most
    SHOWN_CURRENT_TRAJECTORIES) each with a window on its plan, and the most
    recent closed ones (completed, stopped) to summarise. Four queries."""
    rank = Case(
        When(status=TrajectoryStatus.ACTIVE, then=Value(0)),
        When(status=TrajectoryStatus.PAUSED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    trajectories = with_task_counts(
        Trajectory.objects.filter(candidate=candidate).select_related(
            "plan", "professional__user", "scheme"
        )
    )
    current = list(
        trajectories.filter(status__in=CURRENT_STATUSES)
        .annotate(rank=rank)
        .order_by("rank", "-start_date", "-created_at")[:SHOWN_CURRENT_TRAJECTORIES]
    )
    closed = list(
        trajectories.exclude(status__in=CURRENT_STATUSES).order_by(
            F("end_date").desc(nulls_last=True), "-start_date", "-created_at"
        )[:SHOWN_CLOSED_TRAJECTORIES]
    )
    plans = [trajectory.plan.pk for trajectory in current]
    open_tasks = _task_window(plans, done=False, size=SHOWN_OPEN_TASKS)
    done_tasks = _task_window(plans, done=True, size=SHOWN_DONE_TASKS)
    return TrajectoryWindow(
        current=[
            TrajectoryView(
                trajectory=trajectory,
                open_tasks=open_tasks[trajectory.plan.pk],
                done_tasks=done_tasks[trajectory.plan.pk],
                open_count=trajectory.open_count,  # type: ignore[attr-defined]
                done_count=trajectory.done_count,  # type: ignore[attr-defined]
            )
            for trajectory in current
        ],
        closed=closed,
    )


def trajectory_list(candidate: CandidateProfile) -> QuerySet[Trajectory]:
    """All the candidate's trajectories, newest first, with task counts: the paged list."""
    return with_task_counts(
        Trajectory.objects.filter(candidate=candidate)
        .select_related("professional__user", "scheme")
        .order_by("-start_date", "-created_at", "pk")
    )


def plan_tasks(trajectory: Trajectory) -> QuerySet[Task]:
    """Every task of a trajectory's plan: open ones first (earliest due first),
    then done ones (latest first). The paged list."""
    return Task.objects.filter(plan__trajectory=trajectory).order_by(
        F("done_at").desc(nulls_first=True), *OPEN_TASK_ORDER
    )


def recent_notes(candidate: CandidateProfile, *, actor: Membership) -> QuerySet[Note]:
    """The notes the actor may read, newest first (the page shows SHOWN_NOTES)."""
    return notes_of(candidate, actor=actor).order_by("-created_at", "-pk")


@dataclass(frozen=True)
class AppointmentWindow:
    upcoming: list[Appointment]
    past: list[Appointment]


def appointment_window(
    candidate: CandidateProfile, *, now: datetime | None = None, past: bool = True
) -> AppointmentWindow:
    """The next appointments (soonest first) and, with `past`, the last few held
    (latest first). One query each."""
    now = now or timezone.now()
    appointments = appointments_of(candidate)
    return AppointmentWindow(
        upcoming=list(
            appointments.filter(starts_at__gte=now).order_by("starts_at", "pk")[
                :SHOWN_UPCOMING_APPOINTMENTS
            ]
        ),
        past=list(
            appointments.filter(starts_at__lt=now).order_by("-starts_at", "-pk")[
                :SHOWN_PAST_APPOINTMENTS
            ]
        )
        if past
        else [],
    )


def appointment_list(candidate: CandidateProfile) -> QuerySet[Appointment]:
    """All the candidate's appointments, latest first: the paged list."""
    return appointments_of(candidate).order_by("-starts_at", "-pk")


def timeline_rows(candidate: CandidateProfile, *, actor: Membership) -> QuerySet[Any]:
    """The candidate's timeline as one ordered query of (at, kind, id) rows, newest
    first: slice or page it, then `timeline_entries` loads a page's entries."""

    def rows(queryset: QuerySet[Any], kind: str, at: str) -> QuerySet[Any]:
        return (
            queryset.order_by()
            .annotate(kind=Value(kind, output_field=models.CharField()), at=F(at))
            .values_list("at", "kind", "pk")
        )

    events = rows(
        TrajectoryEvent.objects.filter(trajectory__candidate=candidate), "trajectory", "created_at"
    )
    done = rows(Task.objects.filter(candidate=candidate, done_at__isnull=False), "task", "done_at")
    notes = rows(notes_of(candidate, actor=actor), "note", "created_at")
    appointments = rows(Appointment.objects.filter(candidate=candidate), "appointment", "starts_at")
    return events.union(done, notes, appointments, all=True).order_by("-at", "kind", "-pk")


def timeline_entries(rows: Any) -> list[TimelineEntry]:
    """The entries of a page of `timeline_rows`, in its order: one query per kind."""
    rows = list(rows)
    wanted: dict[str, list[Any]] = {"trajectory": [], "task": [], "note": [], "appointment": []}
    for _at, kind, pk in rows:
        wanted[kind].append(pk)
    loaded: dict[tuple[str, Any], TimelineEntry] = {}
    for event in TrajectoryEvent.objects.filter(pk__in=wanted["trajectory"]).select_related(
        "trajectory"
    ):
        loaded["trajectory", event.pk] = _event_entry(event)
    for task in Task.objects.filter(pk__in=wanted["task"]):
        loaded["task", task.pk] = _task_entry(task)
    for note in Note.objects.filter(pk__in=wanted["note"]):
        loaded["note", note.pk] = _note_entry(note)
    for appointment in Appointment.objects.filter(pk__in=wanted["appointment"]):
        loaded["appointment", appointment.pk] = _appointment_entry(appointment)
    return [loaded[kind, pk] for _at, kind, pk in rows if (kind, pk) in loaded]


def _event_entry(event: TrajectoryEvent) -> TimelineEntry:
    return TimelineEntry(
        kind="trajectory",
        at=event.created_at,
        title=str(_("Trajectory %(status)s") % {"status": event.get_status_display()}),
        text=event.trajectory.goal,
        id=event.trajectory_id,
    )


def _task_entry(task: Task) -> TimelineEntry:
    assert task.done_at is not None
    return TimelineEntry(
        kind="task", at=task.done_at, title=str(_("Task done")), text=task.title, id=task.pk
    )


def _note_entry(note: Note) -> TimelineEntry:
    title = _("Shared note") if note.is_shared else _("Note not shown to the candidate")
    return TimelineEntry(
        kind="note", at=note.created_at, title=str(title), text=note.text, id=note.pk
    )


def _appointment_entry(appointment: Appointment) -> TimelineEntry:
    return TimelineEntry(
        kind="appointment",
        at=appointment.starts_at,
        title=str(_("Appointment")),
        text=appointment.place or appointment.online_link,
        id=appointment.pk,
    )
