"""What the audit trail holds about people, for the data map.

An event holds pseudonymous references (user and membership ids), a role,
what was done and when; never the values it is about. The basis is a legal
obligation (GDPR Art. 6(1)(c)): the controller must be able to demonstrate
compliance (Art. 5(2), 24) and keep processing secure (Art. 32), which for
access to BSN, IBAN and identity documents means knowing who saw them. That
basis matters twice: there is no right to object to it (Art. 21 covers only
6(1)(e) and (f)), and erasure keeps it (Art. 17(3)(b)). An audit trail that
its actors could have erased or objected away would prove nothing. What is
kept is pseudonymous; once the account is erased, the id refers to no one.
Events are removed by retention after two years (`audit_prune`).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_noop

from passend.privacy.audit.models import AuditChain, AuditEvent
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
    declare_not_personal,
)

RETENTION_PERIOD = timedelta(days=2 * 365)
LAW = gettext_noop("GDPR Art. 5(2), 24 and 32 (accountability and security of processing)")


def _kept(category: str) -> Personal:
    return Personal(
        subject=Subject.USER,
        category=category,
        purposes=(Purpose.SECURITY,),
        basis=Basis.LEGAL_OBLIGATION,
        sensitive=False,
        retention=Retention(
            trigger=Trigger.CREATED,
            period=RETENTION_PERIOD,
            action=RetentionAction.DELETE,
            legal_obligation=LAW,
        ),
        recipients=(),
        erasure=Erasure.KEEP,
    )


REFERENCE = "user.unique_id.pseudonymous"
OPERATION = "system.operations"

declare(
    AuditEvent,
    subject_field="subject_user_id",
    fields={
        "id": NOT_PERSONAL,
        "chain": NOT_PERSONAL,
        "sequence": NOT_PERSONAL,
        "prev_hash": NOT_PERSONAL,
        "hash": NOT_PERSONAL,
        "organisation_id": NOT_PERSONAL,
        "actor_kind": NOT_PERSONAL,
        "occurred_at": _kept(OPERATION),
        "actor_user_id": _kept(REFERENCE),
        "actor_membership_id": _kept(REFERENCE),
        "actor_role": _kept("user.authorization"),
        "action": _kept(OPERATION),
        "target_model": _kept(OPERATION),
        "target_id": _kept(REFERENCE),
        "subject_user_id": _kept(REFERENCE),
        "fields": _kept(OPERATION),
        "purpose": _kept(OPERATION),
        # record() refuses e-mail-, BSN- and IBAN-shaped text; services put
        # fixed phrases here ("role changed").
        "detail": NOT_PERSONAL,
    },
)

declare_not_personal(
    AuditChain,
    reason="the head of a hash chain: a chain key (an organisation id), counters and hashes",
)
