"""Attachments for the e-mail of a kind, registered by the app that owns the
data (registrations point up, imports point down): coaching registers the
`.ics` file of an appointment, so this app never imports coaching.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from passend.notifications.models import Notification

# (file name, content, MIME type), or None when there is nothing to attach.
Attachment = tuple[str, bytes, str]
AttachmentBuilder = Callable[["Notification"], Attachment | None]

_ATTACHMENTS: dict[str, AttachmentBuilder] = {}


def register_attachment(kind: str, builder: AttachmentBuilder) -> None:
    """Attach `builder(notification)` to the e-mails of `kind`."""
    _ATTACHMENTS[kind] = builder


def attachment_for(notification: Notification) -> Attachment | None:
    builder = _ATTACHMENTS.get(notification.kind)
    return builder(notification) if builder is not None else None
