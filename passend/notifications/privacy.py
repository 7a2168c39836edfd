"""Data map of notifications: what a person is told, and which e-mails they want.

A notification is about its recipient: it holds the kind of event, a few
short details (a task's title, a date), a link and when it was read. It is
kept 90 days and deleted with the person's data. Candidates' names are never
put in a notification: an employer is told that a profile was shared, and
the link leads to it only while the share lasts.
"""

from __future__ import annotations

from datetime import timedelta

from passend.notifications.models import Notification, NotificationPreference
from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    Erasure,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    declare,
    personal_shape,
)

CREATED_90_DAYS = Retention(
    trigger=Trigger.CREATED, period=timedelta(days=90), action=RetentionAction.DELETE
)
MEMBERSHIP_ENDED_30_DAYS = Retention(
    trigger=Trigger.MEMBERSHIP_ENDED, period=timedelta(days=30), action=RetentionAction.DELETE
)

_notice = personal_shape(
    subject=Subject.USER,
    purposes=(Purpose.ACCOUNT,),
    basis=Basis.CONTRACT,
    retention=CREATED_90_DAYS,
    recipients=("hosting", "email"),
    erasure=Erasure.DELETE,
)

_setting = personal_shape(
    subject=Subject.USER,
    purposes=(Purpose.ACCOUNT,),
    basis=Basis.CONTRACT,
    retention=MEMBERSHIP_ENDED_30_DAYS,
    recipients=("hosting",),
    erasure=Erasure.DELETE,
)

declare(
    Notification,
    subject_field="recipient",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _notice("passend.record_metadata"),
        "updated_at": _notice("passend.record_metadata"),
        "recipient": _notice("user.unique_id"),
        "kind": _notice("user.account.settings"),
        "params": _notice("user.content.private"),
        "link": _notice("user.unique_id"),
        "dedupe_key": _notice("user.unique_id"),
        "read_at": _notice("user.behavior"),
        "emailed_at": _notice("passend.record_metadata"),
    },
)

declare(
    NotificationPreference,
    subject_field="membership",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _setting("passend.record_metadata"),
        "updated_at": _setting("passend.record_metadata"),
        "membership": _setting("user.unique_id"),
        "email_kinds": _setting("user.account.settings"),
    },
)
