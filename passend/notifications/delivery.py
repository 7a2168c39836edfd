"""The background job that e-mails a notification. `services.notify` enqueues
it after commit, with ids only; the work is in `mail.py`.

It lives outside `tasks.py` because `tasks.py` holds the beat jobs, which
create notifications through `services` (which enqueues this one): keeping
them apart keeps the imports one way.
"""

from __future__ import annotations

from celery import shared_task

from passend.common.scope import organisation_scope
from passend.notifications.mail import notification_email_send
from passend.tenancy.models import Organisation


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_notification_email(organisation_id: str, notification_id: str) -> str:
    """E-mail one notification. Idempotent: a notification is e-mailed once."""
    organisation = Organisation.objects.filter(pk=organisation_id, is_active=True).first()
    if organisation is None:
        return "skipped"
    with organisation_scope(organisation):
        sent = notification_email_send(notification_id=notification_id)
    return "sent" if sent else "skipped"
