"""Writes on the global user account."""

from __future__ import annotations

from django.db import transaction

from passend.accounts.models import User


@transaction.atomic
def user_update_profile(*, user: User, name: str, preferred_language: str) -> User:
    user.name = name.strip()
    user.preferred_language = preferred_language
    user.full_clean()
    user.save(update_fields=["name", "preferred_language"])
    return user
