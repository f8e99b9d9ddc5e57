"""The one entry that scores an office: loaded (from its folder or from texts), checked,
scored, with the notices that say what the score hides. The command line, a batch and
the library all score through :func:`score_office`."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import attrs

from apacore.engine.scorecard import Scorecard, score_agreement
from apacore.errors import ApacoreError
from apacore.loading.agreements import OfficeFiles, load_office

__all__ = ["ScoredOffice", "score_files", "score_office", "score_path"]


def score_files(office: OfficeFiles, *, as_of: int | dt.date | None = None) -> Scorecard:
    """Score an office loaded by :func:`apacore.load_office`; an error found while scoring
    names the file and ``$.path`` of the row or reading it is about."""
    try:
        return score_agreement(office.agreement, office.report, office.ruleset, as_of=as_of)
    except ApacoreError as exc:
        raise office.locate(exc) from None


@attrs.frozen(kw_only=True)
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
    as_of: int | dt.date | None = None,
    use_cache: bool = True,
) -> ScoredOffice:
    """Score an office: one loaded by :func:`apacore.load_office` or
    :func:`apacore.load_office_texts`, or the folder (or agreement file) to load it from.

    ``as_of`` is a quarter (1–4) or a date; by default the report's quarter.
    ``use_cache=False``: a path is loaded without the on-disk office cache (a batch).
    """
    if not isinstance(office, OfficeFiles):
        office = load_office(Path(office), use_cache=use_cache)
    return ScoredOffice(office=office, scorecard=score_files(office, as_of=as_of), as_of=as_of)


def score_path(path: str | os.PathLike[str], *, as_of: int | dt.date | None = None) -> Scorecard:
    """Load an office's agreement (and report) from ``path``, check them, and score them.

    ``path`` is a folder holding ``agreement.toml`` and ``report.toml``, or an agreement
    file. ``as_of`` is a quarter (1–4) or a date; by default the report's quarter.
    """
    return score_office(path, as_of=as_of).scorecard
