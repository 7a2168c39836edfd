"""Correction (GDPR Art. 16): where a person changes a field themselves, or disputes it.

A small registry maps a model label to the self-service pages where the
person edits that model's fields: a URL name, and a function of the row
giving the URL's arguments. Each app registers its own pages in its
`privacy.py` (`register_self_edit()`, and `register_correction_page()` for the
page where an advisor or admin corrects a disputed row); the platform's account
pages are registered below. The privacy core imports no feature app.

A field the person can edit on such a page, in a row they wrote themselves,
counts as "provided by you": it gets an edit link on the "my data" page and
is what the portability export (Art. 20) takes. Every other field (set by a
career advisor, an admin or the system) gets a link to dispute it. Whether
someone else wrote a row is read from its author column (`uploaded_by`,
`author`, `by`, `shared_by`, ...) where it has one. The "my data" page
links each kind of data to one dispute form (`kind_dispute_url`), filed with
the organisation that holds the data.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse

# Columns that say who wrote a row; a user or a membership of one.
AUTHOR_FIELDS = ("uploaded_by", "author", "by", "created_by", "shared_by")

DISPUTE_PATH = "/requests/dispute/"


@dataclass(frozen=True)
class SelfEdit:
    """A page where the person changes `fields` of their own rows of one model."""

    url_name: str
    fields: frozenset[str]
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    # Roles whose members reach the page (empty: everyone signed in).
    roles: frozenset[str] = frozenset()

    def url(self, row: Any) -> str | None:
        try:
            return reverse(self.url_name, kwargs=self.kwargs(row) if self.kwargs else None)
        except NoReverseMatch:
            return None


_registry: dict[str, list[SelfEdit]] = {}


def register_self_edit(
    label: str,
    *,
    url_name: str,
    fields: Collection[str],
    kwargs: Callable[[Any], dict[str, Any]] | None = None,
    roles: Collection[str] = (),
) -> SelfEdit:
    """Say that the person edits `fields` of their own `label` rows at `url_name`."""
    entry = SelfEdit(url_name, frozenset(fields), kwargs, frozenset(roles))
    _registry.setdefault(label, []).append(entry)
    return entry


def self_edits(label: str) -> list[SelfEdit]:
    return list(_registry.get(label, ()))


def self_edit_for(label: str, field: str) -> SelfEdit | None:
    for entry in _registry.get(label, ()):
        if field in entry.fields:
            return entry
    return None


def author_column(model: type[models.Model]) -> models.ForeignKey[Any, Any] | None:
    for name in AUTHOR_FIELDS:
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112 - FieldDoesNotExist: try the next name
            continue
        if isinstance(field, models.ForeignKey):
            return field
    return None


@dataclass(frozen=True)
class Person:
    """Who "you" are: the user and every membership of theirs (to recognise authorship)."""

    user_id: int
    membership_ids: frozenset[Any]

    def wrote(self, model: type[models.Model], row: Any) -> bool:
        """True unless the row's author column names someone else."""
        column = author_column(model)
        if column is None:
            return True
        value = getattr(row, column.attname)
        if value is None:
            return False
        target: Any = column.related_model
        if target._meta.label == settings.AUTH_USER_MODEL:
            return bool(value == self.user_id)
        return value in self.membership_ids


def provided_by_person(model: type[models.Model], field: str, row: Any, person: Person) -> bool:
    """Did the person give this value themselves (on a self-service page, in their own row)?"""
    return self_edit_for(model._meta.label, field) is not None and person.wrote(model, row)


def dispute_base() -> str:
    try:
        return reverse("requests:dispute")
    except NoReverseMatch:
        return DISPUTE_PATH


def kind_dispute_url(group: str, kind: str) -> str:
    """The dispute form for one kind of data held by one organisation (or the
    account): the person picks the field there and says what is wrong. Names a
    category and an organisation, never a value."""
    return f"{dispute_base()}?{urlencode({'organisation': group, 'kind': kind})}"


def dispute_url(label: str, field: str, pk: Any) -> str:
    """The dispute form for one field of one record (other pages may still link it)."""
    return f"{dispute_base()}?{urlencode({'model': label, 'field': field, 'object': str(pk)})}"


# --- pages where someone else corrects a disputed value ------------------------

# (disputed object id, the person's membership id) -> the page's URL, or None
# when the row is not the person's.
CorrectionPage = Callable[[str, Any], "str | None"]

_correction_pages: dict[str, CorrectionPage] = {}


def register_correction_page(label: str, page: CorrectionPage) -> CorrectionPage:
    """Say where an advisor or admin corrects a disputed `label` row of a person."""
    _correction_pages[label] = page
    return page


def correction_page(label: str, object_id: str, membership_id: Any) -> str | None:
    """The page where a disputed row is corrected; None when no app registered one, or
    when the id is not a row of the person (or not an id at all)."""
    page = _correction_pages.get(label)
    if page is None:
        return None
    try:
        return page(object_id, membership_id)
    except (ValidationError, ValueError):
        return None


# --- the platform's own pages; every app registers its own in its privacy.py ---


def _register_platform() -> None:
    register_self_edit(
        "accounts.User", url_name="accounts:settings", fields=("name", "preferred_language")
    )
    register_self_edit("accounts.User", url_name="account_email", fields=("email",))
    register_self_edit(
        "account.EmailAddress", url_name="account_email", fields=("email", "primary")
    )
    register_self_edit("mfa.Authenticator", url_name="mfa_index", fields=("type",))


_register_platform()
