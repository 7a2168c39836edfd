"""Published versions of the privacy statement, and who acknowledged which."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StatementVersion(models.Model):
    """One published version: the facts and content exactly as they were then.

    `snapshot` holds what `generate.build_snapshot()` returned; `source_hash`
    identifies it, so publishing again with nothing changed does nothing.
    """

    major = models.PositiveIntegerField(_("major version"))
    minor = models.PositiveIntegerField(_("minor version"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    map_hash = models.CharField(_("data-map hash"), max_length=64)
    recipients_hash = models.CharField(_("recipients-register hash"), max_length=64)
    facts_hash = models.CharField(_("facts hash"), max_length=64)
    source_hash = models.CharField(_("source hash"), max_length=64)
    snapshot = models.JSONField(_("snapshot"))

    class Meta:
        ordering = ["-major", "-minor"]
        verbose_name = _("privacy statement version")
        verbose_name_plural = _("privacy statement versions")
        constraints = [
            models.UniqueConstraint(fields=["major", "minor"], name="statement_version_unique")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}"


class StatementAcknowledgement(models.Model):
    """A person confirmed having read a version (J8): who, which version, when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="statement_acknowledgements",
        verbose_name=_("user"),
    )
    version = models.ForeignKey(
        StatementVersion,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("version"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        verbose_name = _("privacy statement acknowledgement")
        verbose_name_plural = _("privacy statement acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "version"], name="statement_acknowledgement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.version}"
