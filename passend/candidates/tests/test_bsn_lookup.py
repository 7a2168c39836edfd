"""An administrator finds whose BSN a payroll letter names: posted, through the
blind index, audited, and never in a URL or on the page (issue 9, defect 4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from passend.privacy.audit.models import AuditEvent

BSN = "111222333"


def _lookups(org: Any) -> Any:
    return AuditEvent.objects.unscoped().filter(
        organisation_id=org.pk, action="read", detail="payroll lookup by BSN"
    )


@pytest.mark.parametrize("typed", [BSN, "1112.22.333", "111 222 333"])
def test_it_finds_the_flex_worker_by_bsn_for_an_administrator(
    carla_profile: Any, as_persona: Any, org_a: Any, typed: str
) -> None:
    alice = as_persona("alice", "a")

    response = alice.post(reverse("candidates:list"), {"q": typed})

    assert response.status_code == 200  # the posted page answers: no redirect, no URL
    assert [m.pk for m in response.context["page"]] == [carla_profile.membership_id]
    assert BSN not in response.content.decode().replace(".", "").replace(" ", "")
    event = _lookups(org_a).get()
    assert event.subject_user_id == carla_profile.membership.user_id
    assert event.fields == ["bsn"]


def test_it_says_when_no_flex_worker_has_that_bsn(
    carla_profile: Any, as_persona: Any, org_a: Any
) -> None:
    response = as_persona("alice", "a").post(reverse("candidates:list"), {"q": "123456782"})

    assert response.context["page"].paginator.count == 0
    assert "No flex worker of this organisation has that BSN." in response.content.decode()
    assert not _lookups(org_a).exists()


def test_it_keeps_the_bsn_lookup_from_advisors(carla_profile: Any, as_persona: Any) -> None:
    response = as_persona("bob", "a").post(reverse("candidates:list"), {"q": BSN})

    assert response.context["page"].paginator.count == 0
    assert "never a search key" in response.content.decode()


def test_it_never_finds_anyone_by_a_bsn_in_the_address(carla_profile: Any, as_persona: Any) -> None:
    response = as_persona("alice", "a").get(reverse("candidates:list"), {"q": BSN})

    assert response.context["page"].paginator.count == 0
    assert "never a search key" in response.content.decode()


def test_it_finds_no_one_of_another_organisation_by_bsn(
    carla_profile: Any, as_persona: Any, org_b: Any
) -> None:
    response = as_persona("charlie", "b").post(reverse("candidates:list"), {"q": BSN})

    assert response.context["page"].paginator.count == 0
    assert not _lookups(org_b).exists()


def test_it_refuses_an_iban_even_to_an_administrator(carla_profile: Any, as_persona: Any) -> None:
    response = as_persona("alice", "a").post(
        reverse("candidates:list"), {"q": "NL02ABNA0123456789"}
    )

    assert response.context["page"].paginator.count == 0
    assert "never a search key" in response.content.decode()
