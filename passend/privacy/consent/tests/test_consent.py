"""Consent records: give, withdraw, and absence is never consent."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from passend.common.scope import organisation_scope
from passend.privacy.audit.models import AuditEvent
from passend.privacy.consent.models import Consent, ConsentPurpose
from passend.privacy.consent.services import consent_give, consent_withdraw, has_consent
from passend.privacy.datamap import Purpose, declaration_for
from passend.privacy.statement.models import StatementVersion


def test_it_has_no_consent_when_nothing_was_recorded(personas, scope_a, org_a):
    assert not has_consent(user=personas["carla"], organisation=org_a, purpose="passport_photo")
    assert not has_consent(user=None, organisation=org_a, purpose="passport_photo")


def test_it_records_consent_with_the_statement_version_and_audits_it(personas, scope_a, org_a):
    latest = StatementVersion.objects.order_by("-major", "-minor").first()

    consent = consent_give(
        user=personas["carla"], organisation=org_a, purpose=ConsentPurpose.PASSPORT_PHOTO
    )

    assert has_consent(user=personas["carla"], organisation=org_a, purpose="passport_photo")
    expected = f"{latest.major}.{latest.minor}" if latest else ""
    assert consent.statement_version == expected
    event = AuditEvent.objects.get(target_id=str(consent.pk), action="create")
    assert event.subject_user_id == personas["carla"].pk


def test_it_keeps_the_first_record_when_consent_is_given_twice(personas, scope_a, org_a):
    first = consent_give(user=personas["carla"], organisation=org_a, purpose=Purpose.NEWSLETTER)
    second = consent_give(user=personas["carla"], organisation=org_a, purpose=Purpose.NEWSLETTER)

    assert first.pk == second.pk
    assert Consent.objects.count() == 1


def test_it_withdraws_at_once_and_keeps_the_history(personas, scope_a, org_a):
    carla = personas["carla"]
    consent_give(user=carla, organisation=org_a, purpose="passport_photo")

    assert consent_withdraw(user=carla, organisation=org_a, purpose="passport_photo") == 1

    assert not has_consent(user=carla, organisation=org_a, purpose="passport_photo")
    assert Consent.objects.get().withdrawn_at is not None
    assert consent_withdraw(user=carla, organisation=org_a, purpose="passport_photo") == 0
    again = consent_give(user=carla, organisation=org_a, purpose="passport_photo")
    assert again.withdrawn_at is None
    assert Consent.objects.count() == 2


def test_it_keeps_consent_per_organisation(personas, org_a, org_b):
    bob = personas["bob"]
    with organisation_scope(org_a):
        consent_give(user=bob, organisation=org_a, purpose="passport_photo")

    with organisation_scope(org_b):
        assert not has_consent(user=bob, organisation=org_b, purpose="passport_photo")


def test_it_refuses_an_unknown_purpose(personas, scope_a, org_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        consent_give(user=personas["carla"], organisation=org_a, purpose="selling_data")


def test_it_allows_only_one_active_consent_per_purpose_in_the_database(personas, scope_a, org_a):
    from django.utils import timezone

    carla = personas["carla"]
    consent_give(user=carla, organisation=org_a, purpose="passport_photo")

    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            organisation=org_a, user=carla, purpose="passport_photo", given_at=timezone.now()
        )


def test_it_is_declared_in_the_data_map():
    declaration = declaration_for(Consent)

    assert declaration is not None
    assert declaration.subject_field == "user"
