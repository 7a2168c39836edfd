"""Keeping the lists' sort key true when a person's name changes.

The account (passend.accounts) sits below tenancy and cannot call it, so a
saved user reaches the memberships through Django's `post_save`; the apps
that copy the key (candidate profiles) listen to `memberships_renamed`.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

# Sent with `memberships`: those whose sort_name just changed.
memberships_renamed = Signal()


def user_saved(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if kwargs.get("created") or kwargs.get("raw"):
        return  # a new account has no memberships yet; fixtures carry their keys
    if update_fields is not None and "name" not in update_fields:
        return
    from passend.tenancy.models import Membership

    changed = Membership.objects.refresh_sort_names(instance)
    if changed:
        memberships_renamed.send(sender=Membership, memberships=changed)
