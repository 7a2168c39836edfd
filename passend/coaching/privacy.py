"""Data map of coaching (P1): trajectories, plans, tasks, notes, appointments."""

from datetime import timedelta

from passend.coaching.models import (
    ActionPlan,
    Appointment,
    Note,
    Task,
    Trajectory,
    TrajectoryEvent,
)
from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    Erasure,
    NotPersonal,
    Personal,
    Protection,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    declare,
)
from passend.privacy.rights.corrections import register_self_edit
from passend.tenancy.models import Role

MEMBERSHIP_ENDED_30_DAYS = Retention(
    trigger=Trigger.MEMBERSHIP_ENDED, period=timedelta(days=30), action=RetentionAction.DELETE
)


def _coaching(category: str = "passend.coaching") -> Personal:
    return Personal(
        subject=Subject.CANDIDATE,
        category=category,
        purposes=(Purpose.COACHING,),
        basis=Basis.CONTRACT,
        retention=MEMBERSHIP_ENDED_30_DAYS,
        recipients=("hosting",),
        erasure=Erasure.DELETE,
    )


def _free_text() -> Personal:
    """What advisors and candidates write about the coaching: it may tell of
    health or other special categories, so it is sensitive and encrypted."""
    return Personal(
        subject=Subject.CANDIDATE,
        category="passend.coaching_notes",
        purposes=(Purpose.COACHING,),
        basis=Basis.CONTRACT,
        sensitive=True,
        retention=MEMBERSHIP_ENDED_30_DAYS,
        recipients=("hosting",),
        erasure=Erasure.DELETE,
    )


BASE: dict[str, Personal | NotPersonal] = {
    "id": NOT_PERSONAL,
    "organisation": NOT_PERSONAL,
    "created_at": _coaching("passend.record_metadata"),
    "updated_at": _coaching("passend.record_metadata"),
}

declare(
    Trajectory,
    subject_field="candidate",
    fields={
        **BASE,
        "candidate": _coaching("user.unique_id"),
        "goal": _coaching(),
        # Which scheme a trajectory runs under tells of benefits or work
        # disability (doelgroepregister): sensitive, like the profile's schemes.
        # A foreign key to the organisation's list of schemes cannot be
        # encrypted: a known gap, declared as such (docs/datamap.md).
        "scheme": Personal(
            subject=Subject.CANDIDATE,
            category="passend.schemes",
            purposes=(Purpose.COACHING,),
            basis=Basis.CONTRACT,
            sensitive=True,
            protection=Protection.UNENCRYPTED_REFERENCE,
            retention=MEMBERSHIP_ENDED_30_DAYS,
            recipients=("hosting",),
            erasure=Erasure.DELETE,
        ),
        "status": _coaching(),
        "start_date": _coaching(),
        "end_date": _coaching(),
        "professional": _coaching(),
    },
)

declare(
    TrajectoryEvent,
    subject_field="trajectory",
    fields={
        **BASE,
        "trajectory": _coaching("user.unique_id"),
        "status": _coaching(),
        "by": _coaching(),
    },
)

declare(
    ActionPlan,
    subject_field="trajectory",
    fields={
        **BASE,
        "trajectory": _coaching("user.unique_id"),
        "summary": _free_text(),
    },
)

declare(
    Task,
    subject_field="candidate",
    fields={
        **BASE,
        "plan": _coaching("user.unique_id"),
        "candidate": _coaching("user.unique_id"),
        "title": _coaching(),
        "description": _free_text(),
        "assignee": _coaching(),
        "due_date": _coaching(),
        "progress": _coaching(),
        "done_at": _coaching(),
    },
)

declare(
    Note,
    subject_field="candidate",
    fields={
        **BASE,
        "candidate": _coaching("user.unique_id"),
        "author": _coaching(),
        "text": _free_text(),
        "visibility": _coaching(),
    },
)

declare(
    Appointment,
    subject_field="candidate",
    fields={
        **BASE,
        "candidate": _coaching("user.unique_id"),
        "starts_at": _coaching(),
        "duration_minutes": _coaching(),
        "place": _coaching(),
        "online_link": _coaching("user.contact.url"),
        "professional": _coaching(),
        "with_whom": _coaching(),
        "notes": _free_text(),
    },
)


# --- corrections (GDPR Art. 16): the candidate keeps their tasks' progress.
register_self_edit(
    Task._meta.label,
    url_name="coaching:me",
    fields=("progress", "done_at"),
    roles=(Role.CANDIDATE,),
)
