"""Writes of coaching data. Every one is personal data of the candidate, so
every service records its audit event inside its own transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from passend.candidates.models import CandidateProfile, Scheme
from passend.coaching import notices
from passend.coaching.models import (
    ActionPlan,
    Appointment,
    Assignee,
    Note,
    NoteVisibility,
    Task,
    Trajectory,
    TrajectoryEvent,
    TrajectoryStatus,
)
from passend.common.scope import organisation_scope
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import record
from passend.privacy.datamap import Purpose
from passend.tenancy.models import Membership, Organisation, Role

TRAJECTORY_FIELDS = ("goal", "scheme", "status", "start_date", "end_date", "professional")


def _audit(
    action: str, target: Any, candidate: CandidateProfile, fields: list[str], detail: str = ""
) -> None:
    record(
        action=action,
        target=target,
        fields=fields,
        purpose=Purpose.COACHING,
        subject=candidate.membership.user_id,
        detail=detail,
    )


class _Default:
    """The marker of an argument left out, where `None` is a choice of its own."""

    def __repr__(self) -> str:
        return "FOLLOWS_ACTOR"


FOLLOWS_ACTOR = _Default()


def initial_status(start_date: date | str | None, *, today: date | None = None) -> str:
    """A new trajectory is active, unless it starts later: then it is planned."""
    today = today or timezone.localdate()
    if isinstance(start_date, str):
        try:
            start_date = parse_date(start_date)
        except ValueError:
            start_date = None  # full_clean() tells what is wrong with it
    if start_date is not None and start_date > today:
        return TrajectoryStatus.PLANNED
    return TrajectoryStatus.ACTIVE


def initial_professional(by: Membership | None) -> Membership | None:
    """A career advisor who starts a trajectory is its advisor; an admin is not, unasked."""
    if by is not None and by.role == Role.PROFESSIONAL and by.is_active:
        return by
    return None


@transaction.atomic
def trajectory_create(
    *,
    candidate: CandidateProfile,
    goal: str,
    start_date: date,
    end_date: date | None = None,
    scheme: Scheme | None = None,
    status: str | None = None,
    professional: Membership | _Default | None = FOLLOWS_ACTOR,
    by: Membership | None = None,
) -> Trajectory:
    """Start a trajectory for a candidate, with an empty action plan.

    Defaults follow the person doing it: without a `status` it is active, or
    planned when its start date lies ahead; without a `professional` the
    career advisor who starts it is its advisor (pass `professional=None` for
    none). See `initial_status` and `initial_professional`.
    """
    status = status or initial_status(start_date)
    if isinstance(professional, _Default):
        professional = initial_professional(by)
    trajectory = Trajectory(
        organisation_id=candidate.organisation_id,
        candidate=candidate,
        goal=goal,
        scheme=scheme,
        status=status,
        start_date=start_date,
        end_date=end_date,
        professional=professional,
    )
    trajectory.full_clean()
    trajectory.save()
    plan = ActionPlan(organisation_id=candidate.organisation_id, trajectory=trajectory)
    plan.full_clean(exclude=["trajectory"])
    plan.save()
    TrajectoryEvent.objects.create(
        organisation_id=candidate.organisation_id, trajectory=trajectory, status=status, by=by
    )
    _audit(Action.CREATE, trajectory, candidate, list(TRAJECTORY_FIELDS))
    return trajectory


@transaction.atomic
def trajectory_update(
    *, trajectory: Trajectory, by: Membership | None = None, **changes: Any
) -> Trajectory:
    """Change a trajectory; a change of status is kept for the timeline."""
    unknown = set(changes) - set(TRAJECTORY_FIELDS)
    if unknown:
        raise TypeError(f"trajectory_update() got unknown fields: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(trajectory, name) != value]
    old_status = trajectory.status
    for name in changed:
        setattr(trajectory, name, changes[name])
    trajectory.full_clean()
    if not changed:
        return trajectory
    trajectory.save()
    if trajectory.status != old_status:
        _status_event(trajectory, by=by).save()
    _audit(Action.UPDATE, trajectory, trajectory.candidate, changed)
    return trajectory


def _status_event(trajectory: Trajectory, *, by: Membership | None) -> TrajectoryEvent:
    """The timeline's record of a trajectory's new status (by nobody: the system)."""
    return TrajectoryEvent(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        status=trajectory.status,
        by=by,
    )


# How many trajectories one transaction starts: a day after a long outage
# still commits in steps, each locking only its own rows.
START_DUE_BATCH = 200


def _start_due_batch(today: date) -> int:
    """Activate up to START_DUE_BATCH due trajectories of the organisation in
    scope, exactly as a manual change of status to active would: the status,
    an event for the timeline (by the system) and an audit event."""
    with transaction.atomic():
        due = list(
            Trajectory.objects.select_for_update(of=("self",))
            .filter(status=TrajectoryStatus.PLANNED, start_date__lte=today)
            .select_related("candidate__membership")
            .order_by("start_date", "pk")[:START_DUE_BATCH]
        )
        if not due:
            return 0
        now = timezone.now()
        Trajectory.objects.filter(pk__in=[trajectory.pk for trajectory in due]).update(
            status=TrajectoryStatus.ACTIVE, updated_at=now
        )
        for trajectory in due:
            trajectory.status = TrajectoryStatus.ACTIVE
            trajectory.updated_at = now
        TrajectoryEvent.objects.bulk_create([_status_event(t, by=None) for t in due])
        for trajectory in due:
            _audit(
                Action.UPDATE,
                trajectory,
                trajectory.candidate,
                ["status"],
                detail="started on its start date",
            )
        return len(due)


def trajectories_start_due(*, today: date | None = None) -> int:
    """Make every planned trajectory whose start date has come (on or before
    `today`) active, in every active organisation; how many were started.

    Idempotent: a started trajectory is no longer planned, so a second run
    finds nothing. Run daily by `tasks.start_due_trajectories`.
    """
    today = today or timezone.localdate()
    started = 0
    for organisation in Organisation.objects.filter(is_active=True).order_by("pk"):
        with organisation_scope(organisation):
            while batch := _start_due_batch(today):
                started += batch
                if batch < START_DUE_BATCH:
                    break
    return started


def _plan_of(trajectory: Trajectory) -> ActionPlan:
    plan, _created = ActionPlan.objects.get_or_create(
        trajectory=trajectory, defaults={"organisation_id": trajectory.organisation_id}
    )
    return plan


@transaction.atomic
def task_create(
    *,
    trajectory: Trajectory,
    title: str,
    description: str = "",
    assignee: str = Assignee.CANDIDATE,
    due_date: date | None = None,
) -> Task:
    """Add a step to the trajectory's action plan."""
    task = Task(
        organisation_id=trajectory.organisation_id,
        plan=_plan_of(trajectory),
        candidate_id=trajectory.candidate_id,
        title=title,
        description=description,
        assignee=assignee,
        due_date=due_date,
    )
    task.full_clean()
    task.save()
    _audit(
        Action.CREATE,
        task,
        trajectory.candidate,
        ["title", "description", "assignee", "due_date", "progress"],
    )
    notices.task_notify(task)
    return task


def _candidate_of(task: Task) -> CandidateProfile:
    return CandidateProfile.objects.select_related("membership").get(pk=task.candidate_id)


@transaction.atomic
def task_set_done(*, task: Task, done: bool) -> Task:
    """Tick a task (progress 100%) or un-tick it (progress back to what is left)."""
    if done == task.is_done:
        return task
    if done:
        task.done_at = timezone.now()
        task.progress = 100
    else:
        task.done_at = None
        if task.progress == 100:
            task.progress = 0
    task.full_clean()
    task.save(update_fields=["done_at", "progress", "updated_at"])
    _audit(Action.UPDATE, task, _candidate_of(task), ["done_at", "progress"])
    return task


@transaction.atomic
def task_set_progress(*, task: Task, progress: int) -> Task:
    """Set how far a task is; 100% marks it done, anything less marks it open."""
    task.progress = progress
    task.full_clean()
    if progress == 100 and task.done_at is None:
        task.done_at = timezone.now()
    elif progress < 100:
        task.done_at = None
    task.save(update_fields=["done_at", "progress", "updated_at"])
    _audit(Action.UPDATE, task, _candidate_of(task), ["done_at", "progress"])
    return task


@transaction.atomic
def note_create(
    *,
    candidate: CandidateProfile,
    author: Membership,
    text: str,
    visibility: str = NoteVisibility.NOT_SHOWN_TO_CANDIDATE,
) -> Note:
    """A note about the candidate, shown on their pages only when shared.

    Every note, shown or not, is in the copy of their data the candidate can
    ask for (GDPR Art. 15); see docs/adr/0005-notes-hidden-from-candidate-pages.md.
    """
    note = Note(
        organisation_id=candidate.organisation_id,
        candidate=candidate,
        author=author,
        text=text,
        visibility=visibility,
    )
    note.full_clean()
    note.save()
    _audit(Action.CREATE, note, candidate, ["text", "visibility", "author"])
    return note


@transaction.atomic
def appointment_create(
    *,
    candidate: CandidateProfile,
    starts_at: datetime,
    duration_minutes: int = 60,
    place: str = "",
    online_link: str = "",
    professional: Membership | None = None,
    with_whom: str = "",
    notes: str = "",
) -> Appointment:
    appointment = Appointment(
        organisation_id=candidate.organisation_id,
        candidate=candidate,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        online_link=online_link,
        professional=professional,
        with_whom=with_whom,
        notes=notes,
    )
    appointment.full_clean()
    appointment.save()
    _audit(
        Action.CREATE,
        appointment,
        candidate,
        ["starts_at", "duration_minutes", "place", "online_link", "professional", "with_whom"]
        + (["notes"] if notes else []),
    )
    notices.appointment_notify(appointment)
    return appointment


APPOINTMENT_FIELDS = (
    "starts_at",
    "duration_minutes",
    "place",
    "online_link",
    "professional",
    "with_whom",
    "notes",
)
# A change to one of these is news to the candidate: they are notified again.
APPOINTMENT_NOTICE_FIELDS = ("starts_at", "duration_minutes", "place", "online_link")


@transaction.atomic
def appointment_update(*, appointment: Appointment, **changes: Any) -> Appointment:
    """Change an appointment; the candidate is told when its time or place changed."""
    unknown = set(changes) - set(APPOINTMENT_FIELDS)
    if unknown:
        raise TypeError(f"not a field of an appointment: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(appointment, name) != value]
    if not changed:
        return appointment
    for name in changed:
        setattr(appointment, name, changes[name])
    appointment.full_clean()
    appointment.save(update_fields=[*changed, "updated_at"])
    candidate = CandidateProfile.objects.select_related("membership").get(
        pk=appointment.candidate_id
    )
    _audit(Action.UPDATE, appointment, candidate, changed)
    if set(changed) & set(APPOINTMENT_NOTICE_FIELDS):
        notices.appointment_notify(appointment, changed=True)
    return appointment
