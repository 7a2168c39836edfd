"""Issue 11, point 2: the caseload tells the truth.

A trajectory's defaults follow the person who starts it (service, form and
API agree); the caseload searches, filters and sorts by GET parameters, and
flags overdue tasks (open, past their due date) and an active trajectory with
no appointment planned in each row, with a filter for each flag.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from passend.coaching import selectors, services
from passend.coaching.forms import TrajectoryForm
from passend.coaching.models import Trajectory
from passend.coaching.tests.test_api import call
from passend.coaching.tests.test_pages import HTMX, html, other_candidate
from passend.common.scope import organisation_scope

TODAY = date(2026, 12, 7)


def in_scope(personas: Any) -> Any:
    return organisation_scope(personas.organisations["a"])


# Defaults: the service


def test_it_makes_the_advisor_who_starts_a_trajectory_its_advisor(
    personas: Any, carla_profile: Any
) -> None:
    bob = personas.memberships["bob"]
    with in_scope(personas):
        trajectory = services.trajectory_create(
            candidate=carla_profile, goal="Bakery", start_date=timezone.localdate(), by=bob
        )
        events = list(trajectory.events.values_list("status", flat=True))

    assert trajectory.professional == bob
    assert trajectory.status == "active"
    assert events == ["active"]


def test_it_plans_a_trajectory_that_starts_later(personas: Any, carla_profile: Any) -> None:
    with in_scope(personas):
        trajectory = services.trajectory_create(
            candidate=carla_profile,
            goal="Bakery",
            start_date=timezone.localdate() + timedelta(days=1),
            by=personas.memberships["bob"],
        )

    assert trajectory.status == "planned"


def test_it_keeps_the_advisor_and_status_someone_chose(personas: Any, carla_profile: Any) -> None:
    with in_scope(personas):
        alices = services.trajectory_create(
            candidate=carla_profile,
            goal="Bakery",
            start_date=timezone.localdate(),
            status="paused",
            professional=personas.memberships["alice"],
            by=personas.memberships["bob"],
        )
        nobodys = services.trajectory_create(
            candidate=carla_profile,
            goal="Shop",
            start_date=timezone.localdate(),
            professional=None,
            by=personas.memberships["bob"],
        )

    assert (alices.professional, alices.status) == (personas.memberships["alice"], "paused")
    assert nobodys.professional is None


def test_it_makes_no_admin_the_advisor_unasked(personas: Any, carla_profile: Any) -> None:
    with in_scope(personas):
        trajectory = services.trajectory_create(
            candidate=carla_profile,
            goal="Bakery",
            start_date=timezone.localdate(),
            by=personas.memberships["alice"],
        )

    assert trajectory.professional is None


def test_it_decides_the_initial_status_by_the_start_date() -> None:
    assert services.initial_status(TODAY, today=TODAY) == "active"
    assert services.initial_status(TODAY - timedelta(days=30), today=TODAY) == "active"
    assert services.initial_status(TODAY + timedelta(days=1), today=TODAY) == "planned"
    assert services.initial_status("2026-12-08", today=TODAY) == "planned"


# Defaults: the form and the page


def test_it_offers_the_advisor_themselves_and_an_automatic_status_in_the_form(
    personas: Any, carla_profile: Any
) -> None:
    bob = personas.memberships["bob"]
    with in_scope(personas):
        form = TrajectoryForm(actor=bob)

        assert form.initial["professional"] == bob
        assert form["status"].value() == ""
        assert form.fields["status"].required is False
        stored = services.trajectory_create(candidate=carla_profile, goal="x", start_date=TODAY)
        edit = TrajectoryForm(instance=stored, actor=bob)
        assert edit.fields["status"].required is True


def test_it_puts_a_trajectory_started_on_the_page_in_bobs_caseload(
    personas: Any, as_persona: Any, carla_profile: Any
) -> None:
    bob = as_persona("bob", "a")
    page = html(bob.get(f"/coaching/candidates/{carla_profile.pk}/"))
    form_url = f"/coaching/candidates/{carla_profile.pk}/trajectories/new/"
    assert f'href="{form_url}"' in page
    form = html(bob.get(form_url))
    assert f'<option value="{personas.memberships["bob"].pk}" selected>' in form

    response = bob.post(
        f"/coaching/candidates/{carla_profile.pk}/trajectories/new/",
        {
            "goal": "Work in a bakery",
            "status": "",
            "start_date": timezone.localdate().isoformat(),
            "professional": str(personas.memberships["bob"].pk),
        },
    )

    assert response.status_code == 302
    with in_scope(personas):
        trajectory = Trajectory.objects.get(goal="Work in a bakery")
    assert (trajectory.status, trajectory.professional) == ("active", personas.memberships["bob"])
    mine = html(bob.get("/coaching/caseload/?mine=1"))
    assert "Carla Bakker" in mine
    assert "Work in a bakery" in mine


def test_it_plans_a_trajectory_started_on_the_page_with_a_later_date(
    personas: Any, as_persona: Any, carla_profile: Any
) -> None:
    response = as_persona("bob", "a").post(
        f"/coaching/candidates/{carla_profile.pk}/trajectories/new/",
        {
            "goal": "Later",
            "start_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "professional": "",
        },
    )

    assert response.status_code == 302
    with in_scope(personas):
        trajectory = Trajectory.objects.get(goal="Later")
    assert (trajectory.status, trajectory.professional) == ("planned", None)


# Defaults: the API


def test_it_gives_the_api_the_same_defaults(personas: Any, carla_profile: Any) -> None:
    path = f"/candidates/{carla_profile.pk}/trajectories"
    today = timezone.localdate()

    started = call(personas, "bob", "POST", path, {"goal": "Now", "start_date": str(today)})
    later = call(
        personas,
        "bob",
        "POST",
        path,
        {"goal": "Later", "start_date": str(today + timedelta(days=3)), "professional_id": None},
    )

    assert started.status_code == 201, started.content
    assert started.json()["status"] == "active"
    assert started.json()["professional_id"] == str(personas.memberships["bob"].pk)
    assert later.status_code == 201
    assert (later.json()["status"], later.json()["professional_id"]) == ("planned", None)


# The caseload: search, filters, sort, flags


@pytest.fixture
def two_candidates(personas: Any, coaching: Any) -> dict[str, Any]:
    """Carla (active, Participatiewet, bob, appointment next week) and Hanna
    (active since February, no scheme, no advisor, an overdue task)."""
    hanna = other_candidate(personas)
    with in_scope(personas):
        trajectory = Trajectory.objects.get(candidate=hanna["profile"])
        services.task_create(
            trajectory=trajectory,
            title="Overdue",
            due_date=timezone.localdate() - timedelta(days=2),
        )
    return {"carla": coaching, "hanna": hanna}


def names(page: str) -> list[str]:
    return [name for name in ("Carla Bakker", "Hanna Kok") if name in page]


def test_it_searches_the_caseload_by_name(as_persona: Any, two_candidates: Any) -> None:
    page = html(as_persona("bob", "a").get("/coaching/caseload/?q=hanna"))

    assert names(page) == ["Hanna Kok"]
    assert "1 candidate found" in page


def test_it_refuses_a_bsn_as_search_key_on_the_caseload(
    as_persona: Any, two_candidates: Any
) -> None:
    page = html(as_persona("bob", "a").get("/coaching/caseload/?q=111222333"))

    assert "A BSN or bank account number is never a search key" in page


def test_it_filters_the_caseload_by_status_scheme_and_overdue(
    as_persona: Any, two_candidates: Any
) -> None:
    bob = as_persona("bob", "a")
    scheme = two_candidates["carla"]["scheme"].pk

    assert names(html(bob.get(f"/coaching/caseload/?scheme={scheme}"))) == ["Carla Bakker"]
    assert names(html(bob.get("/coaching/caseload/?overdue=on"))) == ["Hanna Kok"]
    assert names(html(bob.get("/coaching/caseload/?status=active"))) == [
        "Carla Bakker",
        "Hanna Kok",
    ]
    assert names(html(bob.get("/coaching/caseload/?status=paused"))) == []
    assert names(html(bob.get("/coaching/caseload/?status=none"))) == []
    assert "No candidate matches these filters." in html(
        bob.get("/coaching/caseload/?status=paused")
    )


def test_it_sorts_the_caseload(personas: Any, as_persona: Any, two_candidates: Any) -> None:
    bob = as_persona("bob", "a")

    def order(sort: str) -> list[str]:
        page = html(bob.get(f"/coaching/caseload/?sort={sort}"))
        return sorted(("Carla Bakker", "Hanna Kok"), key=page.index)

    assert order("name") == ["Carla Bakker", "Hanna Kok"]
    # Carla has an appointment next week; Hanna none (last).
    assert order("next_appointment") == ["Carla Bakker", "Hanna Kok"]
    # Hanna's overdue task was added last.
    assert order("last_activity") == ["Hanna Kok", "Carla Bakker"]


def test_it_flags_overdue_tasks_and_a_missing_appointment_in_each_row(
    as_persona: Any, two_candidates: Any
) -> None:
    page = html(as_persona("bob", "a").get("/coaching/caseload/"))
    carla_row = page[page.index("Carla Bakker") : page.index("Hanna Kok")]
    hanna_row = page[page.index("Hanna Kok") :]

    assert 'data-flag="overdue-tasks">1 overdue' in hanna_row
    assert 'data-flag="no-appointment">no appointment planned' in hanna_row
    assert "data-flag" not in carla_row


def test_it_counts_as_overdue_only_open_tasks_past_their_due_date(
    personas: Any, as_persona: Any, two_candidates: Any
) -> None:
    today = timezone.localdate()
    with in_scope(personas):
        trajectory = two_candidates["carla"]["trajectory"]
        services.task_create(trajectory=trajectory, title="Due today", due_date=today)
        done = services.task_create(
            trajectory=trajectory, title="Done late", due_date=today - timedelta(days=5)
        )
        services.task_set_done(task=done, done=True)
        rows = {row.membership.user.name: row for row in selectors.caseload()}

    assert rows["Carla Bakker"].overdue_tasks == 0
    assert names(html(as_persona("bob", "a").get("/coaching/caseload/?overdue=on"))) == [
        "Hanna Kok"
    ]


def test_it_filters_the_caseload_to_active_trajectories_with_no_appointment_planned(
    personas: Any, as_persona: Any, two_candidates: Any
) -> None:
    bob = as_persona("bob", "a")

    assert names(html(bob.get("/coaching/caseload/?no_appointment=on"))) == ["Hanna Kok"]
    with in_scope(personas):
        hannas = Trajectory.objects.get(candidate=two_candidates["hanna"]["profile"])
        services.trajectory_update(trajectory=hannas, status="paused")
    # Paused: nothing to plan an appointment for, so neither flagged nor found.
    page = html(bob.get("/coaching/caseload/"))
    assert 'data-flag="no-appointment"' not in page
    assert names(html(bob.get("/coaching/caseload/?no_appointment=on"))) == []


def test_it_stops_flagging_once_an_appointment_is_planned(
    personas: Any, as_persona: Any, two_candidates: Any
) -> None:
    with in_scope(personas):
        services.appointment_create(
            candidate=two_candidates["hanna"]["profile"],
            starts_at=timezone.now() + timedelta(days=1),
            place="Utrecht",
        )
        rows = {row.membership.user.name: row for row in selectors.caseload()}

    assert rows["Hanna Kok"].no_appointment_planned is False
    page = html(as_persona("bob", "a").get("/coaching/caseload/"))
    assert 'data-flag="no-appointment"' not in page


def test_it_labels_the_caseload_filters_by_what_they_do(as_persona: Any, coaching: Any) -> None:
    page = html(as_persona("bob", "a").get("/coaching/caseload/"))

    assert "Only with overdue tasks" in page
    assert "Open tasks whose due date has passed." in page
    assert "Only active trajectories with no appointment planned" in page


def test_it_counts_overdue_tasks_in_the_selector(personas: Any, two_candidates: Any) -> None:
    with in_scope(personas):
        rows = {row.membership.user.name: row for row in selectors.caseload()}

    assert (rows["Hanna Kok"].overdue_tasks, rows["Hanna Kok"].open_tasks) == (1, 2)
    assert rows["Carla Bakker"].overdue_tasks == 0
    assert rows["Hanna Kok"].current_status == "active"


def test_the_brief_caseload_of_the_home_agrees_with_the_full_one_on_its_columns(
    personas: Any, two_candidates: Any
) -> None:
    with in_scope(personas):
        full = list(selectors.caseload())
        brief = list(selectors.caseload(brief=True))
        with pytest.raises(ValueError, match="by name"):
            selectors.caseload(brief=True, filters=selectors.CaseloadFilter(sort="last_activity"))

    columns = ("pk", "active_goal", "next_appointment_at", "open_tasks")
    assert [[getattr(r, c) for c in columns] for r in brief] == [
        [getattr(r, c) for c in columns] for r in full
    ]
    # It leaves out what the home does not show: no subquery per row for it.
    assert not hasattr(brief[0], "last_activity_at")
    assert not hasattr(brief[0], "overdue_tasks")


def test_it_answers_htmx_with_the_rows_and_an_announced_count(
    as_persona: Any, two_candidates: Any
) -> None:
    response = as_persona("bob", "a").get("/coaching/caseload/?q=carla", **HTMX)
    page = html(response)

    assert "<form" not in page
    assert names(page) == ["Carla Bakker"]
    assert 'id="caseload-status" class="muted" role="status"' in page
    assert 'hx-swap-oob="true"' in page


def test_it_keeps_the_filters_in_the_page_links(as_persona: Any, two_candidates: Any) -> None:
    page = html(as_persona("bob", "a").get("/coaching/caseload/?q=kok&page_size=10"))

    assert 'value="kok"' in page
    assert 'hx-get="/coaching/caseload/"' in page


def test_it_tells_how_many_candidates_have_no_profile_yet(
    personas: Any, as_persona: Any, coaching: Any
) -> None:
    from django.contrib.auth import get_user_model

    from passend.tenancy.models import Membership, Role

    organisation = personas.organisations["a"]
    with organisation_scope(organisation):
        before = Membership.objects.filter(
            role=Role.CANDIDATE, is_active=True, candidate_profile__isnull=True
        ).count()
        user = get_user_model().objects.create_user("ivo@passend.test", "x", name="Ivo Smit")
        Membership.objects.create(organisation=organisation, user=user, role=Role.CANDIDATE)

    page = html(as_persona("bob", "a").get("/coaching/caseload/"))

    assert f"{before + 1} more candidate" in page
    assert "no profile yet" in page
    assert 'href="/candidates/"' in page
