"""The data map: what every field of every model means for privacy.

Each app declares its models in `<app>/privacy.py` (see docs/datamap.md);
`passend.privacy` imports those modules when Django starts, and a system
check (tag "privacy") fails on anything undeclared or inconsistent.

The module-level functions use the project's one default map.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.module_loading import module_has_submodule

from passend.privacy.datamap.declarations import (
    NOT_PERSONAL,
    DeclaredField,
    FieldDeclaration,
    Hold,
    LegalHold,
    ModelDeclaration,
    NotPersonal,
    Personal,
    Retention,
    personal_shape,
    proof_shape,
)
from passend.privacy.datamap.registry import (
    FORMAT_VERSION,
    DataMap,
    ModelRef,
    UndeclaredError,
    canonical_json,
    declared_field_names,
    is_encrypted_field,
    period_string,
    protection_of,
)
from passend.privacy.datamap.vocabulary import (
    BASIS_ARTICLE,
    CATEGORIES,
    NOT_ENCRYPTION,
    PURPOSE_PROMISES,
    TECHNICAL_CATEGORIES,
    Basis,
    Category,
    Erasure,
    Protection,
    Purpose,
    RetentionAction,
    Subject,
    Trigger,
    category,
    register_category,
)

__all__ = [
    "BASIS_ARTICLE",
    "CATEGORIES",
    "FORMAT_VERSION",
    "NOT_ENCRYPTION",
    "NOT_PERSONAL",
    "PURPOSE_PROMISES",
    "TECHNICAL_CATEGORIES",
    "Basis",
    "Category",
    "DataMap",
    "DeclaredField",
    "Erasure",
    "FieldDeclaration",
    "Hold",
    "LegalHold",
    "ModelDeclaration",
    "ModelRef",
    "NotPersonal",
    "Personal",
    "Protection",
    "Purpose",
    "Retention",
    "RetentionAction",
    "Subject",
    "Trigger",
    "UndeclaredError",
    "as_dict",
    "autodiscover",
    "canonical_json",
    "category",
    "declaration_for",
    "declare",
    "declare_not_personal",
    "declared_field_names",
    "default_map",
    "field_declaration",
    "is_encrypted_field",
    "map_hash",
    "models_with_subject",
    "period_string",
    "personal_fields",
    "personal_shape",
    "proof_shape",
    "protection_of",
    "register_category",
    "registry",
    "sensitive_fields",
]

_default = DataMap()

# Declarations of installed libraries' models live with us, not in the library.
LIBRARY_DECLARATIONS = "passend.privacy.library_privacy"


def default_map() -> DataMap:
    return _default


def _caller_module() -> str:
    frame = inspect.currentframe()
    caller = frame.f_back.f_back if frame and frame.f_back else None
    return str(caller.f_globals.get("__name__", "")) if caller else ""


def declare(
    model: type[models.Model],
    *,
    fields: Mapping[str, FieldDeclaration],
    subject_field: str | None = None,
    legal_hold: LegalHold | None = None,
) -> ModelDeclaration:
    """Declare every field of `model` in the project's data map."""
    return _default.declare(
        model,
        fields=fields,
        subject_field=subject_field,
        declared_in=_caller_module(),
        legal_hold=legal_hold,
    )


def declare_not_personal(model: type[models.Model], *, reason: str) -> ModelDeclaration:
    """Declare every field of a model without personal data not personal."""
    return _default.declare_not_personal(model, reason=reason, declared_in=_caller_module())


def registry() -> list[ModelDeclaration]:
    return _default.registry()


def declaration_for(model: ModelRef) -> ModelDeclaration | None:
    return _default.declaration_for(model)


def field_declaration(model: ModelRef, field_name: str) -> FieldDeclaration:
    return _default.field_declaration(model, field_name)


def personal_fields(model: ModelRef) -> dict[str, Personal]:
    return _default.personal_fields(model)


def sensitive_fields() -> list[DeclaredField]:
    return _default.sensitive_fields()


def models_with_subject() -> list[ModelDeclaration]:
    return _default.models_with_subject()


def as_dict(*, personal_only: bool = False) -> dict[str, Any]:
    return _default.as_dict(personal_only=personal_only)


def map_hash() -> str:
    return _default.map_hash()


def autodiscover() -> None:
    """Import `<app>.privacy` of every installed app of ours, then the library
    declarations. Runs from PrivacyConfig.ready(); importing twice is harmless
    because Python imports a module once."""
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("passend."):
            continue
        if module_has_submodule(app_config.module, "privacy"):
            importlib.import_module(f"{app_config.name}.privacy")
    importlib.import_module(LIBRARY_DECLARATIONS)
