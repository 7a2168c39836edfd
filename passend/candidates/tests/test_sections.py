"""Profile sections: add, change and remove entries inline; schemes kept by admins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passend.candidates.models import (
    AvailabilitySlot,
    CandidateSkill,
    ProfileScheme,
    Scheme,
    WorkExperience,
)
from passend.candidates.services import scheme_create
from passend.common.scope import organisation_scope
from passend.privacy.audit.models import AuditEvent
from passend.taxonomy.models import Occupation, Skill


def add_url(profile, kind):
    return reverse("candidates:section_add", args=[profile.pk, kind])


def test_it_adds_work_history_with_an_esco_occupation(carla_profile, as_persona, scope_a):
    occupation = Occupation.objects.create(
        uri="http://data.europa.eu/esco/occupation/baker", pref_en="baker", pref_nl="bakker"
    )

    response = as_persona("carla", "a").post(
        add_url(carla_profile, "work"),
        {
            "employer_name": "Bakkerij Jansen",
            "role": "Assistant baker",
            "occupation": "Bakker",
            "started_on": "2019-01-01",
            "ended_on": "2021-06-30",
        },
    )

    assert response.status_code == 302
    entry = WorkExperience.objects.get(profile=carla_profile)
    assert entry.occupation == occupation
    assert AuditEvent.objects.filter(target_id=str(entry.pk), action="create").exists()


def test_it_rejects_an_unknown_occupation_and_a_reversed_period(carla_profile, as_persona):
    response = as_persona("carla", "a").post(
        add_url(carla_profile, "work"),
        {
            "employer_name": "X",
            "role": "Y",
            "occupation": "astronaut of the deep sea",
            "started_on": "2021-01-01",
            "ended_on": "2020-01-01",
        },
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "No ESCO term is called “astronaut of the deep sea”, and none comes close." in body
    assert 'value="astronaut of the deep sea"' in body
    assert "The end must come after the start." in body


def test_it_adds_a_skill_by_its_english_label(carla_profile, as_persona, scope_a):
    skill = Skill.objects.create(
        uri="http://data.europa.eu/esco/skill/knead", pref_en="knead dough"
    )

    response = as_persona("bob", "a").post(
        add_url(carla_profile, "skills"), {"skill": "Knead Dough", "level": "good"}
    )
    again = as_persona("bob", "a").post(
        add_url(carla_profile, "skills"), {"skill": "knead dough", "level": "basic"}
    )

    assert response.status_code == 302
    assert CandidateSkill.objects.get(profile=carla_profile).skill == skill
    assert again.status_code == 400
    assert "already on the profile" in again.content.decode()


def test_it_offers_the_nearest_skills_for_a_typo_and_saves_the_one_picked(
    carla_profile, as_persona, scope_a, tmp_path
):
    from passend.taxonomy.services import load_esco
    from passend.taxonomy.tests.fixtures import KNEAD, compact_folder

    load_esco(compact_folder(tmp_path / "esco"))
    knead = Skill.objects.get(uri=KNEAD)
    client = as_persona("carla", "a")

    first = client.post(
        add_url(carla_profile, "skills"),
        {"skill": "deeg knedn", "level": "good"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    body = first.content.decode()
    picked = client.post(
        add_url(carla_profile, "skills"),
        {"skill": "deeg knedn", "skill_pick": str(knead.pk), "level": "good"},
    )

    assert first.status_code == 400
    assert 'value="deeg knedn"' in body
    assert f'name="skill_pick" id="id_skill_pick_1" value="{knead.pk}"' in body
    assert picked.status_code == 302
    assert CandidateSkill.objects.get(profile=carla_profile).skill == knead


def test_it_keeps_a_weekly_pattern_and_refuses_empty_ranges(carla_profile, as_persona, scope_a):
    client = as_persona("carla", "a")
    ok = client.post(
        add_url(carla_profile, "availability"),
        {"weekday": "0", "starts_at": "09:00", "ends_at": "13:00"},
    )
    bad = client.post(
        add_url(carla_profile, "availability"),
        {"weekday": "1", "starts_at": "13:00", "ends_at": "09:00"},
    )

    assert ok.status_code == 302
    assert bad.status_code == 400
    assert AvailabilitySlot.objects.filter(profile=carla_profile).count() == 1


def test_it_edits_and_removes_an_entry_inline_with_htmx(carla_profile, as_persona, scope_a):
    client = as_persona("carla", "a")
    client.post(add_url(carla_profile, "links"), {"title": "Portfolio", "url": "https://x.nl"})
    from passend.candidates.models import WebLink

    link = WebLink.objects.get(profile=carla_profile)
    edit = reverse("candidates:section_edit", args=[carla_profile.pk, "links", link.pk])
    form = client.get(edit, headers={"HX-Request": "true"})
    assert 'id="section-form"' in form.content.decode()

    changed = client.post(
        edit, {"title": "My portfolio", "url": "https://x.nl"}, headers={"HX-Request": "true"}
    )
    assert changed.status_code == 200
    assert "My portfolio" in changed.content.decode()

    delete = reverse("candidates:section_delete", args=[carla_profile.pk, "links", link.pk])
    removed = client.post(delete, headers={"HX-Request": "true"})
    assert removed.status_code == 200
    assert not WebLink.objects.filter(profile=carla_profile).exists()
    assert AuditEvent.objects.filter(target_id=str(link.pk), action="delete").exists()


def test_it_rejects_an_invalid_web_address(carla_profile, as_persona):
    response = as_persona("carla", "a").post(
        add_url(carla_profile, "links"), {"title": "x", "url": "javascript:alert(1)"}
    )

    assert response.status_code == 400


def test_it_answers_404_for_an_unknown_section_or_someone_elses_entry(
    carla_profile, personas, as_persona
):
    assert as_persona("carla", "a").get(add_url(carla_profile, "nonsense")).status_code == 404
    with organisation_scope(personas.organisations["a"]):
        from passend.candidates.services import section_entry_create

        entry = section_entry_create(
            profile=carla_profile,
            model=WorkExperience,
            data={"employer_name": "A", "role": "B", "started_on": "2020-01-01"},
        )
    url = reverse("candidates:section_edit", args=[carla_profile.pk, "work", entry.pk])
    assert as_persona("charlie", "b").get(url).status_code == 404
    assert as_persona("dave", "a").get(url).status_code == 403
    wrong_kind = reverse("candidates:section_edit", args=[carla_profile.pk, "links", entry.pk])
    assert as_persona("carla", "a").get(wrong_kind).status_code == 404


def test_it_lets_admins_keep_the_list_of_schemes(as_persona, org_a):
    alice = as_persona("alice", "a")

    assert alice.post(reverse("candidates:schemes"), {"name": "Participatiewet"}).status_code == 302
    duplicate = alice.post(reverse("candidates:schemes"), {"name": "Participatiewet"})
    assert duplicate.status_code == 400
    with organisation_scope(org_a):
        scheme = Scheme.objects.get()
    alice.post(reverse("candidates:scheme_toggle", args=[scheme.pk]))
    with organisation_scope(org_a):
        scheme.refresh_from_db()
    assert not scheme.is_active


@pytest.mark.parametrize("persona", ["bob", "carla", "dave"])
def test_it_keeps_the_scheme_list_to_admins(as_persona, persona):
    assert as_persona(persona, "a").get(reverse("candidates:schemes")).status_code == 403


def test_it_offers_only_schemes_in_use_on_the_profile(carla_profile, as_persona, org_a):
    with organisation_scope(org_a):
        used = scheme_create(organisation_id=org_a.pk, name="Jobcoach")
        retired = scheme_create(organisation_id=org_a.pk, name="Old scheme")
        retired.is_active = False
        retired.save()
    client = as_persona("bob", "a")

    form = client.get(add_url(carla_profile, "schemes")).content.decode()
    assert "Jobcoach" in form
    assert "Old scheme" not in form
    response = client.post(add_url(carla_profile, "schemes"), {"scheme": str(retired.pk)})
    assert response.status_code == 400
    assert (
        client.post(add_url(carla_profile, "schemes"), {"scheme": str(used.pk)}).status_code == 302
    )
    with organisation_scope(org_a):
        assert ProfileScheme.objects.get().scheme == used
