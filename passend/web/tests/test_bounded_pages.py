"""Pages that show a person's history stay the same size and cost the same
number of queries however long that history grows (issue 12, part 2): the
advisor's coaching page and candidate page, the candidate's home and "my
plan" show a window on each list, with a link to a paged list of all of it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from passend.candidates.models import CandidateProfile, WorkExperience
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
from passend.documents.models import Document, DocumentKind

# A realistic ceiling for a page with a full window of every list; the rich
# profile's pages were 4.6 to 5.2 MB before the windows.
MAX_PAGE_BYTES = 200_000
STATUSES = list(TrajectoryStatus)
SHARED, NOT_SHOWN = NoteVisibility.SHARED, NoteVisibility.NOT_SHOWN_TO_CANDIDATE


def grow_history(profile: CandidateProfile, advisor: Any, *, scale: int) -> None:
    """`scale` x (8 trajectories, 60 tasks, 40 notes, 30 appointments, 10
    documents, 12 jobs) for `profile`, in bulk; scale 0 gives one of each."""
    organisation = profile.organisation
    now = timezone.now()

    def count(n: int, least: int = 1) -> int:
        return max(least, n * scale)

    with organisation_scope(organisation):
        trajectories = Trajectory.objects.bulk_create(
            Trajectory(
                organisation=organisation,
                candidate=profile,
                goal=f"Goal {n}: work as a baker's assistant in a team with regular hours",
                status=STATUSES[n % len(STATUSES)],
                start_date=date(2020, 1, 1) + timedelta(days=20 * n),
                professional=advisor,
            )
            for n in range(count(8, least=4))
        )
        plans = ActionPlan.objects.bulk_create(
            ActionPlan(organisation=organisation, trajectory=trajectory)
            for trajectory in trajectories
        )
        TrajectoryEvent.objects.bulk_create(
            TrajectoryEvent(
                organisation=organisation, trajectory=trajectory, status=trajectory.status
            )
            for trajectory in trajectories
        )
        Task.objects.bulk_create(
            Task(
                organisation=organisation,
                plan=plans[n % len(plans)],
                candidate=profile,
                title=f"Task {n:04d}: call the employer back about the trial day",
                description="Ask about the hours, the clothing and who to report to. " * 3,
                due_date=date(2026, 1, 1) + timedelta(days=n),
                done_at=now - timedelta(hours=n) if n % 2 else None,
            )
            for n in range(count(60, least=2 * len(plans)))
        )
        Note.objects.bulk_create(
            Note(
                organisation=organisation,
                candidate=profile,
                author=advisor,
                text=f"Note {n:04d}. " + "We talked about the week, the trial day and travel. " * 5,
                visibility=NoteVisibility.SHARED
                if n % 2
                else NoteVisibility.NOT_SHOWN_TO_CANDIDATE,
            )
            for n in range(count(40, least=2))
        )
        appointments = count(30, least=2)
        Appointment.objects.bulk_create(
            Appointment(
                organisation=organisation,
                candidate=profile,
                starts_at=now + timedelta(days=n - appointments // 2, hours=1),
                place="Oudegracht 120, Utrecht",
                professional=advisor,
                notes="Bring the CV and the letter from the municipality.",
            )
            for n in range(appointments)
        )
        Document.objects.bulk_create(
            Document(
                organisation=organisation,
                candidate=profile,
                kind=DocumentKind.CV if n == 0 else DocumentKind.OTHER,
                file=f"documents/bounded-{n}.pdf",
                original_name=f"document-{n:03d}.pdf",
                content_type="application/pdf",
                size=12_345,
                sha256="0" * 64,
            )
            for n in range(count(10))
        )
        WorkExperience.objects.bulk_create(
            WorkExperience(
                organisation=organisation,
                profile=profile,
                employer_name=f"Bakery {n}",
                role="Assistant",
                started_on=date(2000, 1, 1) + timedelta(days=90 * n),
                description="Baking bread, serving customers, cleaning up. " * 3,
            )
            for n in range(count(12))
        )


def measure(client: Any, url: str) -> tuple[int, int]:
    """(queries, bytes) of a GET of `url`."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), len(response.content)


def profile_of(personas: Any) -> CandidateProfile:
    organisation = personas.organisations["a"]
    with organisation_scope(organisation):
        profile, _ = CandidateProfile.objects.get_or_create(
            membership=personas.memberships["carla"], defaults={"organisation": organisation}
        )
    return profile


def bounded(client: Any, urls: list[str], grow: Any) -> dict[str, tuple[int, int]]:
    """Each page's (queries, bytes) after `grow`, checked against the poor profile's."""
    for url in urls:
        client.get(url)  # sessions and caches warm
    poor = {url: measure(client, url) for url in urls}
    grow()
    rich = {url: measure(client, url) for url in urls}
    for url in urls:
        # At most the poor profile's count: the timeline loads only the kinds
        # its window holds, one query each (a poor profile here has all four).
        assert rich[url][0] <= poor[url][0], (url, poor[url], rich[url])
        assert rich[url][1] < MAX_PAGE_BYTES, (url, rich[url])
    return rich


@pytest.fixture
def carla_with_history(personas: Any) -> CandidateProfile:
    profile = profile_of(personas)
    grow_history(profile, personas.memberships["bob"], scale=0)
    return profile


def test_it_keeps_the_advisors_pages_of_a_rich_profile_small_and_their_queries_constant(
    personas: Any, as_persona: Any, carla_with_history: CandidateProfile
) -> None:
    profile = carla_with_history
    client = as_persona("bob", "a")
    urls = [
        f"/coaching/candidates/{profile.pk}/",
        f"/candidates/{profile.pk}/",
        f"/documents/candidates/{profile.pk}/",
    ]

    bounded(client, urls, lambda: grow_history(profile, personas.memberships["bob"], scale=5))

    coaching = client.get(urls[0]).content.decode()
    assert "Show all notes (202)" in coaching
    assert "Show all appointments (152)" in coaching
    assert "Show all trajectories (44)" in coaching
    assert "Show all tasks (" in coaching
    assert "Show the whole timeline" in coaching
    assert "Show all (61)" in client.get(urls[1]).content.decode()
    assert "Page 1 of 3" in client.get(urls[2]).content.decode()


def test_it_keeps_the_candidates_own_pages_of_a_rich_history_small_and_constant(
    personas: Any, as_persona: Any, carla_with_history: CandidateProfile
) -> None:
    client = as_persona("carla", "a")

    bounded(
        client,
        ["/", "/coaching/me/", f"/candidates/{carla_with_history.pk}/"],
        lambda: grow_history(carla_with_history, personas.memberships["bob"], scale=5),
    )

    plan = client.get("/coaching/me/").content.decode()
    # Carla sees the notes shared with her: half of them.
    assert "Show all notes (101)" in plan
    assert "Show all appointments (152)" in plan


def test_it_pages_every_list_behind_the_windows(
    personas: Any, as_persona: Any, carla_with_history: CandidateProfile
) -> None:
    profile = carla_with_history
    grow_history(profile, personas.memberships["bob"], scale=5)
    organisation = personas.organisations["a"]
    with organisation_scope(organisation):
        trajectory = Trajectory.objects.select_related("plan").filter(candidate=profile).first()
        assert trajectory is not None
        Task.objects.bulk_create(
            Task(organisation=organisation, plan=trajectory.plan, candidate=profile, title=f"T{n}")
            for n in range(30)
        )
    bob, carla = as_persona("bob", "a"), as_persona("carla", "a")
    base = f"/coaching/candidates/{profile.pk}"

    for client, url in [
        (bob, f"{base}/trajectories/"),
        (bob, f"{base}/notes/"),
        (carla, f"{base}/notes/"),
        (bob, f"{base}/appointments/"),
        (bob, f"{base}/timeline/"),
        (carla, f"{base}/timeline/"),
        (bob, f"/coaching/trajectories/{trajectory.pk}/tasks/"),
        (bob, f"/candidates/{profile.pk}/work/"),
    ]:
        second = client.get(url, {"page": 2})
        assert second.status_code == 200, url
        assert second.context["page"].number == 2, url
        assert len(second.content) < MAX_PAGE_BYTES, url

    notes = bob.get(f"{base}/notes/", {"page": 2}).content.decode()
    # Newest first, 25 a page: the 26th newest note opens page 2.
    assert "Note 0174." in notes
    assert "Note 0175." not in notes
    shared = carla.get(f"{base}/notes/", {"page": 2}).content.decode()
    assert "Note 0149." in shared  # the 26th newest shared note (odd numbers)
    assert "Note 0151." not in shared
    timeline = bob.get(f"{base}/timeline/", {"page": 2})
    assert len(timeline.context["timeline"]) == 25


def test_it_hides_the_lists_from_another_organisation(
    personas: Any, as_persona: Any, carla_with_history: CandidateProfile
) -> None:
    with organisation_scope(personas.organisations["a"]):
        trajectory = Trajectory.objects.filter(candidate=carla_with_history).first()
    assert trajectory is not None
    charlie = as_persona("charlie", "b")
    base = f"/coaching/candidates/{carla_with_history.pk}"

    for url in [
        f"{base}/trajectories/",
        f"{base}/notes/",
        f"{base}/appointments/",
        f"{base}/timeline/",
        f"/coaching/trajectories/{trajectory.pk}/tasks/",
        f"/candidates/{carla_with_history.pk}/work/",
    ]:
        assert charlie.get(url).status_code == 404, url
