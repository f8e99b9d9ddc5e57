"""Test set-up for apacore-annex-4ir, run from the repository root or from this folder.

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
    import apacore_annex_4ir
except ImportError:  # not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import apacore_annex_4ir

import apacore
from apacore.plugins.host import get_plugin_manager

PLUGIN_NAME = "annex-4ir"
"""The entry-point name, as `apacore plugins` lists it."""


@pytest.fixture
def annex_4ir() -> Iterator[str]:
    """The plugin, registered for one test (unless it was loaded from its entry point)."""
    if get_plugin_manager().is_registered(apacore_annex_4ir):
        yield PLUGIN_NAME
        return
    with apacore.using_plugin(apacore_annex_4ir, name=PLUGIN_NAME) as name:
        yield name
