"""Fixtures for the rights tests: a temporary media folder and carla's rich file."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from passend.candidates import services as candidate_services
from passend.candidates.models import Course, Education, LeavePeriod, WebLink, WorkExperience
from passend.coaching import services as coaching_services
from passend.common.scope import organisation_scope
from passend.documents.models import DocumentKind
from passend.documents.services import document_upload
from passend.privacy.audit.models import AuditEvent

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@dataclass
class RichFile:
    profile: Any
    work: Any
    own_document: Any
    advisor_document: Any
    note: Any
    trajectory: Any


def build_rich_profile(personas: Any) -> RichFile:
    """carla with personal details, every kind of section we can fill without
    the taxonomy, a CV she uploaded, a document bob uploaded, a trajectory
    with a task, and bob's coaching note."""
    org_a = personas.organisations["a"]
    carla_a = personas.memberships["carla"]
    bob_a = personas.memberships["bob"]
    with organisation_scope(org_a):
        profile = candidate_services.candidate_profile_ensure(membership=carla_a)
        candidate_services.candidate_profile_update(
            profile=profile, by=bob_a, data={"is_worker": True}
        )
        candidate_services.candidate_profile_update(
            profile=profile,
            by=carla_a,
            data={
                "first_name": "Carla",
                "last_name": "Bakker",
                "street": "Lange Nieuwstraat",
                "house_number": "7",
                "postcode": "3512 PA",
                "city": "Utrecht",
                "gender": "female",
                "date_of_birth": date(1990, 5, 17),
                "marital_status": "single",
                "nationality": "Dutch",
                "email": "carla.private@example.org",
                "phone": "0612345678",
                "bsn": "111222333",
                "iban": "NL91ABNA0417164300",
                "interests": "<script>alert('x')</script> baking",
            },
        )
        work = candidate_services.section_entry_create(
            profile=profile,
            model=WorkExperience,
            data={
                "employer_name": "Bakkerij Brood",
                "role": "Baker",
                "started_on": date(2015, 1, 1),
            },
        )
        candidate_services.section_entry_create(
            profile=profile,
            model=Education,
            data={"institution": "ROC Utrecht", "programme": "Bakery", "level": "mbo"},
        )
        candidate_services.section_entry_create(
            profile=profile, model=Course, data={"name": "Food safety", "provider": "SVH"}
        )
        candidate_services.section_entry_create(
            profile=profile,
            model=WebLink,
            data={"title": "Portfolio", "url": "https://carla.example"},
        )
        candidate_services.section_entry_create(
            profile=profile,
            model=LeavePeriod,
            data={
                "starts_on": date(2026, 7, 1),
                "ends_on": date(2026, 7, 14),
                "description": "Holiday",
            },
        )
        own = document_upload(
            candidate=profile, kind=DocumentKind.CV, name="carla cv.pdf", chunks=[PDF], by=carla_a
        )
        advisor = document_upload(
            candidate=profile,
            kind=DocumentKind.DIPLOMA,
            name="diploma.pdf",
            chunks=[PDF + b"%x"],
            by=bob_a,
        )
        trajectory = coaching_services.trajectory_create(
            candidate=profile, goal="Work in a bakery", start_date=date(2026, 1, 5),
            professional=bob_a, by=bob_a,
        )  # fmt: skip
        coaching_services.task_create(trajectory=trajectory, title="Write a motivation letter")
        note = coaching_services.note_create(
            candidate=profile, author=bob_a, text="Carla is motivated and punctual."
        )
    return RichFile(profile, work, own, advisor, note, trajectory)


@pytest.fixture
def rich(personas: Any, media: Path) -> RichFile:
    return build_rich_profile(personas)


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def data_json(data: bytes) -> dict[str, Any]:
    return json.loads(open_zip(data).read("data.json"))


def events(**filters: Any) -> Any:
    return AuditEvent.objects.unscoped().filter(**filters)
