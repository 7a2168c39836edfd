"""The app layers of docs/architecture.md: every app of ours has its place in them.

`make check` runs import-linter on the contracts in pyproject.toml; these tests
make sure a new app cannot slip past them by being left out of the drawing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def layer_modules() -> set[str]:
    return {
        module.strip() for layer in contracts()["layers"]["layers"] for module in layer.split("|")
    }


def test_it_gives_every_app_of_ours_a_layer() -> None:
    ours = {c.name for c in apps.get_app_configs() if c.name.startswith("passend.")}
    # The privacy package's own app is its top-level modules, listed one by one.
    missing = {name for name in ours - {"passend.privacy"} if name not in layer_modules()}
    assert missing == set()


def test_it_gives_every_top_level_module_of_the_privacy_package_a_layer() -> None:
    package = ROOT / "passend" / "privacy"
    top_level = {
        f"passend.privacy.{path.stem if path.is_file() else path.name}"
        for path in package.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").exists() and path.name != "tests")
    }
    assert top_level - layer_modules() == set()


def test_it_keeps_common_at_the_bottom_and_demo_at_the_top() -> None:
    layers = contracts()["layers"]["layers"]
    assert layers[0] == "passend.demo"
    assert layers[-1] == "passend.common"


def test_it_forbids_the_privacy_core_every_feature_app() -> None:
    # The platform below the privacy core: what every app (the core too) builds on.
    platform = {"passend.common", "passend.accounts", "passend.tenancy"}
    feature_apps = {
        c.name
        for c in apps.get_app_configs()
        if c.name.startswith("passend.")
        and not c.name.startswith("passend.privacy")
        and c.name not in platform
    }
    assert feature_apps == set(contracts()["privacy-core"]["forbidden_modules"])
