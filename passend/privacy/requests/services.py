"""Writes of the request desk. Each records its own audit event and sends its
e-mail only once the transaction commits (`notify.mail_later`). Delivering a
prepared export and the deadline reminders run in the background (`jobs.py`).

Routing (P11): the platform is the processor, each organisation the
controller. A request for a named organisation goes to that organisation; a
request for "I do not know which" goes to every organisation where the
e-mail address has a membership, and when there is none to the platform's
queue. The person is told the same in every case.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from passend.common.scope import current_organisation, organisation_scope
from passend.common.tasks import enqueue_on_commit
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import PLATFORM, record
from passend.privacy.datamap import field_declaration
from passend.privacy.requests import deadlines
from passend.privacy.requests.models import (
    DISCLOSING_KINDS,
    REGISTERED_CHANNELS,
    Channel,
    DataSubjectRequest,
    IdentityStatus,
    MessageKind,
    RequestKind,
    RequestMessage,
    RequestStatus,
    UnroutedRequest,
    UnroutedStatus,
)
from passend.privacy.requests.notify import (
    AP_URL,
    PURPOSE,
    admin_addresses,
    audit_request,
    mail_later,
    site_link,
    tell_person,
)
from passend.privacy.requests.tasks import deliver_request_export
from passend.privacy.restriction import services as restriction_services
from passend.privacy.restriction.models import Objection, Restriction
from passend.privacy.rights import services as rights_services
from passend.privacy.rights.models import ExportJob
from passend.tenancy.models import Membership, Organisation, Role

FILED_FIELDS = ("kind", "channel", "requester_name", "requester_email", "description")


# --- e-mail -------------------------------------------------------------------


def _tell_requester(
    req: DataSubjectRequest,
    *,
    kind: str,
    body: str,
    by: Membership | None,
    subject: str,
) -> RequestMessage:
    """Store what is sent to the person and e-mail it (when there is an address)."""
    return tell_person(req, kind=kind, body=body, by=by, subject=subject, to=req.requester_email)


def _notify_admins_of_new(req: DataSubjectRequest) -> None:
    """Tell the admins a request arrived; no personal data in the e-mail."""
    link = site_link(reverse("requests:detail", args=[req.pk]))
    context = {"request": req, "organisation": req.organisation, "link": link}
    subject = _("New data-subject request for %(org)s") % {"org": req.organisation.name}
    mail_later(subject, "requests/email/new_request.txt", context, admin_addresses())


# --- checks -------------------------------------------------------------------


def _require_admin(by: Membership, req: DataSubjectRequest | None = None) -> None:
    if by.role != Role.ADMIN or not by.is_active:
        raise ValidationError(_("Only an administrator of the organisation can do this."))
    if req is not None and by.organisation_id != req.organisation_id:
        raise ValidationError(_("Only an administrator of the organisation can do this."))


def _require_open(req: DataSubjectRequest) -> None:
    if not req.is_open:
        raise ValidationError(_("This request is closed."))


# --- filing -------------------------------------------------------------------


def _create(
    *,
    organisation: Organisation,
    kind: str,
    channel: str,
    name: str,
    email: str,
    description: str,
    received_at: datetime | None = None,
    user: Any = None,
    membership: Membership | None = None,
    verified: bool = False,
    **extra: Any,
) -> DataSubjectRequest:
    received_at = received_at or timezone.now()
    now = timezone.now()
    req = DataSubjectRequest(
        organisation=organisation,
        kind=kind,
        channel=channel,
        requester_name=name.strip(),
        requester_email=email.strip().lower(),
        description=description.strip(),
        user=user,
        membership=membership,
        received_at=received_at,
        due_on=deadlines.due_date(timezone.localdate(received_at)),
        identity_status=IdentityStatus.VERIFIED if verified else IdentityStatus.UNVERIFIED,
        identity_checked_at=now if verified else None,
        **extra,
    )
    req.full_clean()
    req.save()
    fields = list(FILED_FIELDS) + [key for key, value in extra.items() if value]
    audit_request(req, action=Action.CREATE, fields=fields, detail=f"request received ({channel})")
    _notify_admins_of_new(req)
    return req


def _member_by_email(email: str) -> Membership | None:
    """The active organisation's member with this address, if any (never shown to the requester)."""
    membership: Membership | None = (
        Membership.objects.filter(user__email__iexact=email.strip(), is_active=True)
        .select_related("user")
        .first()
    )
    return membership


@transaction.atomic
def request_file_public(
    *,
    name: str,
    email: str,
    organisation: Organisation | None,
    kind: str,
    description: str,
) -> list[DataSubjectRequest | UnroutedRequest]:
    """A request from the public form, identity unverified, routed as P11 says.

    The caller must tell the person the same whatever this returns.
    """
    email = email.strip().lower()
    if organisation is not None:
        if not organisation.is_active:
            raise ValidationError({"organisation": _("Choose an organisation from the list.")})
        with organisation_scope(organisation):
            member = _member_by_email(email)
            return [
                _create(
                    organisation=organisation,
                    kind=kind,
                    channel=Channel.WEB_FORM,
                    name=name,
                    email=email,
                    description=description,
                    user=member.user if member else None,
                    membership=member,
                )
            ]
    # The one cross-organisation read of the desk: bounded to the address typed.
    memberships = (
        Membership.objects.unscoped()
        .filter(user__email__iexact=email, is_active=True, organisation__is_active=True)
        .select_related("organisation", "user")
        .order_by("organisation__name")
    )
    created: list[DataSubjectRequest | UnroutedRequest] = []
    for member in memberships:
        with organisation_scope(member.organisation):
            created.append(
                _create(
                    organisation=member.organisation,
                    kind=kind,
                    channel=Channel.WEB_FORM,
                    name=name,
                    email=email,
                    description=description,
                    user=member.user,
                    membership=member,
                )
            )
    if not created:
        created.append(_create_unrouted(name=name, email=email, kind=kind, description=description))
    return created


def _create_unrouted(*, name: str, email: str, kind: str, description: str) -> UnroutedRequest:
    now = timezone.now()
    unrouted = UnroutedRequest(
        requester_name=name.strip(),
        requester_email=email,
        kind=kind,
        description=description.strip(),
        received_at=now,
        due_on=deadlines.due_date(timezone.localdate(now)),
    )
    unrouted.full_clean()
    unrouted.save()
    record(
        action=Action.CREATE,
        target=unrouted,
        fields=["requester_name", "requester_email", "kind", "description"],
        purpose=PURPOSE,
        detail="request received without an organisation",
        organisation=PLATFORM,
    )
    return unrouted


@transaction.atomic
def request_file_own(*, membership: Membership, kind: str, description: str) -> DataSubjectRequest:
    """A signed-in member's own request: their verified account is their identity."""
    user = membership.user
    return _create(
        organisation=membership.organisation,
        kind=kind,
        channel=Channel.ACCOUNT,
        name=user.name or user.email,
        email=user.email,
        description=description,
        user=user,
        membership=membership,
        verified=True,
    )


@transaction.atomic
def request_register(
    *,
    by: Membership,
    channel: str,
    name: str,
    email: str,
    kind: str,
    description: str,
    received_on: date | None = None,
) -> DataSubjectRequest:
    """An admin enters a request that came by e-mail, letter or phone.

    The deadline runs from the day it was received, which may be before today.
    """
    _require_admin(by)
    if channel not in REGISTERED_CHANNELS:
        raise ValidationError({"channel": _("Choose e-mail, letter or phone.")})
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    received_at = (
        timezone.now()
        if received_on == today
        else timezone.make_aware(datetime.combine(received_on, time(12)))
    )
    member = _member_by_email(email) if email.strip() else None
    return _create(
        organisation=current_organisation(),
        kind=kind,
        channel=channel,
        name=name,
        email=email,
        description=description,
        received_at=received_at,
        user=member.user if member else None,
        membership=member,
    )


def _disputed_model(model_label: str, field_name: str) -> type[Any]:
    """The model of a declared personal field, or a ValidationError for the form."""
    refused = ValidationError(
        {"field_name": _("This field cannot be disputed here: it holds no personal data.")}
    )
    try:
        model = apps.get_model(model_label)
        declaration = field_declaration(model, field_name)
    except (LookupError, ValueError):
        raise refused from None
    if not declaration.personal:
        raise refused
    return model


def disputed_field_label(model_label: str, field_name: str) -> str:
    """A readable name for a disputed field, e.g. "candidate profile: postcode"."""
    model = _disputed_model(model_label, field_name)
    field = model._meta.get_field(field_name)
    return f"{model._meta.verbose_name}: {getattr(field, 'verbose_name', field_name)}"


@transaction.atomic
def request_dispute(
    *,
    membership: Membership,
    model_label: str,
    field_name: str,
    object_id: str,
    proposed_value: str,
    reason: str,
) -> DataSubjectRequest:
    """A person disputes a field someone else set (Art. 16): a rectification request.

    Filed with `membership`'s organisation: the caller passes the membership of
    the organisation that holds the data. Other apps call this; the field must be
    a declared personal field. Without a record id (the person has several such
    records) the reason must say which one.
    """
    model = _disputed_model(model_label, field_name)
    if not str(object_id).strip() and not reason.strip():
        raise ValidationError(
            {"reason": _("Say which record is wrong, for example by its date or title.")}
        )
    user = membership.user
    with organisation_scope(membership.organisation):
        return _create(
            organisation=membership.organisation,
            kind=RequestKind.RECTIFICATION,
            channel=Channel.ACCOUNT,
            name=user.name or user.email,
            email=user.email,
            description=reason,
            user=user,
            membership=membership,
            verified=True,
            disputed_model=model._meta.label,
            disputed_field=field_name,
            disputed_object_id=str(object_id).strip(),
            proposed_value=proposed_value.strip(),
        )


# --- handling -----------------------------------------------------------------


@transaction.atomic
def request_check_identity(
    *, request: DataSubjectRequest, by: Membership, verified: bool
) -> DataSubjectRequest:
    """An admin records whether the person proved who they are."""
    _require_admin(by, request)
    _require_open(request)
    request.identity_status = IdentityStatus.VERIFIED if verified else IdentityStatus.FAILED
    request.identity_checked_at = timezone.now()
    request.identity_checked_by = by
    fields = ["identity_status", "identity_checked_at", "identity_checked_by"]
    if verified and request.status == RequestStatus.RECEIVED:
        request.status = RequestStatus.IN_PROGRESS
        fields.append("status")
    request.full_clean()
    request.save()
    detail = "identity verified" if verified else "identity could not be verified"
    audit_request(request, action=Action.UPDATE, fields=fields, detail=detail, by=by)
    return request


@transaction.atomic
def request_extend(
    *, request: DataSubjectRequest, by: Membership, reason: str, today: date | None = None
) -> DataSubjectRequest:
    """Extend the deadline by two months (Art. 12(3)); the person is told why at once."""
    _require_admin(by, request)
    _require_open(request)
    today = today or timezone.localdate()
    reason = reason.strip()
    if request.extended_until is not None:
        raise ValidationError(_("This request has already been extended."))
    if not deadlines.may_extend(request.received_on, today):
        raise ValidationError(
            _("The deadline can only be extended within the first month after receipt.")
        )
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    request.extended_until = deadlines.extended_due_date(request.received_on)
    request.extension_reason = reason
    request.extension_notified_at = timezone.now()
    request.status = RequestStatus.EXTENDED
    request.full_clean()
    request.save()
    body = _(
        "We need more time to answer your request of %(received)s. We will answer "
        "by %(until)s at the latest. The reason:\n\n%(reason)s"
    ) % {
        "received": date_format(request.received_on),
        "until": date_format(request.extended_until),
        "reason": reason,
    }
    _tell_requester(
        request,
        kind=MessageKind.EXTENSION,
        body=body,
        by=by,
        subject=_("More time is needed to answer your request"),
    )
    fields = ["extended_until", "extension_reason", "extension_notified_at", "status"]
    audit_request(request, action=Action.UPDATE, fields=fields, detail="deadline extended", by=by)
    return request


@transaction.atomic
def request_reply(
    *, request: DataSubjectRequest, by: Membership, text: str, closes: bool
) -> DataSubjectRequest:
    """Send the person a message; with `closes`, it is the answer and the request is answered.

    An answer to an access or portability request discloses the person's
    data, so it needs a verified identity; a message that keeps the request
    open (e.g. asking for identification) does not.
    """
    _require_admin(by, request)
    _require_open(request)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the message to the person.")})
    if closes and request.discloses_data and request.identity_status != IdentityStatus.VERIFIED:
        raise ValidationError(
            _(
                "This request cannot be answered with the person's data while their "
                "identity is not verified. Ask them to identify themselves first, or "
                "refuse the request if they cannot."
            )
        )
    if closes:
        request.status = RequestStatus.ANSWERED
        request.reply = text
        request.answered_at = timezone.now()
        request.answered_by = by
        fields = ["status", "reply", "answered_at", "answered_by"]
        subject = _("The answer to your request")
        kind = MessageKind.ANSWER
    else:
        fields = []
        if request.status == RequestStatus.RECEIVED:
            request.status = RequestStatus.IN_PROGRESS
            fields.append("status")
        subject = _("About your request")
        kind = MessageKind.MESSAGE
    request.full_clean()
    request.save()
    _tell_requester(request, kind=kind, body=text, by=by, subject=subject)
    detail = "request answered" if closes else "message sent to the person"
    audit_request(request, action=Action.UPDATE, fields=fields, detail=detail, by=by)
    return request


@transaction.atomic
def request_refuse(
    *, request: DataSubjectRequest, by: Membership, reason: str
) -> DataSubjectRequest:
    """Refuse, with the reason; the e-mail names the right to complain (Art. 12(4))."""
    _require_admin(by, request)
    _require_open(request)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the refusal.")})
    request.status = RequestStatus.REFUSED
    request.reply = reason
    request.answered_at = timezone.now()
    request.answered_by = by
    request.full_clean()
    request.save()
    _tell_requester(
        request,
        kind=MessageKind.REFUSAL,
        body=reason,
        by=by,
        subject=_("Your request was refused"),
    )
    fields = ["status", "reply", "answered_at", "answered_by"]
    audit_request(request, action=Action.UPDATE, fields=fields, detail="request refused", by=by)
    return request


@transaction.atomic
def request_withdraw(*, request: DataSubjectRequest, by: Membership) -> DataSubjectRequest:
    """Record that the person withdrew the request (they told the organisation so)."""
    _require_admin(by, request)
    _require_open(request)
    request.status = RequestStatus.WITHDRAWN
    request.answered_at = timezone.now()
    request.answered_by = by
    request.full_clean()
    request.save()
    fields = ["status", "answered_at", "answered_by"]
    audit_request(request, action=Action.UPDATE, fields=fields, detail="request withdrawn", by=by)
    return request


# --- answering through the desk: export, restriction, objection -----------------

# Kinds a restriction or an objection is recorded for from the desk: a person
# who objects may ask for a restriction while the objection is decided on
# (Art. 18(1)(d)), and a letter asking for one often asks for the other.
CHOICE_KINDS = (RequestKind.RESTRICTION, RequestKind.OBJECTION)


def _verified_member(req: DataSubjectRequest) -> Membership:
    """The member the request is about, once their identity is verified; else a clear refusal."""
    if req.identity_status != IdentityStatus.VERIFIED:
        raise ValidationError(
            _(
                "The person's identity is not verified. Record the identity check first; "
                "until then nothing can be done with their data."
            )
        )
    member = req.membership
    if member is None or member.organisation_id != req.organisation_id:
        raise ValidationError(
            _(
                "This request is not linked to a member of the organisation, so there is "
                "no account to act on. Answer the request with a message instead."
            )
        )
    return member


def _mark_in_progress(req: DataSubjectRequest) -> list[str]:
    if req.status != RequestStatus.RECEIVED:
        return []
    req.status = RequestStatus.IN_PROGRESS
    req.full_clean()
    req.save()
    return ["status"]


@transaction.atomic
def request_export_prepare(*, request: DataSubjectRequest, by: Membership) -> ExportJob:
    """Have an export of THIS organisation's data about the person made (access or
    portability, as the request asks) and, once it is built, e-mail the person a
    single-use download link at their account address.

    Only the organisation's own rows: other organisations' data and the
    platform account are not this controller's to hand over. The link goes to
    the account's address (never to an address typed in a form), and works
    only for the person, signed in.
    """
    _require_admin(by, request)
    _require_open(request)
    if request.kind not in DISCLOSING_KINDS:
        raise ValidationError(
            _("Only a request for access or for a copy of the data is answered with an export.")
        )
    member = _verified_member(request)
    if not member.user.is_active:
        raise ValidationError(
            _("The person's account is closed, so they cannot download an export. Answer by post.")
        )
    job = rights_services.export_request_for_organisation(
        user=member.user, organisation=request.organisation, scope=request.kind, requested_by=by
    )
    fields = _mark_in_progress(request)
    audit_request(
        request,
        action=Action.UPDATE,
        fields=fields,
        detail=f"{request.kind} export of the organisation's data prepared for the person",
        by=by,
    )
    organisation_id, request_id, job_id = str(request.organisation_id), str(request.pk), str(job.pk)
    enqueue_on_commit(deliver_request_export, organisation_id, request_id, job_id)
    return job


@transaction.atomic
def request_restrict(
    *, request: DataSubjectRequest, by: Membership, reason: str, note: str = ""
) -> Restriction:
    """Restrict processing for the member the request is about (Art. 18), on their behalf."""
    _require_admin(by, request)
    _require_open(request)
    if request.kind not in CHOICE_KINDS:
        raise ValidationError(
            _("A restriction is recorded here only for a restriction or objection request.")
        )
    member = _verified_member(request)
    restriction = restriction_services.restriction_start(
        membership=member, reason=reason, note=note, by=by
    )
    fields = _mark_in_progress(request)
    audit_request(
        request,
        action=Action.UPDATE,
        fields=fields,
        detail="restriction of processing recorded for the person",
        by=by,
    )
    return restriction


@transaction.atomic
def request_object(*, request: DataSubjectRequest, by: Membership, purpose: str) -> Objection:
    """Record the member's objection to a purpose (Art. 21), on their behalf."""
    _require_admin(by, request)
    _require_open(request)
    if request.kind not in CHOICE_KINDS:
        raise ValidationError(
            _("An objection is recorded here only for a restriction or objection request.")
        )
    member = _verified_member(request)
    objection = restriction_services.objection_register(membership=member, purpose=purpose, by=by)
    fields = _mark_in_progress(request)
    audit_request(
        request,
        action=Action.UPDATE,
        fields=fields,
        detail="objection recorded for the person",
        by=by,
    )
    return objection


# --- the platform's queue -----------------------------------------------------


@transaction.atomic
def unrouted_reply(*, unrouted: UnroutedRequest, by: Any, text: str) -> UnroutedRequest:
    """Platform staff answer a request no organisation's address matched."""
    if not getattr(by, "is_platform_staff", False):
        raise ValidationError(_("Only platform staff can answer this request."))
    if not unrouted.is_open:
        raise ValidationError(_("This request is closed."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the answer to the person.")})
    unrouted.status = UnroutedStatus.ANSWERED
    unrouted.reply = text
    unrouted.answered_at = timezone.now()
    unrouted.answered_by = by
    unrouted.full_clean()
    unrouted.save()
    record(
        action=Action.UPDATE,
        target=unrouted,
        fields=["status", "reply", "answered_at", "answered_by"],
        purpose=PURPOSE,
        detail="request answered by the platform",
        actor=by,
        organisation=PLATFORM,
    )
    context: dict[str, Any] = {
        "body": text,
        "organisation": None,
        "request": unrouted,
        "contacts": [],
        "ap_url": AP_URL,
    }
    mail_later(
        _("About your request"),
        "requests/email/to_requester.txt",
        context,
        [unrouted.requester_email],
    )
    return unrouted
