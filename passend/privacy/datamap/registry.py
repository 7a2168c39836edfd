"""The registry of declarations, its queries, and its stable JSON form.

One default `DataMap` serves the project; the module-level functions in
`passend.privacy.datamap` use it. Tests build their own `DataMap()` and pass
it to `passend.privacy.checks.check_datamap`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils import translation
from django.utils.duration import duration_iso_string

from passend.privacy.datamap.declarations import (
    DeclaredField,
    FieldDeclaration,
    LegalHold,
    ModelDeclaration,
    NotPersonal,
    Personal,
    Retention,
)
from passend.privacy.datamap.vocabulary import (
    CATEGORIES,
    Basis,
    Erasure,
    Protection,
    Purpose,
    RetentionAction,
    Subject,
    Trigger,
)

FORMAT_VERSION = 1
ModelRef = type[models.Model] | models.Model | str


class UndeclaredError(LookupError):
    """Asked about a model or field the map does not declare.

    Queries fail closed: code that walks personal data must never treat an
    undeclared field as "nothing to do".
    """


def declared_field_names(model: type[models.Model]) -> list[str]:
    """The fields a declaration of `model` must cover, in model order.

    Every concrete field stored in the model's own table (primary key and
    foreign keys included) and every many-to-many field it defines. With
    multi-table inheritance the parent's fields belong to the parent's
    declaration.
    """
    opts = model._meta
    return [f.name for f in opts.local_concrete_fields] + [f.name for f in opts.local_many_to_many]


def is_encrypted_field(field: Any) -> bool:
    """Whether a model field stores its values encrypted (fields or files).

    The field classes of `passend.privacy.crypto` say so with `stores_encrypted`;
    the data map sits below that app and never imports it (docs/architecture.md).
    """
    return getattr(type(field), "stores_encrypted", False) is True


def protection_of(model: type[models.Model], name: str, decl: Personal) -> Protection | None:
    """How a personal field is protected at rest: ENCRYPTED when its field class
    encrypts, else what the declaration says (None: nothing beyond the database)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return decl.protection if isinstance(decl.protection, Protection) else None
    if is_encrypted_field(field):
        return Protection.ENCRYPTED
    return decl.protection if isinstance(decl.protection, Protection) else None


def _label_of(model: ModelRef) -> str:
    if isinstance(model, str):
        return model
    return model._meta.concrete_model._meta.label  # type: ignore[union-attr]


class DataMap:
    def __init__(self) -> None:
        self._models: dict[str, ModelDeclaration] = {}

    # --- declaring -------------------------------------------------------

    def declare(
        self,
        model: type[models.Model],
        *,
        fields: Mapping[str, FieldDeclaration],
        subject_field: str | None = None,
        declared_in: str = "",
        legal_hold: LegalHold | None = None,
    ) -> ModelDeclaration:
        """Declare every field of `model`. See docs/datamap.md."""
        return self._register(
            model,
            fields=fields,
            subject_field=subject_field,
            declared_in=declared_in,
            legal_hold=legal_hold,
        )

    def declare_not_personal(
        self, model: type[models.Model], *, reason: str, declared_in: str = ""
    ) -> ModelDeclaration:
        """Declare every current field of `model` not personal, for one stated reason.

        Meant for framework tables without personal data (content types,
        permissions, groups). Prefer listing fields for our own models, so a
        field added later fails the check until someone decides about it.
        """
        if not isinstance(reason, str) or not reason.strip():
            raise ImproperlyConfigured(f"declare_not_personal({model!r}) needs a reason.")
        self._check_model(model)
        fields = {name: NotPersonal(reason) for name in declared_field_names(model)}
        return self._register(
            model, fields=fields, declared_in=declared_in, not_personal_reason=reason
        )

    @staticmethod
    def _check_model(model: Any) -> None:
        if not (isinstance(model, type) and issubclass(model, models.Model)):
            raise TypeError(f"Declare a model class, not {model!r}.")
        if model._meta.abstract or model._meta.proxy:
            raise TypeError(
                f"{model.__name__}: declare concrete models; abstract and proxy models "
                "share the declaration of the model that stores the data."
            )

    def _register(
        self,
        model: type[models.Model],
        *,
        fields: Mapping[str, FieldDeclaration],
        subject_field: str | None = None,
        declared_in: str = "",
        not_personal_reason: str = "",
        legal_hold: LegalHold | None = None,
    ) -> ModelDeclaration:
        self._check_model(model)
        if legal_hold is not None and not callable(legal_hold):
            raise TypeError(f"{model._meta.label}: legal_hold is a function of a row.")
        if not isinstance(fields, Mapping):
            raise TypeError(
                f"{model._meta.label}: fields must be a mapping of name to declaration."
            )
        for name, decl in fields.items():
            if not isinstance(name, str):
                raise TypeError(f"{model._meta.label}: field names are strings, not {name!r}.")
            if not isinstance(decl, Personal | NotPersonal):
                raise TypeError(
                    f"{model._meta.label}.{name}: declare Personal(...) or NOT_PERSONAL, "
                    f"not {decl!r}."
                )
        if subject_field is not None and not isinstance(subject_field, str):
            raise TypeError(f"{model._meta.label}: subject_field is a field name.")
        label = model._meta.label
        if label in self._models:
            raise ImproperlyConfigured(
                f"{label} is declared twice (in {self._models[label].declared_in or '?'} "
                f"and {declared_in or '?'})."
            )
        declaration = ModelDeclaration(
            model=model,
            fields=dict(fields),
            subject_field=subject_field,
            not_personal_reason=not_personal_reason,
            declared_in=declared_in,
            legal_hold=legal_hold,
        )
        self._models[label] = declaration
        return declaration

    # --- queries -----------------------------------------------------------

    def __iter__(self) -> Iterator[ModelDeclaration]:
        return iter(self.registry())

    def __len__(self) -> int:
        return len(self._models)

    def registry(self) -> list[ModelDeclaration]:
        """Every model declaration, ordered by model label."""
        return [self._models[label] for label in sorted(self._models)]

    def declaration_for(self, model: ModelRef) -> ModelDeclaration | None:
        """The declaration of a model (class, instance or "app_label.Model"), if any.

        A proxy model answers with its concrete model's declaration.
        """
        return self._models.get(_label_of(model))

    def field_declaration(self, model: ModelRef, field_name: str) -> FieldDeclaration:
        """What the map says about one field; raises UndeclaredError if nothing.

        With multi-table inheritance, a parent's field is answered from the
        parent's declaration.
        """
        label = _label_of(model)
        declaration = self._models.get(label)
        if declaration is not None and field_name in declaration.fields:
            return declaration.fields[field_name]
        if not isinstance(model, str):
            try:
                owner = model._meta.get_field(field_name).model
            except FieldDoesNotExist:
                owner = None
            if owner is not None and owner._meta.label != label:
                return self.field_declaration(owner, field_name)
        raise UndeclaredError(f"{label}.{field_name} is not declared in the data map.")

    def personal_fields(self, model: ModelRef) -> dict[str, Personal]:
        """The personal fields of a model, in declaration order; raises if undeclared."""
        declaration = self.declaration_for(model)
        if declaration is None:
            raise UndeclaredError(f"{_label_of(model)} is not declared in the data map.")
        return declaration.personal_fields()

    def sensitive_fields(self) -> list[DeclaredField]:
        """Every field declared sensitive, ordered by model label and field."""
        return [
            DeclaredField(model=d.model, name=name, declaration=decl)
            for d in self.registry()
            for name, decl in d.personal_fields().items()
            if decl.sensitive
        ]

    def models_with_subject(self) -> list[ModelDeclaration]:
        """Declarations that name a subject field: where a person's rows are found."""
        return [d for d in self.registry() if d.subject_field]

    # --- stable form ---------------------------------------------------------

    def as_dict(self, *, personal_only: bool = False) -> dict[str, Any]:
        """The map as plain JSON-ready data: sorted, language-independent.

        Labels are the English msgids, so the form (and its hash) is the same
        whichever language is active.
        """
        used: dict[str, set[str]] = {
            "categories": set(), "subjects": set(), "purposes": set(), "bases": set(),
            "triggers": set(), "actions": set(), "erasure": set(),
        }  # fmt: skip
        result: dict[str, Any] = {}
        with translation.override(None):
            for declaration in self.registry():
                fields: dict[str, Any] = {}
                for name, decl in declaration.fields.items():
                    if personal_only and not isinstance(decl, Personal):
                        continue
                    fields[name] = _field_dict(declaration.model, name, decl, used)
                if personal_only and not fields:
                    continue
                result[declaration.label] = {
                    "verbose_name": str(declaration.model._meta.verbose_name),
                    "subject_field": declaration.subject_field,
                    "not_personal_reason": declaration.not_personal_reason,
                    "fields": fields,
                }
            vocabulary = _vocabulary_dict(used)
        return {"format": FORMAT_VERSION, "models": result, "vocabulary": vocabulary}

    def as_json(self, *, personal_only: bool = False, indent: int | None = None) -> str:
        return canonical_json(self.as_dict(personal_only=personal_only), indent=indent)

    def map_hash(self) -> str:
        """sha256 (hex) of the canonical JSON of the whole map."""
        return hashlib.sha256(self.as_json().encode("utf-8")).hexdigest()


def canonical_json(data: Any, *, indent: int | None = None) -> str:
    separators = (",", ": ") if indent else (",", ":")
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, indent=indent, separators=separators
    )


def period_string(period: timedelta) -> str:
    """ISO 8601 duration: "P30D" for whole days, the full form otherwise."""
    if period >= timedelta(0) and period == timedelta(days=period.days):
        return f"P{period.days}D"
    return duration_iso_string(period)


def _value(value: Any) -> Any:
    """An enum's value, or the raw (invalid) value as a string."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _field_dict(
    model: type[models.Model], name: str, decl: FieldDeclaration, used: dict[str, set[str]]
) -> dict[str, Any]:
    try:
        verbose_name = str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except (FieldDoesNotExist, AttributeError):
        verbose_name = name
    if isinstance(decl, NotPersonal):
        return {"personal": False, "reason": decl.reason, "verbose_name": verbose_name}
    retention = decl.retention
    used["categories"].add(decl.category)
    used["subjects"].add(_value(decl.subject))
    used["purposes"].update(_value(p) for p in decl.purposes)
    if decl.basis is not None:
        used["bases"].add(_value(decl.basis))
    used["erasure"].add(_value(decl.erasure))
    if isinstance(retention, Retention):
        used["triggers"].add(_value(retention.trigger))
        used["actions"].add(_value(retention.action))
    return {
        "personal": True,
        "verbose_name": verbose_name,
        "subject": _value(decl.subject),
        "category": decl.category,
        "purposes": sorted(_value(p) for p in decl.purposes),
        "basis": _value(decl.basis),
        "art9": decl.art9,
        "sensitive": bool(decl.sensitive),
        "protection": _value(protection_of(model, name, decl)),
        "retention": _retention_dict(retention),
        "recipients": sorted(str(r) for r in decl.recipients),
        "erasure": _value(decl.erasure),
    }


def _retention_dict(retention: Retention | None) -> dict[str, Any] | None:
    if not isinstance(retention, Retention):
        return None
    period = retention.period
    return {
        "trigger": _value(retention.trigger),
        "period": period_string(period) if isinstance(period, timedelta) else str(period),
        "action": _value(retention.action),
        "legal_obligation": retention.legal_obligation,
        **(
            {"consent_period": period_string(retention.consent_period)}
            if isinstance(retention.consent_period, timedelta)
            else {}
        ),
    }


def _vocabulary_dict(used: dict[str, set[str]]) -> dict[str, dict[str, str]]:
    """The labels of every term the map uses (msgids; call inside override(None))."""

    def labels(enum: Any, values: set[str]) -> dict[str, str]:
        known = {member.value: str(member.label) for member in enum}
        return {v: known[v] for v in sorted(values) if v in known}

    return {
        "categories": {
            key: str(CATEGORIES[key].label)
            for key in sorted(used["categories"])
            if key in CATEGORIES
        },
        "subjects": labels(Subject, used["subjects"]),
        "purposes": labels(Purpose, used["purposes"]),
        "bases": labels(Basis, used["bases"]),
        "triggers": labels(Trigger, used["triggers"]),
        "actions": labels(RetentionAction, used["actions"]),
        "erasure": labels(Erasure, used["erasure"]),
    }
