"""The request desk (GDPR Art. 12(3), J14, P11, P12).

A `DataSubjectRequest` is one request of a person to the organisation that
controls their data: what they ask, how it came in, whether we know who they
are, and the one-month deadline (three after an extension). Its
`RequestMessage`s are what was sent to the person. A request addressed to no
organisation, by an e-mail address no organisation knows, lands in the
platform's queue as an `UnroutedRequest`, which holds no organisation's data.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.common.models import PublicIdModel
from passend.privacy.crypto.fields import EncryptedTextField
from passend.privacy.requests import deadlines
from passend.tenancy.models import Membership, OrganisationOwned

DESCRIPTION_MAX_LENGTH = 5000
REPLY_MAX_LENGTH = 20000


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access to my data (Art. 15)")
    PORTABILITY = "portability", _("A copy of my data to take elsewhere (Art. 20)")
    RECTIFICATION = "rectification", _("Correct my data (Art. 16)")
    ERASURE = "erasure", _("Delete my data (Art. 17)")
    RESTRICTION = "restriction", _("Restrict the use of my data (Art. 18)")
    OBJECTION = "objection", _("Object to the use of my data (Art. 21)")
    OTHER = "other", _("Something else about my data")


# Kinds whose answer discloses the person's data: never to someone whose
# identity is not verified (Art. 12(6), and Art. 5(1)(f) against disclosure
# to an impostor).
DISCLOSING_KINDS = (RequestKind.ACCESS, RequestKind.PORTABILITY)


class Channel(models.TextChoices):
    WEB_FORM = "web", _("Web form")
    ACCOUNT = "account", _("Signed-in account")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")


# Channels an admin enters on the person's behalf.
REGISTERED_CHANNELS = (Channel.EMAIL, Channel.LETTER, Channel.PHONE)


class IdentityStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("not verified")
    VERIFIED = "verified", _("verified")
    FAILED = "failed", _("could not be verified")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    EXTENDED = "extended", _("extended")
    ANSWERED = "answered", _("answered")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS, RequestStatus.EXTENDED)


class Reminder(models.TextChoices):
    """The reminders admins get about a deadline, from least to most urgent."""

    WEEK = "7d", _("due within 7 days")
    DAY = "1d", _("due within 1 day")
    OVERDUE = "overdue", _("overdue")


class DataSubjectRequest(OrganisationOwned):
    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind.choices)
    channel = models.CharField(_("received by"), max_length=10, choices=Channel.choices)
    requester_name = models.CharField(_("name"), max_length=200)
    requester_email = models.EmailField(_("e-mail address"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("membership"),
    )
    # The free text is encrypted with the organisation's key: people explain
    # their request with their health, benefits or disputes at work.
    description = EncryptedTextField(
        _("what the person asks"), max_length=DESCRIPTION_MAX_LENGTH, blank=True
    )
    # Rectification (Art. 16): which field of which record, and the value asked for.
    disputed_model = models.CharField(_("disputed record type"), max_length=100, blank=True)
    disputed_field = models.CharField(_("disputed field"), max_length=100, blank=True)
    disputed_object_id = models.CharField(_("disputed record"), max_length=64, blank=True)
    proposed_value = EncryptedTextField(_("proposed value"), max_length=2000, blank=True)

    identity_status = models.CharField(
        _("identity"),
        max_length=12,
        choices=IdentityStatus.choices,
        default=IdentityStatus.UNVERIFIED,
    )
    identity_checked_at = models.DateTimeField(_("identity checked at"), null=True, blank=True)
    identity_checked_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identity checked by"),
    )

    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("answer due on"))
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_reason = EncryptedTextField(_("reason for the extension"), blank=True)
    extension_notified_at = models.DateTimeField(
        _("person told of the extension at"), null=True, blank=True
    )
    reply = EncryptedTextField(_("answer"), max_length=REPLY_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    # Keys "<deadline>:<reminder>" of the reminders sent, so a run of the
    # reminder task sends each one once, and an extension starts anew.
    reminders_sent = models.JSONField(_("reminders sent"), default=list, blank=True)

    class Meta:
        ordering = ["due_on", "received_at"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        indexes = [models.Index(fields=["organisation", "status", "due_on"], name="dsr_queue")]

    def __str__(self) -> str:
        return str(_("%(kind)s request of %(date)s") % {
            "kind": self.get_kind_display(),
            "date": self.received_on.isoformat(),
        })  # fmt: skip

    def clean(self) -> None:
        super().clean()
        if not (self.requester_name or "").strip():
            raise ValidationError({"requester_name": _("Give the name of the person.")})
        if self.channel in (Channel.WEB_FORM, Channel.ACCOUNT, Channel.EMAIL) and not (
            self.requester_email
        ):
            raise ValidationError({"requester_email": _("Give the e-mail address to reply to.")})
        if (
            self.kind == RequestKind.RECTIFICATION
            and self.disputed_field
            and not self.disputed_model
        ):
            raise ValidationError({"disputed_model": _("Name the record of the disputed field.")})
        if self.status == RequestStatus.EXTENDED and not (
            self.extended_until and self.extension_reason.strip()
        ):
            raise ValidationError({"extension_reason": _("Give the reason for the extension.")})

    @property
    def received_on(self) -> date:
        return timezone.localdate(self.received_at)

    @property
    def deadline(self) -> date:
        """The date the answer is due: the extended date once extended."""
        return self.extended_until or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def discloses_data(self) -> bool:
        return self.kind in DISCLOSING_KINDS

    def days_left(self, today: date | None = None) -> int:
        return deadlines.days_left(self.deadline, today or timezone.localdate())

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and deadlines.is_overdue(self.deadline, today or timezone.localdate())

    def is_due_soon(self, today: date | None = None) -> bool:
        return self.is_open and deadlines.is_due_soon(self.deadline, today or timezone.localdate())

    def may_extend(self, today: date | None = None) -> bool:
        return (
            self.is_open
            and self.extended_until is None
            and deadlines.may_extend(self.received_on, today or timezone.localdate())
        )


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("message")
    EXTENSION = "extension", _("extension notice")
    ANSWER = "answer", _("answer")
    REFUSAL = "refusal", _("refusal")
    EXPORT = "export", _("data export sent")


class RequestMessage(OrganisationOwned):
    """What was sent to the person about a request: the proof of having answered."""

    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("request"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    body = EncryptedTextField(_("text"), max_length=REPLY_MAX_LENGTH)
    sent_to = models.EmailField(_("sent to"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        ordering = ["sent_at"]
        verbose_name = _("message about a request")
        verbose_name_plural = _("messages about requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_at:%Y-%m-%d}"


class UnroutedStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")


class UnroutedRequest(PublicIdModel):
    """A request for no particular organisation by an address none of them knows.

    Platform staff answer it (usually: which organisation do you mean?). It
    holds only what the person typed, never anything of an organisation.
    """

    requester_name = models.CharField(_("name"), max_length=200)
    requester_email = models.EmailField(_("e-mail address"))
    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind.choices)
    # No organisation's data: encrypted with the platform key.
    description = EncryptedTextField(
        _("what the person asks"),
        max_length=DESCRIPTION_MAX_LENGTH,
        blank=True,
        organisation_field=None,
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("answer due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=UnroutedStatus.choices, default=UnroutedStatus.OPEN
    )
    reply = EncryptedTextField(
        _("answer"), max_length=REPLY_MAX_LENGTH, blank=True, organisation_field=None
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["due_on", "received_at"]
        verbose_name = _("request without an organisation")
        verbose_name_plural = _("requests without an organisation")

    def __str__(self) -> str:
        return str(_("Request of %(date)s") % {"date": self.received_at.date().isoformat()})

    @property
    def is_open(self) -> bool:
        return self.status == UnroutedStatus.OPEN

    def days_left(self, today: date | None = None) -> int:
        return deadlines.days_left(self.due_on, today or timezone.localdate())
