"""Coaching (P1): trajectories, action plans with tasks, notes, appointments.

Everything here is about one candidate profile and belongs to the
organisation that coaches them. The candidate sees their own trajectories,
tasks, shared notes and appointments; professionals and admins of the
organisation manage them; employers never see any of it.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from passend.common.inputs import PLANNING_DATE, DateBounds
from passend.privacy.crypto.fields import EncryptedTextField
from passend.tenancy.models import Membership, OrganisationOwned, Role

CANDIDATE_PROFILE = "candidates.CandidateProfile"


def _is_advisor_of(membership: Membership | None, organisation_id: object) -> bool:
    return (
        membership is not None
        and membership.organisation_id == organisation_id
        and membership.role in (Role.ADMIN, Role.PROFESSIONAL)
    )


class TrajectoryStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    COMPLETED = "completed", _("completed")
    STOPPED = "stopped", _("stopped")


class Trajectory(OrganisationOwned):
    """A coaching trajectory of one candidate towards a goal."""

    candidate = models.ForeignKey(
        CANDIDATE_PROFILE,
        on_delete=models.CASCADE,
        related_name="trajectories",
        verbose_name=_("candidate"),
    )
    goal = models.CharField(_("goal"), max_length=300)
    scheme = models.ForeignKey(
        "candidates.Scheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scheme"),
        help_text=_("The scheme the trajectory runs under, e.g. Participatiewet or jobcoach."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TrajectoryStatus.choices,
        default=TrajectoryStatus.PLANNED,
    )
    start_date = models.DateField(_("start date"))
    input_date_bounds: ClassVar[dict[str, DateBounds]] = dict.fromkeys(
        ("start_date", "end_date"), PLANNING_DATE
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    professional = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible career advisor"),
    )

    class Meta:
        ordering = ["-start_date", "-created_at"]
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        # The scoped manager always filters on the organisation: lead with it, or
        # SQLite picks the organisation index alone and scans the tenant.
        indexes = [
            models.Index(
                fields=["organisation", "candidate", "status"], name="coaching_traj_cand_status"
            )
        ]

    def __str__(self) -> str:
        return self.goal

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[ValidationError]] = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors.setdefault("end_date", []).append(
                ValidationError(
                    _("The end date cannot be before the start date."), code="end_before_start"
                )
            )
        if self.professional_id is not None and not _is_advisor_of(
            self.professional, self.organisation_id
        ):
            errors.setdefault("professional", []).append(
                ValidationError(
                    _("Choose a career advisor of this organisation."), code="not_a_professional"
                )
            )
        scheme = self.scheme if self.scheme_id is not None else None
        if scheme is not None and scheme.organisation_id != self.organisation_id:
            errors.setdefault("scheme", []).append(
                ValidationError(_("Choose a scheme of this organisation."), code="other_scheme")
            )
        if errors:
            raise ValidationError(errors)


class TrajectoryEvent(OrganisationOwned):
    """A change of a trajectory's status, for the timeline."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="events", verbose_name=_("trajectory")
    )
    status = models.CharField(_("status"), max_length=20, choices=TrajectoryStatus.choices)
    by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("trajectory event")
        verbose_name_plural = _("trajectory events")

    def __str__(self) -> str:
        return self.get_status_display()


class ActionPlan(OrganisationOwned):
    """The plan of a trajectory: the steps (tasks) towards its goal."""

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, related_name="plan", verbose_name=_("trajectory")
    )
    summary = EncryptedTextField(_("summary"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return str(self.trajectory)


class Assignee(models.TextChoices):
    CANDIDATE = "candidate", _("candidate")
    PROFESSIONAL = "professional", _("career advisor")


class Task(OrganisationOwned):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("action plan")
    )
    # The candidate the plan is for, kept on the task so that lists and counts
    # need no three-table join.
    candidate = models.ForeignKey(
        CANDIDATE_PROFILE, on_delete=models.CASCADE, related_name="+", verbose_name=_("candidate")
    )
    title = models.CharField(_("title"), max_length=200)
    description = EncryptedTextField(_("description"), max_length=4000, blank=True)
    assignee = models.CharField(
        _("for"), max_length=20, choices=Assignee.choices, default=Assignee.CANDIDATE
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    input_date_bounds: ClassVar[dict[str, DateBounds]] = {"due_date": PLANNING_DATE}
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_date", "created_at"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(
                fields=["organisation", "candidate", "done_at"], name="coaching_task_cand_done"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def clean(self) -> None:
        super().clean()
        if (
            self.plan_id is not None
            and self.candidate_id is not None
            and self.plan.trajectory.candidate_id != self.candidate_id
        ):
            raise ValidationError(_("A task belongs to the candidate of its plan."))


class NoteVisibility(models.TextChoices):
    """Where a note is shown. No note is secret from the candidate: the right
    of access (GDPR Art. 15) covers every note, so a note not shown on the
    candidate's pages is still in the copy of their data they can ask for
    (docs/adr/0005-notes-hidden-from-candidate-pages.md)."""

    NOT_SHOWN_TO_CANDIDATE = "not_shown_to_candidate", _("not shown on the candidate's pages")
    SHARED = "shared", _("shown to the candidate")


NOT_SHOWN_EXPLANATION = _(
    "The candidate does not see this note in Passend, but it is included when they ask "
    "for a copy of their data (right of access, GDPR Art. 15)."
)


class Note(OrganisationOwned):
    candidate = models.ForeignKey(
        CANDIDATE_PROFILE, on_delete=models.CASCADE, related_name="+", verbose_name=_("candidate")
    )
    author = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = EncryptedTextField(_("note"), max_length=10000)
    visibility = models.CharField(
        _("visibility"),
        max_length=30,
        choices=NoteVisibility.choices,
        default=NoteVisibility.NOT_SHOWN_TO_CANDIDATE,
        help_text=NOT_SHOWN_EXPLANATION,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created_at:%Y-%m-%d}"

    @property
    def is_shared(self) -> bool:
        return self.visibility == NoteVisibility.SHARED

    @property
    def visibility_explanation(self) -> str:
        """What advisors are told next to a note the candidate's pages do not show."""
        return "" if self.is_shared else str(NOT_SHOWN_EXPLANATION)


class Appointment(OrganisationOwned):
    candidate = models.ForeignKey(
        CANDIDATE_PROFILE, on_delete=models.CASCADE, related_name="+", verbose_name=_("candidate")
    )
    starts_at = models.DateTimeField(_("when"))
    input_date_bounds: ClassVar[dict[str, DateBounds]] = {"starts_at": PLANNING_DATE}
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    professional = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("career advisor"),
    )
    with_whom = models.CharField(
        _("with whom"),
        max_length=200,
        blank=True,
        help_text=_("Others taking part, e.g. an employer or a job coach."),
    )
    notes = EncryptedTextField(_("notes"), max_length=4000, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [
            models.Index(
                fields=["organisation", "candidate", "starts_at"], name="coaching_appt_cand_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        if not self.place and not self.online_link:
            errors["place"] = ValidationError(_("Give a place or an online link."), code="no_place")
        if self.online_link and not self.online_link.lower().startswith("https://"):
            errors["online_link"] = ValidationError(
                _("An online link starts with https://."), code="not_https"
            )
        if self.professional_id is not None and not _is_advisor_of(
            self.professional, self.organisation_id
        ):
            errors["professional"] = ValidationError(
                _("Choose a career advisor of this organisation."), code="not_a_professional"
            )
        if errors:
            raise ValidationError(errors)
