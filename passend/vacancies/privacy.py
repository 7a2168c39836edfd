"""Data map of vacancies (P1): what a vacancy says is about a company; who
wrote it and who changed its status is about a person, kept for
accountability and cleared, not deleted with the vacancy, when that person's
membership has ended."""

from __future__ import annotations

from datetime import timedelta

from passend.privacy.consent.models import ConsentPurpose
from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    Erasure,
    NotPersonal,
    Personal,
    Protection,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    declare,
)
from passend.vacancies.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationNote,
    PipelineStage,
    Proposal,
    PublicApplication,
    Vacancy,
    VacancyEvent,
    VacancySkill,
)

COMPANY = NotPersonal("What an employer offers: data of a company, not of a natural person.")

WHO_DID_IT = Personal(
    subject=Subject.USER,
    category="user.unique_id",
    purposes=(Purpose.MEDIATION, Purpose.SECURITY),
    basis=Basis.LEGITIMATE_INTERESTS,
    retention=Retention(
        trigger=Trigger.MEMBERSHIP_ENDED,
        period=timedelta(days=30),
        action=RetentionAction.ANONYMISE,
    ),
    recipients=("hosting",),
    erasure=Erasure.ANONYMISE,
)

# Who did it is an actor's reference to an account, not the row's subject:
# erasing that person clears it (SET_NULL) and leaves the company's vacancy.
declare(
    Vacancy,
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": COMPANY,
        "updated_at": COMPANY,
        "employer": COMPANY,
        "title": COMPANY,
        "occupation": COMPANY,
        "description": COMPANY,
        "education_level": COMPANY,
        "hours_per_week": COMPANY,
        "contract_type": COMPANY,
        "start_date": COMPANY,
        "end_date": COMPANY,
        "postcode": COMPANY,
        "city": COMPANY,
        "work_mode": COMPANY,
        "salary_min": COMPANY,
        "salary_max": COMPANY,
        "salary_period": COMPANY,
        "positions": COMPANY,
        "closing_date": COMPANY,
        "status": COMPANY,
        "published_at": COMPANY,
        "closed_at": COMPANY,
        "close_reason": COMPANY,
        "created_by": WHO_DID_IT,
    },
)

declare(
    VacancySkill,
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": COMPANY,
        "updated_at": COMPANY,
        "vacancy": COMPANY,
        "skill": COMPANY,
        "required": COMPANY,
    },
)

declare(
    VacancyEvent,
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": COMPANY,
        "updated_at": COMPANY,
        "vacancy": COMPANY,
        "status": COMPANY,
        "reason": COMPANY,
        "copied_from": COMPANY,
        "by": WHO_DID_IT,
    },
)


# --- Applications (P5 "application data") ----------------------------------
# Kept four weeks after the application closed (rejected, withdrawn), then
# deleted; a year when the candidate agreed, asked at rejection (consent
# "keep_applications", withdrawable on their consents page). A hired
# candidate's application closes too; what the employment needs is kept by
# the employment's own rules (the ID copy: documents/privacy.py), not here.
APPLICATION_CLOSED_4_WEEKS = Retention(
    trigger=Trigger.APPLICATION_CLOSED,
    period=timedelta(weeks=4),
    action=RetentionAction.DELETE,
    consent_period=timedelta(days=365),
    consent_purpose=ConsentPurpose.KEEP_APPLICATIONS.value,
)


def _application(category: str = "passend.application", *, sensitive: bool = False) -> Personal:
    return Personal(
        subject=Subject.CANDIDATE,
        category=category,
        purposes=(Purpose.MEDIATION,),
        basis=Basis.CONTRACT,
        sensitive=sensitive,
        retention=APPLICATION_CLOSED_4_WEEKS,
        recipients=("hosting",),
        erasure=Erasure.DELETE,
    )


declare(
    Application,
    subject_field="candidate",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _application("passend.record_metadata"),
        "updated_at": _application("passend.record_metadata"),
        "vacancy": _application(),
        "candidate": _application("user.unique_id"),
        # What people write about themselves may tell of health or more.
        "motivation": _application(sensitive=True),
        "stage": _application(),
        "rejection_reason": _application(),
        "closed_at": _application("passend.record_metadata"),
        "step": _application(),
        "source": _application(),
        "interview": _application(),
        "statement_version": _application("user.privacy_preferences"),
        "keep_answered_at": _application("user.privacy_preferences"),
        "proposed_by": WHO_DID_IT,
    },
)

declare(
    ApplicationDocument,
    subject_field="application",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _application("passend.record_metadata"),
        "updated_at": _application("passend.record_metadata"),
        "application": _application("user.unique_id"),
        "document": _application("passend.documents"),
    },
)

declare(
    ApplicationEvent,
    subject_field="application",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _application("passend.record_metadata"),
        "updated_at": _application("passend.record_metadata"),
        "application": _application("user.unique_id"),
        "stage": _application(),
        "rejection_reason": _application(),
        "by": WHO_DID_IT,
    },
)

declare(
    ApplicationNote,
    subject_field="application",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _application("passend.record_metadata"),
        "updated_at": _application("passend.record_metadata"),
        "application": _application("user.unique_id"),
        # What staff write about a person: sensitive free text, encrypted.
        "text": _application(sensitive=True),
        "author": WHO_DID_IT,
    },
)

declare(
    Proposal,
    subject_field="candidate",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _application("passend.record_metadata"),
        "updated_at": _application("passend.record_metadata"),
        "vacancy": _application(),
        "candidate": _application("user.unique_id"),
        "message": _application(sensitive=True),
        "status": _application(),
        "decided_at": _application("passend.record_metadata"),
        "application": _application(),
        "proposed_by": WHO_DID_IT,
    },
)

declare(
    PipelineStage,
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "name": NotPersonal("The name of a step of the organisation's own pipeline."),
        "phase": NOT_PERSONAL,
        "position": NOT_PERSONAL,
    },
)

# Waiting for the e-mail to be confirmed: deleted when the link expires
# (seven days), or at once when confirmed (the application takes over).
PUBLIC_APPLICATION_EXPIRED = Retention(
    trigger=Trigger.EXPIRED, period=timedelta(0), action=RetentionAction.DELETE
)


def _public(category: str, *, sensitive: bool = False, **extra: object) -> Personal:
    return Personal(
        subject=Subject.CANDIDATE,
        category=category,
        purposes=(Purpose.MEDIATION,),
        basis=Basis.CONTRACT,  # steps at the person's request before a contract
        sensitive=sensitive,
        retention=PUBLIC_APPLICATION_EXPIRED,
        recipients=("hosting",),
        erasure=Erasure.DELETE,
        **extra,  # type: ignore[arg-type]
    )


declare(
    PublicApplication,
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _public("passend.record_metadata"),
        "updated_at": _public("passend.record_metadata"),
        "vacancy": _public("passend.application"),
        "name": _public("user.name"),
        "email": Personal(
            subject=Subject.CANDIDATE,
            category="user.contact.email",
            purposes=(Purpose.MEDIATION,),
            basis=Basis.CONTRACT,
            retention=PUBLIC_APPLICATION_EXPIRED,
            recipients=("email", "hosting"),
            erasure=Erasure.DELETE,
        ),
        "motivation": _public("passend.application", sensitive=True),
        "file": _public("passend.documents", sensitive=True),
        "file_name": _public("passend.documents"),
        "statement_version": _public("user.privacy_preferences"),
        "language": _public("user.account.settings"),
        "token_hash": _public(
            "user.authorization.credentials", sensitive=True, protection=Protection.HASHED
        ),
        "expires_at": _public("passend.record_metadata"),
    },
)
