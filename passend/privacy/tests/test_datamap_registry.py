"""The registry's queries, its stable JSON form and hash, and the rules of declaring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps
from django.utils import translation

from passend.privacy import datamap
from passend.privacy.checks import check_datamap
from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    DataMap,
    Erasure,
    NotPersonal,
    Personal,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    UndeclaredError,
    period_string,
    register_category,
)

User = apps.get_model(settings.AUTH_USER_MODEL)
Membership = apps.get_model("tenancy", "Membership")
Organisation = apps.get_model("tenancy", "Organisation")

RETENTION = Retention(
    trigger=Trigger.CREATED, period=timedelta(days=90), action=RetentionAction.DELETE
)


def name_declaration(**overrides: object) -> Personal:
    values: dict[str, object] = {
        "subject": Subject.CANDIDATE,
        "category": "user.name",
        "purposes": [Purpose.MEDIATION, Purpose.ACCOUNT],
        "basis": Basis.CONTRACT,
        "retention": RETENTION,
        "recipients": ["hosting", "email"],
    }
    values.update(overrides)
    return Personal(**values)  # type: ignore[arg-type]


def small_map(**overrides: object) -> DataMap:
    """A map of one throwaway model; call inside isolate_apps."""

    class Person(models.Model):  # noqa: DJ008 - throwaway test model
        name = models.CharField("name", max_length=100)

        class Meta:
            app_label = "privacy"

    result = DataMap()
    result.declare(
        Person,
        subject_field="id",
        fields={"id": NOT_PERSONAL, "name": name_declaration(**overrides)},
    )
    return result


# --- queries over the real map -----------------------------------------------------


def test_it_lists_every_declaration_ordered_by_model_label() -> None:
    labels = [d.label for d in datamap.registry()]

    assert labels == sorted(labels)
    assert "tenancy.Membership" in labels
    assert "sessions.Session" in labels


def test_it_loads_each_apps_privacy_module_and_the_library_declarations() -> None:
    declared_in = {d.label: d.declared_in for d in datamap.registry()}

    assert declared_in["accounts.User"] == "passend.accounts.privacy"
    assert declared_in["tenancy.Invitation"] == "passend.tenancy.privacy"
    assert declared_in["api.ApiToken"] == "passend.api.privacy"
    assert declared_in["sessions.Session"] == "passend.privacy.library_privacy"
    assert declared_in["account.EmailAddress"] == "passend.privacy.library_privacy"


def test_it_answers_what_a_field_is() -> None:
    password = datamap.field_declaration(User, "password")
    organisation = datamap.field_declaration(Membership, "organisation")

    assert isinstance(password, Personal)
    assert password.category == "user.authorization.credentials"
    assert password.sensitive is True
    assert organisation is NOT_PERSONAL


def test_it_fails_closed_on_an_undeclared_field_or_model() -> None:
    with pytest.raises(UndeclaredError):
        datamap.field_declaration(User, "shoe_size")
    with pytest.raises(UndeclaredError):
        datamap.personal_fields("nowhere.Nothing")
    assert datamap.declaration_for("nowhere.Nothing") is None


def test_it_accepts_a_model_class_instance_or_label() -> None:
    by_class = datamap.declaration_for(User)

    assert by_class is not None
    assert datamap.declaration_for(User(email="x@example.org")) is by_class
    assert datamap.declaration_for("accounts.User") is by_class


def test_it_lists_personal_fields_in_declaration_order() -> None:
    fields = datamap.personal_fields(Membership)

    assert list(fields) == [
        "created_at",
        "updated_at",
        "user",
        "role",
        "employer",
        "is_active",
        "sort_name",
    ]
    assert all(isinstance(d, Personal) for d in fields.values())
    assert datamap.personal_fields(Organisation) == {}


def test_it_lists_the_sensitive_fields() -> None:
    sensitive = {f.label for f in datamap.sensitive_fields()}

    assert {
        "accounts.User.password",
        "api.ApiToken.key_hash",
        "tenancy.Invitation.token_hash",
        "sessions.Session.session_key",
    } <= sensitive
    assert "accounts.User.name" not in sensitive
    assert "accounts.User.email" not in sensitive


def test_it_lists_the_models_with_a_subject_field() -> None:
    with_subject = {d.label: d.subject_field for d in datamap.models_with_subject()}

    assert with_subject["tenancy.Membership"] == "user"
    assert with_subject["accounts.User"] == "id"
    assert with_subject["account.EmailConfirmation"] == "email_address"
    assert "tenancy.Organisation" not in with_subject


def test_it_declares_organisations_not_personal_and_their_contacts_personal() -> None:
    contact = datamap.personal_fields(apps.get_model("tenancy", "OrganisationContact"))

    assert datamap.field_declaration(Organisation, "iban").personal is False
    assert datamap.field_declaration(Organisation, "kvk_number").personal is False
    assert contact["email"].subject == Subject.ORGANISATION_CONTACT
    assert contact["email"].retention == Retention(
        trigger=Trigger.CONTRACT_ENDED, period=timedelta(days=30), action=RetentionAction.DELETE
    )


def test_it_declares_framework_tables_not_personal_with_a_reason() -> None:
    group = datamap.declaration_for(apps.get_model("auth", "Group"))

    assert group is not None
    assert group.not_personal_reason
    assert set(group.fields) == {"id", "name", "permissions"}
    assert datamap.personal_fields(group.model) == {}


# --- declaring ---------------------------------------------------------------------------


@isolate_apps("passend.privacy")
def test_it_refuses_to_declare_a_model_twice() -> None:
    class Thing(models.Model):  # noqa: DJ008 - throwaway test model
        class Meta:
            app_label = "privacy"

    registry = DataMap()
    registry.declare(Thing, fields={"id": NOT_PERSONAL})

    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        registry.declare(Thing, fields={"id": NOT_PERSONAL})


@isolate_apps("passend.privacy")
def test_it_refuses_what_is_not_a_declaration() -> None:
    class Thing(models.Model):  # noqa: DJ008 - throwaway test model
        class Meta:
            app_label = "privacy"

    class Base(models.Model):
        class Meta:
            abstract = True
            app_label = "privacy"

    registry = DataMap()
    with pytest.raises(TypeError, match="Personal"):
        registry.declare(Thing, fields={"id": "not personal"})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="concrete"):
        registry.declare(Base, fields={})
    with pytest.raises(TypeError, match="model class"):
        registry.declare("privacy.Thing", fields={})  # type: ignore[arg-type]
    with pytest.raises(ImproperlyConfigured, match="reason"):
        registry.declare_not_personal(Thing, reason=" ")


@isolate_apps("passend.privacy")
def test_it_answers_a_parent_field_from_the_parent_declaration() -> None:
    class Parent(models.Model):  # noqa: DJ008 - throwaway test model
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "privacy"

    class Child(Parent):  # noqa: DJ008 - throwaway test model
        extra = models.CharField(max_length=10)

        class Meta:
            app_label = "privacy"

    registry = DataMap()
    registry.declare(Parent, fields={"id": NOT_PERSONAL, "name": name_declaration()})
    registry.declare(Child, fields={"parent_ptr": NOT_PERSONAL, "extra": NOT_PERSONAL})

    assert registry.field_declaration(Child, "name") == name_declaration()
    assert registry.field_declaration(Child, "extra") is NOT_PERSONAL


def test_it_normalises_lists_and_values_to_the_vocabulary() -> None:
    declaration = name_declaration(purposes=["mediation"], basis="contract", subject="worker")

    assert declaration.purposes == (Purpose.MEDIATION,)
    assert declaration.basis is Basis.CONTRACT
    assert declaration.subject is Subject.WORKER
    assert declaration.recipients == ("hosting", "email")
    assert declaration.erasure is Erasure.DELETE


@pytest.fixture
def clean_vocabulary() -> Iterator[None]:
    before = dict(datamap.CATEGORIES)
    yield
    datamap.CATEGORIES.clear()
    datamap.CATEGORIES.update(before)


@pytest.mark.usefixtures("clean_vocabulary")
def test_it_registers_only_own_categories_and_never_redefines_one() -> None:
    with pytest.raises(ImproperlyConfigured, match="passend"):
        register_category("user.shoe_size", "shoe size")

    added = register_category("passend.test_category", "test category", sensitive=True)

    assert datamap.category("passend.test_category") is added
    assert added.source == "passend"
    assert register_category("passend.test_category", "test category", sensitive=True) is added
    with pytest.raises(ImproperlyConfigured, match="differently"):
        register_category("passend.test_category", "test category")


@pytest.mark.usefixtures("clean_vocabulary")
@isolate_apps("passend.privacy")
def test_it_accepts_a_registered_own_category_in_the_check() -> None:
    register_category("passend.test_shift_preference", "shift preference")
    registry = small_map(category="passend.test_shift_preference")

    assert check_datamap(registry, [registry.registry()[0].model]) == []


def test_it_labels_every_category_purpose_and_subject() -> None:
    for key, entry in datamap.CATEGORIES.items():
        assert str(entry.label), key
        assert entry.source == ("passend" if key.startswith("passend.") else "fideslang")
    assert set(datamap.PURPOSE_PROMISES) == set(Purpose)
    assert set(datamap.BASIS_ARTICLE) == set(Basis)


# --- the stable JSON form and its hash -----------------------------------------------------


def test_it_gives_the_same_hash_for_the_same_map() -> None:
    first = datamap.map_hash()

    assert datamap.map_hash() == first
    assert len(first) == 64
    with translation.override("nl"):
        assert datamap.map_hash() == first


def test_it_gives_the_same_hash_in_a_fresh_process() -> None:
    code = (
        "import django; django.setup(); from passend.privacy import datamap; "
        "print(datamap.map_hash())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONHASHSEED": "12345",
    }
    root = Path(settings.BASE_DIR)

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )

    assert result.stdout.strip() == datamap.map_hash()


def test_it_changes_the_hash_when_a_declaration_changes() -> None:
    with isolate_apps("passend.privacy"):
        base = small_map().map_hash()
    with isolate_apps("passend.privacy"):
        same = small_map(purposes=[Purpose.ACCOUNT, Purpose.MEDIATION]).map_hash()
    with isolate_apps("passend.privacy"):
        longer = small_map(
            retention=Retention(
                trigger=Trigger.CREATED, period=timedelta(days=91), action=RetentionAction.DELETE
            )
        ).map_hash()
    with isolate_apps("passend.privacy"):
        other_basis = small_map(basis=Basis.CONSENT).map_hash()

    assert same == base  # the order of purposes is not a change
    assert len({base, longer, other_basis}) == 3


@isolate_apps("passend.privacy")
def test_it_writes_the_json_form_with_msgid_labels_of_what_it_uses() -> None:
    registry = small_map()

    with translation.override("nl"):
        data = registry.as_dict()

    field = data["models"]["privacy.Person"]["fields"]["name"]
    assert data["format"] == 1
    assert data["models"]["privacy.Person"]["subject_field"] == "id"
    assert field["purposes"] == ["account", "mediation"]
    assert field["recipients"] == ["email", "hosting"]
    assert field["retention"] == {
        "trigger": "created",
        "period": "P90D",
        "action": "delete",
        "legal_obligation": None,
    }
    assert data["vocabulary"]["categories"] == {"user.name": "name"}
    assert set(data["vocabulary"]["purposes"]) == {"account", "mediation"}
    assert data["models"]["privacy.Person"]["fields"]["id"] == {
        "personal": False,
        "reason": "",
        "verbose_name": "ID",
    }
    assert json.loads(registry.as_json()) == data


@isolate_apps("passend.privacy")
def test_it_leaves_out_what_is_not_personal_when_asked() -> None:
    class Setting(models.Model):  # noqa: DJ008 - throwaway test model
        class Meta:
            app_label = "privacy"

    registry = small_map()
    registry.declare_not_personal(Setting, reason="configuration")

    data = registry.as_dict(personal_only=True)

    assert list(data["models"]) == ["privacy.Person"]
    assert list(data["models"]["privacy.Person"]["fields"]) == ["name"]


def test_it_writes_periods_as_iso_8601() -> None:
    assert period_string(timedelta(days=30)) == "P30D"
    assert period_string(timedelta(0)) == "P0D"
    assert period_string(timedelta(hours=8)) == "P0DT08H00M00S"


def test_it_keeps_the_reason_of_a_not_personal_field() -> None:
    reasoned = NotPersonal("a company's data")

    assert reasoned.personal is False
    assert reasoned != NOT_PERSONAL
    assert datamap.field_declaration(Organisation, "iban") == NotPersonal(
        "Data of a company or public body, not of a natural person."
    )
