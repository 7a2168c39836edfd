"""The system check that guards the data map (tag "privacy").

Every concrete model installed (ours and the libraries') must be declared,
every field it stores must be declared, every declared field must exist, and
every personal field's declaration must be complete and consistent.
`check_datamap` takes the map and the models to check, so tests can run it
against a throwaway map and model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from passend.privacy.datamap import (
    CATEGORIES,
    NOT_ENCRYPTION,
    Basis,
    DataMap,
    Erasure,
    ModelDeclaration,
    Personal,
    Protection,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    declared_field_names,
    default_map,
    is_encrypted_field,
)

TAG = "privacy"
# "9(2)(a) explicit consent", "Art. 9(2)(b) employment law", ...
ART9_CONDITION = re.compile(r"\b9\s*\(\s*2\s*\)\s*\(\s*[a-j]\s*\)", re.IGNORECASE)
RECIPIENT_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
LIBRARY_DECLARATIONS_FILE = "passend/privacy/library_privacy.py"


def checked_models(app_configs: Sequence[AppConfig] | None = None) -> list[type[models.Model]]:
    """Models whose rows are stored somewhere: not abstract, proxy or auto-created.

    Auto-created many-to-many tables are covered by the many-to-many field's
    declaration on the model that defines it.
    """
    if app_configs is None:
        candidates: Iterable[type[models.Model]] = apps.get_models()
    else:
        candidates = (m for config in app_configs for m in config.get_models())
    return [
        m for m in candidates
        if not m._meta.proxy and not m._meta.auto_created and not m._meta.swapped
    ]  # fmt: skip


def is_ours(model: type[models.Model]) -> bool:
    config = model._meta.app_config
    return config is not None and config.name.startswith("passend.")


def datamap_check(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Registered by PrivacyConfig.ready() under the tag "privacy"."""
    return check_datamap(default_map(), checked_models(app_configs))


def check_datamap(
    datamap: DataMap, models_to_check: Iterable[type[models.Model]]
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in models_to_check:
        declaration = datamap.declaration_for(model)
        if declaration is None:
            errors.append(_undeclared_model(model))
            continue
        errors.extend(_check_coverage(model, declaration))
        errors.extend(_check_subject_field(datamap, model, declaration))
        errors.extend(_check_subject_reachable(datamap, model, declaration))
        for name, decl in declaration.fields.items():
            if isinstance(decl, Personal):
                errors.extend(_check_personal(model, name, decl))
                errors.extend(_check_protection(model, name, decl))
    return errors


def _where(model: type[models.Model]) -> str:
    if is_ours(model):
        return model._meta.app_config.name.replace(".", "/") + "/privacy.py"
    return LIBRARY_DECLARATIONS_FILE


def _undeclared_model(model: type[models.Model]) -> checks.CheckMessage:
    return checks.Error(
        f"{model._meta.label} is not declared in the data map.",
        hint=f"Declare every field of it in {_where(model)} (see docs/datamap.md).",
        obj=model,
        id="privacy.E001",
    )


def _check_coverage(
    model: type[models.Model], declaration: ModelDeclaration
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    expected = declared_field_names(model)
    for name in expected:
        if name not in declaration.fields:
            errors.append(
                checks.Error(
                    f"{model._meta.label}.{name} is not declared in the data map.",
                    hint=f"Add {name!r} to the declaration in "
                    f"{declaration.declared_in or _where(model)} as Personal(...) or NOT_PERSONAL.",
                    obj=model,
                    id="privacy.E002",
                )
            )
    for name in declaration.fields:
        if name not in expected:
            errors.append(
                checks.Error(
                    f"The data map declares {model._meta.label}.{name}, which is not a "
                    "field stored in that model's table.",
                    hint="Remove or rename the declaration.",
                    obj=model,
                    id="privacy.E003",
                )
            )
    return errors


def _check_subject_field(
    datamap: DataMap, model: type[models.Model], declaration: ModelDeclaration
) -> list[checks.CheckMessage]:
    name = declaration.subject_field
    if name is None:
        return []
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return [
            checks.Error(
                f"The subject field {name!r} of {model._meta.label} does not exist.",
                obj=model,
                id="privacy.E004",
            )
        ]
    target = field.related_model if field.is_relation else None
    if target is None or isinstance(target, str):
        return []
    if target._meta.label == settings.AUTH_USER_MODEL:
        return []
    target_declaration = datamap.declaration_for(target)
    if target_declaration is None or not target_declaration.subject_field:
        return [
            checks.Error(
                f"The subject field {name!r} of {model._meta.label} points at "
                f"{target._meta.label}, which names no subject field of its own.",
                hint="Point the subject field at the user, or give the target model one.",
                obj=model,
                id="privacy.E004",
            )
        ]
    return []


def _check_subject_reachable(
    datamap: DataMap, model: type[models.Model], declaration: ModelDeclaration
) -> list[checks.CheckMessage]:
    """A model with personal data that points at a person's records must say so.

    The rights engine finds a person's rows by following subject fields; a
    model that refers to, say, a candidate profile without naming a subject
    field would be left out of exports and erasures. Models about people
    without an account (contact persons of companies) point at no such row
    and are not affected.
    """
    if declaration.subject_field or not declaration.personal_fields():
        return []
    for field in model._meta.local_fields:
        target = field.related_model if field.is_relation else None
        if target is None or isinstance(target, str):
            continue
        if target._meta.label == settings.AUTH_USER_MODEL:
            # A nullable reference that is cleared when the account goes
            # ("answered by", "invited by") names an actor, not the subject.
            if field.null and field.remote_field.on_delete is models.SET_NULL:  # type: ignore[union-attr]
                continue
            reaches_person = True
        else:
            target_declaration = datamap.declaration_for(target)
            reaches_person = bool(target_declaration and target_declaration.subject_field)
        if reaches_person:
            return [
                checks.Error(
                    f"{model._meta.label} holds personal data and points at "
                    f"{target._meta.label} ({field.name}), but names no subject field.",
                    hint="Pass subject_field= to declare(), so exports and erasure find "
                    "its rows (see docs/datamap.md).",
                    obj=model,
                    id="privacy.E005",
                )
            ]
    return []


def _error(model: type[models.Model], name: str, message: str, code: str) -> checks.Error:
    return checks.Error(f"{model._meta.label}.{name}: {message}", obj=model, id=code)


def _check_personal(
    model: type[models.Model], name: str, decl: Personal
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []

    def err(message: str, code: str) -> None:
        errors.append(_error(model, name, message, code))

    if not isinstance(decl.subject, Subject):
        err(f"subject {decl.subject!r} is not a Subject.", "privacy.E010")
    category = CATEGORIES.get(decl.category) if isinstance(decl.category, str) else None
    if category is None:
        err(
            f"category {decl.category!r} is not in the vocabulary; use a fideslang "
            "category or register_category('passend.…', label).",
            "privacy.E011",
        )
    if not decl.purposes:
        err("a personal field needs at least one purpose.", "privacy.E012")
    for purpose in decl.purposes:
        if not isinstance(purpose, Purpose):
            err(f"purpose {purpose!r} is not a Purpose.", "privacy.E012")
    if not isinstance(decl.basis, Basis):
        err(f"basis {decl.basis!r} is not a legal basis (Basis).", "privacy.E013")
    errors.extend(_check_retention(model, name, decl))
    if not isinstance(decl.erasure, Erasure):
        err(f"erasure {decl.erasure!r} is not an Erasure.", "privacy.E015")
    if decl.erasure == Erasure.KEEP and not _legal_obligation(decl.retention):
        err(
            "erasure KEEP needs retention.legal_obligation naming the law that requires it.",
            "privacy.E016",
        )
    if decl.art9 is not None:
        condition = isinstance(decl.art9, str) and ART9_CONDITION.search(decl.art9)
        if decl.basis != Basis.CONSENT and not condition:
            err(
                f"art9 {decl.art9!r} names no Art. 9(2) condition (e.g. '9(2)(b) ...') "
                "and the basis is not consent.",
                "privacy.E017",
            )
        if isinstance(decl.art9, str) and not decl.art9.strip():
            err("art9 is empty; leave it None or name the Art. 9(2) condition.", "privacy.E017")
    if category is not None and category.special and decl.art9 is None:
        err(
            f"category {category.key!r} is a special category (GDPR Art. 9); "
            "set art9 to the Art. 9(2) condition.",
            "privacy.E018",
        )
    if category is not None and category.sensitive and decl.sensitive is not True:
        err(f"category {category.key!r} must be declared sensitive=True.", "privacy.E019")
    for recipient in decl.recipients:
        if not isinstance(recipient, str) or not RECIPIENT_KEY.match(recipient):
            err(f"recipient {recipient!r} is not a recipients-register key.", "privacy.E020")
    return errors


def _check_protection(
    model: type[models.Model], name: str, decl: Personal
) -> list[checks.CheckMessage]:
    """A sensitive field is encrypted, or declares the protection it has instead.

    Encryption is read from the field's class, never taken on the declaration's
    word; the other protections (a one-way hash, a keyed index, a random
    expiring key, ...) are declared with `protection=` so that they show in
    the map and in docs/datamap.md.
    """
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return []  # privacy.E003 reports it
    protection = decl.protection
    if protection is not None and not isinstance(protection, Protection):
        return [
            _error(model, name, f"protection {protection!r} is not a Protection.", "privacy.E021")
        ]
    if not decl.sensitive or is_encrypted_field(field) or protection in NOT_ENCRYPTION:
        return []
    return [
        checks.Error(
            f"{model._meta.label}.{name} is declared sensitive but is not an encrypted field.",
            hint="Make it an EncryptedCharField, EncryptedTextField or EncryptedFileField "
            "(passend/privacy/crypto/), with a migration that encrypts the existing values; "
            "or, if it is protected otherwise by design (a one-way hash, a keyed index), "
            "declare protection=Protection.… (see docs/datamap.md).",
            obj=model,
            id="privacy.E021",
        )
    ]


def _legal_obligation(retention: Retention | None) -> bool:
    return (
        isinstance(retention, Retention)
        and isinstance(retention.legal_obligation, str)
        and bool(retention.legal_obligation.strip())
    )


def _check_retention(
    model: type[models.Model], name: str, decl: Personal
) -> list[checks.CheckMessage]:
    retention = decl.retention
    if not isinstance(retention, Retention):
        return [_error(model, name, "a personal field needs a Retention rule.", "privacy.E014")]
    errors: list[checks.CheckMessage] = []
    if not isinstance(retention.trigger, Trigger):
        errors.append(
            _error(
                model,
                name,
                f"retention trigger {retention.trigger!r} is not a Trigger.",
                "privacy.E014",
            )
        )
    if not isinstance(retention.action, RetentionAction):
        errors.append(
            _error(
                model,
                name,
                f"retention action {retention.action!r} is not an Action.",
                "privacy.E014",
            )
        )
    if not isinstance(retention.period, timedelta) or retention.period < timedelta(0):
        errors.append(
            _error(
                model, name, "retention period must be a timedelta of zero or more.", "privacy.E014"
            )
        )
    if retention.action == RetentionAction.KEEP and not _legal_obligation(retention):
        errors.append(
            _error(
                model,
                name,
                "retention action KEEP needs legal_obligation naming the law.",
                "privacy.E016",
            )
        )
    return errors
