"""Applying on the public job page without an account (issue 13, part 2).

Three steps, each its own transaction:

1. **Submit** (`public_application_submit`): the CV goes through the same
   hostile-upload checks as any document (content, not name; the virus scan),
   then a `PublicApplication` is stored with the CV encrypted for the
   organisation and only the hash of a confirmation link's secret. The link
   is e-mailed once the row is committed. Nothing is an application yet.
2. **Confirm** (`public_application_confirm`): whoever holds the link proves
   the address. In the organisation's scope the person is found or made (an
   account without a password and an inactive candidate membership: "not yet
   claimed"), the CV becomes a document of theirs, the application is made
   with the statement version they were shown, and the waiting row is
   deleted. A refusal (another role, applied already, the vacancy closed)
   saves nothing and deletes the waiting row too.
3. **Claim** (`public_application_claim`): an invitation to the candidate's
   address; its link lets them choose a password (tenancy.views).

Unconfirmed rows are deleted when their link expires
(`public_applications_purge_expired`, daily); the CV goes with the row
(apps.py). Every write is audited here.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passend.candidates.services import candidate_profile_ensure
from passend.common.scope import organisation_scope
from passend.documents import scanning
from passend.documents.models import DocumentKind
from passend.documents.services import document_upload, rule_for
from passend.documents.validation import UploadRejected, check_upload, spool
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import PLATFORM, record
from passend.privacy.datamap import Purpose
from passend.tenancy.models import Invitation, Membership, Organisation, Role, hash_token
from passend.tenancy.services import invitation_create
from passend.vacancies.models import (
    Application,
    PublicApplication,
    Source,
    Vacancy,
    VacancyStatus,
)
from passend.vacancies.services import application_create

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 7

NOT_OPEN = gettext_lazy("This vacancy takes no applications any more: it is not open.")


def valid_days() -> int:
    return int(getattr(settings, "PUBLIC_APPLICATION_DAYS", DEFAULT_DAYS))


# --- 1. Submit ----------------------------------------------------------------


def public_application_submit(
    *,
    vacancy: Vacancy,
    name: str,
    email: str,
    motivation: str,
    file_name: str,
    chunks: Iterable[bytes],
    statement_version: str,
    language: str,
    now: datetime | None = None,
) -> PublicApplication:
    """Check the CV, store the application waiting for confirmation, and
    e-mail the confirmation link (after the commit) in `language`.

    Raises UploadRejected for a CV that is refused (its HTTP status says
    why), ValidationError for a vacancy that is not open or a bad field.
    Nothing is stored then; a file written before a failure is removed again.
    """
    rule = rule_for(DocumentKind.CV)
    with spool(chunks, limit=rule.max_bytes) as spooled:
        size = spooled.seek(0, os.SEEK_END)
        checked = check_upload(name=file_name, spooled=spooled, size=size, rule=rule)
        scanning.scan(spooled)
    raw_token = secrets.token_urlsafe(32)
    row = PublicApplication(
        organisation_id=vacancy.organisation_id,
        vacancy=vacancy,
        name=name.strip(),
        email=email.strip().lower(),
        motivation=motivation,
        file_name=checked.display_name,
        statement_version=statement_version,
        language=language,
        token_hash=hash_token(raw_token),
        expires_at=(now or timezone.now()) + timedelta(days=valid_days()),
    )
    stored: str | None = None
    with organisation_scope(vacancy.organisation):
        row.full_clean(exclude=["file"])
        try:
            with transaction.atomic():
                locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
                if locked.status != VacancyStatus.PUBLISHED:
                    raise ValidationError(NOT_OPEN, code="not_open")
                row.file.save("cv", ContentFile(checked.data), save=False)
                stored = row.file.name
                row.save()
                record(
                    action=Action.CREATE,
                    target=row,
                    fields=[
                        "vacancy",
                        "name",
                        "email",
                        "motivation",
                        "file",
                        "file_name",
                        "statement_version",
                        "language",
                        "expires_at",
                    ],
                    purpose=Purpose.MEDIATION,
                    detail="applied on the public job page, waiting for confirmation",
                )
                mail = _confirmation_mail(row, vacancy, raw_token)
                transaction.on_commit(lambda: send_mail(*mail))
        except BaseException:
            if stored:
                row.file.storage.delete(stored)
            raise
    return row


def _confirmation_mail(
    row: PublicApplication, vacancy: Vacancy, raw_token: str
) -> tuple[str, str, None, list[str]]:
    """Subject, body, sender and recipient, in the language of the page applied on."""
    link = settings.SITE_URL.rstrip("/") + reverse("jobs:confirm", args=[raw_token])
    context = {
        "name": row.name,
        "title": vacancy.title,
        "employer": vacancy.employer.name,
        "organisation": vacancy.organisation.name,
        "link": link,
        "expires_at": row.expires_at,
    }
    with translation.override(row.language):
        subject = _("Confirm your application: %(title)s") % {"title": vacancy.title}
        body = render_to_string("vacancies/email/public_application_confirm.txt", context)
    return subject, body, None, [row.email]


# --- 2. Confirm ---------------------------------------------------------------


class LinkUnusable(Exception):
    """The confirmation link is unknown, used already, or has expired."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status  # "missing" or "expired"


class ConfirmRefused(Exception):
    """The application cannot be made; `kept` says whether the waiting row stays
    (a passing failure: try again later) or was deleted (nothing will change)."""

    def __init__(self, message: Promise | str, *, code: str, kept: bool = False) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.kept = kept


@dataclass(frozen=True)
class Confirmed:
    application: Application
    membership: Membership


def public_application_find(raw_token: str, *, now: datetime | None = None) -> PublicApplication:
    """The waiting application whose link this is, or LinkUnusable. Reads only."""
    row = PublicApplication.objects.by_token(raw_token)
    if row is None:
        raise LinkUnusable("missing")
    if row.expires_at <= (now or timezone.now()):
        raise LinkUnusable("expired")
    return row


def public_application_confirm(*, row: PublicApplication) -> Confirmed:
    """Turn the waiting application into a person, their CV and an application.

    Raises LinkUnusable when the row is gone (confirmed twice at once) or
    expired, ConfirmRefused when the application cannot be made; then nothing
    of it is saved (files written meanwhile are removed again).
    """
    stored: list[str] = []
    with organisation_scope(row.organisation):
        try:
            with transaction.atomic():
                return _confirm(row, stored)
        except ConfirmRefused as refused:
            _remove_files(stored)
            if not refused.kept:
                _discard(row, detail=f"not confirmed: {refused.code}")
            raise
        except BaseException:
            _remove_files(stored)
            raise


def _confirm(row: PublicApplication, stored: list[str]) -> Confirmed:
    locked = PublicApplication.objects.select_for_update().filter(pk=row.pk).first()
    if locked is None:
        raise LinkUnusable("missing")
    if locked.expires_at <= timezone.now():
        raise LinkUnusable("expired")
    vacancy = Vacancy.objects.select_related("organisation").get(pk=locked.vacancy_id)
    user = _person(locked)
    membership = _candidate_membership(user, vacancy.organisation)
    profile = candidate_profile_ensure(membership=membership)
    if Application.objects.filter(vacancy=vacancy, candidate=profile).exists():
        raise ConfirmRefused(
            _("You applied to this vacancy already; that application stays as it is."),
            code="applied_already",
        )
    if vacancy.status != VacancyStatus.PUBLISHED:
        raise ConfirmRefused(NOT_OPEN, code="not_open")
    try:
        document = document_upload(
            candidate=profile,
            kind=DocumentKind.CV,
            name=locked.file_name,
            chunks=[locked.file.read_decrypted()],
            by=membership,
        )
    except UploadRejected as rejected:
        # A scanner that is away for a while: the link keeps working.
        raise ConfirmRefused(
            rejected.message, code=rejected.code, kept=rejected.status >= 500
        ) from None
    stored.append(document.file.name)
    try:
        application = application_create(
            vacancy=vacancy,
            candidate=profile,
            motivation=locked.motivation,
            documents=[document],
            by=membership,
            source=Source.PUBLIC,
            statement_version=locked.statement_version,
        )
    except ValidationError as error:  # closed or applied meanwhile
        code = getattr(error, "code", None) or "refused"
        raise ConfirmRefused(" ".join(error.messages), code=code) from None
    record(
        action=Action.CREATE,
        target=application,
        fields=["vacancy", "candidate", "motivation", "source", "statement_version"],
        purpose=Purpose.MEDIATION,
        subject=user.pk,
        actor=membership,
        detail="confirmed from the public job page",
    )
    _delete(locked, detail="confirmed: the application took it over")
    return Confirmed(application=application, membership=membership)


def _person(row: PublicApplication) -> Any:
    """The account with the confirmed address, or a new one without a password."""
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=row.email).first()
    if user is not None:
        return user
    user = user_model(email=row.email, name=row.name, preferred_language=row.language)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    # The link reached this address: it is verified, as an invitation's is.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    record(
        action=Action.CREATE,
        target=user,
        fields=["email", "name", "preferred_language"],
        purpose=Purpose.ACCOUNT,
        subject=user.pk,
        organisation=PLATFORM,
        detail="account made by confirming a public application, not yet claimed",
    )
    return user


def _candidate_membership(user: Any, organisation: Organisation) -> Membership:
    """The person's candidate membership here; a new one is inactive until claimed."""
    membership = Membership.objects.filter(user=user).first()
    if membership is not None:
        if membership.role != Role.CANDIDATE:
            raise ConfirmRefused(
                _(
                    "You have an account at %(org)s in Passend already, not as a candidate. "
                    "Sign in and apply from inside Passend."
                )
                % {"org": organisation.name},
                code="other_role",
            )
        return membership
    membership = Membership(
        organisation=organisation, user=user, role=Role.CANDIDATE, is_active=False
    )
    membership.full_clean()
    membership.save()
    record(
        action=Action.CREATE,
        target=membership,
        fields=["user", "role", "is_active"],
        purpose=Purpose.ACCOUNT,
        subject=user.pk,
        detail="candidate from the public job page, not yet claimed",
    )
    return membership


def _delete(row: PublicApplication, *, detail: str) -> None:
    record(
        action=Action.DELETE,
        target=row,
        fields=["name", "email", "motivation", "file"],
        purpose=Purpose.MEDIATION,
        detail=detail,
    )
    row.delete()  # the CV goes once the deletion is committed (apps.py)


def _discard(row: PublicApplication, *, detail: str) -> None:
    with transaction.atomic():
        locked = PublicApplication.objects.select_for_update().filter(pk=row.pk).first()
        if locked is not None:
            _delete(locked, detail=detail)


def _remove_files(names: list[str]) -> None:
    storage = PublicApplication._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


# --- 3. Claim -----------------------------------------------------------------


def public_application_claim(*, organisation: Organisation, membership_id: Any) -> Invitation:
    """Invite the candidate who applied to follow it in Passend: the invitation's
    link lets an account without a password choose one (tenancy.views).

    Raises ValidationError when the person is an active member already.
    """
    with organisation_scope(organisation):
        membership = Membership.objects.select_related("user").get(pk=membership_id)
        return invitation_create(invited_by=None, email=membership.user.email, role=Role.CANDIDATE)


# --- Reads ----------------------------------------------------------------------


@dataclass(frozen=True)
class ConfirmedSummary:
    organisation: Organisation
    title: str
    employer: str
    claimable: bool  # not yet claimed: the membership waits for its invitation


def confirmed_summary(
    *, organisation_id: Any, membership_id: Any, application_id: Any
) -> ConfirmedSummary | None:
    """What the "your application is in" page shows, from the ids kept in the
    visitor's session; None when any is gone."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return None
    with organisation_scope(organisation):
        membership = Membership.objects.filter(pk=membership_id).first()
        if membership is None:
            return None
        application = (
            Application.objects.select_related("vacancy__employer")
            .filter(pk=application_id, candidate__membership=membership)
            .first()
        )
        if application is None:
            return None
        return ConfirmedSummary(
            organisation=organisation,
            title=application.vacancy.title,
            employer=application.vacancy.employer.name,
            claimable=not membership.is_active,
        )


# --- Expiry ---------------------------------------------------------------------


def public_applications_purge_expired(*, now: datetime | None = None) -> int:
    """Delete every waiting application whose link has expired, in every
    organisation; its CV goes with it. Safe to run again."""
    now = now or timezone.now()
    deleted = 0
    for organisation in Organisation.objects.order_by("pk"):
        with organisation_scope(organisation), transaction.atomic():
            for row in PublicApplication.objects.filter(expires_at__lte=now):
                _delete(row, detail="expired unconfirmed")
                deleted += 1
    return deleted
