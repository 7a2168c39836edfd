"""Who may see and change coaching data; 404 for "missing" and "not yours" alike.

Candidates see their own trajectories, tasks, shared notes and appointments
and may tick and update their own tasks. Career advisors and admins of the
organisation manage everything. Employers see none of it: coaching is never
part of what a candidate shares with an employer.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from passend.candidates.access import get_candidate_for_editor
from passend.candidates.models import CandidateProfile
from passend.coaching.models import Appointment, Task, Trajectory
from passend.common.adapters import get_or_404
from passend.tenancy.models import Membership, Role

MANAGERS = (Role.ADMIN, Role.PROFESSIONAL)


def may_manage(actor: Membership) -> bool:
    """Career advisors and admins manage the coaching of every candidate of the organisation."""
    return actor.role in MANAGERS


def _check_candidate(actor: Membership, candidate: CandidateProfile) -> None:
    if actor.role == Role.CANDIDATE and candidate.membership_id == actor.pk:
        return
    if may_manage(actor):
        return
    raise Http404


def get_candidate_for_actor(actor: Membership, candidate_id: Any) -> CandidateProfile:
    """The profile's own rules without the employer share: coaching is never shared."""
    return get_candidate_for_editor(actor, candidate_id)


def own_candidate_profile(actor: Membership) -> CandidateProfile | None:
    """The signed-in candidate's own profile, if it exists yet."""
    if actor.role != Role.CANDIDATE:
        return None
    return CandidateProfile.objects.filter(membership=actor).first()


def get_trajectory_for_actor(actor: Membership, trajectory_id: Any) -> Trajectory:
    if actor.role not in (*MANAGERS, Role.CANDIDATE):
        raise Http404
    trajectory: Trajectory = get_or_404(
        Trajectory.objects.select_related("candidate__membership__user"), trajectory_id
    )
    _check_candidate(actor, trajectory.candidate)
    return trajectory


def get_task_for_actor(actor: Membership, task_id: Any) -> Task:
    if actor.role not in (*MANAGERS, Role.CANDIDATE):
        raise Http404
    task: Task = get_or_404(Task.objects.select_related("candidate", "plan"), task_id)
    _check_candidate(actor, task.candidate)
    return task


def get_appointment_for_actor(actor: Membership, appointment_id: Any) -> Appointment:
    """The candidate's own appointments; every appointment for advisors and admins."""
    if actor.role not in (*MANAGERS, Role.CANDIDATE):
        raise Http404
    appointment: Appointment = get_or_404(
        Appointment.objects.select_related("candidate"), appointment_id
    )
    _check_candidate(actor, appointment.candidate)
    return appointment
