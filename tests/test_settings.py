"""Settings the 12-factor way: every variable documented, production hardened."""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _variables_read_in_settings() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        names |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', path.read_text()))
    return names


def test_it_lists_every_environment_variable_in_env_example():
    documented = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert _variables_read_in_settings() - documented == set()


def _run_with_production_settings(**extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": "sqlite:////tmp/passend-deploy-check.sqlite3",
        "DJANGO_ALLOWED_HOSTS": "passend.example.org",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _production_keys() -> dict[str, str]:
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "PASSEND_MASTER_KEYS": "prod:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "PASSEND_ACTIVE_MASTER_KEY": "prod",
        "PASSEND_BLIND_INDEX_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def test_it_passes_the_deployment_checklist_with_production_settings():
    result = _run_with_production_settings(
        **_production_keys(), PASSEND_CLAMD_SOCKET="/run/clamav/clamd.ctl"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_fails_the_deployment_checklist_without_a_virus_scanner():
    result = _run_with_production_settings(**_production_keys())
    assert result.returncode != 0
    assert "documents.W001" in result.stderr + result.stdout


def test_it_refuses_to_start_production_on_the_development_secret_key():
    result = _run_with_production_settings(
        **{
            **_production_keys(),
            "DJANGO_SECRET_KEY": "dev-insecure-key-change-me-0123456789abcdefghijklmnop",
        }
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_it_refuses_to_start_production_on_the_development_encryption_keys():
    keys = _production_keys()
    del keys["PASSEND_MASTER_KEYS"]
    result = _run_with_production_settings(**keys)
    assert result.returncode != 0
    assert "PASSEND_MASTER_KEYS" in result.stderr
