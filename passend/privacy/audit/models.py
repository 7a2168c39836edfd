"""The audit trail: append-only, hash-chained events with pseudonymous references.

An event never holds the values it is about, only references (primary keys,
field names), so it survives the erasure of what it refers to and the chain
stays verifiable. References are plain ids, not foreign keys: deleting an
organisation, a person or a record must not cascade into the trail.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from passend.common.scope import current_organisation
from passend.privacy.audit import chain


class AppendOnlyError(RuntimeError):
    """Audit events cannot be changed or deleted."""


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    READ = "read", _("viewed")
    EXPORT = "export", _("exported")
    TRANSFER = "transfer", _("sent to a third party")
    ERASE = "erase", _("erased")
    LOGIN = "login", _("signed in")
    GRANT = "grant", _("granted support access")
    GRANT_USE = "grant_use", _("used support access")
    PRUNE = "prune", _("removed old audit events")


# Actions that disclose a person's data to someone: what "who looked at my
# data" shows.
DISCLOSURES = (Action.READ, Action.EXPORT, Action.TRANSFER, Action.GRANT_USE)


class ActorKind(models.TextChoices):
    USER = "user", _("person")
    SYSTEM = "system", _("system")
    ANONYMOUS = "anonymous", _("anonymous visitor")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted; old ones are pruned by retention.")


class AuditEventManager(models.Manager["AuditEvent"]):
    """Fails closed like the tenancy managers: the active organisation's events only.

    `unscoped()` serves the privacy engine's cross-organisation reads
    (verification, a person's own "who looked at my data").
    """

    def get_queryset(self) -> AuditEventQuerySet:
        organisation = current_organisation()
        return AuditEventQuerySet(self.model, using=self._db).filter(
            organisation_id=organisation.pk
        )

    def unscoped(self) -> AuditEventQuerySet:
        return AuditEventQuerySet(self.model, using=self._db)


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    chain = models.CharField(_("chain"), max_length=40, editable=False)
    # Empty until the event is sealed into its chain (`audit_seal`).
    sequence = models.PositiveBigIntegerField(
        _("sequence number"), null=True, blank=True, editable=False
    )
    prev_hash = models.CharField(
        _("previous hash"), max_length=64, null=True, blank=True, editable=False
    )
    hash = models.CharField(_("hash"), max_length=64, null=True, blank=True, editable=False)
    occurred_at = models.DateTimeField(_("when"), editable=False)
    organisation_id = models.UUIDField(_("organisation"), null=True, blank=True, editable=False)
    actor_kind = models.CharField(
        _("actor kind"), max_length=10, choices=ActorKind.choices, editable=False
    )
    actor_user_id = models.BigIntegerField(_("actor"), null=True, blank=True, editable=False)
    actor_membership_id = models.UUIDField(
        _("actor's membership"), null=True, blank=True, editable=False
    )
    actor_role = models.CharField(_("actor's role"), max_length=20, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, editable=False)
    target_model = models.CharField(_("record type"), max_length=100, editable=False)
    target_id = models.CharField(_("record"), max_length=64, blank=True, editable=False)
    subject_user_id = models.BigIntegerField(
        _("data subject"), null=True, blank=True, editable=False
    )
    fields = models.JSONField(_("fields"), default=list, blank=True, editable=False)
    purpose = models.CharField(_("purpose"), max_length=40, editable=False)
    detail = models.CharField(_("detail"), max_length=200, blank=True, editable=False)

    objects = AuditEventManager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_event_chain_sequence")
        ]
        indexes = [
            models.Index(fields=["organisation_id", "occurred_at"], name="audit_org_time"),
            models.Index(fields=["subject_user_id", "occurred_at"], name="audit_subject_time"),
            # What the sealer looks for: a chain's unsealed events, in insertion order.
            models.Index(
                fields=["chain", "id"], name="audit_unsealed", condition=Q(hash__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        position = self.sequence if self.sequence is not None else f"(unsealed {self.pk})"
        return f"{self.chain}#{position} {self.action} {self.target_model}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted; old ones are pruned by retention.")

    def as_hashed(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in chain.HASHED_FIELDS}

    def compute_hash(self) -> str:
        return chain.event_hash(self.as_hashed())


class AuditChain(models.Model):
    """The head of one chain: what was sealed last, and where the chain starts.

    Only sealing locks this row, for one short batch: `record()` never touches
    it, so writers of one organisation do not wait for each other. The sealer
    gives the chain's unsealed events gap-free sequence numbers in the order
    it finds them. After pruning, `base_*` is the last removed event, which
    the first remaining event links to.
    """

    key = models.CharField(_("chain"), max_length=40, primary_key=True)
    sequence = models.PositiveBigIntegerField(_("last sealed sequence number"), default=0)
    head_hash = models.CharField(_("last sealed hash"), max_length=64, default=chain.GENESIS)
    base_sequence = models.PositiveBigIntegerField(_("pruned through"), default=0)
    base_hash = models.CharField(
        _("hash at the pruning point"), max_length=64, default=chain.GENESIS
    )

    class Meta:
        verbose_name = _("audit chain")
        verbose_name_plural = _("audit chains")

    def __str__(self) -> str:
        return f"{self.key}@{self.sequence}"

    @property
    def head(self) -> chain.Head:
        return chain.Head(self.sequence, self.head_hash)

    @property
    def base(self) -> chain.Head:
        return chain.Head(self.base_sequence, self.base_hash)
