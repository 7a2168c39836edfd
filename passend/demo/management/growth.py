"""Grow a demo organisation to many candidates, fast (`manage.py grow_demo`).

The load benchmark (benchmarks/load, docs/performance.md) needs an
organisation of 10,000 candidates with histories like the demo's: a filled
profile, work experience, education, availability and skills, a trajectory
with its action plan, status events, tasks and notes, and this week's
appointment. `population.py` makes them one by one through the services
(about a second each); this module writes the same shapes with bulk_create,
in batches, so 10,000 take a minute or two.

- The people come from the same pure `candidate_plan` as the demo (Faker
  nl_NL), keyed on an e-mail address per organisation and number
  (`groei-<slug>-00001@demo.passend.test`), so a second run adds only what is
  missing: it grows the organisation *to* the target, never past it.
- Encrypted fields are encrypted by bulk_create as by save() (the field's
  pre_save), with the organisation's data key; everything is written inside
  the organisation's scope.
- Rows are dated in the past as a person's history would be (created_at is
  set, not "now"), so timelines and "recent" lists look real.
- It writes no audit events and sends no notifications: it is seed data, like
  `seed_demo`, not anyone's action.
- The first `rich` new candidates get a long history (two years of weekly
  appointments, hundreds of tasks and notes): the pages that grow with a
  person's history are measured on them.
- An organisation of that size has a team to match: career advisors are
  added until each has about `caseload` candidates (100 by default; Dutch
  re-integration caseloads run from 30 to about 150). The first persona
  advisor (bob) keeps the largest caseload, twice the others'. Without them
  three advisors would each "coach" thousands, a situation no page of an
  advisor is made for and no benchmark should measure as the normal case.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from faker import Faker

from passend.candidates import counts
from passend.candidates.models import (
    AvailabilitySlot,
    CandidateProfile,
    CandidateSkill,
    Education,
    SkillLevel,
    WorkExperience,
)
from passend.coaching.models import (
    ActionPlan,
    Appointment,
    Note,
    NoteVisibility,
    Task,
    Trajectory,
    TrajectoryEvent,
    TrajectoryStatus,
)
from passend.common.scope import organisation_scope
from passend.common.sorting import sort_key
from passend.demo.management.demo import DEMO_DOMAIN, SEED
from passend.demo.management.population import (
    CURRENT,
    NOTES,
    TASKS,
    CandidatePlan,
    candidate_plan,
    make_context,
)
from passend.demo.personas import DEMO_PASSWORD
from passend.privacy.crypto.envelope import encrypt_text
from passend.privacy.crypto.fields import Ciphertext, encrypted_fields
from passend.privacy.crypto.keys import primary_key
from passend.taxonomy.models import OccupationSkill
from passend.tenancy.models import Membership, Organisation, Role

BATCH = 500
CASELOAD = 100
# A long history: two years of weekly meetings, with the tasks and notes they bring.
RICH_WEEKS = 104
RICH_TASKS_PER_WEEK = 3
RICH_NOTES_PER_WEEK = 2


def grown_email(organisation: Organisation, number: int) -> str:
    return f"groei-{organisation.slug}-{number:05d}@{DEMO_DOMAIN}"


def grown_advisor_email(organisation: Organisation, number: int) -> str:
    return f"adviseur-{organisation.slug}-{number:03d}@{DEMO_DOMAIN}"


@dataclass
class GrowResult:
    before: int
    created: int
    after: int
    advisors_added: int = 0
    rich: list[str] = field(default_factory=list)  # e-mail addresses with a long history


@dataclass
class _Batch:
    """The rows of one batch, in the order they are written."""

    users: list[Any] = field(default_factory=list)
    addresses: list[Any] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    profiles: list[CandidateProfile] = field(default_factory=list)
    sections: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    trajectories: list[Trajectory] = field(default_factory=list)
    plans: list[ActionPlan] = field(default_factory=list)
    events: list[TrajectoryEvent] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)

    def section(self, obj: models.Model) -> None:
        self.sections.setdefault(type(obj), []).append(obj)


@contextlib.contextmanager
def _explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the created_at/updated_at we set instead of "now"."""
    saved: list[tuple[Any, bool, bool]] = []
    for model in model_classes:
        for name in ("created_at", "updated_at"):
            try:
                stamp: Any = model._meta.get_field(name)
            except Exception:  # noqa: S112 - a model without the field keeps its own
                continue
            saved.append((stamp, stamp.auto_now, stamp.auto_now_add))
            stamp.auto_now = stamp.auto_now_add = False
    try:
        yield
    finally:
        for stamp, auto_now, auto_now_add in saved:
            stamp.auto_now, stamp.auto_now_add = auto_now, auto_now_add


def _dated(obj: Any, when: datetime) -> Any:
    obj.created_at = obj.updated_at = when
    return obj


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _name(faker: Faker, seed: int, number: int) -> str:
    digest = hashlib.sha256(f"{seed}:grow:{number}".encode()).digest()
    faker.seed_instance(int.from_bytes(digest[:8], "big"))
    while True:
        last = str(faker.last_name())
        if "," not in last:
            return f"{faker.first_name()} {last}"


class _Builder:
    """Turns plans into unsaved rows of one organisation."""

    def __init__(self, organisation: Organisation, seed: int, password: str) -> None:
        self.organisation = organisation
        self.seed = seed
        self.password = password
        lead = (
            Membership.objects.filter(role=Role.PROFESSIONAL, is_active=True)
            .order_by("created_at")
            .first()
        )
        if lead is None:
            raise ValueError(f"{organisation.slug} has no career advisor to coach its candidates.")
        self.ctx = make_context(organisation, lead)
        self.skills: dict[str, list[Any]] = {}
        for name, occupation in self.ctx.occupations.items():
            self.skills[name] = [
                link.skill
                for link in OccupationSkill.objects.filter(occupation=occupation)
                .select_related("skill")
                .order_by("skill__uri")[:6]
            ]
        self.now = timezone.now()

    def add(self, batch: _Batch, plan: CandidatePlan, name: str, index: int, rich: bool) -> None:
        org = self.organisation
        today = self.ctx.today
        joined = self.now - timedelta(days=max(30, -plan.start_in_days + 14))
        user = get_user_model()(
            email=plan.email, name=name, password=self.password, date_joined=joined
        )
        batch.users.append(user)
        # bulk_create skips save(): the lists' sort key is set here (passend.common.sorting).
        membership = _dated(
            Membership(organisation=org, user=user, role=Role.CANDIDATE, sort_name=sort_key(name)),
            joined,
        )
        batch.memberships.append(membership)
        profile = _dated(
            CandidateProfile(
                organisation=org,
                membership=membership,
                sort_name=membership.sort_name,
                **plan.profile,
            ),
            joined,
        )
        batch.profiles.append(profile)
        works = plan.work * (4 if rich else 1)
        for work in works:
            batch.section(
                _dated(
                    WorkExperience(
                        organisation=org,
                        profile=profile,
                        employer_name=work.employer_name,
                        role=work.occupation.capitalize(),
                        occupation=self.ctx.occupations.get(work.occupation),
                        started_on=today - timedelta(days=work.started_days_ago),
                        ended_on=today - timedelta(days=work.ended_days_ago)
                        if work.ended_days_ago is not None
                        else None,
                        description=work.description,
                    ),
                    joined,
                )
            )
        batch.section(
            _dated(Education(organisation=org, profile=profile, **plan.education), joined)
        )
        for weekday, start, end in plan.availability:
            batch.section(
                _dated(
                    AvailabilitySlot(
                        organisation=org,
                        profile=profile,
                        weekday=weekday,
                        starts_at=time(start),
                        ends_at=time(end),
                    ),
                    joined,
                )
            )
        levels = SkillLevel.values
        for number, skill in enumerate(self.skills.get(plan.occupation, [])[: plan.skill_count]):
            batch.section(
                _dated(
                    CandidateSkill(
                        organisation=org,
                        profile=profile,
                        skill=skill,
                        level=levels[number % len(levels)],
                    ),
                    joined,
                )
            )
        if rich:
            self._rich_history(batch, plan, profile, index)
        elif plan.status is not None:
            self._trajectory(batch, plan, profile, index)

    def _advisor(self, index: int) -> Membership:
        return self.ctx.advisors[index % len(self.ctx.advisors)]

    def _start(
        self,
        batch: _Batch,
        profile: CandidateProfile,
        *,
        goal: str,
        status: str,
        start: date,
        end: date | None,
        advisor: Membership,
    ) -> ActionPlan:
        org = self.organisation
        started = _aware(start, 9) if start <= self.ctx.today else self.now
        trajectory = _dated(
            Trajectory(
                organisation=org,
                candidate=profile,
                goal=goal,
                status=status,
                start_date=start,
                end_date=end,
                professional=advisor,
            ),
            started,
        )
        batch.trajectories.append(trajectory)
        plan = _dated(ActionPlan(organisation=org, trajectory=trajectory), started)
        batch.plans.append(plan)
        batch.events.append(
            _dated(
                TrajectoryEvent(organisation=org, trajectory=trajectory, status=status, by=advisor),
                started,
            )
        )
        return plan

    def _trajectory(
        self, batch: _Batch, plan: CandidatePlan, profile: CandidateProfile, index: int
    ) -> None:
        org = self.organisation
        today = self.ctx.today
        advisor = self._advisor(index)
        assert plan.status is not None
        start = today + timedelta(days=plan.start_in_days)
        action_plan = self._start(
            batch,
            profile,
            goal=plan.goal,
            status=plan.status,
            start=start,
            end=today + timedelta(days=plan.end_in_days) if plan.end_in_days else None,
            advisor=advisor,
        )
        begun = _aware(min(start, today), 10)
        for number, spec in enumerate(plan.tasks):
            due = today + timedelta(days=spec.due_in_days) if spec.due_in_days is not None else None
            done_at = _aware(due or today, 15) if spec.done else None
            batch.tasks.append(
                _dated(
                    Task(
                        organisation=org,
                        plan=action_plan,
                        candidate=profile,
                        title=spec.title,
                        assignee=spec.assignee,
                        due_date=due,
                        progress=100 if spec.done else 0,
                        done_at=min(done_at, self.now) if done_at else None,
                    ),
                    begun + timedelta(minutes=number),
                )
            )
        for number, (text, shared) in enumerate(plan.notes):
            batch.notes.append(
                _dated(
                    Note(
                        organisation=org,
                        candidate=profile,
                        author=advisor,
                        text=text,
                        visibility=NoteVisibility.SHARED
                        if shared
                        else NoteVisibility.NOT_SHOWN_TO_CANDIDATE,
                    ),
                    min(begun + timedelta(days=7 * (number + 1), hours=2), self.now),
                )
            )
        if plan.status in CURRENT:
            day = self.ctx.week_days[plan.appointment_day % len(self.ctx.week_days)]
            batch.appointments.append(
                _dated(self._appointment(profile, advisor, day, plan), self.now)
            )

    def _appointment(
        self, profile: CandidateProfile, advisor: Membership | None, day: date, plan: CandidatePlan
    ) -> Appointment:
        org = self.organisation
        return Appointment(
            organisation=org,
            candidate=profile,
            starts_at=_aware(day, plan.appointment_hour),
            duration_minutes=45,
            place="" if plan.online else f"Kantoor {org.name}, {org.city}",
            online_link=f"https://video.{org.slug}.passend.test/gesprek" if plan.online else "",
            professional=advisor,
        )

    def _rich_history(
        self, batch: _Batch, plan: CandidatePlan, profile: CandidateProfile, index: int
    ) -> None:
        """Two years of weekly coaching: one long, active trajectory."""
        org = self.organisation
        today = self.ctx.today
        advisor = self._advisor(index)
        rng = random.Random(f"{self.seed}:rich:{plan.email}")  # noqa: S311 - demo data
        start = today - timedelta(weeks=RICH_WEEKS)
        action_plan = self._start(
            batch,
            profile,
            goal=plan.goal,
            status=TrajectoryStatus.ACTIVE,
            start=start,
            end=None,
            advisor=advisor,
        )
        first = plan.profile["first_name"]
        for week in range(RICH_WEEKS + 1):
            day = start + timedelta(weeks=week)
            for number in range(RICH_TASKS_PER_WEEK):
                title, assignee = TASKS[(week + number) % len(TASKS)]
                title = title.format(occupation=plan.occupation)
                due = day + timedelta(days=7 + number)
                done = due < today - timedelta(days=7) or rng.random() < 0.2
                batch.tasks.append(
                    _dated(
                        Task(
                            organisation=org,
                            plan=action_plan,
                            candidate=profile,
                            title=title,
                            description=f"Week {week + 1}: {title}.",
                            assignee=assignee,
                            due_date=due,
                            progress=100 if done else rng.choice([0, 25, 50]),
                            done_at=_aware(min(due, today), 16) if done else None,
                        ),
                        _aware(min(day, today), 11, number),
                    )
                )
            for number in range(RICH_NOTES_PER_WEEK):
                text, shared = NOTES[(week + number) % len(NOTES)]
                batch.notes.append(
                    _dated(
                        Note(
                            organisation=org,
                            candidate=profile,
                            author=advisor,
                            text=text.format(occupation=plan.occupation, name=first),
                            visibility=NoteVisibility.SHARED
                            if shared
                            else NoteVisibility.NOT_SHOWN_TO_CANDIDATE,
                        ),
                        _aware(min(day, today), 12, number),
                    )
                )
            appointment = self._appointment(profile, advisor, day, plan)
            batch.appointments.append(_dated(appointment, _aware(min(day, today), 8)))


def _encrypt(organisation: Organisation, groups: list[list[Any]]) -> None:
    """Encrypt the batch's personal values as save() would, with one key lookup.

    (The field encrypts in pre_save too, but looks the primary key up for
    every value; a value that is Ciphertext already is written as it is.)
    """
    key = primary_key(organisation)
    for rows in groups:
        if not rows:
            continue
        for column in encrypted_fields(type(rows[0])):
            for row in rows:
                value = getattr(row, column.attname)
                if value and not isinstance(value, Ciphertext):
                    sealed = encrypt_text(
                        str(value), organisation=organisation, context=column.context, key=key
                    )
                    setattr(row, column.attname, Ciphertext(sealed))


def _write(organisation: Organisation, batch: _Batch) -> None:
    from allauth.account.models import EmailAddress

    _encrypt(
        organisation,
        [
            batch.profiles,
            *batch.sections.values(),
            batch.plans,
            batch.tasks,
            batch.notes,
            batch.appointments,
        ],
    )

    user_model = get_user_model()
    user_model.objects.bulk_create(batch.users, batch_size=BATCH)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in batch.users],
        batch_size=BATCH,
    )
    # bulk_create takes the users' new primary keys from the related objects.
    Membership.objects.bulk_create(batch.memberships, batch_size=BATCH)
    CandidateProfile.objects.bulk_create(batch.profiles, batch_size=BATCH)
    for model, rows in batch.sections.items():
        model._default_manager.bulk_create(rows, batch_size=BATCH)
    Trajectory.objects.bulk_create(batch.trajectories, batch_size=BATCH)
    ActionPlan.objects.bulk_create(batch.plans, batch_size=BATCH)
    TrajectoryEvent.objects.bulk_create(batch.events, batch_size=BATCH)
    Task.objects.bulk_create(batch.tasks, batch_size=BATCH)
    Note.objects.bulk_create(batch.notes, batch_size=BATCH)
    Appointment.objects.bulk_create(batch.appointments, batch_size=BATCH)
    # bulk_create sends no signals: the lists' cached totals start anew.
    if batch.memberships:
        counts.changed(batch.memberships[0].organisation_id)


def _ensure_advisors(organisation: Organisation, wanted: int, seed: int) -> int:
    """Add grown career advisors until the organisation has `wanted` active ones."""
    from allauth.account.models import EmailAddress

    have = Membership.objects.filter(role=Role.PROFESSIONAL, is_active=True).count()
    if have >= wanted:
        return 0
    user_model = get_user_model()
    taken = set(
        user_model.objects.filter(email__startswith=f"adviseur-{organisation.slug}-").values_list(
            "email", flat=True
        )
    )
    faker = Faker("nl_NL")
    password = make_password(DEMO_PASSWORD)
    users: list[Any] = []
    memberships: list[Membership] = []
    number = 0
    while have + len(users) < wanted:
        number += 1
        email = grown_advisor_email(organisation, number)
        if email in taken:
            continue
        name = _name(faker, seed, -number)
        user = user_model(email=email, name=name, password=password)
        users.append(user)
        memberships.append(
            Membership(
                organisation=organisation,
                user=user,
                role=Role.PROFESSIONAL,
                sort_name=sort_key(name),
            )
        )
    with transaction.atomic():
        user_model.objects.bulk_create(users, batch_size=BATCH)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
            batch_size=BATCH,
        )
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
    return len(users)


TIMESTAMPED = (
    Membership,
    CandidateProfile,
    WorkExperience,
    Education,
    AvailabilitySlot,
    CandidateSkill,
    Trajectory,
    ActionPlan,
    TrajectoryEvent,
    Task,
    Note,
    Appointment,
)


def grow_organisation(
    organisation: Organisation,
    *,
    candidates: int,
    rich: int = 1,
    seed: int = SEED,
    caseload: int = CASELOAD,
    progress: Callable[[int, int], None] | None = None,
) -> GrowResult:
    """Add candidates to `organisation` until it has `candidates` of them (idempotent).

    Grown candidates number 1 to `rich` get a long history. Career advisors
    are added until there is one per `caseload` candidates. `progress` is
    called with (created so far, to create) after every batch.
    """
    if caseload < 1:
        raise ValueError("The caseload must be at least 1.")
    user_model = get_user_model()
    with organisation_scope(organisation):
        before = Membership.objects.filter(role=Role.CANDIDATE).count()
        missing = max(0, candidates - before)
        result = GrowResult(before=before, created=0, after=before)
        if not missing:
            return result
        result.advisors_added = _ensure_advisors(organisation, -(-candidates // caseload), seed)
        prefix = f"groei-{organisation.slug}-"
        taken = {
            int(email[len(prefix) :].split("@", 1)[0])
            for email in user_model.objects.filter(
                email__startswith=prefix, email__endswith=f"@{DEMO_DOMAIN}"
            ).values_list("email", flat=True)
        }
        builder = _Builder(organisation, seed, make_password(DEMO_PASSWORD))
        faker = Faker("nl_NL")
        number = 0
        while result.created < missing:
            batch = _Batch()
            with transaction.atomic(), _explicit_timestamps(*TIMESTAMPED):
                while len(batch.users) < BATCH and result.created + len(batch.users) < missing:
                    number += 1
                    if number in taken:
                        continue
                    email = grown_email(organisation, number)
                    name = _name(faker, seed, number)
                    index = before + result.created + len(batch.users)
                    plan = candidate_plan(
                        seed=seed, index=index, name=name, email=email, faker=faker
                    )
                    is_rich = number <= rich
                    if is_rich:
                        result.rich.append(email)
                    builder.add(batch, plan, name, index, is_rich)
                _write(organisation, batch)
            result.created += len(batch.users)
            if progress is not None:
                progress(result.created, missing)
        result.after = before + result.created
    _analyse()
    return result


def _analyse() -> None:
    """Refresh the planner's statistics after a bulk load. PostgreSQL's
    autovacuum would do this within minutes and SQLite never on its own;
    until then the planner takes a table of 10,000 rows for an empty one and
    chooses its plans (and the benchmark measures them) accordingly."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
