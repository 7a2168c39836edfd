"""Reads for the start pages. They run inside the request's organisation scope,
so every query goes through the scoped managers and sees one organisation only;
each costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from passend.candidates import selectors as candidate_selectors
from passend.candidates.counts import cached_count
from passend.candidates.models import (
    AvailabilitySlot,
    CandidateProfile,
    CandidateSkill,
    Education,
    ProfileShare,
    WorkExperience,
)
from passend.coaching.models import Appointment, Task, Trajectory, TrajectoryStatus
from passend.documents.models import Document, DocumentKind
from passend.privacy.requests import selectors as request_selectors
from passend.privacy.requests.deadlines import DUE_SOON_DAYS
from passend.privacy.requests.models import DataSubjectRequest
from passend.tenancy import selectors as tenancy_selectors
from passend.tenancy.models import Employer, Invitation, Membership, Role
from passend.vacancies.access import vacancies_for_actor
from passend.vacancies.models import Proposal, ProposalStatus, VacancyStatus


@dataclass(frozen=True)
class RoleCount:
    role: str
    label: str
    count: int


@dataclass(frozen=True)
class OrganisationOverview:
    role_counts: list[RoleCount]
    members: int
    pending_invitations: int
    employers: int


def organisation_overview() -> OrganisationOverview:
    """The admin's organisation at a glance: members per role, open invitations, employers."""
    # A pass over every membership: cached until a membership changes (candidates.counts).
    by_role = cached_count("members-by-role", tenancy_selectors.member_counts_by_role)
    role_counts = [
        RoleCount(role.value, str(role.label), by_role.get(role.value, 0)) for role in Role
    ]
    return OrganisationOverview(
        role_counts=role_counts,
        members=sum(row.count for row in role_counts),
        pending_invitations=tenancy_selectors.pending_invitation_count(),
        employers=Employer.objects.count(),
    )


def pending_invitations_sent_by(actor: Membership) -> QuerySet[Invitation]:
    """Invitations this member sent that nobody has answered yet, newest first."""
    return (
        Invitation.objects.filter(
            invited_by=actor,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("employer")
        .order_by("-created_at")
    )


# --- The candidate's home -------------------------------------------------

CURRENT_STATUSES = (TrajectoryStatus.PLANNED, TrajectoryStatus.ACTIVE, TrajectoryStatus.PAUSED)


@dataclass(frozen=True)
class ProfilePart:
    """One part of a complete profile: whether it is filled, and where to fill it."""

    key: str
    label: str
    filled: bool
    url: str


@dataclass(frozen=True)
class ProfileCompleteness:
    parts: list[ProfilePart]

    @property
    def done(self) -> int:
        return sum(1 for part in self.parts if part.filled)

    @property
    def total(self) -> int:
        return len(self.parts)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def missing(self) -> list[ProfilePart]:
        return [part for part in self.parts if not part.filled]

    @property
    def cv(self) -> ProfilePart:
        return next(part for part in self.parts if part.key == "cv")


# What makes a profile complete enough to look for work with: the personal
# details an advisor and an employer need, the sections that say what the
# person can do and when, and a CV. Optional parts (leave, social media,
# schemes, web links, the payroll numbers) do not count: not everyone has them.
_SECTION_PARTS: tuple[tuple[str, Any, Promise], ...] = (
    ("work", WorkExperience, _("Work history")),
    ("education", Education, _("Education history")),
    ("skills", CandidateSkill, _("Skills")),
    ("availability", AvailabilitySlot, _("Weekly availability")),
)


def profile_completeness(actor: Membership) -> tuple[ProfileCompleteness, int]:
    """How complete the candidate's own profile is, each missing part with a link
    to where it is filled, and how many documents they have. One query."""
    profile = (
        CandidateProfile.objects.filter(membership=actor)
        .annotate(
            **{
                f"has_{kind}": Exists(model.objects.filter(profile=OuterRef("pk")))
                for kind, model, _label in _SECTION_PARTS
            },
            has_cv=Exists(Document.objects.filter(candidate=OuterRef("pk"), kind=DocumentKind.CV)),
            document_count=Coalesce(
                Subquery(
                    Document.objects.filter(candidate=OuterRef("pk"))
                    .order_by()
                    .values("candidate")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .first()
    )
    # Without a profile yet, every link leads to "My profile", which makes it.
    me = reverse("candidates:me")
    edit = reverse("candidates:edit", args=[profile.pk]) if profile else me

    def section_url(kind: str) -> str:
        return reverse("candidates:section_add", args=[profile.pk, kind]) if profile else me

    def has(name: str) -> bool:
        return bool(profile is not None and getattr(profile, name))

    parts = [
        ProfilePart("name", str(_("Name")), has("first_name") and has("last_name"), edit),
        ProfilePart(
            "contact", str(_("E-mail address or phone number")),
            has("email") or has("phone"), edit,
        ),
        ProfilePart("city", str(_("Place of residence")), has("city"), edit),
        ProfilePart("interests", str(_("Interests")), has("interests"), edit),
        *(
            ProfilePart(kind, str(label), has(f"has_{kind}"), section_url(kind))
            for kind, _model, label in _SECTION_PARTS
        ),
        ProfilePart("cv", str(_("CV")), has("has_cv"), reverse("documents:mine")),
    ]  # fmt: skip
    documents = profile.document_count if profile is not None else 0
    return ProfileCompleteness(parts), documents


@dataclass(frozen=True)
class OpenTask:
    task: Task
    overdue: bool


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str
    label: str


@dataclass(frozen=True)
class CandidateHome:
    completeness: ProfileCompleteness
    documents: int
    trajectories: list[Trajectory]
    open_tasks: list[OpenTask]
    open_task_count: int
    overdue_task_count: int
    next_appointments: list[Appointment]
    next_step: NextStep | None
    # More current trajectories than the home shows; "my plan" has them all.
    more_trajectories: bool = False


HOME_TASKS = 5
HOME_TRAJECTORIES = 3


def candidate_home(actor: Membership) -> CandidateHome:
    """The candidate's home: profile completeness, open tasks (the earliest due
    first, overdue flagged), the next appointment and the one next step."""
    completeness, documents = profile_completeness(actor)
    today = timezone.localdate()
    open_tasks = Task.objects.filter(candidate__membership=actor, done_at__isnull=True)
    counts = open_tasks.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today))
    )
    tasks = [
        OpenTask(task, task.due_date is not None and task.due_date < today)
        for task in open_tasks.order_by(F("due_date").asc(nulls_last=True), "created_at")[
            :HOME_TASKS
        ]
    ]
    appointments = (
        Appointment.objects.filter(candidate__membership=actor, starts_at__gte=timezone.now())
        .select_related("professional__user")
        .order_by("starts_at")
    )
    # One more than shown, to know whether there are more.
    trajectories = list(
        Trajectory.objects.filter(candidate__membership=actor, status__in=CURRENT_STATUSES)[
            : HOME_TRAJECTORIES + 1
        ]
    )
    return CandidateHome(
        completeness=completeness,
        documents=documents,
        trajectories=trajectories[:HOME_TRAJECTORIES],
        more_trajectories=len(trajectories) > HOME_TRAJECTORIES,
        open_tasks=tasks,
        open_task_count=counts["total"],
        overdue_task_count=counts["overdue"],
        next_appointments=list(appointments[:1]),
        next_step=_candidate_next_step(completeness, tasks, _waiting_proposal(actor)),
    )


def _waiting_proposal(actor: Membership) -> Proposal | None:
    """The newest vacancy an advisor proposed that waits for the candidate's answer."""
    return (
        Proposal.objects.filter(
            candidate__membership=actor,
            status=ProposalStatus.PENDING,
            vacancy__status=VacancyStatus.PUBLISHED,
        )
        .select_related("vacancy")
        .order_by("-created_at")
        .first()
    )


def _candidate_next_step(
    completeness: ProfileCompleteness, tasks: list[OpenTask], proposal: Proposal | None = None
) -> NextStep | None:
    """The most useful thing to do now: a proposal to answer (its vacancy closes),
    an overdue task, then a gap in the profile, then the next open task."""
    if proposal is not None:
        return NextStep(
            str(
                _("Your career advisor proposes you for %(title)s: do you want to apply?")
                % {"title": proposal.vacancy.title}
            ),
            reverse("vacancies:proposal", args=[proposal.pk]),
            str(_("Read and answer")),
        )
    plan = reverse("coaching:me")
    overdue = [open_task for open_task in tasks if open_task.overdue]
    if overdue:
        return NextStep(
            str(_("A task is past its due date: %(title)s.") % {"title": overdue[0].task.title}),
            plan,
            str(_("Open my plan")),
        )
    if completeness.missing:
        part = completeness.missing[0]
        return NextStep(
            str(_("Still missing from your profile: %(part)s.") % {"part": part.label}),
            part.url,
            str(_("Fill it in")),
        )
    if tasks:
        return NextStep(
            str(_("Your next task: %(title)s.") % {"title": tasks[0].task.title}),
            plan,
            str(_("Open my plan")),
        )
    return None


# --- The career advisor's home --------------------------------------------


@dataclass(frozen=True)
class AdvisorHome:
    my_candidates: int
    overdue_tasks: int
    overdue_candidates: int
    appointments_today: list[Appointment]  # the first HOME_APPOINTMENTS of them
    appointments_today_count: int
    appointments_this_week: int
    without_trajectory: int
    all_candidates: int

    @property
    def more_appointments_today(self) -> int:
        return self.appointments_today_count - len(self.appointments_today)


HOME_APPOINTMENTS = 12


def advisor_home(actor: Membership) -> AdvisorHome:
    """The advisor's day: their candidates, overdue tasks among them, their own
    appointments today and this week, and the organisation's candidates that
    have no trajectory yet. Four queries, however many candidates: the
    counts (the home page's only ones) share one pass over the organisation."""
    today = timezone.localdate()
    now = timezone.localtime()
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    end_of_day = start_of_day + timedelta(days=1)
    # The week runs Monday to Sunday, as on a Dutch calendar.
    end_of_week = start_of_day + timedelta(days=7 - now.weekday())
    mine = Trajectory.objects.filter(professional=actor, status__in=CURRENT_STATUSES).values(
        "candidate"
    )
    candidates = CandidateProfile.objects.filter(
        membership__is_active=True, membership__role=Role.CANDIDATE
    )
    # One pass over the organisation's candidates, cached until a membership,
    # profile or trajectory of the organisation changes (candidates.counts).
    counts = cached_count(
        f"advisor-home:{actor.pk}",
        lambda: candidates.aggregate(
            all=Count("pk"),
            mine=Count("pk", filter=Q(pk__in=mine)),
            # The same rule as the caseload's "no trajectory" filter, which the page links to.
            without_trajectory=Count(
                "pk", filter=~Q(pk__in=Trajectory.objects.values("candidate"))
            ),
        ),
    )
    # From the advisor's trajectories to their candidates' tasks (a join, not
    # a nested IN over the organisation's profiles, which the planner answered
    # by reading every profile).
    overdue = Task.objects.filter(
        candidate__in=mine,
        candidate__membership__is_active=True,
        candidate__membership__role=Role.CANDIDATE,
        done_at__isnull=True,
        due_date__lt=today,
    ).aggregate(tasks=Count("pk"), candidates=Count("candidate", distinct=True))
    week = Appointment.objects.filter(
        professional=actor, starts_at__gte=start_of_day, starts_at__lt=end_of_week
    )
    planned = week.aggregate(
        week=Count("pk"), today=Count("pk", filter=Q(starts_at__lt=end_of_day))
    )
    # A full day is a handful; a window keeps a crowded one from growing the page.
    today_first = list(
        week.filter(starts_at__lt=end_of_day)
        .select_related("candidate__membership__user")
        .order_by("starts_at")[:HOME_APPOINTMENTS]
    )
    return AdvisorHome(
        my_candidates=counts["mine"],
        overdue_tasks=overdue["tasks"],
        overdue_candidates=overdue["candidates"],
        appointments_today=today_first,
        appointments_today_count=planned["today"],
        appointments_this_week=planned["week"],
        without_trajectory=counts["without_trajectory"],
        all_candidates=counts["all"],
    )


# --- The employer's home --------------------------------------------------

HOME_SHARES = 5


@dataclass(frozen=True)
class EmployerHome:
    recent_shares: list[CandidateProfile]
    shared_count: int
    vacancies: dict[str, int]  # per status, the company's own

    @property
    def vacancy_count(self) -> int:
        return sum(self.vacancies.values())


def employer_home(actor: Membership) -> EmployerHome:
    """The profiles currently shared with the employer, most recently shared
    first: the same rule as the list of shared profiles (both halves given, not
    revoked, no restriction in force)."""
    shared = candidate_selectors.shared_with_employer(actor)
    last_shared = ProfileShare.objects.filter(
        profile=OuterRef("pk"), employer_id=actor.employer_id, revoked_at__isnull=True
    ).order_by("-shared_at")
    recent = shared.annotate(last_shared_at=Subquery(last_shared.values("shared_at")[:1]))
    by_status = vacancies_for_actor(actor).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in VacancyStatus.values}
    )
    return EmployerHome(
        recent_shares=list(recent.order_by("-last_shared_at", "pk")[:HOME_SHARES]),
        shared_count=shared.count(),
        vacancies=by_status,
    )


# --- The administrator's home ---------------------------------------------

HOME_REQUESTS = 5
HOME_INVITATIONS = 5


@dataclass(frozen=True)
class DeadlineBucket:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class DeskRow:
    """An open request and where it stands against its legal deadline."""

    request: DataSubjectRequest
    deadline: date
    days_left: int

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def due_soon(self) -> bool:
        return 0 <= self.days_left <= DUE_SOON_DAYS


@dataclass(frozen=True)
class PrivacyDesk:
    open_requests: list[DeskRow]
    open_count: int
    buckets: list[DeadlineBucket]

    @property
    def overdue(self) -> int:
        return self.buckets[0].count


def privacy_desk() -> PrivacyDesk:
    """The organisation's open requests about personal data, the earliest legal
    deadline (extended date once extended) first, and how many are overdue, due
    within a week, or later. Two queries."""
    today = timezone.localdate()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    queue = request_selectors.request_queue().annotate(
        deadline_on=Coalesce("extended_until", "due_on")
    )
    counts = queue.aggregate(
        overdue=Count("pk", filter=Q(deadline_on__lt=today)),
        soon=Count("pk", filter=Q(deadline_on__gte=today, deadline_on__lte=soon)),
        later=Count("pk", filter=Q(deadline_on__gt=soon)),
    )
    buckets = [
        DeadlineBucket("overdue", str(_("Overdue")), counts["overdue"]),
        DeadlineBucket("soon", str(_("Due within 7 days")), counts["soon"]),
        DeadlineBucket("later", str(_("Due later")), counts["later"]),
    ]
    rows = [
        DeskRow(request, request.deadline, (request.deadline - today).days)
        for request in queue.order_by("deadline_on", "received_at")[:HOME_REQUESTS]
    ]
    return PrivacyDesk(rows, sum(bucket.count for bucket in buckets), buckets)


def pending_invitations() -> list[Invitation]:
    """The organisation's invitations nobody answered yet, those expiring first on top."""
    return list(
        Invitation.objects.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("employer")
        .order_by("expires_at")[:HOME_INVITATIONS]
    )
