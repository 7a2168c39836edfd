"""Coaching pages: the caseload, a candidate's coaching, the candidate's own
dashboard, and the forms that add trajectories, tasks, notes and appointments.

Shape of each view: parse -> access -> service/selector -> render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from passend.candidates import selectors as candidate_selectors
from passend.candidates.models import CandidateProfile
from passend.coaching import calendar, selectors, services
from passend.coaching.access import (
    get_appointment_for_actor,
    get_candidate_for_actor,
    get_task_for_actor,
    get_trajectory_for_actor,
    may_manage,
    own_candidate_profile,
)
from passend.coaching.forms import (
    AppointmentForm,
    CaseloadFilterForm,
    NoteForm,
    TaskForm,
    TaskProgressForm,
    TrajectoryForm,
)
from passend.coaching.models import Appointment, Note, Task, Trajectory
from passend.common.adapters import form_status, submit
from passend.common.paging import CountedPaginator
from passend.tenancy.access import require_role
from passend.tenancy.http import MemberRequest
from passend.tenancy.models import Role

PAGE_SIZE = 25
PAGE_SIZES = (10, 25, 50, 100)


def _manager(request: MemberRequest) -> Any:
    actor = request.membership
    if not may_manage(actor):
        raise PermissionDenied
    return actor


def _page_size(request: MemberRequest) -> int:
    try:
        size = int(request.GET.get("page_size", PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE
    return size if size in PAGE_SIZES else PAGE_SIZE


@require_role(Role.ADMIN, Role.PROFESSIONAL)
def caseload(request: MemberRequest) -> HttpResponse:
    """Search, filters and order are GET parameters (the form works without
    JavaScript); with htmx only the results are swapped and the count is
    announced in a live region outside them."""
    actor = request.membership
    form = CaseloadFilterForm(request.GET if request.GET else None)
    filters = form.filters()
    mine = form.is_bound and bool(form.cleaned_data.get("mine"))
    candidates = selectors.caseload(professional=actor if mine else None, filters=filters)
    # The whole caseload's total is a cached count; a filter counts its matches.
    listed = candidate_selectors.listed_counts()
    total = listed.with_profile if not form.is_filtered() else None
    page = CountedPaginator(candidates, _page_size(request), count=total).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "mine": mine,
        "form": form,
        "filtered": form.is_filtered(),
        "without_profile": listed.without_profile,
        "today": timezone.localdate(),
    }
    template = "coaching/_caseload_results.html" if request.htmx else "coaching/caseload.html"
    return render(request, template, context)


def _candidate_context(candidate: CandidateProfile, actor: Any) -> dict[str, Any]:
    """A window on everything that grows with time, each with its count for a
    "show all" link to its paged list: the page's size and its queries do not
    grow with the candidate's history."""
    counts = selectors.coaching_counts(candidate, actor=actor)
    trajectories = selectors.trajectory_window(candidate)
    appointments = selectors.appointment_window(candidate)
    timeline = selectors.timeline_rows(candidate, actor=actor)[: selectors.SHOWN_TIMELINE]
    return {
        "candidate": candidate,
        "counts": counts,
        "trajectories": trajectories.current,
        "closed_trajectories": trajectories.closed,
        "notes": list(selectors.recent_notes(candidate, actor=actor)[: selectors.SHOWN_NOTES]),
        "appointments": appointments.upcoming,
        "past_appointments": appointments.past,
        "completion": counts.completion,
        "timeline": selectors.timeline_entries(timeline),
        "may_manage": may_manage(actor),
    }


@require_role()
def candidate(request: MemberRequest, candidate_id: str) -> HttpResponse:
    actor = request.membership
    profile = get_candidate_for_actor(actor, candidate_id)
    if not may_manage(actor):
        return redirect("coaching:me")
    context = _candidate_context(profile, actor)
    # A note is written on the page itself; a trajectory and an appointment on
    # their own pages, like a task: their forms offer every career advisor of
    # the organisation, which took longer to draw than the rest of the page.
    context["note_form"] = NoteForm()
    return render(request, "coaching/candidate.html", context)


@require_role(Role.CANDIDATE)
def me(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    profile = own_candidate_profile(actor)
    context: dict[str, Any] = {"candidate": profile}
    if profile is not None:
        context.update(_candidate_context(profile, actor))
    return render(request, "coaching/me.html", context)


# --- Paged lists of all of a candidate's coaching --------------------------
# The "show all" pages behind the windows of the coaching page and "my plan":
# the same access rules as those pages (advisors and admins every candidate of
# the organisation, the candidate their own, never employers).


def _list_page(
    request: MemberRequest,
    candidate: CandidateProfile,
    entries: Any,
    *,
    kind: str,
    title: Any,
) -> HttpResponse:
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "candidate": candidate,
        "page": page,
        "kind": kind,
        "title": title,
        "may_manage": may_manage(request.membership),
    }
    return render(request, f"coaching/list_{kind}.html", context)


@require_role()
@require_safe
def trajectory_list(request: MemberRequest, candidate_id: str) -> HttpResponse:
    profile = get_candidate_for_actor(request.membership, candidate_id)
    return _list_page(
        request,
        profile,
        selectors.trajectory_list(profile),
        kind="trajectories",
        title=_("All trajectories"),
    )


@require_role()
@require_safe
def trajectory_tasks(request: MemberRequest, trajectory_id: str) -> HttpResponse:
    trajectory = get_trajectory_for_actor(request.membership, trajectory_id)
    page = Paginator(selectors.plan_tasks(trajectory), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "candidate": trajectory.candidate,
        "trajectory": trajectory,
        "page": page,
        "completion": selectors.completion_of(trajectory.candidate),
        "may_manage": may_manage(request.membership),
    }
    return render(request, "coaching/list_tasks.html", context)


@require_role()
@require_safe
def note_list(request: MemberRequest, candidate_id: str) -> HttpResponse:
    actor = request.membership
    profile = get_candidate_for_actor(actor, candidate_id)
    return _list_page(
        request,
        profile,
        selectors.recent_notes(profile, actor=actor),
        kind="notes",
        title=_("All notes"),
    )


@require_role()
@require_safe
def appointment_list(request: MemberRequest, candidate_id: str) -> HttpResponse:
    profile = get_candidate_for_actor(request.membership, candidate_id)
    return _list_page(
        request,
        profile,
        selectors.appointment_list(profile),
        kind="appointments",
        title=_("All appointments"),
    )


@require_role()
@require_safe
def timeline(request: MemberRequest, candidate_id: str) -> HttpResponse:
    """The whole timeline, a page at a time: the rows are paged in one query,
    then only the page's entries are loaded."""
    actor = request.membership
    profile = get_candidate_for_actor(actor, candidate_id)
    rows = selectors.timeline_rows(profile, actor=actor)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "candidate": profile,
        "page": page,
        "timeline": selectors.timeline_entries(page.object_list),
        "title": _("Timeline"),
        "may_manage": may_manage(actor),
    }
    return render(request, "coaching/list_timeline.html", context)


def _entry_page(
    request: MemberRequest,
    form: Any,
    candidate: CandidateProfile,
    *,
    save: Callable[[dict[str, Any]], object],
    saved: Any,
    title: Any,
) -> HttpResponse:
    """The one shape of every coaching entry form: save, or show the form again."""
    if submit(request, form, save):
        messages.success(request, saved)
        return redirect("coaching:candidate", candidate.pk)
    return render(
        request,
        "coaching/form.html",
        {"form": form, "candidate": candidate, "title": title},
        status=form_status(request),
    )


@require_role()
def trajectory_create(request: MemberRequest, candidate_id: str) -> HttpResponse:
    actor = request.membership
    profile = get_candidate_for_actor(actor, candidate_id)
    _manager(request)
    instance = Trajectory(organisation_id=profile.organisation_id, candidate=profile)
    return _entry_page(
        request,
        TrajectoryForm(request.POST or None, instance=instance, actor=actor),
        profile,
        save=lambda data: services.trajectory_create(candidate=profile, by=actor, **data),
        saved=_("The trajectory was added."),
        title=_("New trajectory"),
    )


def _change_page(
    request: MemberRequest,
    form: Any,
    candidate: CandidateProfile,
    *,
    update: Callable[[Any, dict[str, Any]], object],
    saved: Any,
    title: Any,
) -> HttpResponse:
    """`_entry_page` for changing an entry: the bound form has applied the values to
    its instance, so the service gets the row as stored to compare against."""

    def save(data: dict[str, Any]) -> object:
        stored = type(form.instance).objects.get(pk=form.instance.pk)
        return update(stored, data)

    return _entry_page(request, form, candidate, save=save, saved=saved, title=title)


@require_role()
def trajectory_edit(request: MemberRequest, trajectory_id: str) -> HttpResponse:
    actor = request.membership
    trajectory = get_trajectory_for_actor(actor, trajectory_id)
    _manager(request)

    return _change_page(
        request,
        TrajectoryForm(request.POST or None, instance=trajectory),
        trajectory.candidate,
        update=lambda stored, data: services.trajectory_update(trajectory=stored, by=actor, **data),
        saved=_("The trajectory was updated."),
        title=_("Change trajectory"),
    )


@require_role()
def task_create(request: MemberRequest, trajectory_id: str) -> HttpResponse:
    actor = request.membership
    trajectory = get_trajectory_for_actor(actor, trajectory_id)
    _manager(request)
    instance = Task(organisation_id=trajectory.organisation_id, candidate=trajectory.candidate)
    return _entry_page(
        request,
        TaskForm(request.POST or None, instance=instance),
        trajectory.candidate,
        save=lambda data: services.task_create(trajectory=trajectory, **data),
        saved=_("The task was added."),
        title=_("New task"),
    )


@require_role()
def note_create(request: MemberRequest, candidate_id: str) -> HttpResponse:
    actor = request.membership
    profile = get_candidate_for_actor(actor, candidate_id)
    _manager(request)
    instance = Note(organisation_id=profile.organisation_id, candidate=profile, author=actor)
    return _entry_page(
        request,
        NoteForm(request.POST or None, instance=instance),
        profile,
        save=lambda data: services.note_create(candidate=profile, author=actor, **data),
        saved=_("The note was added."),
        title=_("New note"),
    )


@require_role()
def appointment_create(request: MemberRequest, candidate_id: str) -> HttpResponse:
    actor = request.membership
    profile = get_candidate_for_actor(actor, candidate_id)
    _manager(request)
    instance = Appointment(organisation_id=profile.organisation_id, candidate=profile)
    return _entry_page(
        request,
        AppointmentForm(request.POST or None, instance=instance),
        profile,
        save=lambda data: services.appointment_create(candidate=profile, **data),
        saved=_("The appointment was added."),
        title=_("New appointment"),
    )


@require_role()
def appointment_edit(request: MemberRequest, appointment_id: str) -> HttpResponse:
    """Move or change an appointment; the candidate is told when its time or place changed."""
    actor = request.membership
    appointment = get_appointment_for_actor(actor, appointment_id)
    _manager(request)

    return _change_page(
        request,
        AppointmentForm(request.POST or None, instance=appointment),
        appointment.candidate,
        update=lambda stored, data: services.appointment_update(appointment=stored, **data),
        saved=_("The appointment was changed."),
        title=_("Change appointment"),
    )


def _task_answer(request: MemberRequest, task: Task, status: int = 200) -> HttpResponse:
    """htmx: the task itself and, out of band, the progress bar. Otherwise: back."""
    actor = request.membership
    if request.htmx:
        context = {
            "task": task,
            "completion": selectors.completion_of(task.candidate),
            "oob": True,
            "may_manage": may_manage(actor),
        }
        return render(request, "coaching/_task_update.html", context, status=status)
    if status >= 400:
        messages.error(request, _("Progress is a whole number from 0 to 100."))
    if may_manage(actor):
        return redirect("coaching:candidate", task.candidate_id)
    return redirect("coaching:me")


@require_role()
@require_safe
def appointment_ics(request: MemberRequest, appointment_id: str) -> HttpResponse:
    """The appointment as a calendar file (RFC 5545) to add to one's own calendar."""
    appointment = get_appointment_for_actor(request.membership, appointment_id)
    content = calendar.appointment_ics(appointment, organisation_name=request.organisation.name)
    response = HttpResponse(content, content_type=f"{calendar.MIME_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{calendar.filename(appointment)}"'
    return response


@require_role()
@require_POST
def task_toggle(request: MemberRequest, task_id: str) -> HttpResponse:
    task = get_task_for_actor(request.membership, task_id)
    task = services.task_set_done(task=task, done=request.POST.get("done") == "1")
    return _task_answer(request, task)


@require_role()
@require_POST
def task_progress(request: MemberRequest, task_id: str) -> HttpResponse:
    task = get_task_for_actor(request.membership, task_id)
    form = TaskProgressForm(request.POST)
    if not form.is_valid():
        return _task_answer(request, task, status=400)
    task = services.task_set_progress(task=task, progress=form.cleaned_data["progress"])
    return _task_answer(request, task)
