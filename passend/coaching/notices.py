"""What coaching tells people (passend.notifications): a new or changed
appointment to the candidate, a new task to whoever it is for, a task due
tomorrow. Called by the services in their own transaction; the `.ics` file
of an appointment is registered as the attachment of its e-mails.
"""

from __future__ import annotations

from django.urls import reverse

from passend.coaching.calendar import MIME_TYPE, appointment_ics, filename
from passend.coaching.models import Appointment, Assignee, Task
from passend.notifications.models import Kind, Notification
from passend.notifications.registry import Attachment, register_attachment
from passend.notifications.services import notify
from passend.tenancy.models import Membership, Organisation


def appointment_notify(appointment: Appointment, *, changed: bool = False) -> Notification | None:
    """Tell the candidate of a new or changed appointment."""
    return notify(
        recipient=Membership.objects.get(pk=appointment.candidate.membership_id),
        kind=Kind.APPOINTMENT_CHANGED if changed else Kind.APPOINTMENT_PLANNED,
        params={"when": appointment.starts_at.isoformat(), "appointment": str(appointment.pk)},
        link=reverse("coaching:me"),
    )


def _assignee_of(task: Task) -> Membership | None:
    if task.assignee == Assignee.CANDIDATE:
        return Membership.objects.get(pk=task.candidate.membership_id)
    professional_id = task.plan.trajectory.professional_id
    return Membership.objects.filter(pk=professional_id).first() if professional_id else None


def task_link(task: Task, recipient: Membership) -> str:
    if recipient.pk == task.candidate.membership_id:
        return reverse("coaching:me")
    return reverse("coaching:candidate", args=[task.candidate_id])


def task_notify(task: Task, *, kind: str = Kind.TASK_ASSIGNED) -> Notification | None:
    """Tell whoever the task is for: the candidate, or the trajectory's advisor."""
    recipient = _assignee_of(task)
    if recipient is None:
        return None
    due_key = f"task-due:{task.pk}:{task.due_date.isoformat()}" if task.due_date else ""
    return notify(
        recipient=recipient,
        kind=kind,
        params={
            "title": task.title,
            "due": task.due_date.isoformat() if task.due_date else "",
        },
        link=task_link(task, recipient),
        dedupe_key=due_key if kind == Kind.TASK_DUE else "",
    )


def _ics_attachment(notification: Notification) -> Attachment | None:
    appointment = (
        Appointment.objects.filter(pk=notification.params.get("appointment")).first()
        if notification.params.get("appointment")
        else None
    )
    if appointment is None:
        return None
    organisation = Organisation.objects.get(pk=appointment.organisation_id)
    content = appointment_ics(appointment, organisation_name=organisation.name)
    return (filename(appointment), content, MIME_TYPE)


def register() -> None:
    """Called from `CoachingConfig.ready()`."""
    register_attachment(Kind.APPOINTMENT_PLANNED, _ics_attachment)
    register_attachment(Kind.APPOINTMENT_CHANGED, _ics_attachment)
