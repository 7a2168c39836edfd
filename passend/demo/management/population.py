"""The candidates' side of the demo: filled profiles, trajectories, tasks,
notes, appointments, documents and shares, made through the apps' services
(so the audit trail, encryption and notifications work as in real use).

`candidate_plan` is pure: the same seed and e-mail address always give the
same person, whatever else is in the plan. `populate` adds only what is
missing, keyed on what a person would recognise: a profile field is filled
only while it is blank, a section only while the profile has no entry of
its kind, a skill once, a trajectory (with its plan, tasks and notes) only
for a candidate without one, a document once per kind, a share once per
employer (a revoked share stays revoked), and an appointment only for a
week in which the candidate has none, so the demo always shows this week's
appointments. Dates are offsets from today, so tasks stay overdue and
trajectories stay current whenever the demo is loaded.

ESCO: occupations and skills are linked only when `load_esco` has run (the
Makefile loads ESCO first); without ESCO the work history names its roles in
words and the skills are added on a later run, once ESCO is there.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from faker import Faker
from faker.providers.person.nl_NL import Provider as DutchNames
from stdnum.nl import postcode as stdnum_postcode

from passend.candidates import services as candidate_services
from passend.candidates.models import (
    AvailabilitySlot,
    CandidateProfile,
    CandidateSkill,
    Education,
    Gender,
    MaritalStatus,
    ProfileShare,
    SkillLevel,
    WorkExperience,
)
from passend.coaching import services as coaching_services
from passend.coaching.models import (
    Appointment,
    Assignee,
    NoteVisibility,
    Trajectory,
    TrajectoryStatus,
)
from passend.common.scope import organisation_scope
from passend.documents.models import Document, DocumentKind
from passend.documents.services import document_upload
from passend.notifications.services import without_email
from passend.taxonomy.models import Occupation, OccupationSkill
from passend.tenancy.models import Employer, Membership, Organisation, Role

# Occupations with their ESCO preferred label in Dutch: work people find
# through a re-integration company or a staffing agency.
OCCUPATIONS = [
    "kok",
    "bakker",
    "bakkerijmedewerker",
    "vrachtwagenchauffeur",
    "heftruckchauffeur",
    "buschauffeur",
    "kassamedewerker",
    "receptionist",
    "hovenier",
    "timmerman",
    "schoonmaker gebouwen",
    "administratief medewerker",
    "kapper",
    "schilder bouw",
    "magazijnchef",
    "medewerker helpdesk",
    "technisch medewerker klantenservice",
    "dierverzorger",
]
SCHOOLS = [
    ("ROC Midden Nederland", "MBO 2"),
    ("ROC Mondriaan", "MBO 3"),
    ("Albeda", "MBO 2"),
    ("Zadkine", "MBO 3"),
    ("Hogeschool Utrecht", "HBO"),
    ("Hogeschool Rotterdam", "HBO"),
    ("Graafschap College", "MBO 4"),
    ("Da Vinci College", "MBO 1"),
]
PROGRAMMES = [
    "Logistiek medewerker",
    "Medewerker horeca",
    "Zorg en welzijn",
    "Bouwkunde",
    "Facilitair medewerker",
    "Detailhandel",
    "Administratie",
    "Mobiliteit en voertuigen",
]
GOALS = [
    "Duurzaam werk vinden als {occupation}",
    "Terug naar werk na langdurige uitval",
    "Opleiding afronden en doorstromen naar werk als {occupation}",
    "Een vaste baan van minstens 24 uur per week",
    "Overstap naar een nieuw vak: {occupation}",
]
TASKS = [
    ("Cv bijwerken met de laatste werkervaring", Assignee.CANDIDATE),
    ("Drie vacatures als {occupation} uitzoeken", Assignee.CANDIDATE),
    ("Motivatiebrief schrijven", Assignee.CANDIDATE),
    ("Werkgever benaderen voor een proefplaatsing", Assignee.PROFESSIONAL),
    ("Intakegesprek verslaan", Assignee.PROFESSIONAL),
    ("Sollicitatietraining volgen", Assignee.CANDIDATE),
    ("Referenties opvragen bij vorige werkgever", Assignee.CANDIDATE),
]
NOTES = [
    ("Goed gesprek gehad; gemotiveerd om snel aan de slag te gaan als {occupation}.", True),
    ("Heeft moeite met vroege diensten vanwege de zorg voor de kinderen.", False),
    ("Cv samen doorgenomen; werkervaring staat er nu volledig in.", True),
    ("Vervoer is een aandachtspunt: geen rijbewijs, OV-verbinding nagaan.", False),
    ("Proefplaatsing besproken; {name} staat er positief tegenover.", True),
]
INTERESTS = [
    "Zoekt werk als {occupation}, het liefst in de buurt van {city}.",
    "Wil graag met mensen werken; ervaring als {occupation}.",
    "Beschikbaar voor {hours} uur per week, bij voorkeur overdag.",
]
# How the trajectories are spread: every status, most of them current.
STATUS_CYCLE = [
    TrajectoryStatus.ACTIVE,
    TrajectoryStatus.ACTIVE,
    TrajectoryStatus.PLANNED,
    TrajectoryStatus.ACTIVE,
    TrajectoryStatus.PAUSED,
    TrajectoryStatus.COMPLETED,
    TrajectoryStatus.ACTIVE,
    TrajectoryStatus.STOPPED,
]
CURRENT = (TrajectoryStatus.PLANNED, TrajectoryStatus.ACTIVE, TrajectoryStatus.PAUSED)


@dataclass(frozen=True)
class WorkSpec:
    employer_name: str
    occupation: str
    started_days_ago: int
    ended_days_ago: int | None
    description: str


@dataclass(frozen=True)
class TaskSpec:
    title: str
    assignee: str
    due_in_days: int | None
    done: bool


@dataclass(frozen=True)
class CandidatePlan:
    email: str
    profile: dict[str, Any]
    occupation: str
    work: tuple[WorkSpec, ...]
    education: dict[str, Any]
    skill_count: int
    status: str | None
    goal: str
    start_in_days: int
    end_in_days: int | None
    tasks: tuple[TaskSpec, ...]
    notes: tuple[tuple[str, bool], ...]
    availability: tuple[tuple[int, int, int], ...]  # weekday, from hour, until hour
    appointment_day: int  # index into the days left in this week
    appointment_hour: int
    online: bool
    documents: tuple[str, ...]
    shared: bool


def _rng(seed: int, email: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}:{email}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - demo data


def _postcode(faker: Faker) -> str:
    while True:
        value = faker.postcode()
        if stdnum_postcode.is_valid(value):
            return str(stdnum_postcode.validate(value))


def candidate_plan(*, seed: int, index: int, name: str, email: str, faker: Faker) -> CandidatePlan:
    """What one demo candidate's data looks like; pure and deterministic."""
    rng = _rng(seed, email)
    faker.seed_instance(rng.randrange(2**32))
    first_name, _sep, last_name = name.partition(" ")
    city = faker.city()
    occupation = rng.choice(OCCUPATIONS)
    if first_name in DutchNames.first_names_female:
        gender = Gender.FEMALE
    elif first_name in DutchNames.first_names_male:
        gender = Gender.MALE
    else:
        gender = Gender.UNSAID
    profile = {
        "first_name": first_name,
        "last_name": last_name,
        "street": faker.street_name(),
        "house_number": str(rng.randint(1, 250)),
        "postcode": _postcode(faker),
        "city": city,
        "gender": gender,
        "date_of_birth": date(rng.randint(1964, 2005), rng.randint(1, 12), rng.randint(1, 28)),
        "marital_status": rng.choice(MaritalStatus.values),
        "nationality": "Nederlandse",
        "email": email,
        "phone": f"06 {rng.randint(1, 6)}{rng.randint(0, 9_999_999):07d}",
        "interests": rng.choice(INTERESTS).format(
            occupation=occupation, city=city, hours=rng.choice([16, 24, 32, 36])
        ),
    }
    work = []
    ended = rng.randint(30, 400)
    for _ in range(rng.randint(1, 3)):
        started = ended + rng.randint(180, 1500)
        work.append(
            WorkSpec(
                employer_name=faker.company(),
                occupation=rng.choice([occupation, *OCCUPATIONS]),
                started_days_ago=started,
                ended_days_ago=ended,
                description=faker.sentence(nb_words=12),
            )
        )
        ended = started + rng.randint(30, 300)
    school, level = rng.choice(SCHOOLS)
    finished = rng.randint(2000, 2024)
    education = {
        "institution": school,
        "programme": rng.choice(PROGRAMMES),
        "level": level,
        "started_on": date(finished - rng.randint(2, 4), 9, 1),
        "ended_on": date(finished, 7, 1),
        "completed": rng.random() < 0.75,
    }
    # One in ten has just signed up and has no trajectory yet.
    status = STATUS_CYCLE[index % len(STATUS_CYCLE)] if index % 10 != 9 else None
    if status == TrajectoryStatus.PLANNED:
        start, end = rng.randint(5, 30), None
    elif status in (TrajectoryStatus.COMPLETED, TrajectoryStatus.STOPPED):
        end = -rng.randint(5, 60)
        start = end - rng.randint(90, 300)
    else:
        start, end = -rng.randint(10, 200), None
    tasks = []
    if status not in (None, TrajectoryStatus.PLANNED):
        for number, (title, assignee) in enumerate(rng.sample(TASKS, rng.randint(2, 4))):
            done = status == TrajectoryStatus.COMPLETED or (number == 0 and rng.random() < 0.5)
            # Every third active candidate has let a task slip past its date.
            overdue = status == TrajectoryStatus.ACTIVE and number == 1 and index % 3 == 0
            due = -rng.randint(2, 9) if overdue or done else rng.randint(1, 28)
            # What has slipped is the candidate's own step, shown on their home.
            who = Assignee.CANDIDATE if overdue else assignee
            tasks.append(
                TaskSpec(title.format(occupation=occupation), who, due, done and not overdue)
            )
    notes = tuple(
        (text.format(occupation=occupation, name=first_name), shared)
        for text, shared in rng.sample(NOTES, rng.randint(1, 3) if status else 0)
    )
    documents = []
    if index % 3 == 0:
        documents.append(DocumentKind.CV)
    if index % 7 == 2:
        documents.append(DocumentKind.DIPLOMA)
    return CandidatePlan(
        email=email,
        profile=profile,
        occupation=occupation,
        work=tuple(work),
        education=education,
        skill_count=rng.randint(3, 6),
        status=status,
        goal=rng.choice(GOALS).format(occupation=occupation),
        start_in_days=start,
        end_in_days=end,
        tasks=tuple(tasks),
        notes=notes,
        availability=tuple(
            (weekday, start, start + rng.choice([4, 6, 8]))
            for weekday in sorted(rng.sample(range(5), rng.randint(2, 5)))
            for start in [rng.choice([7, 8, 9, 13])]
        ),
        appointment_day=rng.randrange(5),
        appointment_hour=rng.randint(9, 16),
        online=rng.random() < 0.3,
        documents=tuple(documents),
        # Some current candidates are put forward to an employer.
        shared=status in (TrajectoryStatus.ACTIVE, TrajectoryStatus.PAUSED) and index % 4 == 0,
    )


# ---------------------------------------------------------------- documents


def _pdf_text(value: str) -> bytes:
    escaped = value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("cp1252", "replace")


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, no scripts) with a title and lines."""
    content = b"BT /F1 18 Tf 72 770 Td (" + _pdf_text(title) + b") Tj /F1 11 Tf 0 -30 Td"
    for line in lines:
        content += b" (" + _pdf_text(line) + b") Tj 0 -16 Td"
    content += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _document(plan: CandidatePlan, profile: CandidateProfile, kind: str) -> tuple[str, bytes]:
    name = f"{plan.profile['first_name']} {plan.profile['last_name']}"
    if kind == DocumentKind.CV:
        lines = [
            f"{plan.profile['street']} {plan.profile['house_number']}, "
            f"{plan.profile['postcode']} {plan.profile['city']}",
            plan.email,
            "",
            "Werkervaring",
            *(f"- {w.occupation} bij {w.employer_name}" for w in plan.work),
            "",
            "Opleiding",
            f"- {plan.education['programme']} ({plan.education['level']}), "
            f"{plan.education['institution']}",
        ]
        return f"cv-{plan.profile['last_name'].lower().replace(' ', '-')}.pdf", demo_pdf(
            f"Curriculum vitae {name}", lines
        )
    lines = [
        f"{plan.education['institution']} verklaart dat {name}",
        f"de opleiding {plan.education['programme']} ({plan.education['level']})",
        f"met goed gevolg heeft afgerond op {plan.education['ended_on']:%d-%m-%Y}.",
    ]
    return "diploma.pdf", demo_pdf("Diploma", lines)


# ---------------------------------------------------------------- applying a plan


@dataclass
class Context:
    organisation: Organisation
    today: date
    week_days: list[date]  # the days left in this week, today first
    advisors: list[Membership]  # weighted: the first persona advisor more often
    employers: list[Employer]  # companies with a contact person who signs in
    occupations: dict[str, Occupation]


def _fill_profile(plan: CandidatePlan, membership: Membership) -> CandidateProfile:
    profile = candidate_services.candidate_profile_ensure(membership=membership)
    blank = {name: value for name, value in plan.profile.items() if not getattr(profile, name)}
    if blank:
        profile = candidate_services.candidate_profile_update(
            profile=profile, by=membership, data=blank
        )
    return profile


def _first_sentence(occupation: Any) -> str:
    """What the work is, in ESCO's words: the demo's work descriptions read like real ones."""
    text = (getattr(occupation, "description_nl", "") or "").strip()
    return text.split(". ")[0].rstrip(".") + "." if text else ""


def _fill_sections(plan: CandidatePlan, profile: CandidateProfile, ctx: Context) -> None:
    today = ctx.today
    if not WorkExperience.objects.filter(profile=profile).exists():
        for work in plan.work:
            candidate_services.section_entry_create(
                profile=profile,
                model=WorkExperience,
                data={
                    "employer_name": work.employer_name,
                    "role": work.occupation.capitalize(),
                    "occupation": ctx.occupations.get(work.occupation),
                    "started_on": today - timedelta(days=work.started_days_ago),
                    "ended_on": today - timedelta(days=work.ended_days_ago)
                    if work.ended_days_ago is not None
                    else None,
                    "description": _first_sentence(ctx.occupations.get(work.occupation))
                    or work.description,
                },
            )
    if not Education.objects.filter(profile=profile).exists():
        candidate_services.section_entry_create(
            profile=profile, model=Education, data=dict(plan.education)
        )
    if not AvailabilitySlot.objects.filter(profile=profile).exists():
        for weekday, start, end in plan.availability:
            candidate_services.section_entry_create(
                profile=profile,
                model=AvailabilitySlot,
                data={"weekday": weekday, "starts_at": time(start), "ends_at": time(end)},
            )
    occupation = ctx.occupations.get(plan.occupation)
    if occupation is None:
        return
    have = set(CandidateSkill.objects.filter(profile=profile).values_list("skill_id", flat=True))
    if len(have) >= plan.skill_count:
        return
    links = (
        OccupationSkill.objects.filter(occupation=occupation)
        .select_related("skill")
        .order_by("skill__uri")[: plan.skill_count]
    )
    levels = SkillLevel.values
    for number, link in enumerate(links):
        if link.skill_id not in have:
            candidate_services.section_entry_create(
                profile=profile,
                model=CandidateSkill,
                data={"skill": link.skill, "level": levels[number % len(levels)]},
            )


def _fill_trajectory(
    plan: CandidatePlan, profile: CandidateProfile, ctx: Context, index: int
) -> Trajectory | None:
    trajectory = Trajectory.objects.filter(candidate=profile).order_by("-start_date").first()
    if trajectory is not None or plan.status is None:
        return trajectory
    advisor = ctx.advisors[index % len(ctx.advisors)]
    trajectory = coaching_services.trajectory_create(
        candidate=profile,
        goal=plan.goal,
        start_date=ctx.today + timedelta(days=plan.start_in_days),
        end_date=ctx.today + timedelta(days=plan.end_in_days) if plan.end_in_days else None,
        status=plan.status,
        professional=advisor,
        by=advisor,
    )
    for spec in plan.tasks:
        task = coaching_services.task_create(
            trajectory=trajectory,
            title=spec.title,
            assignee=spec.assignee,
            due_date=ctx.today + timedelta(days=spec.due_in_days)
            if spec.due_in_days is not None
            else None,
        )
        if spec.done:
            coaching_services.task_set_done(task=task, done=True)
    for text, shared in plan.notes:
        coaching_services.note_create(
            candidate=profile,
            author=advisor,
            text=text,
            visibility=NoteVisibility.SHARED if shared else NoteVisibility.NOT_SHOWN_TO_CANDIDATE,
        )
    return trajectory


def _fill_appointment(
    plan: CandidatePlan, profile: CandidateProfile, trajectory: Trajectory | None, ctx: Context
) -> None:
    if trajectory is None or trajectory.status not in CURRENT:
        return
    monday = ctx.today - timedelta(days=ctx.today.weekday())
    week = (_aware(monday, 0), _aware(monday + timedelta(days=7), 0))
    if Appointment.objects.filter(
        candidate=profile, starts_at__gte=week[0], starts_at__lt=week[1]
    ).exists():
        return
    day = ctx.week_days[plan.appointment_day % len(ctx.week_days)]
    advisor = trajectory.professional
    coaching_services.appointment_create(
        candidate=profile,
        starts_at=_aware(day, plan.appointment_hour),
        duration_minutes=45,
        place="" if plan.online else f"Kantoor {ctx.organisation.name}, {ctx.organisation.city}",
        online_link=f"https://video.{ctx.organisation.slug}.passend.test/gesprek"
        if plan.online
        else "",
        professional=advisor,
    )


def _fill_documents(plan: CandidatePlan, profile: CandidateProfile, membership: Membership) -> None:
    for kind in plan.documents:
        if Document.objects.filter(candidate=profile, kind=kind).exists():
            continue
        name, data = _document(plan, profile, kind)
        document_upload(candidate=profile, kind=kind, name=name, chunks=[data], by=membership)


def _fill_share(
    plan: CandidatePlan,
    profile: CandidateProfile,
    membership: Membership,
    trajectory: Trajectory | None,
    ctx: Context,
    index: int,
) -> None:
    if not plan.shared or not ctx.employers or trajectory is None:
        return
    employer = ctx.employers[index % len(ctx.employers)]
    if ProfileShare.objects.filter(profile=profile, employer=employer).exists():
        return
    candidate_services.profile_share(profile=profile, employer=employer, by=membership)
    advisor = trajectory.professional or ctx.advisors[0]
    candidate_services.profile_share(profile=profile, employer=employer, by=advisor)


def _aware(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def populate_candidate(
    *, plan: CandidatePlan, membership: Membership, ctx: Context, index: int
) -> None:
    """Add what is missing of one candidate's plan (inside the organisation scope)."""
    profile = _fill_profile(plan, membership)
    _fill_sections(plan, profile, ctx)
    trajectory = _fill_trajectory(plan, profile, ctx, index)
    _fill_appointment(plan, profile, trajectory, ctx)
    _fill_documents(plan, profile, membership)
    _fill_share(plan, profile, membership, trajectory, ctx, index)


def make_context(organisation: Organisation, lead_advisor: Membership) -> Context:
    """What every candidate of `organisation` is filled in against (inside its scope)."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    week = [monday + timedelta(days=n) for n in range(7)]
    # Working days still ahead this week; at the weekend, the weekend itself.
    ahead = [day for day in week[:5] if day > today] or [day for day in week if day >= today]
    advisors = list(
        Membership.objects.filter(role=Role.PROFESSIONAL, is_active=True)
        .exclude(pk=lead_advisor.pk)
        .select_related("user")
        .order_by("user__email")
    )
    employers = list(
        Employer.objects.filter(
            pk__in=Membership.objects.filter(role=Role.EMPLOYER, is_active=True).values("employer")
        ).order_by("name")
    )
    occupations = {o.pref_nl: o for o in Occupation.objects.filter(pref_nl__in=OCCUPATIONS)}
    return Context(
        organisation=organisation,
        today=today,
        week_days=ahead,
        # The persona advisor (bob, erik) has the largest caseload.
        advisors=[lead_advisor, *advisors[:1], lead_advisor, *advisors[1:]],
        employers=employers,
        occupations=occupations,
    )


def populate(
    *,
    organisation: Organisation,
    lead_advisor: Membership,
    candidates: list[tuple[str, str, Membership]],
    seed: int,
) -> None:
    """Fill in every `(name, email, membership)` candidate of `organisation`."""
    faker = Faker("nl_NL")
    # Seeding notifies in the app, as the services do, but mails no one.
    with organisation_scope(organisation), without_email():
        ctx = make_context(organisation, lead_advisor)
        for index, (name, email, membership) in enumerate(candidates):
            plan = candidate_plan(seed=seed, index=index, name=name, email=email, faker=faker)
            populate_candidate(plan=plan, membership=membership, ctx=ctx, index=index)
