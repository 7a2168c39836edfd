"""The authorisation matrix: every URL pattern x every kind of visitor.

Every route of the site must have a row in ROUTES (or fall under a prefix
rule for a library's own pages); a new view without a row fails
`test_it_has_a_row_for_every_route`, so it is covered the day it is added.
Visitors: anonymous, each role in the owning organisation A (alice admin, bob
career advisor, dave employer, carla candidate) and charlie, admin of
organisation B. For routes that name an object of A, charlie must get 404,
never 403: the answer may not confirm the object exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import client_for
from passend.accounts.models import User
from passend.api.services import api_token_create
from passend.candidates import services as candidate_services
from passend.candidates.models import WorkExperience
from passend.coaching import services as coaching_services
from passend.common.scope import organisation_scope
from passend.cvimport.models import CvImport
from passend.demo.personas import ensure_personas
from passend.documents.models import DocumentKind
from passend.documents.services import document_upload
from passend.notifications.models import Kind, Notification
from passend.privacy.erasure import engine as erasure_engine
from passend.privacy.erasure import receipts as erasure_receipts
from passend.privacy.requests import services as dsr_services
from passend.privacy.restriction import services as restriction_services
from passend.privacy.rights import jobs as rights_jobs
from passend.privacy.rights import services as rights_services
from passend.privacy.support.services import grant_request
from passend.taxonomy.models import Occupation, Skill
from passend.tenancy.models import (
    Invitation,
    Membership,
    OrganisationContact,
    Role,
    hash_token,
)
from passend.vacancies import keep, public_apply
from passend.vacancies import services as vacancy_services
from passend.vacancies.models import PublicApplication

ANON, ADMIN, PRO, EMP, CAND, OTHER = (
    "anon",
    "admin",
    "professional",
    "employer",
    "candidate",
    "other",
)
VISITORS = [ANON, ADMIN, PRO, EMP, CAND, OTHER]
PERSONA = {ADMIN: "alice", PRO: "bob", EMP: "dave", CAND: "carla", OTHER: "charlie"}

LOGIN = "login"  # a redirect to the login page
REDIRECT = "redirect"  # any other redirect


def everyone(status: Any) -> dict[str, Any]:
    return dict.fromkeys(VISITORS, status)


def signed_in(status: Any, anon: Any = LOGIN) -> dict[str, Any]:
    return {ANON: anon, **dict.fromkeys([ADMIN, PRO, EMP, CAND, OTHER], status)}


def only(allowed: dict[str, Any], others: Any = 403, other_org: Any = None) -> dict[str, Any]:
    """`allowed` roles get their status; other roles of A get `others`; charlie,
    an admin elsewhere, gets `other_org` (his own organisation's page), or the
    admin's status when the page is not about an object of A."""
    row = {ANON: LOGIN, ADMIN: others, PRO: others, EMP: others, CAND: others}
    row.update(allowed)
    row[OTHER] = other_org if other_org is not None else allowed.get(ADMIN, others)
    return row


@dataclass
class Row:
    get: dict[str, Any] | None = None
    post: dict[str, Any] | None = None
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    data: dict[str, Any] = field(default_factory=dict)


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def objects_of_a(personas: Any) -> dict[str, Any]:
    """Objects of organisation A that object routes point at."""
    org_a = personas.organisations["a"]
    with organisation_scope(org_a):
        contact = OrganisationContact.objects.create(
            organisation=org_a, name="Matrix Contact", email="matrix@werkpad.test"
        )
        invitation = Invitation.objects.create(
            organisation=org_a,
            email="matrix-invitee@example.org",
            role="candidate",
            token_hash=hash_token("matrix-token"),
            invited_by=personas.memberships["bob"],
            expires_at=timezone.now() + timedelta(days=1),
        )
    staff = User.objects.create_user("matrix-staff@platform.test", "x", is_platform_staff=True)
    grant = grant_request(staff=staff, organisation=org_a, reason="matrix")
    token, _secret = api_token_create(
        user=personas["alice"], organisation=org_a, name="matrix", expires_in_days=7
    )
    with organisation_scope(org_a):
        profile = candidate_services.candidate_profile_ensure(
            membership=personas.memberships["carla"]
        )
        entry = candidate_services.section_entry_create(
            profile=profile,
            model=WorkExperience,
            data={"employer_name": "Matrix BV", "role": "Baker", "started_on": "2020-01-01"},
        )
        company = personas.memberships["dave"].employer
        candidate_services.profile_share(
            profile=profile,
            employer=company,
            by=personas.memberships["bob"],
            includes_documents=True,
        )
        share = candidate_services.profile_share(
            profile=profile, employer=company, by=personas.memberships["carla"]
        )
        scheme = candidate_services.scheme_create(organisation_id=org_a.pk, name="Jobcoach")
        trajectory = coaching_services.trajectory_create(
            candidate=profile, goal="Matrix goal", start_date=date(2026, 1, 1)
        )
        task = coaching_services.task_create(trajectory=trajectory, title="Matrix task")
        appointment = coaching_services.appointment_create(
            candidate=profile, starts_at=timezone.now() + timedelta(days=2), place="Matrix"
        )
        # Sharing carla's profile with dave's company told dave: his notification.
        notification = Notification.objects.get(
            recipient=personas.memberships["dave"], kind=Kind.PROFILE_SHARED
        )
        bob_a = personas.memberships["bob"]
        document = document_upload(
            candidate=profile, kind=DocumentKind.CV, name="cv.pdf", chunks=[PDF], by=bob_a
        )
        id_copy = document_upload(
            candidate=profile, kind=DocumentKind.ID_COPY, name="id.pdf", chunks=[PDF], by=bob_a
        )
        # A second candidate, restricted: restricting carla would hide her
        # shared profile from dave.
        restricted_user = User.objects.create_user("matrix-restricted@example.org", "x")
        restricted = Membership.objects.create(
            organisation=org_a, user=restricted_user, role=Role.CANDIDATE
        )
        restriction = restriction_services.restriction_start(
            membership=restricted, reason="contests_accuracy", by=restricted
        )
        dsr = dsr_services.request_file_own(
            membership=personas.memberships["carla"], kind="access", description="matrix"
        )
    [unrouted] = dsr_services.request_file_public(
        name="Matrix", email="matrix-unknown@example.org", organisation=None, kind="other",
        description="",
    )  # fmt: skip
    export = rights_services.export_request(user=personas["carla"], scope="access")
    rights_jobs.export_build(job_id=str(export.pk))
    export.refresh_from_db()
    export_token = rights_services.export_link_create(job=export)
    erased_user = User.objects.create_user("matrix-erased@example.org", "x")
    erasure_run = erasure_engine.erase(user_id=erased_user.pk)
    occupation = Occupation.objects.create(
        uri="http://data.europa.eu/esco/occupation/matrix", pref_en="Matrix occupation"
    )
    skill = Skill.objects.create(
        uri="http://data.europa.eu/esco/skill/matrix", pref_en="Matrix skill"
    )
    org_a.publishes_vacancies = True
    org_a.save(update_fields=["publishes_vacancies"])
    with organisation_scope(org_a):
        # dave's company's vacancy, published (on the public job pages too), with one skill.
        vacancy = vacancy_services.vacancy_create(
            employer=personas.memberships["dave"].employer,
            by=personas.memberships["dave"],
            title="Matrix vacancy",
            hours_per_week=24,
        )
        vacancy = vacancy_services.vacancy_publish(vacancy=vacancy, by=None)
        vacancy_skill = vacancy_services.vacancy_skill_add(
            vacancy=vacancy, skill=skill, required=True
        )
        # carla applied to it.
        application = vacancy_services.application_create(
            vacancy=vacancy, candidate=profile, documents=[document]
        )
        # An advisor proposed carla for a copy of the vacancy, published too.
        second = vacancy_services.vacancy_publish(
            vacancy=vacancy_services.vacancy_duplicate(vacancy=vacancy, by=None), by=None
        )
        proposal = vacancy_services.proposal_create(
            vacancy=second, candidate=profile, by=personas.memberships["bob"]
        )
        # The organisation's own pipeline stages, written down.
        stage = vacancy_services.stages_materialise(org_a.pk)[1]
    # Someone without an account applied on its public page, not yet confirmed;
    # the secret in the confirmation link is known here.
    waiting = public_apply.public_application_submit(
        vacancy=vacancy, name="Matrix Applicant", email="matrix-applicant@example.org",
        motivation="", file_name="cv.pdf", chunks=[PDF], statement_version="1.0", language="en",
    )  # fmt: skip
    with organisation_scope(org_a):
        PublicApplication.objects.filter(pk=waiting.pk).update(
            token_hash=hash_token("matrix-public-token")
        )
    with organisation_scope(org_a):
        # A CV read for carla, waiting for review.
        cv_import = CvImport.objects.create(
            organisation=org_a, profile=profile, proposal='{"contact": {"city": "Utrecht"}}'
        )
    return {
        "cv_import": cv_import,
        "vacancy": vacancy,
        "vacancy_skill": vacancy_skill,
        "application": application,
        "proposal": proposal,
        "stage": stage,
        "candidate": profile,
        "entry": entry,
        "share": share,
        "scheme": scheme,
        "trajectory": trajectory,
        "task": task,
        "document": document,
        "id_copy": id_copy,
        "occupation": occupation,
        "skill": skill,
        "grant": grant,
        "token": token,
        "contact": contact,
        "invitation": invitation,
        "employer": personas.employers["Bakkerij De Korenaar"],
        "membership": personas.memberships["carla"],
        "restricted": restricted,
        "restriction": restriction,
        "erasure_run": erasure_run,
        "dsr": dsr,
        "export": export,
        "export_token": export_token,
        "unrouted": unrouted,
        "appointment": appointment,
        "notification": notification,
    }


def GRANT(o: dict[str, Any]) -> dict[str, Any]:
    return {"grant_id": o["grant"].pk}


def CANDIDATE(o: dict[str, Any]) -> dict[str, Any]:
    return {"candidate_id": o["candidate"].pk}


def VACANCY(o: dict[str, Any]) -> dict[str, Any]:
    return {"vacancy_id": o["vacancy"].pk}


def PUBLIC_VACANCY(o: dict[str, Any]) -> dict[str, Any]:
    return {"slug": o["vacancy"].organisation.slug, "vacancy_id": o["vacancy"].pk}


def APPLICATION(o: dict[str, Any]) -> dict[str, Any]:
    return {"application_id": o["application"].pk}


def TRAJECTORY(o: dict[str, Any]) -> dict[str, Any]:
    return {"trajectory_id": o["trajectory"].pk}


def EXPORT(o: dict[str, Any]) -> dict[str, Any]:
    return {"job_id": o["export"].pk}


def EXPORT_TOKEN(o: dict[str, Any]) -> dict[str, Any]:
    return {"token": o["export_token"]}


def DSR(o: dict[str, Any]) -> dict[str, Any]:
    return {"request_id": o["dsr"].pk}


def UNROUTED(o: dict[str, Any]) -> dict[str, Any]:
    return {"request_id": o["unrouted"].pk}


def RESTRICTION(o: dict[str, Any]) -> dict[str, Any]:
    return {"restriction_id": o["restriction"].pk}


def RESTRICTED_MEMBER(o: dict[str, Any]) -> dict[str, Any]:
    return {"membership_id": o["restricted"].pk}


def RECEIPT(o: dict[str, Any]) -> dict[str, Any]:
    return {"token": erasure_receipts.receipt_token(o["erasure_run"])}


def SECTION_ENTRY(o: dict[str, Any]) -> dict[str, Any]:
    return {"candidate_id": o["candidate"].pk, "kind": "work", "entry_id": o["entry"].pk}


ROUTES: dict[str, Row] = {
    "set_language": Row(post=everyone(302), data={"language": "en", "next": "/"}),
    "web:home": Row(get=signed_in(200)),
    # The load benchmark's baseline (benchmarks/load): open to all, reads nothing.
    "web:health": Row(get=everyone(200), post=everyone(405)),
    "accounts:settings": Row(get=signed_in(200)),
    "accounts:email_remove": Row(get=signed_in(405), post=signed_in(302)),
    "api_tokens:list": Row(get=signed_in(200)),
    "api_tokens:create": Row(get=signed_in(200), post=signed_in(200)),
    # A token is a person's own: everyone else, alice's colleagues included, gets 404.
    "api_tokens:revoke": Row(
        get={ANON: LOGIN, ADMIN: 200, PRO: 404, EMP: 404, CAND: 404, OTHER: 404},
        post={ANON: LOGIN, ADMIN: 302, PRO: 404, EMP: 404, CAND: 404, OTHER: 404},
        kwargs=lambda o: {"token_id": o["token"].pk},
    ),
    "tenancy:switch": Row(get=signed_in(405), post=signed_in(404)),
    "tenancy:organisation": Row(get=only({ADMIN: 200})),
    # The bank account: admins only, and only right after a two-factor check;
    # the personas have no authenticator, so they are sent to set one up.
    "tenancy:iban_change": Row(get=only({ADMIN: REDIRECT}), post=only({ADMIN: REDIRECT})),
    "tenancy:contact_create": Row(get=only({ADMIN: 405}), post=only({ADMIN: 400})),
    "tenancy:contact_delete": Row(
        get=only({ADMIN: 200}, other_org=404),
        post=only({ADMIN: 302}, other_org=404),
        kwargs=lambda o: {"contact_id": o["contact"].pk},
    ),
    "tenancy:members": Row(get=only({ADMIN: 200})),
    "tenancy:member_edit": Row(
        get=only({ADMIN: 200}, other_org=404),
        kwargs=lambda o: {"membership_id": o["membership"].pk},
    ),
    "tenancy:invitations": Row(get=only({ADMIN: 200, PRO: 200})),
    "tenancy:invitation_create": Row(
        get=only({ADMIN: 200, PRO: 200}), post=only({ADMIN: 400, PRO: 400})
    ),
    "tenancy:invitation_revoke": Row(
        get=only({ADMIN: 200, PRO: 200}, other_org=404),
        post=only({ADMIN: 302, PRO: 302}, other_org=404),
        kwargs=lambda o: {"invitation_id": o["invitation"].pk},
    ),
    # The invitation link is public by design: it carries its own secret.
    "tenancy:invitation_accept": Row(
        get={ANON: 302, ADMIN: 403, PRO: 403, EMP: 403, CAND: 403, OTHER: 403},
        kwargs=lambda o: {"token": "matrix-token"},
    ),
    "tenancy:employers": Row(get=only({ADMIN: 200, PRO: 200, EMP: 302})),
    "tenancy:employer_create": Row(
        get=only({ADMIN: 200, PRO: 200}), post=only({ADMIN: 400, PRO: 400})
    ),
    "tenancy:employer_detail": Row(
        get=only({ADMIN: 200, PRO: 200, EMP: 200}, other_org=404),
        post=only({ADMIN: 400, PRO: 400, EMP: 404}, other_org=404),
        kwargs=lambda o: {"employer_id": o["employer"].pk},
    ),
    "tenancy:employer_contact_create": Row(
        post=only({ADMIN: 400, PRO: 400}, other_org=404),
        kwargs=lambda o: {"employer_id": o["employer"].pk},
    ),
    # The privacy statement and its versions are for anyone; the Art. 30
    # register for the organisation's admins; the processor's register for
    # platform staff only.
    "statement:statement": Row(get=everyone(200)),
    "statement:versions": Row(get=everyone(200)),
    "statement:version": Row(get=everyone(200), kwargs=lambda o: {"number": "1.0"}),
    "statement:changes": Row(get=everyone(200)),
    "statement:acknowledge": Row(get=signed_in(200), post=signed_in(404)),
    "statement:register": Row(get=only({ADMIN: 200})),
    "statement:register_processor": Row(get=everyone(404)),
    # The audit trail: the organisation's for its admins; "who viewed my
    # data" for every signed-in person about themselves.
    "audit:trail": Row(get=only({ADMIN: 200})),
    "audit:my_data": Row(get=signed_in(200)),
    # Candidate profiles: carla's own; the caseload for advisors and admins;
    # dave's company only through the share carla and bob both agreed to.
    "candidates:me": Row(get=only({CAND: 200})),
    # The search posts (a BSN typed by mistake stays out of URLs); a name comes back as ?q=.
    "candidates:list": Row(get=only({ADMIN: 200, PRO: 200}), post=only({ADMIN: 302, PRO: 302})),
    "candidates:start": Row(
        get=only({ADMIN: 405, PRO: 405}),
        post=only({ADMIN: 302, PRO: 302}, other_org=404),
        kwargs=lambda o: {"membership_id": o["membership"].pk},
    ),
    "candidates:shared": Row(get=only({EMP: 200})),
    "candidates:schemes": Row(get=only({ADMIN: 200}), post=only({ADMIN: 400})),
    "candidates:scheme_toggle": Row(
        get=only({ADMIN: 405}),
        post=only({ADMIN: 302}, other_org=404),
        kwargs=lambda o: {"scheme_id": o["scheme"].pk},
    ),
    "candidates:contact_profile": Row(
        get=only({ADMIN: 200, PRO: 200, EMP: 200}), post=only({ADMIN: 400, PRO: 400, EMP: 400})
    ),
    "candidates:share_revoke": Row(
        get=only({ADMIN: 200, PRO: 200, CAND: 200}, other_org=404),
        post=only({ADMIN: 302, PRO: 302, CAND: 302}, other_org=404),
        kwargs=lambda o: {"share_id": o["share"].pk},
    ),
    "candidates:detail": Row(
        get=only({ADMIN: 200, PRO: 200, EMP: 200, CAND: 200}, other_org=404), kwargs=CANDIDATE
    ),
    "candidates:edit": Row(
        get=only({ADMIN: 200, PRO: 200, CAND: 200}, other_org=404),
        post=only({ADMIN: 400, PRO: 400, CAND: 400}, other_org=404),
        kwargs=CANDIDATE,
    ),
    "candidates:share": Row(
        get=only({ADMIN: 405, PRO: 405, CAND: 405}),
        post=only({ADMIN: 302, PRO: 302, CAND: 302}, other_org=404),
        kwargs=CANDIDATE,
    ),
    # Every entry of a section, paged: who sees the profile; dave a section shown to employers.
    "candidates:section_list": Row(
        get=only({ADMIN: 200, PRO: 200, EMP: 200, CAND: 200}, other_org=404),
        kwargs=lambda o: {"candidate_id": o["candidate"].pk, "kind": "work"},
    ),
    "candidates:section_add": Row(
        get=only({ADMIN: 200, PRO: 200, CAND: 200}, other_org=404),
        post=only({ADMIN: 400, PRO: 400, CAND: 400}, other_org=404),
        kwargs=lambda o: {"candidate_id": o["candidate"].pk, "kind": "work"},
    ),
    "candidates:section_edit": Row(
        get=only({ADMIN: 200, PRO: 200, CAND: 200}, other_org=404),
        post=only({ADMIN: 400, PRO: 400, CAND: 400}, other_org=404),
        kwargs=SECTION_ENTRY,
    ),
    "candidates:section_delete": Row(
        get=only({ADMIN: 200, PRO: 200, CAND: 200}, other_org=404),
        post=only({ADMIN: 302, PRO: 302, CAND: 302}, other_org=404),
        kwargs=SECTION_ENTRY,
    ),
    # Vacancies: advisors and admins manage every one of the organisation,
    # dave his company's; candidates manage none; charlie gets 404 for A's.
    "vacancies:list": Row(get=only({ADMIN: 200, PRO: 200, EMP: 200})),
    "vacancies:create": Row(
        get=only({ADMIN: 200, PRO: 200, EMP: 200}), post=only({ADMIN: 400, PRO: 400, EMP: 400})
    ),
    "vacancies:detail": Row(
        get=only({ADMIN: 200, PRO: 200, EMP: 200}, other_org=404), kwargs=VACANCY
    ),
    **{
        f"vacancies:{name}": Row(
            get=only({ADMIN: 200, PRO: 200, EMP: 200}, other_org=404),
            post=only({ADMIN: 400, PRO: 400, EMP: 400}, other_org=404),
            kwargs=VACANCY,
        )
        for name in ("edit", "close")
    },
    **{
        f"vacancies:{name}": Row(
            get=only({ADMIN: 405, PRO: 405, EMP: 405}, other_org=405),
            post=only({ADMIN: post, PRO: post, EMP: post}, other_org=404),
            kwargs=VACANCY,
        )
        for name, post in [("publish", 302), ("duplicate", 302), ("skill_add", 400)]
    },
    "vacancies:skill_remove": Row(
        get=only({ADMIN: 200, PRO: 200, EMP: 200}, other_org=404),
        post=only({ADMIN: 302, PRO: 302, EMP: 302}, other_org=404),
        kwargs=lambda o: {"vacancy_id": o["vacancy"].pk, "link_id": o["vacancy_skill"].pk},
    ),
    # Applications: carla applies and follows her own; whoever handles the
    # vacancy moves them; charlie gets 404 for A's.
    "vacancies:pipeline": Row(
        get=only({ADMIN: 200, PRO: 200, EMP: 200}, other_org=404), kwargs=VACANCY
    ),
    "vacancies:application_move": Row(
        get=only({ADMIN: 405, PRO: 405, EMP: 405}, other_org=405),
        post=only({ADMIN: 302, PRO: 302, EMP: 302}, other_org=404),
        kwargs=lambda o: {"application_id": o["application"].pk},
    ),
    "vacancies:open_list": Row(get=only({CAND: 200})),
    # carla applied already: a second application is refused.
    "vacancies:open_detail": Row(get=only({CAND: 200}), post=only({CAND: 400}), kwargs=VACANCY),
    "vacancies:my_applications": Row(get=only({CAND: 200})),
    "vacancies:application_withdraw": Row(
        get=only({CAND: 200}),
        post=only({CAND: 302}),
        kwargs=lambda o: {"application_id": o["application"].pk},
    ),
    # The rest of the pipeline: handlers see an application's page, notes and
    # included documents (carla never sees the notes); only advisors and admins
    # propose; only admins change the stages; carla answers her proposal; the
    # question after a rejection is a signed link anyone holding it may answer.
    "vacancies:bulk_move": Row(
        get=only({ADMIN: 405, PRO: 405, EMP: 405}, other_org=405),
        post=only({ADMIN: 302, PRO: 302, EMP: 302}, other_org=404),
        kwargs=VACANCY,
    ),
    "vacancies:propose": Row(
        get=only({ADMIN: 200, PRO: 200}, other_org=404),
        post=only({ADMIN: 400, PRO: 400}, other_org=404),
        kwargs=VACANCY,
    ),
    # Matching: advisors and admins rank candidates for a vacancy and vacancies
    # for a candidate; a candidate reads "Vacancies for you" (issue 14).
    "matching:candidates": Row(get=only({ADMIN: 200, PRO: 200}, other_org=404), kwargs=VACANCY),
    "matching:vacancies": Row(get=only({ADMIN: 200, PRO: 200}, other_org=404), kwargs=CANDIDATE),
    "matching:for_me": Row(get=only({CAND: 200})),
    "matching:preferences": Row(get=only({CAND: 200}), post=only({CAND: 400})),
    "vacancies:application_detail": Row(
        get=only({ADMIN: 200, PRO: 200, EMP: 200}, other_org=404), kwargs=APPLICATION
    ),
    "vacancies:application_document": Row(
        get=only({ADMIN: 200, PRO: 200, EMP: 200}, other_org=404),
        kwargs=lambda o: {"application_id": o["application"].pk, "document_id": o["document"].pk},
    ),
    **{
        f"vacancies:{name}": Row(
            get=only({ADMIN: 405, PRO: 405, EMP: 405}, other_org=405),
            post=only({ADMIN: 400, PRO: 400, EMP: 400}, other_org=404),
            kwargs=APPLICATION,
        )
        for name in ("note_add", "interview", "employment_end")
    },
    "vacancies:stages": Row(get=only({ADMIN: 200}), post=only({ADMIN: 400})),
    "vacancies:stage_change": Row(
        get=only({ADMIN: 405}, other_org=405),
        post=only({ADMIN: 302}, other_org=404),
        kwargs=lambda o: {"stage_key": o["stage"].pk},
    ),
    "vacancies:stage_remove": Row(
        get=only({ADMIN: 200}, other_org=404),
        post=only({ADMIN: 302}, other_org=404),
        kwargs=lambda o: {"stage_key": o["stage"].pk},
    ),
    "vacancies:proposal": Row(
        get=only({CAND: 200}),
        post=only({CAND: 400}),
        kwargs=lambda o: {"proposal_id": o["proposal"].pk},
    ),
    "vacancies:keep": Row(
        get=everyone(200),
        post=everyone(400),
        kwargs=lambda o: {"token": keep.token_for(o["application"])},
    ),
    # The public job pages: anyone, signed in or not.
    "jobs:list": Row(get=everyone(200), post=everyone(405)),
    "jobs:feed": Row(get=everyone(200)),
    "jobs:organisation": Row(
        get=everyone(200), kwargs=lambda o: {"slug": o["vacancy"].organisation.slug}
    ),
    "jobs:organisation_feed": Row(
        get=everyone(200), kwargs=lambda o: {"slug": o["vacancy"].organisation.slug}
    ),
    "jobs:detail": Row(get=everyone(200), post=everyone(405), kwargs=PUBLIC_VACANCY),
    # Applying there without an account: the form (an empty one is refused),
    # "check your mail", the link in that mail (it carries its own secret; a
    # POST confirms), and what the visitor's session remembers after it (none
    # here: back to the list).
    "jobs:apply": Row(get=everyone(200), post=everyone(400), kwargs=PUBLIC_VACANCY),
    "jobs:apply_sent": Row(get=everyone(200), post=everyone(405), kwargs=PUBLIC_VACANCY),
    "jobs:confirm": Row(
        get=everyone(200),
        post=everyone(REDIRECT),
        kwargs=lambda o: {"token": "matrix-public-token"},
    ),
    "jobs:confirmed": Row(get=everyone(REDIRECT), post=everyone(405)),
    "jobs:claim": Row(get=everyone(405), post=everyone(REDIRECT)),
    # Coaching: advisors and admins manage; carla sees her own; employers
    # never, even with a shared profile.
    "coaching:caseload": Row(get=only({ADMIN: 200, PRO: 200})),
    "coaching:me": Row(get=only({CAND: 200})),
    "coaching:candidate": Row(
        get=only({ADMIN: 200, PRO: 200, CAND: REDIRECT, EMP: 404}, other_org=404),
        kwargs=CANDIDATE,
    ),
    **{
        f"coaching:{name}": Row(
            get=only({ADMIN: 200, PRO: 200, EMP: 404}, other_org=404),
            post=only({ADMIN: 400, PRO: 400, EMP: 404}, other_org=404),
            kwargs=kwargs,
        )
        for name, kwargs in [
            ("trajectory_create", CANDIDATE),
            ("note_create", CANDIDATE),
            ("appointment_create", CANDIDATE),
            ("trajectory_edit", TRAJECTORY),
            ("task_create", TRAJECTORY),
        ]
    },
    **{
        f"coaching:{name}": Row(
            get=signed_in(405),
            post=only({ADMIN: 302, PRO: 302, CAND: 302, EMP: 404}, other_org=404),
            kwargs=lambda o: {"task_id": o["task"].pk},
        )
        for name in ("task_toggle", "task_progress")
    },
    # The .ics of an appointment: the candidate's own, advisors and admins; never employers.
    "coaching:appointment_edit": Row(
        get=only({ADMIN: 200, PRO: 200, EMP: 404}, other_org=404),
        post=only({ADMIN: 400, PRO: 400, EMP: 404}, other_org=404),
        kwargs=lambda o: {"appointment_id": o["appointment"].pk},
    ),
    "coaching:appointment_ics": Row(
        get=only({ADMIN: 200, PRO: 200, CAND: 200, EMP: 404}, other_org=404),
        kwargs=lambda o: {"appointment_id": o["appointment"].pk},
    ),
    # The paged "show all" lists behind the coaching page and "my plan": the
    # same rules as those pages (carla her own, never employers).
    **{
        f"coaching:{name}": Row(
            get=only({ADMIN: 200, PRO: 200, CAND: 200, EMP: 404}, other_org=404),
            post=only({ADMIN: 405, PRO: 405, CAND: 405, EMP: 405}, other_org=405),
            kwargs=kwargs,
        )
        for name, kwargs in [
            ("trajectory_list", CANDIDATE),
            ("note_list", CANDIDATE),
            ("appointment_list", CANDIDATE),
            ("timeline", CANDIDATE),
            ("trajectory_tasks", TRAJECTORY),
        ]
    },
    # Notifications: each member their own; another person's is a 404.
    "notifications:list": Row(get=signed_in(200)),
    "notifications:preferences": Row(get=signed_in(200), post=signed_in(302)),
    "notifications:read_all": Row(get=signed_in(405), post=signed_in(302)),
    "notifications:read": Row(
        get=signed_in(405),
        post={ANON: LOGIN, ADMIN: 404, PRO: 404, EMP: 302, CAND: 404, OTHER: 404},
        kwargs=lambda o: {"notification_id": o["notification"].pk},
    ),
    # Documents: the ID copy never reaches an employer; a CV of a shared profile
    # does, to read only (403 on changes to what they can already see).
    "documents:mine": Row(get={ANON: LOGIN, ADMIN: 403, PRO: 403, EMP: 403, CAND: 302, OTHER: 403}),
    "documents:candidate": Row(
        get={ANON: LOGIN, ADMIN: 200, PRO: 200, EMP: 200, CAND: 200, OTHER: 404},
        post={ANON: LOGIN, ADMIN: 400, PRO: 400, EMP: 403, CAND: 400, OTHER: 404},
        kwargs=CANDIDATE,
    ),
    "documents:download": Row(
        get={ANON: LOGIN, ADMIN: 200, PRO: 200, EMP: 200, CAND: 200, OTHER: 404},
        kwargs=lambda o: {"document_id": o["document"].pk},
    ),
    "documents:delete": Row(
        get={ANON: LOGIN, ADMIN: 200, PRO: 200, EMP: 403, CAND: 200, OTHER: 404},
        post={ANON: LOGIN, ADMIN: 302, PRO: 302, EMP: 403, CAND: 302, OTHER: 404},
        kwargs=lambda o: {"document_id": o["document"].pk},
    ),
    "documents:id_copy": Row(
        get=everyone(405),
        post={ANON: LOGIN, ADMIN: 302, PRO: 302, EMP: 403, CAND: 403, OTHER: 404},
        kwargs=lambda o: {"document_id": o["id_copy"].pk},
    ),
    # The ESCO taxonomy is reference data for every signed-in person.
    "taxonomy:index": Row(get=signed_in(200)),
    "taxonomy:occupation_search": Row(get=signed_in(200)),
    "taxonomy:skill_search": Row(get=signed_in(200)),
    "taxonomy:options": Row(get=signed_in(200), kwargs=lambda o: {"kind": "skills"}),
    "taxonomy:occupation": Row(get=signed_in(200), kwargs=lambda o: {"pk": o["occupation"].pk}),
    "taxonomy:skill": Row(get=signed_in(200), kwargs=lambda o: {"pk": o["skill"].pk}),
    # Support access: admins of the organisation decide; platform staff ask.
    # None of the personas is platform staff, so the staff pages are 404 for
    # them (tested with a staff user in passend/privacy/support/tests).
    "support:index": Row(get=only({ADMIN: 200})),
    # Erasure: an invalid (empty) POST never erases a persona; 400 says the form was read.
    "erasure:start": Row(get=signed_in(200), post=signed_in(400)),
    "erasure:receipt": Row(get=everyone(200), kwargs=RECEIPT),
    "erasure:member": Row(
        get=only({ADMIN: 200}, other_org=404),
        post=only({ADMIN: 400}, other_org=404),
        kwargs=RESTRICTED_MEMBER,
    ),
    "rights:my_data": Row(get=signed_in(200)),
    # One kind of data of the visitor's own account, paged: everyone has a name.
    "rights:kind": Row(
        get=signed_in(200), kwargs=lambda o: {"group": "account", "kind": "user.name"}
    ),
    "rights:export": Row(get=signed_in(200), post=signed_in(400)),  # empty POST: no scope
    "rights:export_link": Row(
        get=signed_in(405),
        post={ANON: LOGIN, ADMIN: 404, PRO: 404, EMP: 404, CAND: 302, OTHER: 404},
        kwargs=EXPORT,
    ),
    "rights:download": Row(
        get={ANON: LOGIN, ADMIN: 404, PRO: 404, EMP: 404, CAND: 200, OTHER: 404},
        kwargs=EXPORT_TOKEN,
    ),
    "requests:new": Row(get=signed_in(REDIRECT, anon=200), post=signed_in(REDIRECT, anon=400)),
    "requests:sent": Row(get=everyone(200)),
    "requests:index": Row(get=only({ADMIN: 200})),
    "requests:mine": Row(get=signed_in(200), post=signed_in(400)),
    "requests:mine_detail": Row(
        get={ANON: LOGIN, ADMIN: 404, PRO: 404, EMP: 404, CAND: 200, OTHER: 404}, kwargs=DSR
    ),
    "requests:dispute": Row(get=signed_in(200), post=signed_in(400)),
    "requests:register": Row(get=only({ADMIN: 200}), post=only({ADMIN: 400})),
    "requests:platform": Row(get=signed_in(404)),
    "requests:platform_detail": Row(get=signed_in(404), post=signed_in(404), kwargs=UNROUTED),
    "requests:detail": Row(get=only({ADMIN: 200}, other_org=404), kwargs=DSR),
    "requests:identity": Row(
        get=only({ADMIN: 405}), post=only({ADMIN: 400}, other_org=404), kwargs=DSR
    ),
    "requests:extend": Row(
        get=only({ADMIN: 405}), post=only({ADMIN: 400}, other_org=404), kwargs=DSR
    ),
    "requests:reply": Row(
        get=only({ADMIN: 405}), post=only({ADMIN: 400}, other_org=404), kwargs=DSR
    ),
    "requests:refuse": Row(
        get=only({ADMIN: 405}), post=only({ADMIN: 400}, other_org=404), kwargs=DSR
    ),
    "requests:export": Row(
        get=only({ADMIN: 405}), post=only({ADMIN: 302}, other_org=404), kwargs=DSR
    ),
    "requests:restrict": Row(
        get=only({ADMIN: 405}), post=only({ADMIN: 400}, other_org=404), kwargs=DSR
    ),
    "requests:object": Row(
        get=only({ADMIN: 405}), post=only({ADMIN: 400}, other_org=404), kwargs=DSR
    ),
    "restriction:admin_restrict": Row(get=only({ADMIN: 200}), post=only({ADMIN: 400})),
    "requests:withdraw": Row(
        get=only({ADMIN: 200}, other_org=404), post=only({ADMIN: 302}, other_org=404), kwargs=DSR
    ),
    "restriction:mine": Row(get=signed_in(200)),
    "restriction:objection": Row(
        get=signed_in(405), post=signed_in(302), data={"purpose": "matching", "action": "object"}
    ),
    "restriction:restrict": Row(
        get=signed_in(405), post=signed_in(302), data={"reason": "contests_accuracy"}
    ),
    "restriction:admin_list": Row(get=only({ADMIN: 200})),
    "restriction:lift": Row(
        get=only({ADMIN: 200}, other_org=404),
        post=only({ADMIN: 302}, other_org=404),
        kwargs=RESTRICTION,
    ),
    "support:request": Row(get=signed_in(404), post=signed_in(404)),
    "support:mine": Row(get=signed_in(404)),
    "support:approve": Row(
        get=only({ADMIN: 200}, other_org=404), post=only({ADMIN: 400}, other_org=404), kwargs=GRANT
    ),
    "support:refuse": Row(
        get=only({ADMIN: 405}), post=only({ADMIN: 302}, other_org=404), kwargs=GRANT
    ),
    "support:revoke": Row(
        get=only({ADMIN: 200}, other_org=404), post=only({ADMIN: 302}, other_org=404), kwargs=GRANT
    ),
    "support:members": Row(get=signed_in(404), kwargs=GRANT),
    # CV import: whoever may edit the profile (the candidate, advisors, admins).
    "cvimport:upload": Row(
        get=only({ADMIN: 200, PRO: 200, CAND: 200}, other_org=404),
        post=only({ADMIN: 400, PRO: 400, CAND: 400}, other_org=404),
        kwargs=CANDIDATE,
    ),
    "cvimport:review": Row(
        get=only({ADMIN: 200, PRO: 200, CAND: 200}, other_org=404),
        kwargs=lambda o: {"import_id": o["cv_import"].pk},
    ),
    "cvimport:confirm": Row(
        get=everyone(405),
        post=only({ADMIN: 302, PRO: 302, CAND: 302}, other_org=404),
        kwargs=lambda o: {"import_id": o["cv_import"].pk, "part": "contact"},
    ),
    "cvimport:delete": Row(
        get=only({ADMIN: 200, PRO: 200, CAND: 200}, other_org=404),
        post=only({ADMIN: 302, PRO: 302, CAND: 302}, other_org=404),
        kwargs=lambda o: {"import_id": o["cv_import"].pk},
    ),
}

# Pages of libraries we mount as they are: allauth's account and two-factor
# pages (public ones and ones that need a signed-in person), ninja's schema
# and docs, Django's admin (platform staff only).
LIBRARY_ROUTES: dict[str, Row] = {
    "account_login": Row(get=signed_in(REDIRECT, anon=200)),
    "account_logout": Row(get=signed_in(200, anon=REDIRECT)),
    "account_inactive": Row(get=everyone(200)),
    "account_signup": Row(get=signed_in(REDIRECT, anon=200)),
    "account_reauthenticate": Row(get=signed_in(200)),
    "account_email": Row(get=signed_in(200)),
    "account_email_verification_sent": Row(get=everyone(200)),
    "account_change_password": Row(get=signed_in(200)),
    "account_set_password": Row(get=signed_in(REDIRECT)),
    "account_reset_password": Row(get=everyone(200)),
    # A sign-in code by e-mail (issue 9): for anyone who is not signed in.
    "account_request_login_code": Row(get=signed_in(REDIRECT, anon=200)),
    "account_confirm_login_code": Row(get=everyone(REDIRECT)),
    "account_confirm_email": Row(get=everyone(200), kwargs=lambda o: {"key": "bogus"}),
    "account_reset_password_from_key_done": Row(get=everyone(200)),
    "account_reset_password_from_key": Row(
        get=everyone(200), kwargs=lambda o: {"uidb36": "1", "key": "bogus"}
    ),
    "account_reset_password_done": Row(get=everyone(200)),
    "mfa_index": Row(get=signed_in(200)),
    "mfa_authenticate": Row(get=everyone(REDIRECT)),
    "mfa_reauthenticate": Row(get=signed_in(REDIRECT)),
    "mfa_activate_totp": Row(get=signed_in(REDIRECT)),
    "mfa_deactivate_totp": Row(get=signed_in(404)),
    "mfa_view_recovery_codes": Row(get=signed_in(404)),
    "mfa_generate_recovery_codes": Row(get=signed_in(REDIRECT)),
    "mfa_download_recovery_codes": Row(get=signed_in(404)),
}

# Routes whose access is tested elsewhere, by rule: every admin page sends
# anyone who is not platform staff to the admin login; the API's operations
# have their own matrix in test_api_matrix (passend/api).
PREFIX_RULES = {"admin:": "admin", "api:": "api"}


def all_route_names() -> list[tuple[str, str]]:
    def walk(patterns: list[Any], prefix: str = "", ns: str = "") -> Any:
        for p in patterns:
            if isinstance(p, URLResolver):
                namespace = ns + (p.namespace + ":" if p.namespace else "")
                yield from walk(p.url_patterns, prefix + str(p.pattern), namespace)
            elif isinstance(p, URLPattern):
                yield ns + (p.name or ""), prefix + str(p.pattern)

    return list(walk(get_resolver().url_patterns))


def test_it_has_a_row_for_every_route():
    missing = [
        (name, pattern)
        for name, pattern in all_route_names()
        if name not in ROUTES
        and name not in LIBRARY_ROUTES
        and not any(name.startswith(prefix) for prefix in PREFIX_RULES)
    ]
    assert missing == [], f"Add these routes to the authorisation matrix: {missing}"


def test_it_has_no_rows_for_routes_that_are_gone():
    names = {name for name, _ in all_route_names()}
    assert set(ROUTES) - names == set()
    assert set(LIBRARY_ROUTES) - names == set()


def _cases() -> list[Any]:
    cases = []
    for table in (ROUTES, LIBRARY_ROUTES):
        for name, row in table.items():
            for method in ("get", "post"):
                expected = getattr(row, method)
                if expected is None:
                    continue
                for visitor in VISITORS:
                    cases.append(
                        pytest.param(name, method, visitor, id=f"{name}-{method}-{visitor}")
                    )
    return cases


def _client(personas: Any, visitor: str) -> Client:
    if visitor == ANON:
        return Client()
    organisation = personas.organisations["b" if visitor == OTHER else "a"]
    return client_for(personas[PERSONA[visitor]], organisation)


def _matches(response: Any, expected: Any) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    if expected == REDIRECT:
        return response.status_code == 302
    return response.status_code == expected


@pytest.fixture(scope="module")
def matrix_objects(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[dict[str, Any]]:
    """The personas and the objects of A, built once for this module.

    They are made inside a transaction that stays open for the whole module
    and is rolled back at its end; each case runs in a savepoint of it (the
    `django_db` mark), so what one case changes is undone before the next.
    Files (the uploads) live in a module-wide MEDIA_ROOT; deleting a
    document removes its file only on commit, which never comes here.
    """
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("matrix-media")))
    outer = transaction.atomic()
    media.enable()
    with django_db_blocker.unblock():
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            objects = objects_of_a(ensure_personas())
        yield objects
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        media.disable()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "visitor"), _cases())
def test_it_answers_each_visitor_as_the_matrix_says(
    matrix_objects, personas, name, method, visitor
):
    row = ROUTES.get(name) or LIBRARY_ROUTES[name]
    objects = matrix_objects
    url = reverse(name, kwargs=row.kwargs(objects) if row.kwargs else None)
    client = _client(personas, visitor)
    response = getattr(client, method)(url, row.data)
    expected = getattr(row, method)[visitor]
    assert _matches(response, expected), (
        f"{method.upper()} {url} as {visitor}: got {response.status_code}, expected {expected}"
    )
    if visitor == OTHER and response.status_code == 200:
        body = response.content.decode()
        for secret in (
            "Matrix Contact",
            "matrix-invitee@example.org",
            "Werkpad",
            "carla@passend.test",
        ):
            if secret == "Werkpad" and name.startswith("jobs:"):
                continue  # A publishes its vacancies under its name, by its own choice
            assert secret not in body, f"{url} shows organisation A's {secret!r} to charlie"


def _admin_kwargs(pattern: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for group in re.findall(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>", pattern):
        converter, name, regex_name = group
        key = name or regex_name
        kwargs[key] = "1" if converter != "path" else "x"
    return kwargs


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", [ANON, ADMIN, PRO, EMP, CAND, OTHER])
def test_it_keeps_everyone_but_platform_staff_out_of_the_admin(personas, visitor):
    client = _client(personas, visitor)
    checked = 0
    for name, pattern in all_route_names():
        if not name.startswith("admin:") or name in ("admin:login", "admin:logout"):
            continue
        try:
            url = reverse(name, kwargs=_admin_kwargs(pattern) or None)
        except Exception:
            continue
        response = client.get(url)
        assert response.status_code == 302, f"{url} as {visitor}: {response.status_code}"
        assert "/platform-admin/login/" in response["Location"]
        checked += 1
    assert checked >= 5


def _admin_urls() -> list[str]:
    urls = []
    for name, pattern in all_route_names():
        if not name.startswith("admin:") or name in ("admin:login", "admin:logout"):
            continue
        try:
            urls.append(reverse(name, kwargs=_admin_kwargs(pattern) or None))
        except Exception:
            continue
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", [ANON, ADMIN, OTHER])
def test_it_has_no_admin_login_form_of_its_own(personas, visitor):
    """The admin's login sends visitors to the site's login (rate limits, two-factor)."""
    response = _client(personas, visitor).get(reverse("admin:login"))
    expected = LOGIN if visitor == ANON else 403
    assert _matches(response, expected), response.status_code


@pytest.mark.django_db
def test_it_keeps_platform_staff_without_two_factor_out_of_the_admin(personas):
    from allauth.mfa.models import Authenticator

    staff = User.objects.create_user(
        "matrix-admin@platform.test", "x", is_platform_staff=True, is_superuser=True
    )
    client = client_for(staff)
    urls = _admin_urls()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert response["Location"] == reverse("mfa_activate_totp"), url
    # With an authenticator, but a session that did not use it: a code first.
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, f"{url}: {response.status_code}"
        assert response["Location"].startswith(reverse("mfa_reauthenticate")), url
    assert len(urls) >= 5
