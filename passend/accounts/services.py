"""Writes on the global user account."""

from __future__ import annotations

from django.db import transaction

from passend.accounts.models import User
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import PLATFORM, record
from passend.privacy.datamap import Purpose


@transaction.atomic
def user_update_profile(*, user: User, name: str, preferred_language: str) -> User:
    user.name = name.strip()
    user.preferred_language = preferred_language
    user.full_clean()
    user.save(update_fields=["name", "preferred_language"])
    record(
        action=Action.UPDATE,
        target=user,
        fields=["name", "preferred_language"],
        purpose=Purpose.ACCOUNT,
        subject=user.pk,
        organisation=PLATFORM,
    )
    return user
