"""Data map of matching (docs/matching.md, P1 and P6).

The index holds features derived from a candidate's profile: personal like the
profile, and deleted with it. A candidate's job preferences are what they tell
us. The ranking log records every ranking shown (AI Act Art. 12: automatic
logs; Art. 26(6): a deployer keeps them at least six months): who asked,
when, with which model and data, and each result with its explanation. It is
kept six months, then deleted; the candidate sees it on "my data".
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from passend.candidates.privacy import MEMBERSHIP_ENDED_30_DAYS
from passend.matching.models import (
    CandidateIndex,
    JobPreference,
    Ranking,
    RankingEntry,
    VacancyIndex,
)
from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    Erasure,
    NotPersonal,
    Personal,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    declare,
    personal_shape,
)
from passend.privacy.datamap.vocabulary import register_category

register_category("passend.match_features", _("what matching derives from your profile"))
register_category("passend.work_preferences", _("your wishes for work: hours and travel"))
register_category("passend.ranking", _("where you were ranked for a vacancy, and why"))

# AI Act Art. 26(6): logs of a high-risk system are kept at least six months.
RANKING_LOG = Retention(
    trigger=Trigger.CREATED,
    period=timedelta(days=183),
    action=RetentionAction.DELETE,
    legal_obligation="AI Act (EU 2024/1689) Art. 26(6)",
)

_derived = personal_shape(
    subject=Subject.CANDIDATE,
    purposes=(Purpose.MEDIATION,),
    basis=Basis.LEGITIMATE_INTERESTS,
    retention=MEMBERSHIP_ENDED_30_DAYS,
    recipients=("hosting",),
    erasure=Erasure.DELETE,
)
_wish = personal_shape(
    subject=Subject.CANDIDATE,
    purposes=(Purpose.MEDIATION,),
    basis=Basis.CONTRACT,
    retention=MEMBERSHIP_ENDED_30_DAYS,
    recipients=("hosting",),
    erasure=Erasure.DELETE,
)
_log = personal_shape(
    subject=Subject.CANDIDATE,
    purposes=(Purpose.MEDIATION, Purpose.SECURITY),
    basis=Basis.LEGAL_OBLIGATION,
    retention=RANKING_LOG,
    recipients=("hosting",),
    erasure=Erasure.DELETE,
)
ASKED_BY = Personal(
    subject=Subject.USER,
    category="user.unique_id",
    purposes=(Purpose.SECURITY,),
    basis=Basis.LEGAL_OBLIGATION,
    retention=RANKING_LOG,
    recipients=("hosting",),
    erasure=Erasure.ANONYMISE,
)

declare(
    CandidateIndex,
    subject_field="profile",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _derived("passend.record_metadata"),
        "updated_at": _derived("passend.record_metadata"),
        "profile": _derived("user.unique_id"),
        "vector": _derived("passend.match_features"),
        "model_id": NotPersonal("The name and version of the model."),
        "features": _derived("passend.match_features"),
        "text_truncated": _derived("passend.match_features"),
        "indexed_at": _derived("passend.record_metadata"),
    },
)

VACANCY = NotPersonal("Derived from a vacancy: what an employer offers.")
declare(
    VacancyIndex,
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "vacancy": VACANCY,
        "vector": VACANCY,
        "model_id": VACANCY,
        "features": VACANCY,
        "text_truncated": VACANCY,
        "indexed_at": VACANCY,
    },
)

declare(
    JobPreference,
    subject_field="profile",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _wish("passend.record_metadata"),
        "updated_at": _wish("passend.record_metadata"),
        "profile": _wish("user.unique_id"),
        "occupations": _wish("user.job_title"),
        "max_distance_km": _wish("passend.work_preferences"),
        "hours_min": _wish("passend.work_preferences"),
        "hours_max": _wish("passend.work_preferences"),
    },
)

declare(
    Ranking,
    subject_field="candidate",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _log("passend.record_metadata"),
        "updated_at": _log("passend.record_metadata"),
        "direction": _log("passend.ranking"),
        "vacancy": _log("passend.ranking"),
        "candidate": _log("user.unique_id"),
        "requested_by": ASKED_BY,
        "requested_at": _log("passend.ranking"),
        "model_id": NotPersonal("The name and version of the model."),
        "data_version": NotPersonal("Which ESCO load and index state the ranking used."),
        "considered": _log("passend.ranking"),
    },
)

declare(
    RankingEntry,
    subject_field="candidate",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _log("passend.record_metadata"),
        "updated_at": _log("passend.record_metadata"),
        "ranking": _log("passend.ranking"),
        "candidate": _log("user.unique_id"),
        "vacancy": _log("passend.ranking"),
        "position": _log("passend.ranking"),
        "score": _log("passend.ranking"),
        "explanation": _log("passend.ranking"),
    },
)
