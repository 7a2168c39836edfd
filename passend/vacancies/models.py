"""Vacancies: the work an employer offers through the organisation (P1).

A vacancy belongs to one employer of the organisation and moves from draft
to published to closed, each step recorded as a `VacancyEvent` (who, when,
why). Its content is about the company, not about a person; who wrote it and
who changed its status are personal data of staff and employer contacts
(privacy.py).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.candidates.models import CandidateProfile
from passend.coaching.models import Appointment
from passend.common.inputs import PLANNING_DATE, DateBounds
from passend.common.managers import ScopedManager
from passend.common.validators import validate_postcode
from passend.documents.models import Document
from passend.privacy.crypto.fields import EncryptedTextField
from passend.privacy.crypto.files import EncryptedFileField
from passend.taxonomy.models import Occupation, Skill
from passend.tenancy.models import Employer, OrganisationOwned, hash_token

MIN_HOURS, MAX_HOURS = 1, 60


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed")


class CloseReason(models.TextChoices):
    CLOSING_DATE = "closing_date", _("the closing date passed")
    FILLED = "filled", _("filled")
    WITHDRAWN = "withdrawn", _("withdrawn by the employer")


class WorkMode(models.TextChoices):
    ON_SITE = "on_site", _("on site")
    HYBRID = "hybrid", _("hybrid")
    REMOTE = "remote", _("remote")


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("permanent contract")
    FIXED_TERM = "fixed_term", _("fixed-term contract")
    TEMPORARY = "temporary", _("temporary work through an agency")
    FREELANCE = "freelance", _("freelance")
    INTERNSHIP = "internship", _("internship or work-experience place")


class SalaryPeriod(models.TextChoices):
    HOUR = "hour", _("per hour")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


class EducationLevel(models.TextChoices):
    """The Dutch levels employers ask for, lowest first."""

    NONE = "none", _("no diploma required")
    VMBO = "vmbo", _("VMBO")
    MBO_2 = "mbo2", _("MBO level 2")
    MBO_3 = "mbo3", _("MBO level 3")
    MBO_4 = "mbo4", _("MBO level 4")
    HAVO_VWO = "havo_vwo", _("HAVO or VWO")
    HBO = "hbo", _("HBO (bachelor)")
    WO = "wo", _("WO (university)")


class VacancyManager(ScopedManager):
    def published_publicly(self) -> models.QuerySet[Vacancy]:
        """Published vacancies of the active organisations that chose to publish
        them on the public job pages (vacancies.public).

        The one cross-organisation read of vacancies, and it is bounded to what
        the organisations published: every other query stays in its scope.
        """
        return self._all_organisations().filter(
            status=VacancyStatus.PUBLISHED,
            organisation__is_active=True,
            organisation__publishes_vacancies=True,
        )


class Vacancy(OrganisationOwned):
    objects: ClassVar[VacancyManager] = VacancyManager()

    input_date_bounds: ClassVar[dict[str, DateBounds]] = dict.fromkeys(
        ("start_date", "end_date", "closing_date"), PLANNING_DATE
    )

    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("employer")
    )
    title = models.CharField(_("job title"), max_length=200)
    occupation = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("occupation (ESCO)"),
    )
    description = models.TextField(
        _("description"),
        max_length=20_000,
        blank=True,
        default="",
        help_text=_("Markdown: **bold**, *italic*, lists with - and links. HTML is not shown."),
    )
    education_level = models.CharField(
        _("education level"), max_length=20, choices=EducationLevel.choices, blank=True, default=""
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"),
        validators=[MinValueValidator(MIN_HOURS), MaxValueValidator(MAX_HOURS)],
    )
    contract_type = models.CharField(
        _("contract"), max_length=20, choices=ContractType.choices, default=ContractType.PERMANENT
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty for lasting work.")
    )
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, default="", validators=[validate_postcode]
    )
    city = models.CharField(_("place"), max_length=100, blank=True, default="")
    work_mode = models.CharField(
        _("where the work is done"),
        max_length=10,
        choices=WorkMode.choices,
        default=WorkMode.ON_SITE,
    )
    salary_min = models.DecimalField(
        _("salary from"), max_digits=9, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    salary_max = models.DecimalField(
        _("salary up to"), max_digits=9, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    salary_period = models.CharField(
        _("salary period"), max_length=10, choices=SalaryPeriod.choices, blank=True, default=""
    )
    positions = models.PositiveSmallIntegerField(
        _("number of positions"), default=1, validators=[MinValueValidator(1)]
    )
    closing_date = models.DateField(
        _("closing date"),
        null=True,
        blank=True,
        help_text=_("The vacancy closes by itself at the end of this day."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(
        _("why it closed"), max_length=20, choices=CloseReason.choices, blank=True, default=""
    )
    # Who wrote it: an actor, not the subject of the row. A reference to the
    # account, cleared when the account goes (as "answered by", "invited by").
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        indexes = [
            models.Index(
                fields=["organisation", "status", "-created_at"], name="vacancy_by_status"
            ),
            models.Index(
                fields=["organisation", "employer", "-created_at"], name="vacancy_by_employer"
            ),
            # The public job pages: the published ones, newest first.
            models.Index(
                fields=["-published_at", "id"],
                condition=models.Q(status="published"),
                name="vacancy_public_by_date",
            ),
            # The daily job finds the published vacancies whose closing date passed.
            models.Index(
                fields=["closing_date"],
                condition=models.Q(status="published"),
                name="vacancy_open_by_closing",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_min__lte=models.F("salary_max")),
                name="vacancy_salary_range_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__gte=MIN_HOURS, hours_per_week__lte=MAX_HOURS),
                name="vacancy_hours_per_week_in_bounds",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == VacancyStatus.PUBLISHED

    def clean(self) -> None:
        """The rules that hold whoever writes (form, API, job), with messages
        for people on the field they are about; the constraints below are the
        database's last word on the same rules."""
        super().clean()
        errors = rule_errors(self, timezone.localdate())
        if errors:
            raise ValidationError(errors)


def rule_errors(vacancy: Vacancy, today: date) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if (
        vacancy.closing_date is not None
        and vacancy.closing_date < today
        and vacancy.status != VacancyStatus.CLOSED
    ):
        errors["closing_date"] = [_("The closing date cannot lie in the past.")]
    low, high = vacancy.salary_min, vacancy.salary_max
    if low is not None and high is not None and low > high:
        errors["salary_max"] = [_("The highest salary cannot be lower than the lowest.")]
    if (low is not None or high is not None) and not vacancy.salary_period:
        errors["salary_period"] = [_("Say whether the salary is per hour, month or year.")]
    if vacancy.start_date and vacancy.end_date and vacancy.end_date < vacancy.start_date:
        errors["end_date"] = [_("The end date cannot lie before the start.")]
    return errors


class VacancySkill(OrganisationOwned):
    """An ESCO skill the vacancy asks for: required, or a plus."""

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="skills", verbose_name=_("vacancy")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="+", verbose_name=_("skill (ESCO)")
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Untick for a skill that is a plus.")
    )

    class Meta:
        ordering = ["-required", "created_at"]
        verbose_name = _("skill asked for")
        verbose_name_plural = _("skills asked for")
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "skill"],
                name="vacancy_skill_once",
                violation_error_message=_("The vacancy asks for this skill already."),
            )
        ]


class VacancyEvent(OrganisationOwned):
    """One step in a vacancy's history: it was created, changed status or was copied."""

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="events", verbose_name=_("vacancy")
    )
    status = models.CharField(_("status"), max_length=12, choices=VacancyStatus.choices)
    reason = models.CharField(
        _("reason"), max_length=20, choices=CloseReason.choices, blank=True, default=""
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    copied_from = models.ForeignKey(
        Vacancy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copied from"),
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("vacancy event")
        verbose_name_plural = _("vacancy events")


# --- Applications -----------------------------------------------------------


class Stage(models.TextChoices):
    """Where an application stands, in the order of the pipeline."""

    NEW = "new", _("new")
    SCREENING = "screening", _("screening")
    INTERVIEW = "interview", _("interview")
    OFFER = "offer", _("offer")
    HIRED = "hired", _("hired")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Stages after which nothing moves: the application is closed (the retention
# trigger `application_closed` starts at `closed_at`).
CLOSED_STAGES = (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN)
# The stages someone handling the vacancy moves an application to; "withdrawn"
# is the candidate's own step.
HANDLER_STAGES = (
    Stage.NEW, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER, Stage.HIRED, Stage.REJECTED,
)  # fmt: skip


# What the candidate reads about their application, in their own words.
STAGE_FOR_CANDIDATE = {
    Stage.NEW: _("received"),
    Stage.SCREENING: _("being looked at"),
    Stage.INTERVIEW: _("invited for an interview"),
    Stage.OFFER: _("an offer is being prepared"),
    Stage.HIRED: _("hired"),
    Stage.REJECTED: _("not chosen this time"),
    Stage.WITHDRAWN: _("withdrawn by you"),
}


class RejectionReason(models.TextChoices):
    REQUIREMENTS = "requirements", _("does not meet the requirements")
    OTHER_CANDIDATE = "other_candidate", _("another candidate was chosen")
    FILLED = "filled", _("the vacancy was filled")
    NO_SHOW = "no_show", _("did not come to the interview")
    OTHER = "other", _("another reason")


class Source(models.TextChoices):
    """How an application came in."""

    APPLIED = "applied", _("applied in Passend")
    PROPOSED = "proposed", _("proposed by a career advisor, agreed by the candidate")
    PUBLIC = "public", _("applied on the public job page")


# What an organisation's own stage may mean: every stage but "withdrawn",
# which is the candidate's own step and always exists.
CONFIGURABLE_PHASES = HANDLER_STAGES


class PipelineStage(OrganisationOwned):
    """One column of an organisation's pipeline: its own name, in its own order.

    Every stage belongs to a phase (`Stage`), which fixes what it means: the
    rules (a rejection needs a reason; hired and rejected close the
    application) and the words the candidate reads. An organisation without
    stages of its own works with the default pipeline, one stage per phase
    (`selectors.stages_of`); its first change writes the defaults down.
    """

    name = models.CharField(_("name"), max_length=60)
    phase = models.CharField(
        _("meaning"),
        max_length=12,
        choices=[(stage.value, stage.label) for stage in CONFIGURABLE_PHASES],
        help_text=_("What the stage means for the candidate and for the rules."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "created_at"]
        verbose_name = _("pipeline stage")
        verbose_name_plural = _("pipeline stages")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="pipeline_stage_name_once",
                violation_error_message=_("The pipeline has a stage of this name already."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Application(OrganisationOwned):
    """A candidate's application to a vacancy, with the documents they chose to include."""

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="applications", verbose_name=_("vacancy")
    )
    candidate = models.ForeignKey(
        CandidateProfile,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("candidate"),
    )
    # Encrypted: people write why they want the job, and often more.
    motivation = EncryptedTextField(_("motivation"), max_length=5000, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.NEW)
    rejection_reason = models.CharField(
        _("reason for rejection"),
        max_length=20,
        choices=RejectionReason.choices,
        blank=True,
        default="",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The organisation's own stage within `stage` (None: the phase's first stage).
    step = models.ForeignKey(
        PipelineStage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pipeline stage"),
    )
    source = models.CharField(
        _("came in"), max_length=10, choices=Source.choices, default=Source.APPLIED
    )
    # The advisor who proposed the candidate (Source.PROPOSED); an actor's reference.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    # The job interview, an appointment in the candidate's calendar.
    interview = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interview"),
    )
    # When the candidate answered, after a rejection, whether the application
    # may be kept a year (the answer itself is a consent record).
    keep_answered_at = models.DateTimeField(_("answered about keeping"), null=True, blank=True)
    # The privacy statement version shown to someone applying on a public page.
    statement_version = models.CharField(
        _("privacy statement version"), max_length=13, blank=True, default=""
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "candidate"],
                name="application_once_per_vacancy",
                violation_error_message=_("You have applied to this vacancy already."),
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "vacancy", "stage"], name="application_pipeline"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.vacancy}"

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES


class ApplicationDocument(OrganisationOwned):
    """A document the candidate chose to include with an application.

    A model of its own rather than a many-to-many field: the rights engine
    reaches it, like every row about a person, through its subject field.
    """

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("application"),
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("document included")
        verbose_name_plural = _("documents included")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "document"], name="application_document_once"
            )
        ]


class ApplicationEvent(OrganisationOwned):
    """One step of an application: it arrived, moved to a stage, was withdrawn."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("application")
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    rejection_reason = models.CharField(
        _("reason for rejection"),
        max_length=20,
        choices=RejectionReason.choices,
        blank=True,
        default="",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")


class ApplicationNote(OrganisationOwned):
    """A note on an application, private to the organisation: the candidate never sees it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="notes", verbose_name=_("application")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    # Encrypted: notes on a person say what people think of them.
    text = EncryptedTextField(_("note"), max_length=4000)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("application note")
        verbose_name_plural = _("application notes")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the candidate")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn by the advisor")


class Proposal(OrganisationOwned):
    """An advisor proposes a candidate for a vacancy; the candidate agrees first.

    Accepting makes an application (Source.PROPOSED) with the documents the
    candidate chooses; declining ends it. Nothing reaches the employer before
    the candidate said yes.
    """

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("vacancy")
    )
    candidate = models.ForeignKey(
        CandidateProfile,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("candidate"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    # Why the advisor thinks it fits, for the candidate to read.
    message = EncryptedTextField(_("message to the candidate"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    application = models.OneToOneField(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("application"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "candidate"],
                condition=models.Q(status="pending"),
                name="proposal_one_pending",
                violation_error_message=_(
                    "This candidate has been proposed for this vacancy already."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.vacancy}"


def public_cv_name(instance: Any, filename: str) -> str:
    """Server-made, like a document's: the uploader's file name is never used."""
    return f"applications/{instance.organisation_id}/{uuid.uuid4().hex}"


class PublicApplicationManager(ScopedManager):
    def by_token(self, raw_token: str) -> PublicApplication | None:
        """Find a waiting application by the secret in its confirmation link,
        before any scope exists (as an invitation is found): the one row whose
        link the visitor holds, never a list."""
        if not raw_token or len(raw_token) > 100:
            return None
        return (
            self._all_organisations()
            .select_related("organisation", "vacancy__employer")
            .filter(token_hash=hash_token(raw_token))
            .first()
        )


class PublicApplication(OrganisationOwned):
    """An application from the public job page, waiting for its e-mail to be confirmed.

    Only the confirmation link (its hash is stored) turns it into an
    application, with a candidate account that the person may claim later.
    Unconfirmed, it is deleted when it expires (PUBLIC_APPLICATION_DAYS).
    """

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="+", verbose_name=_("vacancy")
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    motivation = EncryptedTextField(_("motivation"), max_length=5000, blank=True)
    file = EncryptedFileField(_("CV"), upload_to=public_cv_name, max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    statement_version = models.CharField(_("privacy statement version"), max_length=13)
    language = models.CharField(_("language"), max_length=8, default="nl")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))

    objects: ClassVar[PublicApplicationManager] = PublicApplicationManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application waiting for confirmation")
        verbose_name_plural = _("applications waiting for confirmation")

    def __str__(self) -> str:
        return f"{self.name} → {self.vacancy_id}"
