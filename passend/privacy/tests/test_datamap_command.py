"""`manage.py datamap` prints the map as a table and as JSON."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from passend.privacy import datamap
from passend.privacy.management.commands.datamap import COLUMNS, period_text


def run(*args: str) -> str:
    out = StringIO()
    call_command("datamap", *args, stdout=out)
    return out.getvalue()


def test_it_prints_a_table_with_every_column_and_field() -> None:
    output = run()

    lines = output.splitlines()
    assert lines[0].split() == list(COLUMNS)
    row = next(line for line in lines if line.startswith("accounts.User") and " password " in line)
    assert row.split()[:6] == [
        "accounts.User",
        "password",
        "user",
        "user.authorization.credentials",
        "account,",
        "security",
    ]
    assert "account_closed + 30 days: delete" in row
    assert " yes " in row
    assert any(line.split()[:3] == ["tenancy.Organisation", "iban", "not"] for line in lines)
    assert f"map hash {datamap.map_hash()}" in output


def test_it_prints_only_personal_fields_when_asked() -> None:
    output = run("--personal-only")

    models = {line.split()[0] for line in output.splitlines()[2:] if line.strip()}
    assert "not personal" not in output
    assert "tenancy.Organisation" not in models
    assert "tenancy.OrganisationContact" in models


def test_it_prints_the_json_form() -> None:
    output = run("--format", "json")

    assert json.loads(output) == datamap.as_dict()
    assert json.loads(run("--format", "json", "--personal-only")) == datamap.as_dict(
        personal_only=True
    )


def test_it_writes_whole_days_readably_in_the_table() -> None:
    assert period_text("P30D") == "30 days"
    assert period_text("P1D") == "1 day"
    assert period_text("P0DT08H00M00S") == "P0DT08H00M00S"
