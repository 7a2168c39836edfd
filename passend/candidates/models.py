"""Candidate and worker profiles (J1, P5): one per candidate membership.

A person registered with two organisations has two profiles, each controlled
by its organisation.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from passend.tenancy.models import Membership, OrganisationOwned


class CandidateProfile(OrganisationOwned):
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="candidate_profile"
    )
    is_worker = models.BooleanField(
        _("flex worker"), default=False, help_text=_("Also takes flex shifts (payroll).")
    )

    class Meta:
        verbose_name = _("candidate profile")
        verbose_name_plural = _("candidate profiles")

    def __str__(self) -> str:
        return str(self.membership.user)
