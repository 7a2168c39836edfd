"""Writes for personal access tokens."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.accounts.middleware import has_two_factor
from passend.api.models import HINT_LENGTH, ApiToken
from passend.common.scope import organisation_scope
from passend.tenancy.models import Membership, Organisation, hash_token

# last_used_at is a hint for people, not an audit trail: one write a minute
# per token at most, however busy the token is.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def api_token_create(
    *,
    user: Any,
    organisation: Organisation,
    name: str,
    expires_in_days: int,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for `user` in `organisation`; returns it and the raw secret.

    The secret is stored only as a hash: the caller shows it once and then it is gone.
    """
    now = now or timezone.now()
    is_member = Membership.objects.of_user(user).filter(organisation=organisation).exists()
    if not is_member:
        raise ValidationError(
            {"organisation": _("You are not an active member of this organisation.")}
        )
    if organisation.require_two_factor and not has_two_factor(user):
        raise ValidationError(
            {
                "organisation": _(
                    "This organisation requires two-factor authentication. "
                    "Set it up before you create a token."
                )
            }
        )
    if not 1 <= expires_in_days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {
                "expires_in_days": _("Choose between 1 and %(max)d days.")
                % {"max": settings.API_TOKEN_MAX_DAYS}
            }
        )
    raw = ApiToken.new_key()
    with organisation_scope(organisation):
        token = ApiToken(
            organisation=organisation,
            user=user,
            name=name.strip(),
            key_hash=hash_token(raw),
            key_hint=raw[:HINT_LENGTH],
            expires_at=now + timedelta(days=expires_in_days),
        )
        token.full_clean()
        token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, now: datetime | None = None) -> ApiToken:
    """Revoke a token at once; revoking it again keeps the first moment."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = now or timezone.now()
    with organisation_scope(token.organisation):
        token.full_clean()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_touch(*, token: ApiToken, now: datetime | None = None) -> bool:
    """Record that `token` was used, at most once per minute; True if it wrote."""
    now = now or timezone.now()
    threshold = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > threshold:
        return False
    with organisation_scope(token.organisation):
        written = (
            ApiToken.objects.filter(pk=token.pk)
            .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold))
            .update(last_used_at=now)
        )
    token.last_used_at = now
    return bool(written)
