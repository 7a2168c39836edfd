"""Data map of tenancy: organisations, their contacts, employers, memberships
and invitations (see docs/datamap.md).

Organisations and employers are companies and public bodies: their name,
address, KvK, VAT number and IBAN are not data about a natural person. Their
contact persons, memberships and invitations are.
"""

from __future__ import annotations

from datetime import timedelta

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
    personal_shape,
)
from passend.tenancy.models import (
    Employer,
    EmployerContact,
    Invitation,
    Membership,
    Organisation,
    OrganisationContact,
)

COMPANY = NotPersonal("Data of a company or public body, not of a natural person.")

CONTRACT_ENDED_30_DAYS = Retention(
    trigger=Trigger.CONTRACT_ENDED, period=timedelta(days=30), action=RetentionAction.DELETE
)
MEMBERSHIP_ENDED_30_DAYS = Retention(
    trigger=Trigger.MEMBERSHIP_ENDED, period=timedelta(days=30), action=RetentionAction.DELETE
)
INVITATION_90_DAYS = Retention(
    trigger=Trigger.CREATED, period=timedelta(days=90), action=RetentionAction.DELETE
)


declare(
    Organisation,
    fields={
        "id": NOT_PERSONAL,
        "created_at": COMPANY,
        "updated_at": COMPANY,
        "street": COMPANY,
        "postcode": COMPANY,
        "city": COMPANY,
        "country": COMPANY,
        "name": COMPANY,
        "slug": COMPANY,
        "kind": COMPANY,
        "kvk_number": COMPANY,
        "vat_number": COMPANY,
        "iban": COMPANY,
        "is_active": COMPANY,
        "require_two_factor": COMPANY,
        "publishes_vacancies": COMPANY,
    },
)

declare(
    Employer,
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": COMPANY,
        "updated_at": COMPANY,
        "street": COMPANY,
        "postcode": COMPANY,
        "city": COMPANY,
        "country": COMPANY,
        "name": COMPANY,
        "kvk_number": COMPANY,
        "vat_number": COMPANY,
        "is_client": COMPANY,
    },
)


def _contact(
    subject: Subject, purpose: Purpose, category: str, *, recipients: tuple[str, ...] = ("hosting",)
) -> Personal:
    return Personal(
        subject=subject,
        category=category,
        purposes=(purpose,),
        basis=Basis.LEGITIMATE_INTERESTS,
        retention=CONTRACT_ENDED_30_DAYS,
        recipients=recipients,
        erasure=Erasure.DELETE,
    )


def _organisation_contact(category: str, **kwargs: tuple[str, ...]) -> Personal:
    return _contact(Subject.ORGANISATION_CONTACT, Purpose.ORGANISATION_ADMIN, category, **kwargs)


declare(
    OrganisationContact,
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _organisation_contact("passend.record_metadata"),
        "updated_at": _organisation_contact("passend.record_metadata"),
        "name": _organisation_contact("user.name", recipients=("email", "hosting")),
        "email": _organisation_contact("user.contact.email", recipients=("email", "hosting")),
        "phone": _organisation_contact("user.contact.phone_number"),
        "function": _organisation_contact("user.job_title"),
    },
)


def _employer_contact(category: str, **kwargs: tuple[str, ...]) -> Personal:
    return _contact(Subject.EMPLOYER_CONTACT, Purpose.MEDIATION, category, **kwargs)


declare(
    EmployerContact,
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _employer_contact("passend.record_metadata"),
        "updated_at": _employer_contact("passend.record_metadata"),
        "employer": _employer_contact("user.workplace"),
        "name": _employer_contact("user.name", recipients=("email", "hosting")),
        "email": _employer_contact("user.contact.email", recipients=("email", "hosting")),
        "phone": _employer_contact("user.contact.phone_number"),
        "function": _employer_contact("user.job_title"),
    },
)


_membership = personal_shape(
    subject=Subject.USER,
    purposes=(Purpose.ACCOUNT, Purpose.SECURITY),
    basis=Basis.CONTRACT,
    retention=MEMBERSHIP_ENDED_30_DAYS,
    recipients=("hosting",),
    erasure=Erasure.DELETE,
)


declare(
    Membership,
    subject_field="user",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _membership("passend.record_metadata"),
        "updated_at": _membership("passend.record_metadata"),
        "user": _membership("user.unique_id"),
        "role": _membership("user.authorization"),
        "employer": _membership("user.workplace"),
        "is_active": _membership("user.account"),
        # The user's name folded for sorting: personal like the name itself.
        "sort_name": _membership("user.name"),
    },
)


def _invitation(
    category: str,
    *,
    subject: Subject = Subject.USER,
    purposes: tuple[Purpose, ...] = (Purpose.ACCOUNT,),
    sensitive: bool = False,
    protection: Protection | None = None,
    recipients: tuple[str, ...] = ("hosting",),
    erasure: Erasure = Erasure.DELETE,
) -> Personal:
    return Personal(
        subject=subject,
        category=category,
        purposes=purposes,
        basis=Basis.LEGITIMATE_INTERESTS,
        sensitive=sensitive,
        protection=protection,
        retention=INVITATION_90_DAYS,
        recipients=recipients,
        erasure=erasure,
    )


declare(
    Invitation,
    subject_field="accepted_by",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _invitation("passend.record_metadata"),
        "updated_at": _invitation("passend.record_metadata"),
        "email": _invitation("user.contact.email", recipients=("email", "hosting")),
        "role": _invitation("user.authorization"),
        "employer": _invitation("user.workplace"),
        # The link's secret, stored as a hash: a credential nonetheless.
        "token_hash": _invitation(
            "user.authorization.credentials",
            purposes=(Purpose.ACCOUNT, Purpose.SECURITY),
            sensitive=True,
            protection=Protection.HASHED,
        ),
        # Who invited: data about the inviter, kept for accountability; erasing
        # the inviter clears the link and leaves the invitee's record.
        "invited_by": _invitation(
            "user.unique_id",
            subject=Subject.USER,
            purposes=(Purpose.SECURITY,),
            erasure=Erasure.ANONYMISE,
        ),
        "expires_at": _invitation("passend.record_metadata"),
        "accepted_at": _invitation("passend.record_metadata"),
        "accepted_by": _invitation("user.unique_id"),
        "revoked_at": _invitation("passend.record_metadata"),
    },
)
