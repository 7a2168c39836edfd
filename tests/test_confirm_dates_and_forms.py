"""Issue 11, points 6, 9 and 10: destructive actions ask first, forms that do
not mislead, unambiguous dates, the legal basis translated, and the saved
language applied at sign-in."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from passend.candidates import services as candidate_services
from passend.candidates.models import WorkExperience
from passend.coaching import services as coaching_services
from passend.coaching.forms import AppointmentForm
from passend.common.scope import organisation_scope
from passend.demo.personas import DEMO_PASSWORD
from passend.privacy.erasure import receipts
from passend.tenancy.models import OrganisationContact

DAY = date(2026, 12, 7)


@pytest.fixture
def carla_entry(personas: Any) -> tuple[Any, Any]:
    with organisation_scope(personas.organisations["a"]):
        profile = candidate_services.candidate_profile_ensure(
            membership=personas.memberships["carla"]
        )
        entry = candidate_services.section_entry_create(
            profile=profile,
            model=WorkExperience,
            data={"employer_name": "Bakkerij Matrix", "role": "Baker", "started_on": DAY},
        )
    return profile, entry


def entry_exists(personas: Any, entry: Any) -> bool:
    with organisation_scope(personas.organisations["a"]):
        return WorkExperience.objects.filter(pk=entry.pk).exists()


# --- 6. destructive actions ask first ------------------------------------------


def test_it_asks_before_removing_a_profile_entry(personas, carla_entry):
    profile, entry = carla_entry
    carla = client_for(personas["carla"], personas.organisations["a"])
    remove = reverse("candidates:section_delete", args=[profile.pk, "work", entry.pk])

    first_click = carla.get(remove)

    assert first_click.status_code == 200
    html = first_click.content.decode()
    assert "Remove this entry from “Work history”?" in html
    cancel = reverse("candidates:detail", kwargs={"candidate_id": profile.pk})
    assert f'<a class="button button-secondary" href="{cancel}">Cancel</a>' in html
    assert entry_exists(personas, entry)


def test_it_removes_the_profile_entry_once_confirmed_in_the_dialog(personas, carla_entry):
    profile, entry = carla_entry
    carla = client_for(personas["carla"], personas.organisations["a"])
    remove = reverse("candidates:section_delete", args=[profile.pk, "work", entry.pk])
    page = carla.get(reverse("candidates:detail", kwargs={"candidate_id": profile.pk}))
    assert f'hx-post="{remove}" hx-target="#section-work"' in page.content.decode()

    confirmed = carla.post(remove, headers={"HX-Request": "true"})

    assert confirmed.status_code == 200
    assert not entry_exists(personas, entry)


def test_it_asks_before_removing_a_contact_person_and_removes_on_confirm(personas):
    org = personas.organisations["a"]
    with organisation_scope(org):
        contact = OrganisationContact.objects.create(
            organisation=org, name="Ria Contact", email="ria@werkpad.test"
        )
    alice = client_for(personas["alice"], org)
    url = reverse("tenancy:contact_delete", kwargs={"contact_id": contact.pk})

    asked = alice.get(url)
    with organisation_scope(org):
        still_there = OrganisationContact.objects.filter(pk=contact.pk).exists()
    removed = alice.post(url)

    assert asked.status_code == 200
    assert "Remove the contact person Ria Contact?" in asked.content.decode()
    assert still_there
    assert removed.status_code == 302
    with organisation_scope(org):
        assert not OrganisationContact.objects.filter(pk=contact.pk).exists()


# --- 9. forms that do not mislead ------------------------------------------------


def test_it_marks_place_and_online_link_as_a_required_pair(personas):
    with organisation_scope(personas.organisations["a"]):
        html = str(AppointmentForm())

    assert 'Place <span class="muted">(this or an online link is required)</span>' in html
    assert 'Online link <span class="muted">(this or a place is required)</span>' in html
    assert 'Place <span class="muted">(optional)' not in html
    assert "Give a place, an online link, or both." in html


def test_it_starts_every_label_with_a_capital_and_never_shows_bare_dashes(personas):
    with organisation_scope(personas.organisations["a"]):
        html = str(AppointmentForm())

    assert '<label for="id_duration_minutes">Duration' in html
    assert "---------" not in html
    assert '<option value="" selected>Choose…</option>' in html


def test_it_gives_a_persons_own_details_their_autocomplete_purpose(personas):
    carla = client_for(personas["carla"], personas.organisations["a"])
    with organisation_scope(personas.organisations["a"]):
        profile = candidate_services.candidate_profile_ensure(
            membership=personas.memberships["carla"]
        )
    own = carla.get(reverse("candidates:edit", kwargs={"candidate_id": profile.pk}))
    bob = client_for(personas["bob"], personas.organisations["a"])
    someone_elses = bob.get(reverse("candidates:edit", kwargs={"candidate_id": profile.pk}))
    settings_page = carla.get(reverse("accounts:settings"))

    html = own.content.decode()
    for name, token in [
        ("first_name", "given-name"),
        ("last_name", "family-name"),
        ("postcode", "postal-code"),
        ("city", "address-level2"),
        ("date_of_birth", "bday"),
        ("email", "email"),
        ("phone", "tel"),
    ]:
        assert f'name="{name}"' in html
        assert f'autocomplete="{token}"' in html, name
    assert 'autocomplete="given-name"' not in someone_elses.content.decode()
    assert 'autocomplete="name"' in settings_page.content.decode()


def test_it_announces_a_ticked_task_and_keeps_an_id_to_return_focus_to(personas):
    org = personas.organisations["a"]
    with organisation_scope(org):
        profile = candidate_services.candidate_profile_ensure(
            membership=personas.memberships["carla"]
        )
        trajectory = coaching_services.trajectory_create(
            candidate=profile, goal="Werk", start_date=date(2026, 1, 1)
        )
        task = coaching_services.task_create(trajectory=trajectory, title="Bel de bakker")
    bob = client_for(personas["bob"], org)

    response = bob.post(
        reverse("coaching:task_toggle", kwargs={"task_id": task.pk}),
        {"done": "1"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-announce="Task “Bel de bakker” is done."' in html
    assert f'id="toggle-{task.pk}"' in html


# --- 10. dates and language ------------------------------------------------------


def test_it_writes_english_dates_day_first_with_the_month_in_words(personas, carla_entry):
    profile, _entry = carla_entry
    carla = client_for(personas["carla"], personas.organisations["a"])
    carla.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = carla.get(reverse("candidates:detail", kwargs={"candidate_id": profile.pk}))

    assert "<dd>7 Dec 2026</dd>" in html.content.decode()
    assert "2026-12-07" not in html.content.decode()
    assert "12/07/2026" not in html.content.decode()


def test_it_writes_dutch_dates_as_7_dec_2026(personas, carla_entry):
    profile, _entry = carla_entry
    carla = client_for(personas["carla"], personas.organisations["a"])
    carla.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"

    html = carla.get(reverse("candidates:detail", kwargs={"candidate_id": profile.pk}))

    assert "<dd>7 dec. 2026</dd>" in html.content.decode()


def test_it_uses_the_dutch_format_for_dutch_pages():
    with translation.override("nl"):
        text = Template('{{ day|date:"DATE_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}')
        rendered = text.render(Context({"day": DAY}))

    assert rendered.startswith("7 dec")
    assert rendered.endswith(" 2026")
    assert "12-" not in rendered
    assert "/" not in rendered


def test_it_translates_the_legal_basis_and_formats_the_until_date(monkeypatch):
    monkeypatch.setattr(receipts, "_", lambda text: f"[nl] {text}")
    summary = {
        "kept": [
            {
                "model": "accounts.user",
                "count": 1,
                "fields": "all",
                "law": "GDPR Art. 5(2)",
                "until": "2026-12-07",
            }
        ]
    }

    with translation.override("en"):
        [kept] = receipts.readable(summary)["kept"]

    assert kept["law"] == "[nl] GDPR Art. 5(2)"
    assert kept["until"] == "7 Dec 2026"


def test_it_applies_the_saved_language_when_signing_in(personas, client):
    carla = personas["carla"]
    carla.preferred_language = "en"
    carla.save(update_fields=["preferred_language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"

    response = client.post(
        reverse("account_login"), {"login": carla.email, "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    home = client.get(response["Location"], follow=True)
    assert home.content.decode().startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in home.content.decode()


def test_it_applies_a_saved_dutch_preference_over_an_english_browser(personas, client):
    carla = personas["carla"]
    carla.preferred_language = "nl"
    carla.save(update_fields=["preferred_language"])

    response = client.post(
        reverse("account_login"),
        {"login": carla.email, "password": DEMO_PASSWORD},
        headers={"Accept-Language": "en"},
    )

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    home = client.get(response["Location"], follow=True)
    assert '<html lang="nl">' in home.content.decode()
