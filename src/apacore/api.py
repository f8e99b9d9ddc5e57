"""One-call conveniences over the loaders and the scorer."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from apacore.agreements import load_office
from apacore.errors import ApacoreError
from apacore.scorecard import Scorecard, score_agreement

__all__ = ["score_path"]


def score_path(path: str | os.PathLike[str], *, as_of: int | dt.date | None = None) -> Scorecard:
    """Load an office's agreement (and report) from ``path``, check them, and score them.

    ``path`` is a folder holding ``agreement.toml`` and ``report.toml``, or an agreement
    file. ``as_of`` is a quarter (1–4) or a date; by default the report's quarter.
    """
    office = load_office(Path(path))
    try:
        return score_agreement(office.agreement, office.report, office.ruleset, as_of=as_of)
    except ApacoreError as exc:  # name the file and $.path the engine's message is about
        raise office.locate(exc) from None
