"""Personal access tokens for the API: stored hashed, expiring, revocable,
scoped to one organisation."""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.common.managers import ScopedManager
from passend.tenancy.models import OrganisationOwned, hash_token

TOKEN_PREFIX = "psd_"  # noqa: S105 - a public marker, not a secret
# How much of the secret the token list shows, so a person can tell tokens apart.
HINT_LENGTH = len(TOKEN_PREFIX) + 4


class TokenStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")


class ApiTokenManager(ScopedManager):
    def of_user(self, user: Any) -> models.QuerySet[ApiToken]:
        """A person's own tokens across organisations: what the token page lists.

        Like `Membership.objects.of_user`, a cross-organisation read bounded to
        the signed-in person's own rows.
        """
        return self._all_organisations().filter(user=user).select_related("organisation")

    def by_key(self, raw: str) -> ApiToken | None:
        """Find a live token by its secret, before any organisation scope exists."""
        if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
            return None
        token = (
            self._all_organisations()
            .select_related("organisation", "user")
            .filter(key_hash=hash_token(raw))
            .first()
        )
        if token is None or not token.is_live:
            return None
        return token


class ApiToken(OrganisationOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(max_length=12, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects: ClassVar[ApiTokenManager] = ApiTokenManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @staticmethod
    def new_key() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> TokenStatus:
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires_at <= timezone.now():
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE
