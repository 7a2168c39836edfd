"""The system check guards the data map: the real project passes it, and every
kind of gap or inconsistency fails it (against throwaway models and maps)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.checks import Error, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.test.utils import isolate_apps

from passend.privacy.checks import check_datamap, checked_models, is_ours
from passend.privacy.crypto.fields import EncryptedCharField, EncryptedTextField
from passend.privacy.crypto.files import EncryptedFileField
from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    DataMap,
    Erasure,
    Personal,
    Protection,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    as_dict,
    declaration_for,
)

RETENTION = Retention(
    trigger=Trigger.ACCOUNT_CLOSED, period=timedelta(days=30), action=RetentionAction.DELETE
)


def personal(**overrides: object) -> Personal:
    values: dict[str, object] = {
        "subject": Subject.CANDIDATE,
        "category": "user.name",
        "purposes": [Purpose.MEDIATION],
        "basis": Basis.CONTRACT,
        "retention": RETENTION,
        "recipients": ["hosting"],
        "erasure": Erasure.DELETE,
    }
    values.update(overrides)
    return Personal(**values)  # type: ignore[arg-type]


def ids(errors: list) -> list[str]:
    return [e.id for e in errors]


def thing_model(*, name_field: models.Field | None = None) -> type[models.Model]:
    """A throwaway model of ours (app "privacy"), only in the isolated registry."""

    class Thing(models.Model):  # noqa: DJ008 - throwaway test model
        name = name_field or models.CharField(max_length=100)
        code = models.CharField(max_length=10)

        class Meta:
            app_label = "privacy"

    return Thing


# --- the real project ---------------------------------------------------------


def test_it_passes_the_privacy_check_for_the_real_project() -> None:
    errors = [m for m in run_checks(tags=["privacy"]) if m.is_serious()]

    assert errors == [], "\n".join(str(e) for e in errors)


def test_it_runs_the_check_through_manage_py_check(monkeypatch: pytest.MonkeyPatch) -> None:
    out = StringIO()
    call_command("check", tag=["privacy"], fail_level="ERROR", stdout=out)
    assert "System check identified no issues" in out.getvalue()

    # With an empty map every model of ours is undeclared: the command must fail.
    monkeypatch.setattr("passend.privacy.checks.default_map", DataMap)
    with pytest.raises(SystemCheckError, match=r"privacy\.E001"):
        call_command("check", tag=["privacy"], fail_level="ERROR", verbosity=0)


def test_it_declares_every_installed_model_ours_and_the_libraries() -> None:
    undeclared = [m._meta.label for m in checked_models() if declaration_for(m) is None]

    assert undeclared == []
    labels = {m._meta.label for m in checked_models()}
    assert {"accounts.User", "tenancy.Membership", "api.ApiToken"} <= labels
    assert {
        "sessions.Session",
        "admin.LogEntry",
        "account.EmailAddress",
        "mfa.Authenticator",
    } <= labels


def test_it_checks_only_the_given_apps_when_asked() -> None:
    tenancy = apps.get_app_config("tenancy")

    models_checked = checked_models([tenancy])

    assert models_checked
    assert {m._meta.app_label for m in models_checked} == {"tenancy"}
    assert all(is_ours(m) for m in models_checked)


def test_it_skips_auto_created_many_to_many_tables_but_checks_the_field() -> None:
    labels = {m._meta.label for m in checked_models()}

    assert "accounts.User_groups" not in labels
    user = declaration_for(apps.get_model("accounts", "User"))
    assert user is not None
    assert user.fields["groups"].personal


# --- gaps ----------------------------------------------------------------------


@isolate_apps("passend.privacy")
def test_it_fails_on_a_model_of_ours_without_a_declaration() -> None:
    thing = thing_model()

    errors = check_datamap(DataMap(), [thing])

    assert ids(errors) == ["privacy.E001"]
    assert "privacy.Thing" in errors[0].msg
    assert "passend/privacy/privacy.py" in str(errors[0].hint)


@isolate_apps("passend.privacy")
def test_it_fails_on_an_undeclared_field() -> None:
    thing = thing_model()
    datamap = DataMap()
    datamap.declare(thing, fields={"id": NOT_PERSONAL, "name": personal()})

    errors = check_datamap(datamap, [thing])

    assert ids(errors) == ["privacy.E002"]
    assert "privacy.Thing.code" in errors[0].msg
    assert isinstance(errors[0], Error)


@isolate_apps("passend.privacy")
def test_it_fails_on_an_undeclared_primary_key_foreign_key_and_many_to_many() -> None:
    class Tag(models.Model):  # noqa: DJ008 - throwaway test model
        class Meta:
            app_label = "privacy"

    class Note(models.Model):  # noqa: DJ008 - throwaway test model
        tag = models.ForeignKey(Tag, on_delete=models.CASCADE)
        tags = models.ManyToManyField(Tag, related_name="+")

        class Meta:
            app_label = "privacy"

    datamap = DataMap()
    datamap.declare(Tag, fields={"id": NOT_PERSONAL})
    datamap.declare(Note, fields={})

    messages = [e.msg for e in check_datamap(datamap, [Tag, Note])]

    assert messages == [
        "privacy.Note.id is not declared in the data map.",
        "privacy.Note.tag is not declared in the data map.",
        "privacy.Note.tags is not declared in the data map.",
    ]


@isolate_apps("passend.privacy")
def test_it_fails_on_a_declaration_naming_a_vanished_field() -> None:
    thing = thing_model()
    datamap = DataMap()
    datamap.declare(
        thing,
        fields={
            "id": NOT_PERSONAL,
            "name": personal(),
            "code": NOT_PERSONAL,
            "phone": personal(category="user.contact.phone_number"),
        },
    )

    errors = check_datamap(datamap, [thing])

    assert ids(errors) == ["privacy.E003"]
    assert "privacy.Thing.phone" in errors[0].msg


@isolate_apps("passend.privacy")
def test_it_passes_a_complete_consistent_declaration() -> None:
    thing = thing_model()
    datamap = DataMap()
    datamap.declare(thing, fields={"id": NOT_PERSONAL, "name": personal(), "code": NOT_PERSONAL})

    assert check_datamap(datamap, [thing]) == []


# --- inconsistent declarations ----------------------------------------------------


def check_one(declaration: Personal, *, encrypted: bool = False) -> list[str]:
    """The check's error ids for a throwaway model whose `name` is declared so
    (and, with `encrypted`, is an encrypted field)."""
    name_field = EncryptedCharField(max_length=100, organisation_field=None) if encrypted else None
    with isolate_apps("passend.privacy"):
        thing = thing_model(name_field=name_field)
        datamap = DataMap()
        datamap.declare(
            thing, fields={"id": NOT_PERSONAL, "name": declaration, "code": NOT_PERSONAL}
        )
        return ids(check_datamap(datamap, [thing]))


def test_it_fails_on_erasure_keep_without_a_legal_obligation() -> None:
    assert check_one(personal(erasure=Erasure.KEEP)) == ["privacy.E016"]


def test_it_fails_on_retention_keep_without_a_legal_obligation() -> None:
    keep = Retention(
        trigger=Trigger.EMPLOYMENT_ENDED,
        period=timedelta(days=5 * 365),
        action=RetentionAction.KEEP,
        legal_obligation="  ",
    )

    assert check_one(personal(retention=keep)) == ["privacy.E016"]


def test_it_accepts_keep_under_a_named_law() -> None:
    payroll = Retention(
        trigger=Trigger.END_OF_FISCAL_YEAR,
        period=timedelta(days=7 * 365),
        action=RetentionAction.DELETE,
        legal_obligation="AWR art. 52",
    )

    assert (
        check_one(personal(retention=payroll, erasure=Erasure.KEEP, basis=Basis.LEGAL_OBLIGATION))
        == []
    )


def test_it_fails_on_art9_without_consent_or_a_named_condition() -> None:
    assert check_one(personal(art9="health data")) == ["privacy.E017"]
    assert check_one(personal(art9="   ", basis=Basis.CONSENT)) == ["privacy.E017"]


def test_it_accepts_art9_with_consent_or_a_named_condition() -> None:
    assert check_one(personal(art9="explicit consent", basis=Basis.CONSENT)) == []
    assert check_one(personal(art9="9(2)(b) employment and social security law")) == []


def test_it_fails_on_a_special_category_without_an_art9_condition() -> None:
    health = personal(category="user.health_and_medical", sensitive=True)

    assert check_one(health, encrypted=True) == ["privacy.E018"]


def test_it_fails_on_a_bsn_or_iban_not_declared_sensitive() -> None:
    bsn = personal(category="user.government_id.national_identification_number")
    iban = personal(category="user.financial.bank_account", sensitive=True)

    assert check_one(bsn) == ["privacy.E019"]
    assert check_one(iban, encrypted=True) == []


def test_it_accepts_sensitive_without_a_sensitive_looking_category() -> None:
    assert check_one(personal(sensitive=True), encrypted=True) == []


# --- sensitive fields are encrypted (privacy.E021) -------------------------------


def test_it_fails_on_a_sensitive_field_that_is_not_encrypted() -> None:
    notes = personal(category="passend.coaching_notes", sensitive=True)

    assert check_one(notes) == ["privacy.E021"]


def test_it_fails_on_a_sensitive_plain_text_field() -> None:
    with isolate_apps("passend.privacy"):
        thing = thing_model(name_field=models.TextField())
        datamap = DataMap()
        datamap.declare(
            thing,
            fields={
                "id": NOT_PERSONAL,
                "name": personal(category="passend.request_text", sensitive=True),
                "code": NOT_PERSONAL,
            },
        )

        errors = check_datamap(datamap, [thing])

    assert ids(errors) == ["privacy.E021"]
    assert "Thing.name is declared sensitive but is not an encrypted field" in errors[0].msg


def test_it_accepts_a_sensitive_field_that_is_encrypted() -> None:
    notes = personal(category="passend.coaching_notes", sensitive=True)

    assert check_one(notes, encrypted=True) == []


def test_it_accepts_a_sensitive_encrypted_text_field_and_file() -> None:
    with isolate_apps("passend.privacy"):

        class Letter(models.Model):  # noqa: DJ008 - throwaway test model
            body = EncryptedTextField(organisation_field=None)
            scan = EncryptedFileField(organisation_field=None)

            class Meta:
                app_label = "privacy"

        datamap = DataMap()
        sensitive = personal(sensitive=True)
        datamap.declare(Letter, fields={"id": NOT_PERSONAL, "body": sensitive, "scan": sensitive})

        assert check_datamap(datamap, [Letter]) == []


def test_it_accepts_a_hashed_credential_declared_so() -> None:
    token_hash = personal(
        category="user.authorization.credentials", sensitive=True, protection=Protection.HASHED
    )

    assert check_one(token_hash) == []


def test_it_does_not_take_encryption_on_the_declarations_word() -> None:
    claimed = personal(sensitive=True, protection=Protection.ENCRYPTED)

    assert check_one(claimed) == ["privacy.E021"]


def test_it_fails_on_an_unknown_protection() -> None:
    assert check_one(personal(sensitive=True, protection="rot13")) == ["privacy.E021"]


def test_it_leaves_fields_that_are_not_sensitive_alone() -> None:
    assert check_one(personal(category="passend.coaching")) == []


def test_it_shows_each_sensitive_fields_protection_in_the_map() -> None:
    fields = {
        (label, name): field
        for label, model in as_dict(personal_only=True)["models"].items()
        for name, field in model["fields"].items()
    }

    assert fields[("coaching.Note", "text")]["protection"] == "encrypted"
    assert fields[("dsr.DataSubjectRequest", "description")]["protection"] == "encrypted"
    assert fields[("accounts.User", "password")]["protection"] == "hashed"
    assert fields[("candidates.CandidateProfile", "bsn_index")]["protection"] == "keyed_index"
    assert fields[("sessions.Session", "session_key")]["protection"] == "random_secret"
    assert fields[("coaching.Trajectory", "scheme")]["protection"] == "unencrypted_reference"
    assert fields[("accounts.User", "name")]["protection"] is None


def test_it_fails_on_a_personal_field_without_purposes() -> None:
    assert check_one(personal(purposes=[])) == ["privacy.E012"]


def test_it_fails_on_a_missing_basis_retention_or_unknown_vocabulary() -> None:
    assert check_one(personal(basis=None)) == ["privacy.E013"]
    assert check_one(personal(basis="friendship")) == ["privacy.E013"]
    assert check_one(personal(retention=None)) == ["privacy.E014"]
    assert check_one(personal(category="user.shoe_size")) == ["privacy.E011"]
    assert check_one(personal(subject="neighbour")) == ["privacy.E010"]
    assert check_one(personal(purposes=["gossip"])) == ["privacy.E012"]
    assert check_one(personal(recipients=["The Bank!"])) == ["privacy.E020"]
    assert check_one(personal(erasure="shred")) == ["privacy.E015"]


def test_it_fails_on_a_bad_retention_rule() -> None:
    backwards = Retention(
        trigger=Trigger.CREATED, period=timedelta(days=-1), action=RetentionAction.DELETE
    )
    unknown = Retention(trigger="whenever", period=timedelta(days=1), action="burn")  # type: ignore[arg-type]

    assert check_one(personal(retention=backwards)) == ["privacy.E014"]
    assert check_one(personal(retention=unknown)) == ["privacy.E014", "privacy.E014"]


# --- subject fields ---------------------------------------------------------------


@isolate_apps("passend.privacy")
def test_it_fails_on_a_subject_field_that_does_not_exist() -> None:
    thing = thing_model()
    datamap = DataMap()
    datamap.declare(
        thing,
        subject_field="person",
        fields={"id": NOT_PERSONAL, "name": personal(), "code": NOT_PERSONAL},
    )

    assert ids(check_datamap(datamap, [thing])) == ["privacy.E004"]


@isolate_apps("passend.privacy")
def test_it_follows_a_subject_field_through_a_declared_model() -> None:
    class Person(models.Model):  # noqa: DJ008 - throwaway test model
        class Meta:
            app_label = "privacy"

    class Letter(models.Model):  # noqa: DJ008 - throwaway test model
        person = models.ForeignKey(Person, on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

    datamap = DataMap()
    datamap.declare(Person, fields={"id": NOT_PERSONAL})
    datamap.declare(
        Letter,
        subject_field="person",
        fields={"id": NOT_PERSONAL, "person": personal(category="user.unique_id")},
    )

    errors = check_datamap(datamap, [Person, Letter])

    assert ids(errors) == ["privacy.E004"]
    assert "names no subject field" in errors[0].msg

    fixed = DataMap()
    fixed.declare(Person, subject_field="id", fields={"id": NOT_PERSONAL})
    fixed.declare(
        Letter,
        subject_field="person",
        fields={"id": NOT_PERSONAL, "person": personal(category="user.unique_id")},
    )
    assert check_datamap(fixed, [Person, Letter]) == []


@pytest.mark.parametrize("label", ["tenancy.Membership", "api.ApiToken", "mfa.Authenticator"])
def test_it_points_the_real_subject_fields_at_the_user(label: str) -> None:
    model = apps.get_model(label)
    declaration = declaration_for(model)

    assert declaration is not None
    field = model._meta.get_field(declaration.subject_field or "")
    assert field.related_model is apps.get_model("accounts", "User")


@isolate_apps("passend.privacy")
def test_it_fails_on_personal_data_pointing_at_a_persons_record_without_a_subject_field() -> None:
    class Person(models.Model):  # noqa: DJ008 - throwaway test model
        class Meta:
            app_label = "privacy"

    class Diary(models.Model):  # noqa: DJ008 - throwaway test model
        person = models.ForeignKey(Person, on_delete=models.CASCADE)
        text = models.TextField()

        class Meta:
            app_label = "privacy"

    fields = {"id": NOT_PERSONAL, "person": personal(category="user.unique_id"), "text": personal()}
    datamap = DataMap()
    datamap.declare(Person, subject_field="id", fields={"id": NOT_PERSONAL})
    datamap.declare(Diary, fields=fields)

    errors = check_datamap(datamap, [Diary])

    assert ids(errors) == ["privacy.E005"]
    assert "names no subject field" in errors[0].msg

    fixed = DataMap()
    fixed.declare(Person, subject_field="id", fields={"id": NOT_PERSONAL})
    fixed.declare(Diary, subject_field="person", fields=fields)
    assert check_datamap(fixed, [Diary]) == []


def test_it_refuses_a_legal_hold_that_is_not_a_function() -> None:
    with isolate_apps("passend.privacy"):

        class Kept(models.Model):  # noqa: DJ008 - throwaway test model
            class Meta:
                app_label = "privacy"

        with pytest.raises(TypeError, match="legal_hold"):
            DataMap().declare(Kept, fields={"id": NOT_PERSONAL}, legal_hold="forever")  # type: ignore[arg-type]
