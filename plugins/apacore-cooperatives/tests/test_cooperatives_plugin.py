"""apacore-cooperatives as a package: its names do not clash with apacore's, the entry
point is declared, and `apacore plugins` lists it with its version once installed."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys

import apacore_cooperatives
import pytest

from apacore.plugins import get_plugin_manager, get_registry
from apacore.templates import available_templates

DISTRIBUTION = "apacore-cooperatives"
ENTRY_POINT = "cooperatives"


def test_its_names_do_not_clash_with_apacores(cooperatives: str) -> None:
    registry = get_registry()  # builds: a clash would be a PluginError naming both plugins
    assert not [key for key, owner in registry.owners.items() if owner == cooperatives]
    templates = available_templates()  # a template registered twice names both plugins
    assert {key for key, (plugin, _) in templates.items() if plugin == cooperatives} == {
        ("cooperatives-upazila", "2023-24"),
        ("cooperatives-upazila", "2024-25"),
    }
    hooks = {c.name for c in get_plugin_manager().get_hookcallers(apacore_cooperatives) or []}
    assert hooks == {"register_templates", "validate_agreement"}


def _distribution() -> importlib.metadata.Distribution:
    try:
        return importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{DISTRIBUTION} is not installed (pip install plugins/{DISTRIBUTION})")


def test_the_entry_point_is_declared() -> None:
    _distribution()
    found = [
        ep for ep in importlib.metadata.entry_points(group="apacore") if ep.name == ENTRY_POINT
    ]
    assert len(found) == 1 and found[0].value == "apacore_cooperatives"
    assert found[0].load() is apacore_cooperatives


def test_apacore_plugins_lists_it_with_its_version() -> None:
    version = _distribution().version
    # the subprocess sees the packages this test sees, and loads only this plugin
    env = {
        **os.environ,
        "APACORE_LOAD_PLUGINS": ENTRY_POINT,
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
    }
    run = [sys.executable, "-m", "apacore"]
    out = subprocess.run(
        [*run, "plugins"], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert f"{ENTRY_POINT} {version}\n" in out
    assert "hooks: register_templates, validate_agreement" in out
    out = subprocess.run(
        [*run, "templates"], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "cooperatives-upazila  2024-25 (ruleset v" in out
