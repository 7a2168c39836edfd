"""Restrictions and objections in the data map.

A row is the controller's proof that it honoured the person's right (GDPR
Art. 5(2), 18 and 21), so, like a consent record (passend/privacy/consent),
it is kept on the basis of that obligation and outlives the lifting or
withdrawal by five years, the limitation period of claims about the
processing (BW art. 3:310).

Unlike a consent record, erasure deletes it: once the person's data is
erased there is nothing left to restrict or object to, and keeping "this
person objected to the newsletter" would keep the very data they asked us to
erase. What remains is the audit trail's event for each step (names of
fields and dates, never their values), which is the proof that the right was
honoured. The rows also go with the membership (on_delete=CASCADE).
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
from passend.privacy.restriction.models import Objection, Restriction

KEPT_AS_PROOF = Retention(
    trigger=Trigger.EXPIRED,  # lifted or withdrawn
    period=timedelta(days=5 * 365),
    action=RetentionAction.DELETE,
    legal_obligation=gettext_noop(
        "GDPR Art. 5(2), 18 and 21 (the controller must show it honoured the right)"
    ),
)


def _proof(category: str, subject: Subject = Subject.USER, *, sensitive: bool = False) -> Personal:
    return Personal(
        subject=subject,
        category=category,
        sensitive=sensitive,
        purposes=(Purpose.LEGAL_OBLIGATION,),
        basis=Basis.LEGAL_OBLIGATION,
        retention=KEPT_AS_PROOF,
        recipients=("hosting",),
        erasure=Erasure.DELETE,
    )


declare(
    Restriction,
    subject_field="membership",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _proof("passend.record_metadata"),
        "updated_at": _proof("passend.record_metadata"),
        "membership": _proof("user.unique_id"),
        "reason": _proof("user.account.settings"),
        # Free text in the person's own words, which may tell of their health.
        "note": _proof("passend.request_text", sensitive=True),
        "started_at": _proof("passend.record_metadata"),
        # Who acted: the person themselves or an administrator of the organisation.
        "started_by": _proof("user.unique_id"),
        "lifted_at": _proof("passend.record_metadata"),
        "lifted_by": _proof("user.unique_id"),
        "lift_notified_at": _proof("passend.record_metadata"),
    },
)

declare(
    Objection,
    subject_field="membership",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _proof("passend.record_metadata"),
        "updated_at": _proof("passend.record_metadata"),
        "membership": _proof("user.unique_id"),
        "purpose": _proof("user.account.settings"),
        "made_at": _proof("passend.record_metadata"),
        # Who recorded it: the person themselves or an administrator of the organisation.
        "made_by": _proof("user.unique_id"),
        "withdrawn_at": _proof("passend.record_metadata"),
    },
)
