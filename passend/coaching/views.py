"""Coaching pages: the caseload, a candidate's coaching, the candidate's own
dashboard, and the forms that add trajectories, tasks, notes and appointments.

Shape of each view: parse -> access -> service/selector -> render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from passend.candidates.models import CandidateProfile
from passend.coaching import selectors, services
from passend.coaching.access import (
    get_candidate_for_actor,
    get_task_for_actor,
    get_trajectory_for_actor,
    may_manage,
    own_candidate_profile,
)
from passend.coaching.forms import (
    AppointmentForm,
    NoteForm,
    TaskForm,
    TaskProgressForm,
    TrajectoryForm,
)
from passend.coaching.models import Appointment, Note, Task, Trajectory
from passend.tenancy.access import require_role
from passend.tenancy.models import Role

PAGE_SIZE = 25
PAGE_SIZES = (10, 25, 50, 100)


def _actor(request: HttpRequest) -> Any:
    return request.membership  # type: ignore[attr-defined]


def _manager(request: HttpRequest) -> Any:
    actor = _actor(request)
    if not may_manage(actor):
        raise PermissionDenied
    return actor


def _page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("page_size", PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE
    return size if size in PAGE_SIZES else PAGE_SIZE


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_role(Role.ADMIN, Role.PROFESSIONAL)
def caseload(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    mine = request.GET.get("mine") == "1"
    candidates = selectors.caseload(professional=actor if mine else None)
    page = Paginator(candidates, _page_size(request)).get_page(request.GET.get("page"))
    return render(request, "coaching/caseload.html", {"page": page, "mine": mine})


def _candidate_context(candidate: CandidateProfile, actor: Any) -> dict[str, Any]:
    return {
        "candidate": candidate,
        "trajectories": selectors.trajectories_of(candidate),
        "notes": list(selectors.notes_of(candidate, actor=actor)),
        "appointments": list(selectors.appointments_of(candidate)),
        "completion": selectors.completion_of(candidate),
        "timeline": selectors.timeline(candidate, actor=actor),
        "may_manage": may_manage(actor),
    }


@require_role()
def candidate(request: HttpRequest, candidate_id: str) -> HttpResponse:
    actor = _actor(request)
    profile = get_candidate_for_actor(actor, candidate_id)
    if not may_manage(actor):
        return redirect("coaching:me")
    context = _candidate_context(profile, actor)
    context.update(
        trajectory_form=TrajectoryForm(),
        note_form=NoteForm(),
        appointment_form=AppointmentForm(auto_id="appointment_%s"),
        task_form=TaskForm(),
    )
    return render(request, "coaching/candidate.html", context)


@require_role(Role.CANDIDATE)
def me(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    profile = own_candidate_profile(actor)
    context: dict[str, Any] = {"candidate": profile}
    if profile is not None:
        context.update(_candidate_context(profile, actor))
        context["appointments"] = list(selectors.appointments_of(profile, upcoming=True))
    return render(request, "coaching/me.html", context)


def _form_page(
    request: HttpRequest, form: Any, candidate: CandidateProfile, title: Any, status: int
) -> HttpResponse:
    return render(
        request,
        "coaching/form.html",
        {"form": form, "candidate": candidate, "title": title},
        status=status,
    )


@require_role()
def trajectory_create(request: HttpRequest, candidate_id: str) -> HttpResponse:
    actor = _actor(request)
    profile = get_candidate_for_actor(actor, candidate_id)
    _manager(request)
    instance = Trajectory(organisation_id=profile.organisation_id, candidate=profile)
    form = TrajectoryForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_create(candidate=profile, by=actor, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The trajectory was added."))
            return redirect("coaching:candidate", profile.pk)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, form, profile, _("New trajectory"), status)


@require_role()
def trajectory_edit(request: HttpRequest, trajectory_id: str) -> HttpResponse:
    actor = _actor(request)
    trajectory = get_trajectory_for_actor(actor, trajectory_id)
    _manager(request)
    form = TrajectoryForm(request.POST or None, instance=trajectory)
    if request.method == "POST" and form.is_valid():
        # The form has applied the values to the instance; the service compares
        # against what is stored.
        stored = Trajectory.objects.get(pk=trajectory.pk)
        try:
            services.trajectory_update(trajectory=stored, by=actor, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The trajectory was updated."))
            return redirect("coaching:candidate", trajectory.candidate_id)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, form, trajectory.candidate, _("Change trajectory"), status)


@require_role()
def task_create(request: HttpRequest, trajectory_id: str) -> HttpResponse:
    actor = _actor(request)
    trajectory = get_trajectory_for_actor(actor, trajectory_id)
    _manager(request)
    instance = Task(organisation_id=trajectory.organisation_id, candidate=trajectory.candidate)
    form = TaskForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_create(trajectory=trajectory, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The task was added."))
            return redirect("coaching:candidate", trajectory.candidate_id)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, form, trajectory.candidate, _("New task"), status)


@require_role()
def note_create(request: HttpRequest, candidate_id: str) -> HttpResponse:
    actor = _actor(request)
    profile = get_candidate_for_actor(actor, candidate_id)
    _manager(request)
    instance = Note(organisation_id=profile.organisation_id, candidate=profile, author=actor)
    form = NoteForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_create(candidate=profile, author=actor, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The note was added."))
            return redirect("coaching:candidate", profile.pk)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, form, profile, _("New note"), status)


@require_role()
def appointment_create(request: HttpRequest, candidate_id: str) -> HttpResponse:
    actor = _actor(request)
    profile = get_candidate_for_actor(actor, candidate_id)
    _manager(request)
    instance = Appointment(organisation_id=profile.organisation_id, candidate=profile)
    form = AppointmentForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_create(candidate=profile, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The appointment was added."))
            return redirect("coaching:candidate", profile.pk)
    status = 400 if request.method == "POST" else 200
    return _form_page(request, form, profile, _("New appointment"), status)


def _task_answer(request: HttpRequest, task: Task, status: int = 200) -> HttpResponse:
    """htmx: the task itself and, out of band, the progress bar. Otherwise: back."""
    actor = _actor(request)
    if request.htmx:  # type: ignore[attr-defined]
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
@require_POST
def task_toggle(request: HttpRequest, task_id: str) -> HttpResponse:
    task = get_task_for_actor(_actor(request), task_id)
    task = services.task_set_done(task=task, done=request.POST.get("done") == "1")
    return _task_answer(request, task)


@require_role()
@require_POST
def task_progress(request: HttpRequest, task_id: str) -> HttpResponse:
    task = get_task_for_actor(_actor(request), task_id)
    form = TaskProgressForm(request.POST)
    if not form.is_valid():
        return _task_answer(request, task, status=400)
    task = services.task_set_progress(task=task, progress=form.cleaned_data["progress"])
    return _task_answer(request, task)
