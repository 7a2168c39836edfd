"""The beat job that tells an organisation's admins that a privacy request's
legal deadline is near (run by `tasks.notify_request_deadlines`).

Each admin is notified once per request and deadline, `NOTICE_DAYS` days
before it (or at the first run after that, when the job did not run on the
day): the notification's once-only key holds the deadline, so an extension
(a new deadline) notifies again and a second run finds the key taken.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from passend.common.scope import organisation_scope
from passend.notifications.models import Kind
from passend.notifications.services import notify_many
from passend.privacy.requests import deadlines
from passend.privacy.requests.models import OPEN_STATUSES, DataSubjectRequest
from passend.tenancy.models import Membership, Organisation, Role

NOTICE_DAYS = deadlines.DUE_SOON_DAYS


def _notify_organisation(organisation: Organisation, today: date) -> int:
    made = 0
    with organisation_scope(organisation), transaction.atomic():
        admins = list(Membership.objects.filter(role=Role.ADMIN, is_active=True))
        if not admins:
            return 0
        for req in DataSubjectRequest.objects.filter(status__in=OPEN_STATUSES).order_by("due_on"):
            deadline = req.deadline
            if deadlines.days_left(deadline, today) > NOTICE_DAYS:
                continue
            made += len(
                notify_many(
                    recipients=admins,
                    kind=Kind.REQUEST_DEADLINE,
                    params={"deadline": deadline.isoformat()},
                    link=reverse("requests:detail", args=[req.pk]),
                    dedupe_key=f"request-deadline:{req.pk}:{deadline.isoformat()}",
                )
            )
    return made


def request_deadlines_notify(*, today: date | None = None) -> int:
    """Notify admins of open requests due within `NOTICE_DAYS` days; how many notifications."""
    today = today or timezone.localdate()
    organisations = Organisation.objects.filter(is_active=True).order_by("pk")
    return sum(_notify_organisation(organisation, today) for organisation in organisations)
