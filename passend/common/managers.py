"""Fail-closed managers for organisation-owned models."""

from __future__ import annotations

from typing import Any

from django.db import models

from passend.common.scope import current_organisation


class ScopedQuerySet(models.QuerySet):
    pass


class ScopedManager(models.Manager):
    """Filters every query by the active organisation; raises without one.

    `unscoped()` is the one named way around it, meant for the privacy
    engine (rights and retention cross organisations) and the admin; a test
    keeps it out of everything else.
    """

    _queryset_class = ScopedQuerySet

    def get_queryset(self) -> models.QuerySet[Any]:
        organisation = current_organisation()
        return super().get_queryset().filter(organisation=organisation)

    def unscoped(self) -> models.QuerySet[Any]:
        return self._all_organisations()

    def _all_organisations(self) -> models.QuerySet[Any]:
        # For the narrow, named lookups defined on subclasses (a person's own
        # memberships, an invitation by the secret in its link) only.
        return super().get_queryset()
