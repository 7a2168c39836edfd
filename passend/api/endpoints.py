"""The account and organisation endpoints: who am I, where am I, who is here.

Each operation: parse -> access -> selector -> schema. `request.auth` is an
`ApiActor`; the organisation scope is already open (the token's
organisation, or the session's active one).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router
from ninja.pagination import paginate

from passend.api import selectors
from passend.api.schemas import (
    MemberOut,
    MembershipOut,
    MeOut,
    OrganisationOut,
)
from passend.common.api.actor import actor_of, membership_of
from passend.common.api.pagination import PagePagination
from passend.common.api.problems import Problem
from passend.common.api.schemas import problems
from passend.tenancy.models import Membership, Role

router = Router()


def require_admin(membership: Membership) -> Membership:
    if membership.role != Role.ADMIN:
        raise Problem(403, _("Only administrators of this organisation may see this."))
    return membership


@router.get(
    "/me",
    response={200: MeOut, **problems()},
    tags=["account"],
    summary="The signed-in person",
    operation_id="me",
)
def me(request: HttpRequest) -> Any:
    return actor_of(request).user


@router.get(
    "/memberships",
    response={200: list[MembershipOut], **problems()},
    tags=["account"],
    summary="The person's memberships",
    description=(
        "With the browser session: every active membership across organisations. "
        "With a personal access token: only the membership of the token's organisation."
    ),
    operation_id="memberships",
)
def memberships(request: HttpRequest) -> Any:
    actor = actor_of(request)
    only = actor.token.organisation if actor.token is not None else None
    return selectors.memberships_of(actor.user, only=only)


@router.get(
    "/organisation",
    response={200: OrganisationOut, **problems(403, 404)},
    tags=["organisation"],
    summary="The active organisation",
    description="The IBAN is shown to administrators only.",
    operation_id="organisation",
)
def organisation(request: HttpRequest) -> Any:
    membership = membership_of(actor_of(request))
    org = membership.organisation
    return {
        "id": org.pk,
        "name": org.name,
        "slug": org.slug,
        "kind": org.kind,
        "address": {
            "street": org.street,
            "postcode": org.postcode,
            "city": org.city,
            "country": org.country,
        },
        "kvk_number": org.kvk_number,
        "vat_number": org.vat_number,
        "iban": org.iban if membership.is_admin else None,
        "contacts": list(selectors.organisation_contacts()),
    }


@router.get(
    "/organisation/members",
    response={200: list[MemberOut], **problems(403, 404, 422)},
    tags=["organisation"],
    summary="Members of the active organisation",
    description="Administrators only; paginated by `page` and `page_size`.",
    operation_id="organisation_members",
)
@paginate(PagePagination)
def organisation_members(request: HttpRequest) -> Any:
    require_admin(membership_of(actor_of(request)))
    return selectors.members()
