"""The beat job that tells people of their tasks due tomorrow (run by
`tasks.notify_tasks_due_tomorrow`): once per task and due date, by the
notification's once-only key, so a second run tells nobody again.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from passend.coaching.models import Task
from passend.coaching.notices import task_notify
from passend.common.scope import organisation_scope
from passend.notifications.models import Kind
from passend.tenancy.models import Organisation


def _notify_organisation(organisation: Organisation, tomorrow: date) -> int:
    with organisation_scope(organisation), transaction.atomic():
        tasks = (
            Task.objects.filter(done_at__isnull=True, due_date=tomorrow)
            .select_related("candidate", "plan__trajectory")
            .order_by("pk")
        )
        return sum(1 for task in tasks if task_notify(task, kind=Kind.TASK_DUE) is not None)


def tasks_due_notify(*, today: date | None = None) -> int:
    """Notify each open task due tomorrow once; how many notifications were made."""
    tomorrow = (today or timezone.localdate()) + timedelta(days=1)
    organisations = Organisation.objects.filter(is_active=True).order_by("pk")
    return sum(_notify_organisation(organisation, tomorrow) for organisation in organisations)
