"""Background work of the request desk (run by `requests.tasks`): delivering an
export the desk prepared, and the deadline reminders. Both are idempotent:
a repeated or redelivered task sends nothing twice.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from passend.common.scope import current_organisation, organisation_scope
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import record
from passend.privacy.requests import deadlines
from passend.privacy.requests.models import (
    OPEN_STATUSES,
    DataSubjectRequest,
    MessageKind,
    RequestMessage,
)
from passend.privacy.requests.notify import (
    PURPOSE,
    admin_addresses,
    audit_request,
    mail_later,
    site_link,
    tell_person,
)
from passend.privacy.rights import services as rights_services
from passend.privacy.rights.jobs import export_build
from passend.privacy.rights.models import ExportJob, ExportStatus
from passend.tenancy.models import Membership, Organisation


def request_export_deliver(*, request_id: str, job_id: str) -> RequestMessage | None:
    """Build the export (if still queued) and send the person its link, once.

    Runs in the request's organisation scope (the task opens it). Idempotent:
    a job that is not ready, or whose link was sent already, is left alone.
    Returns the message recorded on the request, or None.
    """
    export_build(job_id=job_id)
    with transaction.atomic():
        organisation = current_organisation()
        job = (
            ExportJob.objects.select_for_update()
            .select_related("user")
            .filter(pk=job_id, organisation_id=organisation.pk)
            .first()
        )
        if job is None or job.status != ExportStatus.READY or job.token_hash:
            return None
        req = (
            DataSubjectRequest.objects.select_related("membership__user", "organisation")
            .filter(pk=request_id)
            .first()
        )
        if req is None or req.membership is None or req.membership.user_id != job.user_id:
            return None
        token = rights_services.export_link_create(job=job)
        return _tell_export_ready(req, job, token)


def _tell_export_ready(req: DataSubjectRequest, job: ExportJob, token: str) -> RequestMessage:
    """E-mail the link to the account's address; keep the message, without the link."""
    user: Any = job.user
    by = (
        Membership.objects.filter(user_id=job.requested_by_user_id).first()
        if job.requested_by_user_id
        else None
    )
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        expires = date_format(timezone.localtime(job.expires_at), "DATETIME_FORMAT")
        body = _(
            "%(org)s prepared a copy of the personal data it holds about you (%(scope)s). "
            "We e-mailed a download link to the address of your account. The link works "
            "once, only when you are signed in to your account, and until %(until)s."
        ) % {"org": req.organisation.name, "scope": job.get_scope_display(), "until": expires}
        message = tell_person(
            req,
            kind=MessageKind.EXPORT,
            body=body,
            by=by,
            subject=_("Your data from %(org)s is ready to download")
            % {"org": req.organisation.name},
            to=user.email,
            template="requests/email/export_ready.txt",
            extra={
                "link": site_link(reverse("rights:download", kwargs={"token": token})),
                "name": user.name or user.email,
            },
        )
    audit_request(
        req,
        action=Action.UPDATE,
        fields=[],
        detail="export download link sent to the account address of the person",
        by=by,
    )
    return message


def _remind_organisation(organisation: Organisation, today: date) -> int:
    due = []
    with organisation_scope(organisation), transaction.atomic():
        horizon = today + timedelta(days=deadlines.DUE_SOON_DAYS)
        candidates = (
            DataSubjectRequest.objects.select_for_update()
            .filter(status__in=OPEN_STATUSES)
            .order_by("due_on", "received_at")
        )
        for req in candidates:
            if req.deadline > horizon:
                continue
            reminder = deadlines.reminder_due(req.deadline, today)
            key = f"{req.deadline.isoformat()}:{reminder}"
            if reminder is None or key in req.reminders_sent:
                continue
            req.reminders_sent = [*req.reminders_sent, key]
            req.save(update_fields=["reminders_sent", "updated_at"])
            record(
                action=Action.UPDATE,
                target=req,
                fields=["reminders_sent"],
                purpose=PURPOSE,
                detail=f"deadline reminder sent ({reminder})",
                organisation=organisation,
            )
            due.append(
                {
                    "request": req,
                    "reminder": reminder,
                    "days_late": max(0, -deadlines.days_left(req.deadline, today)),
                    "link": site_link(reverse("requests:detail", args=[req.pk])),
                }
            )
        if due:
            context = {"organisation": organisation, "due": due, "today": today}
            subject = _("Data-subject requests of %(org)s need an answer") % {
                "org": organisation.name
            }
            mail_later(subject, "requests/email/reminder.txt", context, admin_addresses())
    return len(due)


def requests_remind(*, today: date | None = None) -> int:
    """E-mail each organisation's admins about requests due within 7 days, within
    1 day, or overdue: each reminder once per deadline. Returns how many."""
    today = today or timezone.localdate()
    organisations = Organisation.objects.filter(is_active=True).order_by("pk")
    return sum(_remind_organisation(organisation, today) for organisation in organisations)
