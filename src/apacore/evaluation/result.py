"""What scoring an evaluation produces: per indicator the verdict and the evaluated result
beside the self-assessed one; in total the evaluated scorecard.

A self-assessed :class:`~apacore.engine.results.Scorecard` carries it in its ``evaluation``
field (:func:`evaluation_of` reads it typed). Values only: the reasons' words and the one
rounding are made at output (:mod:`apacore.words`, :mod:`apacore.render`).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from apacore.engine.results import IndicatorResult, Scorecard
from apacore.evaluation.model import Evaluation
from apacore.numbers import Reading
from apacore.values import frozen

__all__ = ["Evaluated", "EvaluatedIndicator", "evaluation_of"]


@frozen(kw_only=True)
class EvaluatedIndicator:
    """One indicator as the evaluator decided it."""

    ref: str
    """The indicator reference (``2.2.4``, ``egov/1.1.1``)."""
    verdict: str
    """``accepted``, ``revised`` or ``not_accepted`` (also when the ruleset's evidence
    policy refused it: then ``policy`` says so)."""
    reason: str
    """The evaluator's reason as written (empty when accepted, or refused by policy only)."""
    policy: str | None
    """``"evidence"`` when the ruleset's evidence policy, not the evaluator, set the verdict."""
    revised: tuple[Reading | None, ...]
    """The evaluator's readings, Q1 first (None: the office's reading stands)."""
    evidence_seen: tuple[str, ...]
    """The evidence the evaluator examined."""
    result: IndicatorResult
    """The indicator scored on the evaluated readings."""
    self_assessed: IndicatorResult
    """The indicator as the office reported it."""

    def difference(self) -> Fraction | None:
        """Evaluated marks minus self-assessed marks, exactly (None where there are no marks)."""
        evaluated, own = self.result.exact("marks"), self.self_assessed.exact("marks")
        if evaluated is None or own is None:
            return None
        return evaluated - own

    @property
    def changed(self) -> bool:
        """Whether the evaluator (or the evidence policy) did not accept the figures as reported."""
        return self.verdict != "accepted"


@frozen(kw_only=True)
class Evaluated:
    """An evaluation scored: the file, the evaluated scorecard and every indicator's verdict."""

    evaluation: Evaluation
    """The evaluation file as loaded."""
    path: str
    """Where it was read from."""
    card: Scorecard
    """The scorecard on the evaluated readings (its own ``evaluation`` is None)."""
    indicators: Mapping[str, EvaluatedIndicator]
    """Every indicator of the scorecard by reference, in the scorecard's order."""
    evidence_policy: str
    """The ruleset's ``policies.evidence`` it was scored under."""

    @property
    def changed(self) -> int:
        """How many indicators were not accepted as reported (revised or not accepted)."""
        return sum(1 for row in self.indicators.values() if row.changed)

    def indicator(self, ref: str) -> EvaluatedIndicator:
        """The verdict and evaluated result of indicator ``ref``."""
        return self.indicators[ref]


def evaluation_of(card: Scorecard) -> Evaluated | None:
    """The evaluation a self-assessed scorecard carries, if any."""
    found = getattr(card, "evaluation", None)
    return found if isinstance(found, Evaluated) else None
