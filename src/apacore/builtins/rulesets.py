"""Built-in plugin: the fiscal-year rulesets shipped inside the package."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from apacore.plugins.hookspecs import hookimpl


@hookimpl
def ruleset_directories() -> Iterable[Path]:
    return [Path(__file__).resolve().parent.parent / "rulesets"]
