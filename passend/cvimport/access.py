"""Who may import a CV into a profile: whoever may edit that profile
(`candidates.access.get_candidate_for_editor`): the candidate themself, or an
advisor or admin of the organisation. 404 for missing and not yours alike."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from passend.candidates.access import get_candidate_for_editor
from passend.common.adapters import get_or_404
from passend.cvimport.models import CvImport
from passend.tenancy.models import Membership, Role


def get_import_for_actor(actor: Membership, import_id: Any) -> CvImport:
    if actor.role == Role.EMPLOYER:
        raise Http404
    cv_import: CvImport = get_or_404(
        CvImport.objects.select_related("profile__membership__user"), import_id
    )
    get_candidate_for_editor(actor, cv_import.profile_id)
    return cv_import
