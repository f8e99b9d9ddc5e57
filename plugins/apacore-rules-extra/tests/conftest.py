"""Test set-up for apacore-rules-extra, run from the repository root or from this folder.

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
    import apacore_rules_extra
except ImportError:  # not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import apacore_rules_extra

import apacore
from apacore.plugins.host import get_plugin_manager

PLUGIN_NAME = "rules-extra"
"""The entry-point name, as `apacore plugins` lists it."""


@pytest.fixture
def rules_extra() -> Iterator[str]:
    """The plugin, registered for one test (unless it was loaded from its entry point)."""
    if get_plugin_manager().is_registered(apacore_rules_extra):
        yield PLUGIN_NAME
        return
    with apacore.using_plugin(apacore_rules_extra, name=PLUGIN_NAME) as name:
        yield name
