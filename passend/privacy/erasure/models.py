"""One erasure (GDPR Art. 17), its progress and its receipt.

A run is not owned by an organisation: closing an account crosses all of
them. It refers to the person by the user's primary key only (a pseudonymous
number, like the audit trail), so it can outlive the account as proof that
the erasure was done and of what was kept.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("in progress")
    DONE = "done", _("done")


class ErasureRun(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user_id = models.BigIntegerField(_("person"), db_index=True)
    organisation_id = models.UUIDField(
        _("organisation"),
        null=True,
        blank=True,
        help_text=_("Empty when the whole account is closed."),
    )
    requested_by_user_id = models.BigIntegerField(_("requested by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    completed_steps = models.JSONField(_("steps completed"), default=list, blank=True)
    # Storage names of files whose rows are gone but whose removal from
    # storage may not have finished: a re-run removes them.
    pending_files = models.JSONField(_("files still to remove"), default=list, blank=True)
    receipt = models.JSONField(_("receipt"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # When the receipt was e-mailed: a repeated task does not send it again.
    receipt_sent_at = models.DateTimeField(_("receipt sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        indexes = [models.Index(fields=["status"], name="erasure_run_status")]

    def __str__(self) -> str:
        return f"erasure {self.pk} ({self.status})"

    @property
    def whole_account(self) -> bool:
        return self.organisation_id is None
