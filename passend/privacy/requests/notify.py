"""How the request desk tells people and keeps its trail: e-mail sent once the
transaction commits, links to the site, the privacy contacts, and the audit
of a request. Shared by the desk's services and its background jobs, so
neither imports the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from passend.privacy.audit.services import record
from passend.privacy.datamap import Purpose
from passend.privacy.requests.models import DataSubjectRequest, RequestMessage
from passend.tenancy.models import Membership, OrganisationContact, Role

PURPOSE = Purpose.LEGAL_OBLIGATION


def site_link(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path


def mail_later(subject: str, template: str, context: dict[str, Any], to: Sequence[str]) -> None:
    """Render now (in the current language), send once the transaction commits."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
    full_subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"
    transaction.on_commit(lambda: send_mail(full_subject, body, None, recipients))


def admin_addresses() -> list[str]:
    """The e-mail addresses of the active organisation's active admins."""
    admins = Membership.objects.filter(role=Role.ADMIN, is_active=True).select_related("user")
    return sorted({m.user.email for m in admins if m.user.is_active})


def privacy_contacts() -> list[OrganisationContact]:
    return list(OrganisationContact.objects.order_by("name"))


AP_URL = "https://autoriteitpersoonsgegevens.nl/"


def tell_person(
    req: DataSubjectRequest,
    *,
    kind: str,
    body: str,
    by: Membership | None,
    subject: str,
    to: str,
    template: str = "requests/email/to_requester.txt",
    extra: dict[str, Any] | None = None,
) -> RequestMessage:
    """Keep what is sent to the person on the request's file and e-mail it to `to`.

    `extra` adds what the mail carries but the stored message must not (a
    download link): the file keeps only `body`.
    """
    message = RequestMessage(
        organisation=req.organisation,
        request=req,
        kind=kind,
        body=body,
        sent_to=to,
        sent_by=by,
    )
    message.full_clean()
    message.save()
    context = {
        "request": req,
        "organisation": req.organisation,
        "body": body,
        "contacts": privacy_contacts(),
        "ap_url": AP_URL,
        **(extra or {}),
    }
    mail_later(subject, template, context, [to])
    return message


def audit_request(
    req: DataSubjectRequest, *, action: str, fields: Iterable[str], detail: str, by: Any = None
) -> None:
    record(
        action=action,
        target=req,
        fields=fields,
        purpose=PURPOSE,
        detail=detail,
        actor=by,
        organisation=req.organisation_id,
    )
