"""Keeping a closed application a year, with the candidate's consent (P5).

A rejected application is deleted four weeks after the decision, unless the
candidate agrees that it is kept a year, to be approached for other
vacancies (privacy.py: the retention rule's consent period). They are asked
at the rejection, by e-mail with a signed link that works without signing
in (people who applied on the public page have no password), and on "My
applications". The answer is a consent record ("keep_applications"), which
they withdraw on their consents page or by answering again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from passend.common.scope import organisation_scope
from passend.privacy.consent.models import ConsentPurpose
from passend.privacy.consent.services import consent_give, consent_withdraw, has_consent
from passend.tenancy.models import Organisation
from passend.vacancies.models import Application

SALT = "passend.vacancies.keep"
# The link answers for this long; after that, the consents page does.
LINK_DAYS = 60


def token_for(application: Application) -> str:
    return signing.dumps(
        {"a": str(application.pk), "o": str(application.organisation_id)}, salt=SALT
    )


def application_for_token(token: str) -> tuple[Organisation, Application] | None:
    """The application a link is about, or None for a forged or expired link."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    organisation = Organisation.objects.filter(pk=data.get("o"), is_active=True).first()
    if organisation is None:
        return None
    with organisation_scope(organisation):
        application = (
            Application.objects.select_related("vacancy", "candidate__membership__user")
            .filter(pk=data.get("a"))
            .first()
        )
    return (organisation, application) if application is not None else None


def is_kept(application: Application) -> bool:
    return kept_for(application.candidate.membership.user, application.organisation_id)


def kept_for(user: Any, organisation: Any) -> bool:
    """Whether `user` agreed that their closed applications at `organisation` are kept a year."""
    return has_consent(
        user=user, organisation=organisation, purpose=ConsentPurpose.KEEP_APPLICATIONS
    )


def ask(application: Application) -> None:
    """E-mail the question (after the rejection is committed), in the person's language,
    unless the person agreed already.

    It runs after commit, which may be after the caller's organisation scope
    ended (a command that wraps its scope in a transaction): it takes its own."""
    with organisation_scope(Organisation.objects.get(pk=application.organisation_id)):
        _ask(application)


def _ask(application: Application) -> None:
    user = application.candidate.membership.user
    if not user.email or kept_for(user, application.organisation_id):
        return  # nothing to ask: no address, or they agreed already (My applications says so)
    link = settings.SITE_URL.rstrip("/") + reverse("vacancies:keep", args=[token_for(application)])
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("About your application to %(title)s") % {"title": application.vacancy.title}
        body = render_to_string(
            "vacancies/email/keep_question.txt",
            {"application": application, "link": link, "days": LINK_DAYS},
        )
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def answer(*, application: Application, keep: bool) -> Any:
    """Record the candidate's answer: a consent given, or withdrawn if it was active."""
    user = application.candidate.membership.user
    if keep:
        consent_give(
            user=user,
            organisation=application.organisation,
            purpose=ConsentPurpose.KEEP_APPLICATIONS,
        )
    else:
        consent_withdraw(
            user=user,
            organisation=application.organisation,
            purpose=ConsentPurpose.KEEP_APPLICATIONS,
        )
    Application.objects.filter(pk=application.pk).update(keep_answered_at=timezone.now())
