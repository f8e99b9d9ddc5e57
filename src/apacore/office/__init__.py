"""The one entry that scores an office: loaded (from its folder or from texts), checked,
scored, with the notices that say what the score hides. The command line, a batch and
the library all score through :func:`score_office`."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apacore.engine.scorecard import Scorecard, score_agreement
from apacore.errors import ApacoreError
from apacore.loading.agreements import OfficeFiles, load_office
from apacore.numbers import read_as_of
from apacore.values import frozen

__all__ = ["ScoredOffice", "score_files", "score_office", "score_path"]


def score_files(
    office: OfficeFiles,
    *,
    as_of: int | dt.date | str | None = None,
    evaluation: bool | str | Mapping[str, Any] = True,
) -> Scorecard:
    """Score an office loaded by :func:`apacore.load_office`; an error found while scoring
    names the file and ``$.path`` of the row or reading it is about.

    ``evaluation``: True (the default) scores the ``evaluation.toml`` beside the report onto
    the card (``card.evaluation``, docs/scoring.md), if there is one; False scores the
    office's own figures only; a TOML text (or its parsed data) is the evaluation itself,
    checked as the file would be (for an office loaded from texts)."""
    try:
        card = score_agreement(office.agreement, office.report, office.ruleset, as_of=as_of)
    except ApacoreError as exc:
        raise office.locate(exc) from None
    if evaluation is False or (evaluation is True and office.evaluation_path() is None):
        return card
    if evaluation is True:
        from apacore.evaluation.scoring import with_evaluation

        return with_evaluation(card, office)
    from apacore.errors import EvaluationError
    from apacore.evaluation.loading import check_evaluation, evaluation_from
    from apacore.evaluation.scoring import score_evaluation

    try:
        given = evaluation_from(evaluation)
        check_evaluation(given, office, where="evaluation.toml")
        return score_evaluation(card, office, given, where="evaluation.toml")
    except EvaluationError as exc:  # from text: its line too, as a file's error names it
        texts = {"evaluation.toml": evaluation} if isinstance(evaluation, str) else None
        raise office.locate(exc, texts) from None


@frozen(kw_only=True)
class ScoredOffice:
    """An office with its scorecard, and what was asked (``as_of``): all a command needs
    to show the score and the notices beside it."""

    office: OfficeFiles
    scorecard: Scorecard
    as_of: int | dt.date | None = None
    """The ``as_of`` asked for (None: the report's quarter); the notices compare it with
    the quarter scored."""

    def notices(self, lang: str = "en") -> list[str]:
        """What the score hides (:mod:`apacore.office.notices`), one line each, in ``lang``."""
        from apacore.office.notices import notices

        return notices(self.office, self.scorecard, self.as_of, lang)


def score_office(
    office: OfficeFiles | str | os.PathLike[str],
    *,
    as_of: int | dt.date | str | None = None,
    use_cache: bool = True,
    evaluation: bool | str | Mapping[str, Any] = True,
) -> ScoredOffice:
    """Score an office: one loaded by :func:`apacore.load_office` or
    :func:`apacore.load_office_texts`, or the folder (or agreement file) to load it from.

    ``as_of`` is a quarter (1–4) or a date, or text naming one as the command line takes
    it (``"২য় কোয়ার্টার"``, ``"Q2"``); by default the report's quarter.
    ``use_cache=False``: a path is loaded without the on-disk office cache (a batch).
    ``evaluation``: as for :func:`score_files` (an office from texts gives its evaluation's
    text here).
    """
    as_of = read_as_of(as_of)
    if not isinstance(office, OfficeFiles):
        office = load_office(Path(office), use_cache=use_cache)
    card = score_files(office, as_of=as_of, evaluation=evaluation)
    return ScoredOffice(office=office, scorecard=card, as_of=as_of)


def score_path(
    path: str | os.PathLike[str], *, as_of: int | dt.date | str | None = None
) -> Scorecard:
    """Load an office's agreement (and report) from ``path``, check them, and score them.

    ``path`` is a folder holding ``agreement.toml`` and ``report.toml``, or an agreement
    file. ``as_of`` is a quarter (1–4) or a date, or text naming one (``"২য় কোয়ার্টার"``);
    by default the report's quarter.
    """
    return score_office(path, as_of=as_of).scorecard
