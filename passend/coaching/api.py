"""Coaching in the API (/api/v1/coaching/): caseload, trajectories, tasks,
notes, appointments and the timeline, under the same rules as the pages.

Each operation: parse -> access -> service/selector -> schema.
"""

# No `from __future__ import annotations` here: ninja reads the parameters of a
# `@paginate`d operation through its wrapper, which cannot resolve string annotations.

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as QueryError
from ninja.pagination import paginate
from ninja.responses import Status

from passend.candidates import selectors as candidate_selectors
from passend.candidates.models import CandidateProfile, Scheme
from passend.coaching import selectors, services
from passend.coaching.access import (
    get_candidate_for_actor,
    get_task_for_actor,
    get_trajectory_for_actor,
    may_manage,
)
from passend.coaching.models import (
    Appointment,
    Assignee,
    Note,
    NoteVisibility,
    Trajectory,
    TrajectoryStatus,
)
from passend.coaching.selectors import CaseloadSort, CaseloadStatus
from passend.common.api.actor import actor_of, membership_of
from passend.common.api.pagination import Counted, PagePagination
from passend.common.api.problems import Problem
from passend.common.api.schemas import problems
from passend.privacy.crypto.logging import contains_personal_number
from passend.tenancy.models import Membership, Role

router = Router(tags=["coaching"])


class CaseloadIn(Schema):
    """The caseload page's search, filters and order (`CaseloadFilterForm`):
    both become one `selectors.CaseloadFilter`."""

    q: str = Field(
        "",
        max_length=100,
        description="Search by name. A BSN or bank account number is refused (422).",
    )
    status: CaseloadStatus | None = Field(
        None,
        description="Candidates with a trajectory of this status (any of theirs), "
        "or `none`: without any trajectory.",
    )
    scheme: UUID | None = Field(
        None,
        description="Candidates with a trajectory under this scheme of your organisation; "
        "any other value answers 422.",
    )
    overdue: bool = Field(
        False, description="Only candidates with open tasks whose due date has passed."
    )
    no_appointment: bool = Field(
        False,
        description="Only candidates with an active trajectory and no appointment from now on.",
    )
    mine: bool = Field(False, description="Only candidates whose current trajectory is yours.")
    sort: CaseloadSort = Field(
        CaseloadSort.NAME,
        description="`name`; `next_appointment` (soonest first, none last); "
        "`last_activity` (most recent first). Ties by name.",
    )


class CaseloadItem(Schema):
    id: UUID
    name: str
    active_trajectory_id: UUID | None
    active_goal: str | None
    current_goal: str | None = Field(
        description="The current trajectory: active, else paused, else planned."
    )
    current_status: TrajectoryStatus | None
    next_appointment_at: datetime | None
    no_appointment_planned: bool = Field(
        description="An active trajectory and no appointment from now on."
    )
    open_tasks: int
    overdue_tasks: int = Field(description="Open tasks whose due date has passed.")
    last_activity_at: datetime

    @staticmethod
    def resolve_name(candidate: Any) -> str:
        return str(candidate.membership.user.name)


class TrajectoryIn(Schema):
    goal: str
    start_date: date
    end_date: date | None = None
    scheme_id: UUID | None = Field(None, description="One of the organisation's schemes.")
    status: TrajectoryStatus | None = Field(
        None, description="Left out: `active`, or `planned` when `start_date` lies ahead."
    )
    professional_id: UUID | None = Field(
        None,
        description="The responsible career advisor. Left out: you, when you are a career "
        "advisor; `null`: none.",
    )


class TrajectoryOut(Schema):
    id: UUID
    candidate_id: UUID
    goal: str
    scheme_id: UUID | None
    status: TrajectoryStatus
    start_date: date
    end_date: date | None
    professional_id: UUID | None


class TaskIn(Schema):
    title: str
    description: str = ""
    assignee: Assignee = Assignee.CANDIDATE
    due_date: date | None = None


class TaskPatch(Schema):
    done: bool | None = Field(None, description="Tick (true) or un-tick (false) the task.")
    progress: int | None = Field(None, ge=0, le=100, description="Progress in percent.")


class TaskOut(Schema):
    id: UUID
    trajectory_id: UUID
    title: str
    description: str
    assignee: Assignee
    due_date: date | None
    progress: int
    done: bool
    done_at: datetime | None


class NoteIn(Schema):
    text: str
    visibility: NoteVisibility = Field(
        NoteVisibility.NOT_SHOWN_TO_CANDIDATE,
        description="`shared`: shown to the candidate. `not_shown_to_candidate`: not shown on "
        "the candidate's pages or in their API, but included when they ask for a copy of "
        "their data (right of access, GDPR Art. 15).",
    )


class NoteOut(Schema):
    id: UUID
    text: str
    visibility: NoteVisibility
    author_id: UUID | None
    created_at: datetime


class AppointmentIn(Schema):
    starts_at: datetime
    duration_minutes: int = 60
    place: str = ""
    online_link: str = ""
    professional_id: UUID | None = None
    with_whom: str = ""
    notes: str = ""


class AppointmentOut(Schema):
    id: UUID
    starts_at: datetime
    duration_minutes: int
    place: str
    online_link: str
    professional_id: UUID | None
    with_whom: str
    notes: str


class TimelineOut(Schema):
    kind: str = Field(description="`trajectory`, `task`, `note` or `appointment`.")
    at: datetime
    title: str
    text: str
    id: UUID


def _manager(membership: Membership) -> Membership:
    if not may_manage(membership):
        raise Problem(403, _("Only career advisors and administrators may do this."))
    return membership


def _advisor(membership_id: UUID | None) -> Membership | None:
    if membership_id is None:
        return None
    advisor = Membership.objects.filter(
        pk=membership_id, is_active=True, role__in=[Role.ADMIN, Role.PROFESSIONAL]
    ).first()
    if advisor is None:
        raise ValidationError({"professional": _("Choose a career advisor of this organisation.")})
    return advisor


def _scheme(scheme_id: UUID | None) -> Scheme | None:
    if scheme_id is None:
        return None
    scheme = Scheme.objects.filter(pk=scheme_id).first()
    if scheme is None:
        raise ValidationError({"scheme": _("Choose a scheme of this organisation.")})
    return scheme


def _task_out(task: Any) -> dict[str, Any]:
    return {
        "id": task.pk,
        "trajectory_id": task.plan.trajectory_id,
        "title": task.title,
        "description": task.description,
        "assignee": task.assignee,
        "due_date": task.due_date,
        "progress": task.progress,
        "done": task.is_done,
        "done_at": task.done_at,
    }


# Creating an entry (trajectory, task, note, appointment) has one shape, like the
# pages' `_entry_page`: parse the payload -> find the parent in scope (404) ->
# access (403) -> service (which records the audit event) -> 201 with the entry.
# Each kind states only what differs, in an `EntrySpec`.

ParentT = TypeVar("ParentT")
PayloadT = TypeVar("PayloadT", bound=Schema)


@dataclass(frozen=True)
class Parent(Generic[ParentT]):
    """What an entry is added to: the path parameter naming it, and the lookup
    that finds it in the actor's scope (404 otherwise)."""

    param: str
    find: Callable[[Membership, UUID], ParentT]


CANDIDATE = Parent[CandidateProfile]("candidate_id", get_candidate_for_actor)
TRAJECTORY = Parent[Trajectory]("trajectory_id", get_trajectory_for_actor)


@dataclass(frozen=True)
class EntrySpec(Generic[ParentT, PayloadT]):
    """One `POST` that creates a coaching entry."""

    name: str  # the view's name, so the URL name (`api:<name>`)
    path: str
    summary: str
    operation_id: str
    parent: Parent[ParentT]
    payload: type[PayloadT]
    out: type[Schema]
    # (parent, payload, acting membership) -> what `out` serialises.
    create: Callable[[ParentT, PayloadT, Membership], object]
    access: Callable[[Membership], Membership] = _manager


_POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD


def add_entry_operation(
    router: Router, spec: EntrySpec[ParentT, PayloadT]
) -> Callable[..., Status[Any]]:
    """Add `POST spec.path` to the router; return the view."""

    def create(request: HttpRequest, payload: PayloadT, **path: UUID) -> Status[Any]:
        membership = membership_of(actor_of(request))
        parent = spec.parent.find(membership, path[spec.parent.param])
        spec.access(membership)
        return Status(201, spec.create(parent, payload, membership))

    # ninja reads an operation's parameters from the view's signature; this one
    # is `(request, <candidate_id|trajectory_id>: UUID, payload: <spec.payload>)`,
    # exactly what a hand-written view would declare.
    create.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", _POSITIONAL, annotation=HttpRequest),
            inspect.Parameter(spec.parent.param, _POSITIONAL, annotation=UUID),
            inspect.Parameter("payload", _POSITIONAL, annotation=spec.payload),
        ],
        return_annotation=Any,
    )
    create.__name__ = create.__qualname__ = spec.name
    router.post(
        spec.path,
        response={201: spec.out, **problems(403, 404, 422)},
        summary=spec.summary,
        operation_id=spec.operation_id,
    )(create)
    return create


def _query_error(field: str, message: str | Promise) -> QueryError:
    return QueryError([{"loc": ("query", field), "msg": str(message)}])


def _caseload_filter(query: CaseloadIn) -> selectors.CaseloadFilter:
    """The query as the caseload's one filter; 422 for what the schema cannot tell."""
    search = query.q.strip()
    if contains_personal_number(search):
        # The same rule as the page's search: a BSN or IBAN is never a search key.
        raise _query_error(
            "q", _("Search by name. A BSN or bank account number is never a search key.")
        )
    # In scope: another organisation's scheme is not found, just like one that
    # does not exist, so the answer tells nothing about it.
    if query.scheme is not None and not Scheme.objects.filter(pk=query.scheme).exists():
        raise _query_error("scheme", _("Choose a scheme of this organisation."))
    return selectors.CaseloadFilter(
        search=search,
        status=query.status or "",
        scheme_id=query.scheme,
        overdue=query.overdue,
        no_appointment=query.no_appointment,
        sort=query.sort,
    )


@router.get(
    "/caseload",
    response={200: list[CaseloadItem], **problems(403, 404, 422)},
    summary="The caseload: candidates of the organisation",
    description="Career advisors and administrators. The same search, filters and order as "
    "the caseload page; paginated by `page` and `page_size`.",
    operation_id="coaching_caseload",
)
@paginate(PagePagination)
def caseload(request: HttpRequest, query: Query[CaseloadIn]) -> Any:
    membership = _manager(membership_of(actor_of(request)))
    filters = _caseload_filter(query)
    candidates = selectors.caseload(
        professional=membership if query.mine else None, filters=filters
    )
    if query.mine or filters.is_filtered():
        return candidates
    # The whole caseload's total is the page's cached count, not a count per call.
    return Counted(candidates, candidate_selectors.listed_counts().with_profile)


@router.get(
    "/candidates/{candidate_id}/trajectories",
    response={200: list[TrajectoryOut], **problems(404)},
    summary="A candidate's trajectories",
    operation_id="coaching_trajectories",
)
def trajectories(request: HttpRequest, candidate_id: UUID) -> Any:
    candidate = get_candidate_for_actor(membership_of(actor_of(request)), candidate_id)
    return selectors.trajectories_of(candidate)


def _start_trajectory(
    candidate: CandidateProfile, payload: TrajectoryIn, by: Membership
) -> Trajectory:
    scheme = _scheme(payload.scheme_id)
    return services.trajectory_create(
        candidate=candidate,
        goal=payload.goal,
        start_date=payload.start_date,
        end_date=payload.end_date,
        scheme=scheme,
        status=payload.status,
        professional=(
            _advisor(payload.professional_id)
            if "professional_id" in payload.model_fields_set
            else services.FOLLOWS_ACTOR
        ),
        by=by,
    )


trajectory_create = add_entry_operation(
    router,
    EntrySpec(
        name="trajectory_create",
        path="/candidates/{candidate_id}/trajectories",
        summary="Start a trajectory",
        operation_id="coaching_trajectory_create",
        parent=CANDIDATE,
        payload=TrajectoryIn,
        out=TrajectoryOut,
        create=_start_trajectory,
    ),
)


@router.get(
    "/candidates/{candidate_id}/tasks",
    response={200: list[TaskOut], **problems(404)},
    summary="A candidate's tasks, open ones first",
    operation_id="coaching_tasks",
)
def tasks(request: HttpRequest, candidate_id: UUID) -> Any:
    candidate = get_candidate_for_actor(membership_of(actor_of(request)), candidate_id)
    return [_task_out(task) for task in selectors.tasks_of(candidate)]


def _add_task(trajectory: Trajectory, payload: TaskIn, by: Membership) -> dict[str, Any]:
    return _task_out(services.task_create(trajectory=trajectory, **payload.dict()))


task_create = add_entry_operation(
    router,
    EntrySpec(
        name="task_create",
        path="/trajectories/{trajectory_id}/tasks",
        summary="Add a task to a trajectory's action plan",
        operation_id="coaching_task_create",
        parent=TRAJECTORY,
        payload=TaskIn,
        out=TaskOut,
        create=_add_task,
    ),
)


@router.patch(
    "/tasks/{task_id}",
    response={200: TaskOut, **problems(404, 422)},
    summary="Tick a task or update its progress",
    description="The candidate may do this for their own tasks; career advisors for all.",
    operation_id="coaching_task_update",
)
def task_update(request: HttpRequest, task_id: UUID, payload: TaskPatch) -> Any:
    task = get_task_for_actor(membership_of(actor_of(request)), task_id)
    if payload.done is not None:
        task = services.task_set_done(task=task, done=payload.done)
    if payload.progress is not None:
        task = services.task_set_progress(task=task, progress=payload.progress)
    return _task_out(task)


@router.get(
    "/candidates/{candidate_id}/notes",
    response={200: list[NoteOut], **problems(404)},
    summary="Notes about a candidate",
    description="Career advisors see all notes; the candidate only the ones shared with them. "
    "Every note is in the copy of their data the candidate can ask for (GDPR Art. 15).",
    operation_id="coaching_notes",
)
def notes(request: HttpRequest, candidate_id: UUID) -> Any:
    membership = membership_of(actor_of(request))
    candidate = get_candidate_for_actor(membership, candidate_id)
    return list(selectors.notes_of(candidate, actor=membership))


def _add_note(candidate: CandidateProfile, payload: NoteIn, by: Membership) -> Note:
    return services.note_create(
        candidate=candidate, author=by, text=payload.text, visibility=payload.visibility
    )


note_create = add_entry_operation(
    router,
    EntrySpec(
        name="note_create",
        path="/candidates/{candidate_id}/notes",
        summary="Add a note",
        operation_id="coaching_note_create",
        parent=CANDIDATE,
        payload=NoteIn,
        out=NoteOut,
        create=_add_note,
    ),
)


@router.get(
    "/candidates/{candidate_id}/appointments",
    response={200: list[AppointmentOut], **problems(404)},
    summary="A candidate's appointments",
    operation_id="coaching_appointments",
)
def appointments(request: HttpRequest, candidate_id: UUID) -> Any:
    candidate = get_candidate_for_actor(membership_of(actor_of(request)), candidate_id)
    return list(selectors.appointments_of(candidate))


def _make_appointment(
    candidate: CandidateProfile, payload: AppointmentIn, by: Membership
) -> Appointment:
    values = payload.dict()
    values["professional"] = _advisor(values.pop("professional_id"))
    return services.appointment_create(candidate=candidate, **values)


appointment_create = add_entry_operation(
    router,
    EntrySpec(
        name="appointment_create",
        path="/candidates/{candidate_id}/appointments",
        summary="Make an appointment",
        operation_id="coaching_appointment_create",
        parent=CANDIDATE,
        payload=AppointmentIn,
        out=AppointmentOut,
        create=_make_appointment,
    ),
)


@router.get(
    "/candidates/{candidate_id}/timeline",
    response={200: list[TimelineOut], **problems(404)},
    summary="What happened in a candidate's coaching, newest first",
    description="The candidate's own timeline holds only notes shared with them.",
    operation_id="coaching_timeline",
)
def timeline(request: HttpRequest, candidate_id: UUID) -> Any:
    membership = membership_of(actor_of(request))
    candidate = get_candidate_for_actor(membership, candidate_id)
    return selectors.timeline(candidate, actor=membership)
