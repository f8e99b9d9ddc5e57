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
from typing import Protocol, Union

import attrs

from apacore.models import Indicator, Policies
from apacore.numbers import Reading

__all__ = [
    "DEFAULT_TIER_SCORES",
    "Achievement",
    "AchievementValue",
    "AnnexType",
    "CalculationMethod",
    "RuleContext",
    "RuleResult",
    "ScoringRule",
]

DEFAULT_TIER_SCORES: tuple[Decimal, ...] = tuple(Decimal(s) for s in (100, 90, 80, 70, 60))
"""Scores of excellent, very good, good, fair, poor."""


@attrs.frozen(kw_only=True)
class RuleResult:
    """An exact raw score with the bracket and formula that produced it."""

    raw: Fraction
    """Raw score in [0, 100], exact."""
    bracket: str
    """Where the achievement fell (``between good (20 → 80) and very good (25 → 90)``)."""
    formula: str
    """The arithmetic, with the numbers filled in."""


AchievementValue = Union[Decimal, dt.date, tuple[dt.date, ...], None]
"""An annual achievement: a number, a completion date, milestone dates, or None (nothing reported)."""


@attrs.frozen(kw_only=True)
class Achievement:
    """The year's achievement as a calculation method worked it out."""

    value: AchievementValue
    """The achievement; ``None`` when no quarter reported a figure."""
    explanation: str
    """How it was worked out (``sum of Q1 25 + Q2 25 = 50``)."""


class _Calculate(Protocol):
    def __call__(self, indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement: ...


class _Score(Protocol):
    def __call__(
        self, indicator: Indicator, achievement: Achievement, context: RuleContext
    ) -> RuleResult: ...


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
    adds_quarters: Callable[[Indicator], bool] | None = None
    """For ``apacore audit``: whether, for ``indicator``, the year's figure is the sum of
    the quarterly figures. An office total that is their sum where this says False is
    explained as adding figures the method does not add; None: the method does not say."""


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
