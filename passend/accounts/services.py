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


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Remember the language a person picked in the header (e-mails follow it)."""
    if language == user.preferred_language:
        return user
    user.preferred_language = language
    user.full_clean()
    user.save(update_fields=["preferred_language"])
    record(
        action=Action.UPDATE,
        target=user,
        fields=["preferred_language"],
        purpose=Purpose.ACCOUNT,
        subject=user.pk,
        organisation=PLATFORM,
    )
    return user


def user_logged_in_record(*, user: User) -> None:
    """A sign-in, on the platform's audit trail (who was signed in when)."""
    record(
        action=Action.LOGIN,
        target=user,
        purpose=Purpose.SECURITY,
        subject=user.pk,
        organisation=PLATFORM,
        actor=user,
    )
