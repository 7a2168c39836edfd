"""Data map of candidate and worker profiles (see docs/datamap.md)."""

from datetime import timedelta

from passend.candidates.models import CandidateProfile
from passend.privacy.datamap import (
    NOT_PERSONAL,
    Action,
    Basis,
    Erasure,
    Personal,
    Purpose,
    Retention,
    Subject,
    Trigger,
    declare,
)

MEMBERSHIP_ENDED_30_DAYS = Retention(
    trigger=Trigger.MEMBERSHIP_ENDED, period=timedelta(days=30), action=Action.DELETE
)


def _profile(category: str) -> Personal:
    return Personal(
        subject=Subject.CANDIDATE,
        category=category,
        purposes=(Purpose.MEDIATION, Purpose.COACHING),
        basis=Basis.CONTRACT,
        retention=MEMBERSHIP_ENDED_30_DAYS,
        recipients=("hosting",),
        erasure=Erasure.DELETE,
    )


declare(
    CandidateProfile,
    subject_field="membership",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _profile("passend.record_metadata"),
        "updated_at": _profile("passend.record_metadata"),
        "membership": _profile("user.unique_id"),
        "is_worker": _profile("user.job_title"),
    },
)
