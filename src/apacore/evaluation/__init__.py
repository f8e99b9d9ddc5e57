"""The evaluation: the superior office's verdicts on an office's figures.

An office reports its own figures (``report.toml``); the office above it verifies them
and records what it accepted, revised or refused in ``evaluation.toml`` beside the
report. This package (a layer between the engine and the renderers) holds its model
(:mod:`.model`), loading and checks (:mod:`.loading`), scoring on top of the engine
(:mod:`.scoring`, results in :mod:`.result`) and words (:mod:`.words`); the skeleton
``apacore evaluate`` writes is a consumer's (:mod:`apacore.evaluate`). This module itself
imports nothing heavy: scoring an office without an evaluation only asks
:func:`evaluation_file` whether one is there.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["EVALUATION_FILE", "evaluation_file"]

EVALUATION_FILE = "evaluation.toml"
"""The evaluation's file name, beside ``report.toml``."""


def evaluation_file(agreement_path: Path, report_path: Path | None) -> Path | None:
    """The ``evaluation.toml`` beside the report (or the agreement), if there is one in any
    form (a broken link is returned too, so that reading it fails with its reason)."""
    folder = (report_path or agreement_path).parent
    path = folder / EVALUATION_FILE
    return path if os.path.lexists(path) else None
