"""Data keys: one per organisation (and one for the platform), wrapped by a master key."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DataKey(models.Model):
    """A data-encryption key, stored only wrapped (AES-GCM) by a master key.

    The master keys live in the environment, never here. Deleting an
    organisation deletes its data keys (CASCADE), which crypto-shreds every
    value and file encrypted for it. `organisation` is null for the platform
    key (data that belongs to no organisation).
    """

    key_id = models.CharField(_("key id"), max_length=32, unique=True, editable=False)
    # No database constraint: a new organisation's key is created in its own
    # pre_save, before the organisation's row exists. Deletion still cascades
    # (Django's collector does it).
    organisation = models.ForeignKey(
        "tenancy.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("organisation"),
    )
    wrapped_key = models.BinaryField(_("wrapped key"), editable=False)
    master_key_id = models.CharField(_("master key id"), max_length=40, editable=False)
    is_primary = models.BooleanField(
        _("primary"),
        default=False,
        help_text=_("New values are encrypted with the primary key of their organisation."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retired_at = models.DateTimeField(
        _("retired at"),
        null=True,
        blank=True,
        help_text=_("Set once key rotation found no value still encrypted with this key."),
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_primary=True, organisation__isnull=False),
                name="datakey_one_primary_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["is_primary"],
                condition=Q(is_primary=True, organisation__isnull=True),
                name="datakey_one_primary_platform_key",
            ),
        ]

    def __str__(self) -> str:
        return self.key_id
