"""A person's own notifications only: another's is a 404, like a missing one."""

from __future__ import annotations

from typing import Any

from passend.common.adapters import get_or_404
from passend.notifications.models import Notification
from passend.tenancy.models import Membership


def get_notification_for_actor(actor: Membership, notification_id: Any) -> Notification:
    notification: Notification = get_or_404(
        Notification.objects.filter(recipient=actor).select_related("recipient"),
        notification_id,
    )
    return notification
