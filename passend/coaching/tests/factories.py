"""Many candidates at once, for the query-count test and the benchmark."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from passend.candidates import counts
from passend.candidates.models import CandidateProfile
from passend.coaching.models import ActionPlan, Appointment, Task, Trajectory, TrajectoryStatus
from passend.common.scope import organisation_scope
from passend.common.sorting import sort_key
from passend.tenancy.models import Membership, Organisation, Role

BATCH = 2000


def build_caseload(
    organisation: Organisation, count: int, *, professional: Membership, prefix: str = "bulk"
) -> list[CandidateProfile]:
    """`count` candidates in `organisation`, each with an active trajectory led by
    `professional`, two tasks (one done) and an appointment next week."""
    user_model = get_user_model()
    tag = uuid.uuid4().hex[:8]
    users = user_model.objects.bulk_create(
        [
            user_model(email=f"{prefix}-{tag}-{n}@example.test", name=f"Candidate {n:05d}")
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    now = timezone.now()
    with organisation_scope(organisation):
        memberships = Membership.objects.bulk_create(
            [
                Membership(
                    organisation=organisation,
                    user=u,
                    role=Role.CANDIDATE,
                    sort_name=sort_key(u.name),
                )
                for u in users
            ],
            batch_size=BATCH,
        )
        profiles = CandidateProfile.objects.bulk_create(
            [
                CandidateProfile(organisation=organisation, membership=m, sort_name=m.sort_name)
                for m in memberships
            ],
            batch_size=BATCH,
        )
        trajectories = Trajectory.objects.bulk_create(
            [
                Trajectory(
                    organisation=organisation,
                    candidate=p,
                    goal=f"Goal {n}",
                    status=TrajectoryStatus.ACTIVE,
                    start_date=date(2026, 1, 1),
                    professional=professional,
                )
                for n, p in enumerate(profiles)
            ],
            batch_size=BATCH,
        )
        plans = ActionPlan.objects.bulk_create(
            [ActionPlan(organisation=organisation, trajectory=t) for t in trajectories],
            batch_size=BATCH,
        )
        Task.objects.bulk_create(
            [
                Task(
                    organisation=organisation,
                    plan=plan,
                    candidate=profile,
                    title=title,
                    done_at=done_at,
                    progress=100 if done_at else 0,
                )
                for plan, profile in zip(plans, profiles, strict=True)
                for title, done_at in (("Open task", None), ("Done task", now))
            ],
            batch_size=BATCH,
        )
        Appointment.objects.bulk_create(
            [
                Appointment(
                    organisation=organisation,
                    candidate=p,
                    starts_at=now + timedelta(days=7, minutes=n),
                    place="Office",
                    professional=professional,
                )
                for n, p in enumerate(profiles)
            ],
            batch_size=BATCH,
        )
    # bulk_create sends no signals: the lists' cached totals start anew.
    counts.changed(organisation.pk)
    return profiles
