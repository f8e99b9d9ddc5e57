"""Test set-up for apacore-cooperatives, run from the repository root or from this folder.

Installed entry points are never loaded by accident (``APACORE_LOAD_PLUGINS`` empty
unless set): each test registers the plugin itself. When the package is not installed,
its ``src`` folder is put on the path so that the tests still run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("APACORE_LOAD_PLUGINS", "")

try:
    import apacore_cooperatives
except ImportError:  # not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import apacore_cooperatives

import apacore
from apacore.plugins.host import get_plugin_manager

PLUGIN_NAME = "cooperatives"
"""The entry-point name, as `apacore plugins` lists it."""


@pytest.fixture
def cooperatives() -> Iterator[str]:
    """The plugin, registered for one test (unless it was loaded from its entry point)."""
    if get_plugin_manager().is_registered(apacore_cooperatives):
        yield PLUGIN_NAME
        return
    with apacore.using_plugin(apacore_cooperatives, name=PLUGIN_NAME) as name:
        yield name


EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
"""apacore's examples, when the tests run from a clone of apacore."""


@pytest.fixture
def examples() -> Path:
    """The examples folder of the apacore clone (skips the test outside one)."""
    if not (EXAMPLES / "rangpur-sadar-2023-24" / "agreement.toml").is_file():
        pytest.skip("apacore's examples/ folder is not here (run from a clone of apacore)")
    return EXAMPLES


@pytest.fixture
def new_office(cooperatives: str, tmp_path: Path) -> NewOffice:
    """Write an agreement with `apacore new` and return its folder."""
    return NewOffice(tmp_path)


class NewOffice:
    """`apacore new --template cooperatives-upazila` into a temporary folder."""

    def __init__(self, base: Path) -> None:
        self.base = base

    def __call__(
        self,
        fiscal_year: str,
        *,
        office: str = "উপজেলা সমবায় কার্যালয়, নতুন",
        level: str | None = None,
        name: str = "office",
    ) -> Path:
        from apacore.cli import main

        folder = self.base / name
        args = [
            "new",
            "--template",
            "cooperatives-upazila",
            "--fiscal-year",
            fiscal_year,
            "--office",
            office,
            "-o",
            f"{folder}/",
        ]
        if level:
            args += ["--level", level]
        assert main(args) == 0
        return folder
