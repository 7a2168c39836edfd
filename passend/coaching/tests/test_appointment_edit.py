"""Moving an appointment on its page: saved, audited, and the candidate is told."""

from __future__ import annotations

from typing import Any

import pytest

from passend.coaching.models import Appointment
from passend.common.scope import organisation_scope
from passend.notifications.models import Notification

pytestmark = pytest.mark.django_db


def form_data(appointment: Appointment, **changes: str) -> dict[str, str]:
    data = {
        "starts_at": appointment.starts_at.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": str(appointment.duration_minutes),
        "place": appointment.place,
        "online_link": appointment.online_link,
        "professional": str(appointment.professional_id or ""),
        "with_whom": appointment.with_whom,
        "notes": appointment.notes,
    }
    return {**data, **changes}


def notices_for_carla(personas: Any) -> int:
    with organisation_scope(personas.organisations["a"]):
        return Notification.objects.filter(recipient=personas.memberships["carla"]).count()


def test_it_moves_an_appointment_and_tells_the_candidate(
    as_persona: Any, personas: Any, coaching: dict[str, Any]
) -> None:
    appointment = coaching["appointment"]
    before = notices_for_carla(personas)
    response = as_persona("bob", "a").post(
        f"/coaching/appointments/{appointment.pk}/edit/",
        form_data(appointment, place="Stadhuisplein 1, Utrecht"),
    )
    assert response.status_code == 302
    with organisation_scope(personas.organisations["a"]):
        assert Appointment.objects.get(pk=appointment.pk).place == "Stadhuisplein 1, Utrecht"
    assert notices_for_carla(personas) == before + 1


def test_it_keeps_what_was_typed_when_the_place_and_link_are_both_emptied(
    as_persona: Any, personas: Any, coaching: dict[str, Any]
) -> None:
    appointment = coaching["appointment"]
    response = as_persona("bob", "a").post(
        f"/coaching/appointments/{appointment.pk}/edit/",
        form_data(appointment, place="", online_link="", with_whom="Jobcoach Ahmed"),
    )
    assert response.status_code == 400
    assert "Jobcoach Ahmed" in response.content.decode()
    with organisation_scope(personas.organisations["a"]):
        assert Appointment.objects.get(pk=appointment.pk).place == "Oudegracht 120, Utrecht"


def test_it_lets_the_candidate_download_but_not_change_the_appointment(
    as_persona: Any, coaching: dict[str, Any]
) -> None:
    appointment = coaching["appointment"]
    carla = as_persona("carla")
    assert carla.get(f"/coaching/appointments/{appointment.pk}/edit/").status_code == 403
    assert carla.get(f"/coaching/appointments/{appointment.pk}/calendar.ics").status_code == 200
