"""The e-mail of one notification (run by `delivery.send_notification_email`).

Rendered in the recipient's preferred language, with the attachment the
owning app registered for the kind (an appointment's `.ics`). Sent once:
`emailed_at` is set in the same transaction that sends it, so a repeated or
redelivered task finds it set and sends nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from passend.notifications.kinds import message
from passend.notifications.models import Notification
from passend.notifications.registry import attachment_for


def site_link(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path if path else ""


def notification_email_send(*, notification_id: str) -> bool:
    """E-mail the notification to its recipient once; True when it was sent now.

    Runs in the notification's organisation scope (the task opens it).
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient__user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        user: Any = notification.recipient.user
        if not notification.recipient.is_active or not user.is_active or not user.email:
            return False
        language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            text = message(notification.kind, notification.params)
            body = render_to_string(
                "notifications/email/notification.txt",
                {
                    "name": user.name or user.email,
                    "text": text,
                    "link": site_link(notification.link),
                    "preferences": site_link(reverse("notifications:preferences")),
                },
            )
            email = EmailMessage(
                subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{text}",
                body=body,
                to=[user.email],
            )
            attachment = attachment_for(notification)
        if attachment is not None:
            email.attach(*attachment)
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at", "updated_at"])
        email.send()
    return True
