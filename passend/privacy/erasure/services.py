"""Closing an account (J5) and erasing a person in one organisation (Art. 17).

Both start a run (`engine.start`: the inventory that becomes the receipt) and
enqueue `run_erasure` once that run is committed; the receipt page shows the
run as in progress until the worker has finished it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from passend.common.tasks import enqueue_on_commit
from passend.privacy.erasure import engine
from passend.privacy.erasure.models import ErasureRun
from passend.privacy.erasure.tasks import run_erasure
from passend.privacy.rights.graph import all_rows
from passend.tenancy.models import Membership, Role


def sole_admin_of(user: Any) -> list[Any]:
    """Organisations that would be left without an admin if this person left."""
    admin_of = all_rows(Membership).filter(user=user, role=Role.ADMIN, is_active=True)
    alone = []
    for membership in admin_of.select_related("organisation"):
        others = (
            all_rows(Membership)
            .filter(organisation=membership.organisation_id, role=Role.ADMIN, is_active=True)
            .exclude(user=user)
        )
        if not others.exists():
            alone.append(membership.organisation)
    return alone


def check_can_close(user: Any) -> None:
    alone = sole_admin_of(user)
    if alone:
        names = ", ".join(str(o.name) for o in alone)
        raise ValidationError(
            _(
                "You are the only administrator of %(names)s. Make someone else an "
                "administrator first, so the organisation is not left without one."
            )
            % {"names": names},
            code="sole_admin",
        )


@transaction.atomic
def close_account(*, user: Any) -> ErasureRun:
    """Erase everything about the person the law lets us erase, in every organisation.

    The erasure runs in the background once this transaction commits; the
    receipt link is e-mailed to the account's address when it is done.
    """
    check_can_close(user)
    run = engine.start(user_id=user.pk, requested_by_user_id=user.pk)
    language = user.preferred_language or translation.get_language() or ""
    enqueue_on_commit(run_erasure, str(run.pk), notify=str(user.email), language=language)
    return run


@transaction.atomic
def erase_member(*, membership: Membership, by: Membership) -> ErasureRun:
    """An admin erases a person's data in their organisation (a request at the desk).

    The erasure runs in the background once this transaction commits.
    """
    if membership.organisation_id != by.organisation_id:
        raise ValidationError(_("That person is not in your organisation."), code="other_org")
    if membership.pk == by.pk:
        raise ValidationError(_("To erase your own data, close your account instead."), code="self")
    run = engine.start(
        user_id=membership.user_id,
        organisation_id=membership.organisation_id,
        requested_by_user_id=by.user_id,
    )
    enqueue_on_commit(run_erasure, str(run.pk))
    return run
