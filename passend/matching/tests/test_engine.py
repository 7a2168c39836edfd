"""The matching engine: ranks, explains, logs, keeps out who may not be matched,
and never reads a protected field (issue 14, parts 2-4)."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core import checks
from django.db import models

from passend.candidates.models import (
    AvailabilitySlot,
    CandidateProfile,
    CandidateSkill,
    Education,
    WorkExperience,
)
from passend.candidates.services import candidate_profile_ensure
from passend.common.scope import organisation_scope
from passend.matching import engine, explain, features, services
from passend.matching.checks import check_features
from passend.matching.index import education_rank, index_candidates, index_vacancies
from passend.matching.models import JobPreference, Ranking, RankingEntry
from passend.matching.taxonomy import forget
from passend.privacy.datamap import field_declaration, personal_fields
from passend.privacy.datamap.vocabulary import category as category_of
from passend.privacy.restriction import services as restriction
from passend.taxonomy import encoder
from passend.taxonomy.models import Occupation, Skill
from passend.taxonomy.normalise import forget_index
from passend.taxonomy.services import load_esco
from passend.taxonomy.tests.fixtures import BAKER, DEVELOPER, HYGIENE, KNEAD, PYTHON, compact_folder
from passend.tenancy.models import Membership, Role
from passend.vacancies import services as vacancy_services
from passend.vacancies.models import Vacancy, VacancySkill


@pytest.fixture
def esco(db: Any, tmp_path: Path) -> None:
    load_esco(compact_folder(tmp_path / "esco"))
    forget()
    forget_index()
    engine.forget_pools()
    yield
    forget()
    forget_index()
    engine.forget_pools()


@dataclass
class World:
    org: Any
    vacancy: Vacancy
    baker: CandidateProfile
    coder: CandidateProfile
    empty: CandidateProfile


def _candidate(
    personas: Any, django_user_model: Any, email: str, **fields: Any
) -> CandidateProfile:
    org = personas.organisations["a"]
    user = django_user_model.objects.create_user(email, None, name=email.split("@")[0])
    member = Membership.objects.create(organisation=org, user=user, role=Role.CANDIDATE)
    profile = candidate_profile_ensure(membership=member)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def _work(profile: CandidateProfile, uri: str, role: str, since: date) -> None:
    WorkExperience.objects.create(
        organisation_id=profile.organisation_id,
        profile=profile,
        employer_name="Bakkerij",
        role=role,
        occupation=Occupation.objects.get(uri=uri),
        started_on=since,
    )


@pytest.fixture
def world(esco: None, personas: Any, django_user_model: Any) -> World:
    org = personas.organisations["a"]
    with organisation_scope(org):
        baker = _candidate(personas, django_user_model, "baker@example.org", postcode="3511 AB")
        _work(baker, BAKER, "Broodbakker", date(2018, 1, 1))
        CandidateSkill.objects.create(
            organisation=org, profile=baker, skill=Skill.objects.get(uri=KNEAD), level="expert"
        )
        Education.objects.create(
            organisation=org, profile=baker, institution="ROC", programme="Bakker", level="MBO 3",
            completed=True,
        )  # fmt: skip
        AvailabilitySlot.objects.create(
            organisation=org, profile=baker, weekday=1, starts_at="08:00", ends_at="16:00"
        )
        coder = _candidate(personas, django_user_model, "coder@example.org", postcode="9711 AA")
        _work(coder, DEVELOPER, "Programmeur", date(2015, 1, 1))
        CandidateSkill.objects.create(
            organisation=org, profile=coder, skill=Skill.objects.get(uri=PYTHON), level="good"
        )
        empty = _candidate(personas, django_user_model, "empty@example.org")
        vacancy = vacancy_services.vacancy_create(
            employer=personas.employers["Bakkerij De Korenaar"],
            by=personas.memberships["bob"],
            title="Bakker",
            hours_per_week=32,
            postcode="3512 AA",
            occupation=Occupation.objects.get(uri=BAKER),
            education_level="mbo2",
        )
        for uri, required in ((KNEAD, True), (HYGIENE, False)):
            VacancySkill.objects.create(
                organisation=org, vacancy=vacancy, skill=Skill.objects.get(uri=uri),
                required=required,
            )  # fmt: skip
        vacancy = vacancy_services.vacancy_publish(vacancy=vacancy, by=None)
    return World(org=org, vacancy=vacancy, baker=baker, coder=coder, empty=empty)


def _draft(personas: Any, title: str, hours: int) -> Vacancy:
    """A draft of the bakery with a title and hours only: no occupation, no skills."""
    return vacancy_services.vacancy_create(
        employer=personas.employers["Bakkerij De Korenaar"],
        by=personas.memberships["bob"],
        title=title,
        hours_per_week=hours,
    )


def _ranked(world: World, **kwargs: Any) -> list[Any]:
    with organisation_scope(world.org):
        result = services.rank_candidates(world.vacancy, **kwargs)
    return [m.candidate_id for m in result.matches]


def test_it_ranks_the_baker_first_for_a_bakery_vacancy(world: World) -> None:
    ranked = _ranked(world)

    assert ranked[0] == world.baker.pk
    assert ranked.index(world.coder.pk) > 0


def test_the_scores_add_up_to_the_points_each_signal_gave(world: World) -> None:
    with organisation_scope(world.org):
        match = services.rank_candidates(world.vacancy).matches[0]

    points = sum(part["points"] for part in match.explanation["signals"].values())
    assert points == pytest.approx(match.score * 100, abs=0.5)
    assert match.explanation["signals"]["occupation"]["score"] == 1.0


def test_it_explains_matching_and_missing_skills_in_words(world: World) -> None:
    with organisation_scope(world.org):
        result = services.rank_candidates(world.vacancy)
        first = result.matches[0].explanation
        coder = next(m for m in result.matches if m.candidate_id == world.coder.pk).explanation
        occupations, skills = explain.labels_for([first, coder])
        reading = explain.read(first, occupations, skills)
        coder_reading = explain.read(coder, occupations, skills)

    knead, hygiene = (str(Skill.objects.get(uri=uri)) for uri in (KNEAD, HYGIENE))
    matched = dict(reading.matched)
    assert matched[knead] is False  # said so herself
    assert matched[hygiene] is True  # follows from her work as a baker
    sentences = {line.key: line.sentence for line in reading.lines}
    assert "same occupation" in sentences["occupation"]
    assert "km" in sentences["distance"]
    assert knead in coder_reading.missing


def test_it_logs_every_ranking_with_who_asked_and_the_model(world: World, personas: Any) -> None:
    bob = personas["bob"]
    with organisation_scope(world.org):
        result = services.rank_candidates(world.vacancy, requested_by=bob)
        ranking = Ranking.objects.get(pk=result.ranking.pk)
        entries = list(RankingEntry.objects.filter(ranking=ranking))

    assert ranking.requested_by == bob
    assert ranking.vacancy == world.vacancy
    assert ranking.model_id
    assert ranking.data_version.startswith("esco:")
    assert [e.candidate_id for e in entries] == [m.candidate_id for m in result.matches]
    assert entries[0].explanation["signals"]["skills"]["score"] > 0


def test_it_never_lists_people_who_restricted_or_object_to_matching(
    world: World, personas: Any
) -> None:
    with organisation_scope(world.org):
        restriction.restriction_start(membership=world.baker.membership, reason="contests_accuracy")
        restriction.objection_make(membership=world.coder.membership, purpose="matching")

    ranked = _ranked(world)

    assert world.baker.pk not in ranked
    assert world.coder.pk not in ranked
    assert world.empty.pk in ranked


def test_a_candidate_who_objects_gets_no_vacancies_and_is_told_why(world: World) -> None:
    with organisation_scope(world.org):
        restriction.objection_make(membership=world.baker.membership, purpose="matching")
        result = services.rank_vacancies(world.baker)

    assert result.matches == []
    assert result.notices == ["blocked"]


def test_it_ranks_vacancies_for_a_candidate_with_the_same_signals(world: World) -> None:
    with organisation_scope(world.org):
        result = services.rank_vacancies(world.baker)
        other = services.rank_candidates(world.vacancy)

    assert [m.vacancy_id for m in result.matches] == [world.vacancy.pk]
    same = next(m for m in other.matches if m.candidate_id == world.baker.pk)
    assert result.matches[0].score == pytest.approx(same.score, abs=1e-3)


def test_an_empty_profile_ranks_last_with_a_notice_not_an_error(world: World) -> None:
    with organisation_scope(world.org):
        ranked = services.rank_candidates(world.vacancy)
        own = services.rank_vacancies(world.empty)

    order = [m.candidate_id for m in ranked.matches]
    assert order.index(world.empty.pk) > order.index(world.baker.pk)
    assert "empty_profile" in own.notices


def test_a_vacancy_without_skills_uses_its_occupations_essential_skills(world: World) -> None:
    with organisation_scope(world.org):
        VacancySkill.objects.filter(vacancy=world.vacancy).delete()
        index_vacancies([world.vacancy])
        result = services.rank_candidates(world.vacancy)

    first = result.matches[0]
    assert first.candidate_id == world.baker.pk
    assert first.explanation["detail"]["implied"] is True
    assert "no_skills" not in result.notices


def test_a_vacancy_with_no_occupation_and_no_skills_still_ranks_with_notices(
    world: World, personas: Any
) -> None:
    with organisation_scope(world.org):
        bare = _draft(personas, "Iets", 8)
        result = services.rank_candidates(bare)

    assert {"no_occupation", "no_skills"} <= set(result.notices)
    assert len(result.matches) == 3


def test_model_free_mode_ranks_without_the_encoder_and_says_so(world: World, settings: Any) -> None:
    settings.MATCHING_ENCODER = "none"
    encoder._loaded.clear()
    try:
        with organisation_scope(world.org):
            index_candidates(list(CandidateProfile.objects.all()))
            index_vacancies([world.vacancy])
            engine.forget_pools()
            result = services.rank_candidates(world.vacancy)
    finally:
        encoder._loaded.clear()
        engine.forget_pools()

    assert result.model_free
    assert result.matches[0].candidate_id == world.baker.pk
    assert result.matches[0].explanation["signals"]["text"]["score"] is None
    assert result.ranking.model_id.startswith("model-free")


def test_a_wish_for_the_work_counts_for_the_candidate(world: World) -> None:
    with organisation_scope(world.org):
        before = services.rank_candidates(world.vacancy, log=False)
        wish = JobPreference.objects.create(organisation=world.org, profile=world.coder)
        wish.occupations.add(Occupation.objects.get(uri=BAKER))
        index_candidates([world.coder])
        after = services.rank_candidates(world.vacancy, log=False)

    def score(result: Any) -> float:
        return next(m.score for m in result.matches if m.candidate_id == world.coder.pk)

    assert score(after) > score(before)
    coder = next(m for m in after.matches if m.candidate_id == world.coder.pk)
    assert coder.explanation["detail"]["wished"] is True


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("MBO niveau 4", "mbo4"),
        ("mbo-2 Entree", "mbo2"),
        ("HBO Verpleegkunde", "hbo"),
        ("Master of Science", "wo"),
        ("VWO", "havo_vwo"),
        ("cursus koken", None),
    ],
)
def test_it_reads_the_dutch_education_level_from_free_text(text: str, level: str | None) -> None:
    from passend.matching.index import EDUCATION_RANK

    assert education_rank(text) == (EDUCATION_RANK[level] if level else None)


# --- Fairness (part 3) ---------------------------------------------------------


def _protected_fields() -> list[tuple[type[models.Model], str]]:
    """Every field of a candidate's data whose category the feature rules protect."""
    out = []
    for model in (CandidateProfile, WorkExperience, Education, CandidateSkill, AvailabilitySlot):
        for name, decl in personal_fields(model).items():
            category = category_of(decl.category)
            if features.protected(
                decl.category,
                sensitive=decl.sensitive or bool(category and category.sensitive),
                special=bool(category and category.special),
            ):
                out.append((model, name))
    return out


def _bsn(rng: random.Random) -> str:
    """A random number that passes the eleven-test."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
        if digits[0] and total % 11 == 0:
            return "".join(map(str, digits))


def _scramble(profile: CandidateProfile, rng: random.Random) -> None:
    profile.gender = rng.choice(["female", "male", "x", ""])
    profile.date_of_birth = date(rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28))
    profile.marital_status = rng.choice(["married", "single", ""])
    profile.nationality = rng.choice(["Nederlandse", "Turkse", "Marokkaanse", "Poolse"])
    profile.interests = rng.choice(["", "voetbal", "moskee", "kerkkoor"])
    profile.bsn = _bsn(rng)
    profile.iban = rng.choice(["", "NL91ABNA0417164300"])
    profile.save()


def test_the_protected_fields_of_a_profile_are_known_to_the_rules() -> None:
    names = {name for model, name in _protected_fields() if model is CandidateProfile}
    assert {"gender", "date_of_birth", "marital_status", "nationality", "bsn", "iban"} <= names


def test_changing_any_protected_field_changes_no_score_and_no_ranking(world: World) -> None:
    rng = random.Random(14)
    with organisation_scope(world.org):
        before = services.rank_candidates(world.vacancy, log=False)
        vacancies_before = services.rank_vacancies(world.baker, log=False)
        for profile in CandidateProfile.objects.all():
            _scramble(profile, rng)
        index_candidates(list(CandidateProfile.objects.all()))
        engine.forget_pools()
        after = services.rank_candidates(world.vacancy, log=False)
        vacancies_after = services.rank_vacancies(world.baker, log=False)

    assert [(m.candidate_id, m.score) for m in after.matches] == [
        (m.candidate_id, m.score) for m in before.matches
    ]
    assert [m.score for m in vacancies_after.matches] == [m.score for m in vacancies_before.matches]


def test_no_signal_reads_a_protected_field() -> None:
    assert check_features() == []
    protected = {f"{m._meta.label}.{name}" for m, name in _protected_fields()}
    assert not protected & features.feature_fields()


def test_the_check_refuses_a_signal_that_reads_a_protected_field(monkeypatch: Any) -> None:
    bad = features.Signal("age", "Age", 0.1, ("candidates.CandidateProfile.date_of_birth",))
    monkeypatch.setattr("passend.matching.checks.SIGNALS", (*features.SIGNALS, bad))

    errors = check_features()

    assert [e.id for e in errors] == ["matching.E001"]
    assert isinstance(errors[0], checks.Error)


def test_the_check_refuses_a_signal_that_reads_an_undeclared_or_missing_field(
    monkeypatch: Any,
) -> None:
    bad = features.Signal("x", "X", 0.1, ("candidates.CandidateProfile.no_such_field",))
    monkeypatch.setattr("passend.matching.checks.SIGNALS", (bad,))

    assert [e.id for e in check_features()] == ["matching.E002"]


def test_the_weights_share_one_hundred_points() -> None:
    assert sum(features.WEIGHTS.values()) == pytest.approx(1.0)
    assert len(set(itertools.chain(features.SIGNAL_KEYS))) == len(features.SIGNALS)


def test_a_field_of_the_map_is_declared_for_every_feature_source() -> None:
    for source in features.feature_fields():
        app_label, model_name, name = source.split(".")
        from django.apps import apps

        assert field_declaration(apps.get_model(app_label, model_name), name) is not None


# --- The API and the rebuild command (parts 5 and 7) ----------------------------


def test_the_api_answers_a_ranking_with_reasons_in_words(world: World, personas: Any) -> None:
    from passend.api.tests.helpers import get, make_token

    token = make_token(personas["bob"], world.org)
    response = get(f"/api/v1/matching/vacancies/{world.vacancy.pk}/candidates", token)

    body = response.json()
    assert response.status_code == 200
    assert body["results"][0]["candidate_id"] == str(world.baker.pk)
    reasons = {s["key"]: s["reason"] for s in body["results"][0]["signals"]}
    assert "same occupation" in reasons["occupation"]
    assert Ranking.objects.unscoped().filter(pk=body["ranking_id"]).exists()


def test_the_rebuild_command_indexes_everyone_with_a_progress_bar(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from passend.matching.models import CandidateIndex

    out, err = StringIO(), StringIO()
    call_command("match_index", organisation="werkpad", stdout=out, stderr=err)

    assert "Indexed" in out.getvalue()
    assert "[##############################]" in err.getvalue()
    with organisation_scope(world.org):
        assert CandidateIndex.objects.count() == CandidateProfile.objects.count()
    with pytest.raises(CommandError):
        call_command("match_index", organisation="nope")


def test_a_candidate_sees_on_my_data_that_and_where_they_were_ranked(
    world: World, client: Any
) -> None:
    with organisation_scope(world.org):
        services.rank_candidates(world.vacancy)
    client.force_login(world.baker.membership.user)

    from django.utils import translation

    page = client.get("/my-data/").content.decode().lower()

    words = "where you were ranked for a vacancy, and why"
    with translation.override("nl"):
        dutch = translation.gettext(words).lower()
    assert words in page or dutch in page


def test_a_proposed_candidate_reads_why_the_vacancy_may_suit_them(
    world: World, personas: Any, client: Any
) -> None:
    from django.urls import reverse

    with organisation_scope(world.org):
        services.rank_candidates(world.vacancy, requested_by=personas["bob"])
        proposal = vacancy_services.proposal_create(
            vacancy=world.vacancy, candidate=world.baker, by=personas.memberships["bob"]
        )
    client.force_login(world.baker.membership.user)
    session = client.session
    session["organisation_id"] = str(world.org.pk)
    session.save()

    page = client.get(reverse("vacancies:proposal", args=[proposal.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert 'id="why-title"' in page.content.decode()
    assert str(Skill.objects.get(uri=KNEAD)) in page.content.decode()


def test_a_candidate_saves_wishes_that_the_ranking_then_uses(world: World, client: Any) -> None:
    from django.urls import reverse

    client.force_login(world.coder.membership.user)
    baker = Occupation.objects.get(uri=BAKER)
    url = reverse("matching:preferences")

    bad = client.post(url, {"hours_min": "30", "hours_max": "10"})
    good = client.post(
        url,
        {
            "occupation_1": str(baker),
            "occupation_1_id": str(baker.pk),
            "hours_min": "24",
            "hours_max": "36",
        },
    )

    assert bad.status_code == 400
    assert good.status_code == 302, good.context["form"].errors
    with organisation_scope(world.org):
        wish = JobPreference.objects.get(profile=world.coder)
        index_candidates([world.coder])
        coder = next(
            m
            for m in services.rank_candidates(world.vacancy).matches
            if m.candidate_id == world.coder.pk
        )
    assert list(wish.occupations.all()) == [baker]
    assert coder.explanation["detail"]["wished"] is True


def test_a_title_without_an_esco_occupation_counts_as_the_one_recognised_in_it(
    world: World, personas: Any
) -> None:
    with organisation_scope(world.org):
        bare = _draft(personas, "Bakker", 24)
        WorkExperience.objects.filter(profile=world.coder).update(
            occupation=None, role="softwareontwikkelaar"
        )
        index_candidates([world.coder])
        result = services.rank_candidates(bare)
        occupations, skills = explain.labels_for([result.matches[0].explanation])
        reading = explain.read(result.matches[0].explanation, occupations, skills)

    assert result.matches[0].candidate_id == world.baker.pk
    assert "no_occupation" not in result.notices
    assert "Recognised from the job title" in reading.lines[0].sentence
    from passend.matching.models import CandidateIndex

    with organisation_scope(world.org):
        features = CandidateIndex.objects.get(profile=world.coder).features
    developer = Occupation.objects.get(uri=DEVELOPER).pk
    assert features["recognised"] == [developer]
    assert str(developer) in features["occupations"]


def test_the_api_normalises_a_job_title_to_ranked_esco_occupations(
    world: World, personas: Any
) -> None:
    from passend.api.tests.helpers import get, make_token

    token = make_token(personas["carla"], world.org)

    found = get("/api/v1/matching/normalise?title=broodbakker&lang=nl&top=2", token).json()
    empty = get("/api/v1/matching/normalise?title=", token).json()
    too_many = get("/api/v1/matching/normalise?title=x&top=500", token)

    assert found[0]["uri"] == BAKER
    assert 0 < found[0]["score"] <= 1
    assert empty == []
    assert too_many.status_code == 422
    assert too_many["Content-Type"].startswith("application/problem+json")
