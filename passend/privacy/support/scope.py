"""Acting inside an organisation's scope as platform staff, through a live grant."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import Http404

from passend.common.scope import organisation_scope
from passend.privacy.audit.middleware import Actor, acting_as
from passend.privacy.support import selectors, services
from passend.privacy.support.models import SupportGrant
from passend.tenancy.models import Organisation


@contextmanager
def support_scope(
    user: Any,
    organisation: Organisation,
    *,
    detail: str = "support access",
    fields: Iterable[str] = (),
    subject: Any = None,
) -> Iterator[SupportGrant]:
    """Open `organisation`'s scope for a staff member with a live grant for it.

    Raises Http404 when there is no live grant (none, pending, refused,
    expired or revoked: the same answer). Entering records one "grant_use"
    event in the organisation's audit trail, naming the grant, what is looked
    at (`detail`, `fields`) and whose data it is (`subject`) where known.
    Everything read inside is attributed to the staff member.
    """
    grant = selectors.live_grant(user, organisation)
    if grant is None:
        raise Http404
    services.grant_use_record(
        grant=grant, staff=user, detail=detail, fields=fields, subject=subject
    )
    with organisation_scope(organisation), acting_as(Actor.for_user(user)):
        yield grant
