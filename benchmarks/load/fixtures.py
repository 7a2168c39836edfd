"""What the load run needs from the prepared database, printed as one JSON line.

Run inside Django by run.py:
    manage.py shell -c "from benchmarks.load.fixtures import main; main()"

bob's API token (for the API rows), the profile ids of carla and of the
grown candidate with a long history, the number of candidates, and a
published demo vacancy on organisation A's public job pages, the demo's
pipeline (a vacancy, an application) and carla's proposal.
"""

from __future__ import annotations

import json


def main() -> None:
    from passend.api.services import api_token_create
    from passend.candidates.models import CandidateProfile
    from passend.common.scope import organisation_scope
    from passend.demo.management.growth import grown_email
    from passend.demo.personas import ORGANISATIONS, persona_email
    from passend.tenancy.models import Membership, Organisation, Role
    from passend.vacancies.models import Application, Proposal
    from passend.vacancies.public import published

    organisation = Organisation.objects.get(slug=ORGANISATIONS["a"]["slug"])
    with organisation_scope(organisation):
        profiles = CandidateProfile.objects.select_related("membership__user")
        carla = profiles.get(membership__user__email=persona_email("carla"))
        rich = profiles.get(membership__user__email=grown_email(organisation, 1))
        bob = Membership.objects.select_related("user").get(user__email=persona_email("bob"))
        _token, raw = api_token_create(
            user=bob.user, organisation=organisation, name="bench-load", expires_in_days=1
        )
        candidates = Membership.objects.filter(role=Role.CANDIDATE).count()
        application = Application.objects.order_by("created_at").first()
        proposal = Proposal.objects.filter(candidate=carla).first()
    job = published(organisation).first()
    print(
        json.dumps(
            {
                "token": raw,
                "carla": str(carla.pk),
                "rich": str(rich.pk),
                "candidates": candidates,
                "organisation": organisation.name,
                "organisation_id": str(organisation.pk),
                "jobs": organisation.slug,
                "job": str(job.pk) if job else "none",
                "pipeline": str(application.vacancy_id) if application else "none",
                "application": str(application.pk) if application else "none",
                "proposal": str(proposal.pk) if proposal else "none",
            }
        )
    )
