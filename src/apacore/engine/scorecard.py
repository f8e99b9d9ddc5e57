"""Scoring a whole agreement with its progress report: the scorecard.

For every indicator: the annual achievement by its calculation method, the progress
(the scoring rule's notion of it, DOMAIN.md rule 4), the evaluation "as if the year ended
now" (raw score by its scoring rule, marks = weight × raw / 100), its status and a trace.
Per area and annex: marks (rescaled when indicators do not apply, rule 5), and for
annexes the conversion ``obtained / annex total × APA weight``. Then the total and its
grade. Everything is exact; rounding and words happen only when the scorecard is written
out (:mod:`apacore.render.formats`, :mod:`apacore.engine.explain`).

The work is done by a compiled :mod:`scoring plan <apacore.engine.plan>`; this module is the
public entry point and keeps the result types' historical home.
"""

from __future__ import annotations

import datetime as dt

from apacore.engine.plan import plan_for, score_plan
from apacore.engine.results import IndicatorResult, Scorecard, SectionResult
from apacore.errors import ApacoreError
from apacore.models import Agreement, ProgressReport, quarter_end
from apacore.plugins.contract import Ruleset

__all__ = ["IndicatorResult", "Scorecard", "SectionResult", "score_agreement"]


def _as_of_quarter(
    as_of: int | dt.date | None, report: ProgressReport | None, ruleset: Ruleset
) -> int:
    spec = ruleset.spec
    if as_of is None:
        return report.quarter if report is not None else 4
    if isinstance(as_of, dt.date):
        if not spec.starts <= as_of <= spec.ends:
            raise ApacoreError(
                f"{as_of.isoformat()} is outside fiscal year {spec.fiscal_year}"
                f" ({spec.starts.isoformat()} to {spec.ends.isoformat()})",
                argument="as_of",
            )
        for q in range(1, 5):
            if as_of <= quarter_end(spec.starts, q):
                return q
    if isinstance(as_of, bool) or not isinstance(as_of, int) or not 1 <= as_of <= 4:
        raise ApacoreError(f"a quarter is 1 to 4, got {as_of!r}", argument="as_of")
    return as_of


def score_agreement(
    agreement: Agreement,
    report: ProgressReport | None,
    ruleset: Ruleset,
    *,
    as_of: int | dt.date | None = None,
) -> Scorecard:
    """Score ``agreement`` with its progress ``report`` under ``ruleset``.

    ``as_of`` is a quarter (1–4) or a date inside the fiscal year; by default the
    report's quarter. Quarters after it are ignored. Load and check the files first with
    :func:`apacore.load_office` (or :func:`apacore.score_path` does both). The agreement
    is compiled into a scoring plan once and the plan is cached
    (:func:`apacore.engine.plan.plan_for`).
    """
    quarter = _as_of_quarter(as_of, report, ruleset)
    return score_plan(plan_for(agreement, ruleset), report, quarter)
