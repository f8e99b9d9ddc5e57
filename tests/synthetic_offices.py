"""Synthetic offices for the batch tests: benchmarks/synthetic.py (the offices the national
benchmark writes), shaped by the apacore-cooperatives template."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from apacore.plugins.host import using_plugin

ROOT = Path(__file__).resolve().parent.parent


def synthetic_module() -> Any:
    """benchmarks/synthetic.py, loaded as a module."""
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_synthetic_offices(root: Path, count: int, *, seed: int) -> list[Path]:
    """Write ``count`` lean offices below ``root``; their folders. Skips the test when the
    example plugin apacore-cooperatives (whose template shapes them) is not installed."""
    cooperatives = pytest.importorskip(
        "apacore_cooperatives", reason="the example plugin apacore-cooperatives is not installed"
    )
    with using_plugin(cooperatives, name="cooperatives"):
        folders: list[Path] = synthetic_module().write_offices(root, count, seed=seed)
    return folders
