"""Where a person's data is: the subject graph over the data map.

Every declaration that names a `subject_field` says how one of its rows
leads to the person it is about: directly (a foreign key to the user, the
user's own primary key, or a plain column holding it) or through another
declared model that names a subject field in turn. Following those links
gives, for every such model, one ORM lookup from the model to the user's
primary key (`profile__membership__user` for a work-experience entry). The
export, the "my data" page and erasure all read a person's rows through
these lookups, so a model added later is covered the moment it is declared.

Rows are read across organisations (`unscoped()`), always bounded to one
person and, where asked, one organisation: this is the privacy engine, the
one place allowed to do so (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import models

from passend.privacy.datamap import ModelDeclaration, UndeclaredError, default_map


class SubjectGraphError(UndeclaredError):
    """A subject field that does not lead to the user model."""


@dataclass(frozen=True)
class SubjectPath:
    """How the rows of one model lead to the person they are about."""

    declaration: ModelDeclaration
    lookup: str  # ORM lookup from the model to the user's primary key
    depth: int  # links followed; the user model itself is 0

    @property
    def model(self) -> type[models.Model]:
        return self.declaration.model

    @property
    def label(self) -> str:
        return self.declaration.label

    @property
    def organisation_column(self) -> str | None:
        """The column naming the organisation a row belongs to, if any."""
        for field in self.model._meta.local_fields:
            if field.attname == "organisation_id":
                return field.attname
        return None

    def rows(self, user_id: Any, *, organisation: Any = None) -> models.QuerySet[Any]:
        """This model's rows about the person, in every organisation or in one."""
        queryset = all_rows(self.model).filter(**{self.lookup: user_id})
        if organisation is not None:
            if self.organisation_column is None:
                return queryset.none()
            queryset = queryset.filter(organisation_id=getattr(organisation, "pk", organisation))
        return queryset


def all_rows(model: type[models.Model]) -> models.QuerySet[Any]:
    """Every row of a model, past the organisation scope (privacy engine only)."""
    manager: Any = model._default_manager
    if hasattr(manager, "unscoped"):
        return manager.unscoped()
    return model._base_manager.all()


def _is_user_model(model: Any) -> bool:
    return not isinstance(model, str) and model._meta.label == settings.AUTH_USER_MODEL


def _lookup(declaration: ModelDeclaration, seen: tuple[str, ...]) -> tuple[str, int]:
    label = declaration.label
    if label in seen:
        raise SubjectGraphError(f"Subject fields form a loop: {' -> '.join((*seen, label))}.")
    name = declaration.subject_field
    if not name:
        raise SubjectGraphError(f"{label} names no subject field.")
    model = declaration.model
    field = model._meta.get_field(name)
    if _is_user_model(model) and getattr(field, "primary_key", False):
        return "pk", 0
    target: Any = field.related_model if field.is_relation else None
    if target is None:  # a plain column holding the user's primary key
        return name, 1
    if _is_user_model(target):
        return name, 1
    target_declaration = default_map().declaration_for(target)
    if target_declaration is None:
        raise SubjectGraphError(f"{label}.{name} points at the undeclared {target._meta.label}.")
    rest, depth = _lookup(target_declaration, (*seen, label))
    return (name if rest == "pk" else f"{name}__{rest}"), depth + 1


@cache
def subject_paths() -> tuple[SubjectPath, ...]:
    """Every model with rows about people, deepest first (children before parents).

    Deleting in this order never relies on a database cascade to reach a
    row, so every file and every hold is seen before its row goes.
    """
    paths = []
    for declaration in default_map().models_with_subject():
        lookup, depth = _lookup(declaration, ())
        paths.append(SubjectPath(declaration=declaration, lookup=lookup, depth=depth))
    return tuple(sorted(paths, key=lambda p: (-p.depth, p.label)))


def path_for(model: type[models.Model] | str) -> SubjectPath:
    label = model if isinstance(model, str) else model._meta.label
    for path in subject_paths():
        if path.label == label:
            return path
    raise SubjectGraphError(f"{label} has no rows about people.")


def person_rows(
    user_id: Any, *, organisation: Any = None
) -> Iterator[tuple[SubjectPath, models.QuerySet[Any]]]:
    """(path, rows) for every model holding rows about the person, deepest first."""
    for path in subject_paths():
        yield path, path.rows(user_id, organisation=organisation)
