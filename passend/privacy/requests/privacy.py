"""What the request desk holds about people, for the data map.

A request, its messages and the platform's unrouted requests are the
controller's proof that it handled a person's rights (GDPR Art. 12 and the
accountability of Art. 5(2)). They are kept for two years after the request
is closed; a request closes within three months of receipt, so the rule is
written as two years and three months from receipt (the vocabulary has no
"request closed" trigger). An erasure keeps what proves the handling (who
asked, what kind, when, what was answered and by whom) and deletes what the
proof does not need: the person's own wording of the request, and for a
rectification the record id and the value they proposed.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_noop

from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    Erasure,
    Personal,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    declare,
)
from passend.privacy.requests.models import DataSubjectRequest, RequestMessage, UnroutedRequest

LAW = gettext_noop(
    "GDPR Art. 12 and 5(2) (accountability for the handling of data-subject requests)"
)

KEPT_AFTER_CLOSING = Retention(
    trigger=Trigger.CREATED,
    period=timedelta(days=2 * 365 + 92),
    action=RetentionAction.DELETE,
    legal_obligation=LAW,
)


META = "passend.record_metadata"
# Free text: what the person asks or disputes, and what is answered. People
# explain their request with their health, benefits or disputes at work: it
# is sensitive, and encrypted with the organisation's key (the platform's key
# for a request addressed to no organisation).
TEXT = "passend.request_text"


def _field(category: str, *, erasure: str = Erasure.KEEP, email: bool = False) -> Personal:
    recipients = ("hosting", "email") if email else ("hosting",)
    # What is e-mailed to the person also serves SUPPORT (answering them): the
    # e-mail recipient is not registered for LEGAL_OBLIGATION (yet).
    purposes = (Purpose.LEGAL_OBLIGATION, Purpose.SUPPORT) if email else (Purpose.LEGAL_OBLIGATION,)
    return Personal(
        subject=Subject.USER,
        category=category,
        sensitive=category == TEXT,
        purposes=purposes,
        basis=Basis.LEGAL_OBLIGATION,
        retention=KEPT_AFTER_CLOSING,
        recipients=recipients,
        erasure=erasure,  # type: ignore[arg-type]
    )


def _kept(category: str, *, email: bool = False) -> Personal:
    return _field(category, email=email)


def _erased(category: str) -> Personal:
    return _field(category, erasure=Erasure.DELETE)


declare(
    DataSubjectRequest,
    subject_field="user",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _kept(META),
        "updated_at": _kept(META),
        "kind": _kept(META),
        "channel": _kept(META),
        # Who asked and where the answer went: the core of the proof.
        "requester_name": _kept("user.name", email=True),
        "requester_email": _kept("user.contact.email", email=True),
        "user": _kept("user.unique_id"),
        "membership": _kept("user.unique_id"),
        # The person's own words and, for a rectification, the value they
        # proposed: needed to handle the request, not to prove it was handled.
        "description": _erased(TEXT),
        "disputed_model": _kept(META),
        "disputed_field": _kept(META),
        "disputed_object_id": _erased("user.unique_id"),
        "proposed_value": _erased(TEXT),
        "identity_status": _kept(META),
        "identity_checked_at": _kept(META),
        "identity_checked_by": _kept("user.unique_id"),
        "status": _kept(META),
        "received_at": _kept(META),
        "due_on": _kept(META),
        "extended_until": _kept(META),
        "extension_reason": _kept(TEXT, email=True),
        "extension_notified_at": _kept(META),
        # What the organisation answered is what it must be able to show.
        "reply": _kept(TEXT, email=True),
        "answered_at": _kept(META),
        "answered_by": _kept("user.unique_id"),
        "reminders_sent": _kept(META),
    },
)

declare(
    RequestMessage,
    subject_field="request",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _kept(META),
        "updated_at": _kept(META),
        "request": _kept(META),
        "kind": _kept(META),
        "body": _kept(TEXT, email=True),
        "sent_to": _kept("user.contact.email", email=True),
        "sent_at": _kept(META),
        "sent_by": _kept("user.unique_id"),
    },
)

# No subject field: by definition no organisation knows the address, and the
# platform does not look for an account behind it.
declare(
    UnroutedRequest,
    fields={
        "id": NOT_PERSONAL,
        "created_at": _kept(META),
        "updated_at": _kept(META),
        "requester_name": _kept("user.name", email=True),
        "requester_email": _kept("user.contact.email", email=True),
        "kind": _kept(META),
        "description": _erased(TEXT),
        "received_at": _kept(META),
        "due_on": _kept(META),
        "status": _kept(META),
        "reply": _kept(TEXT, email=True),
        "answered_at": _kept(META),
        "answered_by": _kept("user.unique_id"),
    },
)
