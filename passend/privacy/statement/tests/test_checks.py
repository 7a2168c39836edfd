"""The system check that says when the published statement has drifted from the code."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks

from passend.privacy.datamap import DataMap
from passend.privacy.statement import services
from passend.privacy.statement.checks import check_statement_published

PROBLEMS = {"statement.W001", "statement.W002"}


def statement_problems() -> list[checks.CheckMessage]:
    found = checks.run_checks(databases=["default"], tags=[checks.Tags.database])
    return [message for message in found if message.id in PROBLEMS]


def test_it_warns_when_nothing_is_published(db: Any) -> None:
    [problem] = statement_problems()
    assert problem.id == "statement.W001"
    assert problem.level == checks.WARNING
    assert "publish_statement" in (problem.hint or "")


def test_it_is_content_when_the_latest_version_matches_the_code(published_statement: Any) -> None:
    assert statement_problems() == []


def test_it_warns_when_the_data_map_drifted_from_the_latest_version(db: Any) -> None:
    # Given a version published from another data map than the project's
    other = DataMap()
    other.declare(apps.get_model(settings.AUTH_USER_MODEL), fields={})
    services.statement_publish(datamap=other)
    # Then the check names what drifted and how to fix it
    [problem] = statement_problems()
    assert problem.id == "statement.W002"
    assert "the data map changed since version 1.0" in problem.msg
    assert "publish_statement" in (problem.hint or "")
    # and publishing clears it
    services.statement_publish()
    assert statement_problems() == []


def test_it_runs_only_when_asked_to_check_the_database(db: Any) -> None:
    assert check_statement_published(databases=None) == []
    assert check_statement_published(databases=["other"]) == []
