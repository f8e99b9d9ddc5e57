"""The contract between apacore and its plugins: what a plugin registers and what it returns.

A plugin contributes :class:`CalculationMethod`, :class:`ScoringRule` and :class:`AnnexType`
objects through the collecting hooks of :mod:`apacore.hookspecs`; a method returns an
:class:`Achievement`, a rule a :class:`RuleResult`. This module depends on the model only,
so that plugins, the host and the engine can all import it without importing each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple, Optional, Protocol, Union

import attrs

from apacore.models import Indicator, Policies
from apacore.numbers import Reading
from apacore.trace import Step, Text

__all__ = [
    "DEFAULT_TIER_SCORES",
    "Achievement",
    "AchievementValue",
    "AnnexType",
    "CalculationMethod",
    "Progress",
    "RuleContext",
    "RuleResult",
    "RuleTrace",
    "ScoringRule",
    "Step",
    "Text",
]

DEFAULT_TIER_SCORES: tuple[Decimal, ...] = tuple(Decimal(s) for s in (100, 90, 80, 70, 60))
"""Scores of excellent, very good, good, fair, poor."""


@attrs.frozen
class RuleTrace:
    """How a rule reached its raw score, as data: where the achievement fell and the arithmetic."""

    bracket: Step
    """Where the achievement fell (``between good (20 → 80) and very good (25 → 90)``)."""
    formula: Step
    """The arithmetic, with its exact values."""


@attrs.frozen(init=False)
class RuleResult:
    """An exact raw score with the trace of how it was reached.

    ``RuleResult(raw, trace)``; ``RuleResult(raw=..., bracket="...", formula="...")``
    (finished English sentences) is still accepted. ``bracket`` and ``formula`` read the
    trace in English.
    """

    raw: Fraction
    """Raw score in [0, 100], exact."""
    trace: RuleTrace
    """The bracket and the formula, as data."""

    def __init__(
        self,
        raw: Fraction,
        trace: RuleTrace | None = None,
        *,
        bracket: str | None = None,
        formula: str | None = None,
    ) -> None:
        if trace is None:
            trace = RuleTrace(Step.plain(bracket or ""), Step.plain(formula or ""))
        elif bracket is not None or formula is not None:
            raise TypeError("give a RuleResult either a trace or bracket and formula, not both")
        self.__attrs_init__(raw, trace)

    @property
    def bracket(self) -> str:
        """Where the achievement fell, in English."""
        return self.trace.bracket.render()

    @property
    def formula(self) -> str:
        """The arithmetic, in English."""
        return self.trace.formula.render()


AchievementValue = Union[Decimal, dt.date, tuple[dt.date, ...], None]
"""An annual achievement: a number, a completion date, milestone dates, or None (nothing reported)."""


@attrs.frozen
class Achievement:
    """The year's achievement as a calculation method worked it out.

    ``Achievement(value, trace)``; ``Achievement(value=..., explanation="...")`` (a finished
    English sentence) is still accepted, and ``explanation`` reads the trace in English.
    """

    value: AchievementValue
    """The achievement; ``None`` when no quarter reported a figure."""
    _trace: Step | None = attrs.field(default=None, alias="trace")
    _explanation: str | None = attrs.field(default=None, alias="explanation", kw_only=True)

    @property
    def trace(self) -> Step:
        """How it was worked out (``sum of Q1 25 + Q2 25 = 50``), as data."""
        if self._trace is not None:
            return self._trace
        return Step.plain(self._explanation or "")

    @property
    def explanation(self) -> str:
        """How it was worked out, in English."""
        if self._trace is None:
            return self._explanation or ""
        return self._trace.render()


class Progress(NamedTuple):
    """Progress toward the annual target (DOMAIN.md rule 4), as a scoring rule sees it.

    (A named tuple: scoring makes one per indicator.)
    """

    pct: Fraction | None
    """Progress in %, exact and uncapped; None where the rule defines none."""
    trace: Step
    """How it was worked out."""


class _Calculate(Protocol):
    def __call__(self, indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement: ...


class _Score(Protocol):
    def __call__(
        self, indicator: Indicator, achievement: Achievement, context: RuleContext
    ) -> RuleResult: ...


_Prepare = Callable[[Indicator, "RuleContext"], Optional[Callable[[Achievement], Fraction]]]
_PrepareProgress = Callable[
    [Indicator, "RuleContext"], Optional[Callable[[Achievement, Fraction], Optional[Fraction]]]
]


class _Progress(Protocol):
    def __call__(
        self,
        indicator: Indicator,
        achievement: Achievement,
        raw: Fraction,
        context: RuleContext,
    ) -> Progress: ...


@attrs.frozen(kw_only=True)
class RuleContext:
    """What a scoring rule may need besides the indicator and its achievement."""

    policies: Policies = attrs.field(factory=Policies)
    """The ruleset's scoring policies."""
    tier_scores: tuple[Decimal, ...] = DEFAULT_TIER_SCORES
    """Scores of the five tiers, excellent first."""
    evaluation_date: dt.date | None = None
    """The day the evaluation is made "as of" (end of the reported quarter)."""


@attrs.frozen(kw_only=True)
class CalculationMethod:
    """A calculation method (গণনা পদ্ধতি): how quarterly figures make the year's achievement."""

    name: str
    """The name indicators use in ``method = ...``."""
    calculate: _Calculate
    """``calculate(indicator, quarters) -> Achievement``; ``quarters`` are Q1.. up to the report's quarter, None where not reported."""
    description: str = ""
    """One line for ``apacore plugins`` and the docs."""
    name_bn: str = ""
    """The Bengali name on the forms."""


@attrs.frozen(kw_only=True)
class ScoringRule:
    """A scoring rule: how an achievement becomes a raw score in [0, 100]."""

    name: str
    """The name indicators use in ``rule = ...``."""
    score: _Score
    """``score(indicator, achievement, context) -> RuleResult`` (an exact Fraction)."""
    description: str = ""
    """One line for ``apacore plugins`` and the docs."""
    monotone: bool = True
    """Whether a better achievement never scores lower (checked by apacore.testing)."""
    uses_tiers: bool = False
    """Whether the rule reads ``indicator.tiers`` (so tier checks apply)."""
    prepare: _Prepare | None = None
    """Optional fast path: ``prepare(indicator, context)`` once per indicator when a scoring
    plan is compiled, returning ``raw(achievement) -> Fraction`` (the same raw score as
    ``score``, without the trace; the trace is built by ``score`` when someone reads it), or
    None to use ``score``."""
    prepare_progress: _PrepareProgress | None = None
    """Optional fast path for ``progress``: ``prepare_progress(indicator, context)`` once per
    indicator when a plan is compiled, returning ``pct(achievement, raw) -> Fraction | None``
    (exactly ``progress(...).pct``; the step is built by ``progress`` when read), or None."""
    progress: _Progress | None = None
    """``progress(indicator, achievement, raw, context) -> Progress`` (``raw``: the evaluation's
    raw score, 0 when nothing was reported): the rule's notion of progress (DOMAIN.md rule 4).
    None: :func:`apacore.rules.default_progress` (achievement / annual target × 100; a
    deadline's progress is its raw score; dated milestones, the share completed)."""


@attrs.frozen(kw_only=True)
class AnnexType:
    """A kind of governance action plan (annex)."""

    kind: str
    """The key agreements and rulesets use (``egov``)."""
    name_en: str
    """English name."""
    name_bn: str = ""
    """Bengali name."""
    apa_weight: Decimal | None = None
    """Its usual APA weight, used when a ruleset does not ship a plan for it."""
