"""One-call conveniences over the loaders and the scorer."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from apacore.engine.scorecard import Scorecard, score_agreement
from apacore.errors import ApacoreError
from apacore.evaluation import evaluation_file
from apacore.loading.agreements import OfficeFiles, load_office

__all__ = ["score_files", "score_path"]


def score_files(
    office: OfficeFiles, *, as_of: int | dt.date | None = None, evaluation: bool = True
) -> Scorecard:
    """Score an office loaded by :func:`apacore.load_office`; an error found while scoring
    names the file and ``$.path`` of the row or reading it is about. An ``evaluation.toml``
    beside the report is scored onto the card (``card.evaluation``, docs/scoring.md) unless
    ``evaluation`` is False (the office's own figures only)."""
    try:
        card = score_agreement(office.agreement, office.report, office.ruleset, as_of=as_of)
    except ApacoreError as exc:
        raise office.locate(exc) from None
    if not evaluation or evaluation_file(office.agreement_path, office.report_path) is None:
        return card
    from apacore.evaluation.scoring import with_evaluation

    return with_evaluation(card, office)


def score_path(path: str | os.PathLike[str], *, as_of: int | dt.date | None = None) -> Scorecard:
    """Load an office's agreement (and report) from ``path``, check them, and score them.

    ``path`` is a folder holding ``agreement.toml`` and ``report.toml``, or an agreement
    file. ``as_of`` is a quarter (1–4) or a date; by default the report's quarter.
    """
    return score_files(load_office(Path(path)), as_of=as_of)
