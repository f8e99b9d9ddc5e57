"""The contract between apacore and its plugins: what a plugin registers and what it returns.

A plugin contributes :class:`CalculationMethod`, :class:`ScoringRule`, :class:`AnnexType`
and :class:`AgreementTemplate` objects through the collecting hooks of
:mod:`apacore.plugins.hookspecs`; a method returns an :class:`Achievement`, a rule a
:class:`RuleResult`; ``validate_agreement`` receives a :class:`Ruleset`. Methods and
rules declare what they produce and score (:data:`VALUE_KINDS`) and own their load-time
checks (``check``). This module depends on the model only,
so that plugins, the host and the engine can all import it without importing each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple, Optional, Protocol, Union

import attrs

from apacore.limits import MAX_COMPUTED_DIGITS, computed_problem
from apacore.models import Annex, Indicator, Policies, RulesetSpec
from apacore.numbers import Reading
from apacore.trace import Step, Text
from apacore.values import frozen

__all__ = [
    "DEFAULT_TIER_SCORES",
    "VALUE_KINDS",
    "Achievement",
    "AchievementValue",
    "AgreementTemplate",
    "AnnexType",
    "CalculationMethod",
    "Problem",
    "Progress",
    "RuleContext",
    "RuleResult",
    "RuleTrace",
    "Ruleset",
    "ScoringRule",
    "Step",
    "Text",
    "achievement_problem",
    "bengali_fallback",
    "exact_problem",
]

DEFAULT_TIER_SCORES: tuple[Decimal, ...] = tuple(Decimal(s) for s in (100, 90, 80, 70, 60))
"""Scores of excellent, very good, good, fair, poor."""


@frozen
class RuleTrace:
    """How a rule reached its raw score, as data: where the achievement fell and the arithmetic."""

    bracket: Step
    """Where the achievement fell (``between good (20 → 80) and very good (25 → 90)``)."""
    formula: Step
    """The arithmetic, with its exact values."""


@frozen(init=False)
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


@frozen
class Achievement:
    """The year's achievement as a calculation method worked it out.

    ``Achievement(value, trace)``; ``Achievement(value=..., explanation="...")`` (a finished
    English sentence) is still accepted, and ``explanation`` reads the trace in English.
    """

    value: AchievementValue
    """The achievement; ``None`` when no quarter reported a figure."""
    _trace: Step | None = attrs.field(default=None, alias="trace")
    _explanation: str | None = attrs.field(default=None, alias="explanation", kw_only=True)
    exact: Fraction | None = attrs.field(default=None, kw_only=True)
    """The exact achievement where ``value`` is a rounded quotient (a mean, a share of a
    base: ``115/6`` behind ``Decimal('19.16666666666666666666666667')``); None where
    ``value`` is exact. Rules, progress and ``apacore need`` compute with
    :attr:`exact_value`, so a method that returns only a Decimal works unchanged."""

    @property
    def exact_value(self) -> Fraction | dt.date | tuple[dt.date, ...] | None:
        """The achievement to compute with: ``exact`` if set, a number as a Fraction, else
        ``value`` itself (a date, dates or None)."""
        if self.exact is not None:
            return self.exact
        value = self.value
        if isinstance(value, Decimal):
            return Fraction(value)
        return value

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


VALUE_KINDS: tuple[str, ...] = ("number", "date", "dates")
"""The kinds of achievement a method produces and a rule scores: a number (Decimal), a
date (a completion date), dates (the completion dates of dated milestones)."""


def bengali_fallback(what: str, key: str) -> str:
    """The Bengali name shown for an annex type, calculation method or scoring rule
    registered without one (``name_bn`` empty), never its English: its key in Bengali
    quotation marks (``‘best_quarter’``), an annex type's followed by কর্মপরিকল্পনা (action
    plan), as it stands alone as a title (``‘procurement’ কর্মপরিকল্পনা``). ``what``:
    ``"annex type"``, ``"calculation method"`` or ``"scoring rule"``. ``apacore plugins
    check`` reports every such name (docs/plugins.md, "Bengali names")."""
    if what == "annex type":
        return f"‘{key}’ কর্মপরিকল্পনা"
    return f"‘{key}’"


Problem = Union[str, tuple[str, str]]
"""What a load-time check yields: a one-line reason (about the indicator as a whole), or
``(field, reason)`` to point at one of its fields (``("unit", "needs unit 'date'")``)."""


_Check = Callable[[Indicator], Iterable[Problem]]


def _no_problems(indicator: Indicator) -> Iterable[Problem]:
    return ()


def _value_kind(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in VALUE_KINDS:
        raise ValueError(f"{attribute.name} must be one of {', '.join(VALUE_KINDS)}, got {value!r}")


def _kind_set(kinds: Iterable[str]) -> frozenset[str]:
    return frozenset((kinds,) if isinstance(kinds, str) else kinds)


def _value_kinds(
    instance: object, attribute: attrs.Attribute[frozenset[str]], value: frozenset[str]
) -> None:
    if not isinstance(value, frozenset) or not value or not value <= set(VALUE_KINDS):
        raise ValueError(
            f"{attribute.name} must be a non-empty set of {', '.join(VALUE_KINDS)}, got {value!r}"
        )


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


@frozen(kw_only=True)
class RuleContext:
    """What a scoring rule may need besides the indicator and its achievement."""

    policies: Policies = attrs.field(factory=Policies)
    """The ruleset's scoring policies."""
    tier_scores: tuple[Decimal, ...] = DEFAULT_TIER_SCORES
    """Scores of the five tiers, excellent first."""
    evaluation_date: dt.date | None = None
    """The day the evaluation is made "as of" (end of the reported quarter)."""


@frozen(kw_only=True)
class CalculationMethod:
    """A calculation method (গণনা পদ্ধতি): how quarterly figures make the year's achievement."""

    name: str
    """The name indicators use in ``method = ...``."""
    calculate: _Calculate
    """``calculate(indicator, quarters) -> Achievement``; ``quarters`` are Q1.. up to the report's quarter, None where not reported."""
    description: str = ""
    """One line for ``apacore plugins`` and the docs."""
    name_bn: str = ""
    """The Bengali name on the forms; empty: the Bengali fallback (:func:`bengali_fallback`,
    :attr:`bengali_name`)."""
    adds_quarters: Callable[[Indicator], bool] | None = None
    """For ``apacore audit``: whether, for ``indicator``, the year's figure is the sum of
    the quarterly figures. An office total that is their sum where this says False is
    explained as adding figures the method does not add; None: the method does not say."""
    produces: str = attrs.field(default="number", validator=_value_kind)
    """The kind of achievement it produces (one of :data:`VALUE_KINDS`); the loader
    rejects an indicator whose rule does not score that kind."""
    check: _Check = _no_problems
    """``check(indicator) -> problems``: the method's own load-time checks, called for
    every indicator that uses it (see :data:`Problem`); nothing yielded means sound."""

    @property
    def bengali_name(self) -> str:
        """``name_bn``, or the Bengali fallback (:func:`bengali_fallback`) without one."""
        return self.name_bn or bengali_fallback("calculation method", self.name)


@frozen(kw_only=True)
class ScoringRule:
    """A scoring rule: how an achievement becomes a raw score in [0, 100]."""

    name: str
    """The name indicators use in ``rule = ...``."""
    score: _Score
    """``score(indicator, achievement, context) -> RuleResult`` (an exact Fraction)."""
    description: str = ""
    """One line for ``apacore plugins`` and the docs."""
    name_bn: str = ""
    """The Bengali name, for Bengali output (``explain --lang bn``); empty: the Bengali
    fallback (:func:`bengali_fallback`, :attr:`bengali_name`)."""
    monotone: bool = True
    """Whether a better achievement never scores lower (checked by apacore.testing)."""
    uses_tiers: bool = False
    """Whether the rule reads ``indicator.tiers`` (so tier checks apply)."""
    accepts: frozenset[str] = attrs.field(
        default=frozenset(("number", "date")), converter=_kind_set, validator=_value_kinds
    )
    """The kinds of achievement it scores (of :data:`VALUE_KINDS`)."""
    check: _Check = _no_problems
    """``check(indicator) -> problems``: the rule's own load-time checks, called for
    every indicator that uses it (see :data:`Problem`); nothing yielded means sound."""
    prepare: _Prepare | None = None
    """Optional fast path: ``prepare(indicator, context)`` once per indicator when a scoring
    plan is compiled, returning ``raw(achievement) -> Fraction`` (the same raw score as
    ``score``, without the trace; the trace is built by ``score`` when someone reads it), or
    None to use ``score``."""
    prepare_progress: _PrepareProgress | None = None
    """Optional fast path for ``progress``: ``prepare_progress(indicator, context)`` once per
    indicator when a plan is compiled, returning ``pct(achievement, raw) -> Fraction | None``
    (exactly ``progress(...).pct``; the step is built by ``progress`` when read), or None."""
    default_for: Callable[[Indicator], bool] | None = None
    """``default_for(indicator)``: whether an indicator that names no ``rule`` is scored by
    this one (the built-ins: tiers when it has tiers, milestones when it has milestones,
    the single target otherwise). The first registered rule that says so wins."""
    progress: _Progress | None = None
    """``progress(indicator, achievement, raw, context) -> Progress`` (``raw``: the evaluation's
    raw score, 0 when nothing was reported): the rule's notion of progress (DOMAIN.md rule 4).
    None: :func:`apacore.engine.progress.default_progress` (achievement / annual target × 100; a
    deadline's progress is its raw score; dated milestones, the share completed)."""

    @property
    def bengali_name(self) -> str:
        """``name_bn``, or the Bengali fallback (:func:`bengali_fallback`) without one."""
        return self.name_bn or bengali_fallback("scoring rule", self.name)


def achievement_problem(value: object) -> str | None:
    """Why a plugin's achievement value cannot be scored (the engine checks it as soon as the
    method returns, so the error names the method's plugin, never the rule after it)."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return None
    if isinstance(value, tuple) and all(type(d) is dt.date for d in value):
        return None
    if isinstance(value, Decimal):
        return computed_problem(value)
    return (
        f"is not a Decimal, a date, a tuple of dates or None: {type(value).__name__} {value!r:.40}"
    )


_EXACT_BITS = 4 * MAX_COMPUTED_DIGITS  # about 120 digits: more than any quotient of APA figures


def exact_problem(achievement: Achievement) -> str | None:
    """Why an achievement's ``exact`` cannot stand behind its ``value`` (None where it can or
    is not set): it must be a Fraction of bounded size behind a Decimal, and within one unit of
    that Decimal's last digit (a rounding of it, not another figure)."""
    exact, value = achievement.exact, achievement.value
    if exact is None:
        return None
    if type(exact) is not Fraction:
        return f"has an exact value that is not a Fraction: {type(exact).__name__} {exact!r:.40}"
    if not isinstance(value, Decimal) or not value.is_finite():
        return f"has an exact value {exact} behind {value!r:.40}, which is not a finite Decimal"
    en, ed = exact.numerator, exact.denominator
    if max(en.bit_length(), ed.bit_length()) > _EXACT_BITS:
        return (
            f"has an exact value of more than {_EXACT_BITS * 3 // 10} digits (numerator or"
            " denominator), beyond apacore's limit for a computed figure"
        )
    if Decimal(en) / Decimal(ed) == value:  # the usual case, at once: value is its rounding
        return None
    # |exact - value| < one unit of value's last digit, in whole numbers
    vn, vd = value.as_integer_ratio()
    gap, unit = abs(en * vd - vn * ed), ed * vd
    exponent = int(value.as_tuple().exponent)
    if (gap * 10**-exponent if exponent < 0 else gap) >= (
        unit if exponent < 0 else unit * 10**exponent
    ):
        return f"has an exact value {exact} that {value} does not round"
    return None


def _apa_weight(inst: object, attribute: object, value: Decimal | None) -> None:
    if value is None:
        return
    if not isinstance(value, Decimal) or not value.is_finite() or not value > 0:
        raise ValueError(f"apa_weight must be a Decimal > 0 (or None), got {value!r}")


def _patterns(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):  # one pattern where a list is due: never split into letters
        raise TypeError(f"titles must be a list of patterns, got {value!r}")
    return tuple(value)


@frozen(kw_only=True)
class AnnexType:
    """A kind of governance action plan (annex)."""

    kind: str
    """The key agreements and rulesets use (``egov``)."""
    name_en: str
    """English name."""
    name_bn: str = ""
    """Bengali name (what Bengali output titles the annex); empty: the Bengali fallback
    (:func:`bengali_fallback`, :attr:`bengali_name`), never ``name_en``."""
    apa_weight: Decimal | None = attrs.field(default=None, validator=_apa_weight)
    """Its usual APA weight, used when a ruleset does not ship a plan for it."""
    titles: tuple[str, ...] = attrs.field(default=(), converter=_patterns)
    """Regular expressions (case-insensitive) matching the title above the annex's table
    in the documents: ``apacore import --annex auto`` recognises the annex by them."""

    @property
    def bengali_name(self) -> str:
        """``name_bn``, or the Bengali fallback (:func:`bengali_fallback`) without one."""
        return self.name_bn or bengali_fallback("annex type", self.kind)


@frozen(kw_only=True)
class AgreementTemplate:
    """An office type's own indicators for one fiscal year (``register_templates``)."""

    name: str
    """What ``apacore new --template`` takes, e.g. ``"cooperatives-upazila"``."""
    fiscal_year: str
    """The fiscal year it is for."""
    path: Path
    """The template file (TOML)."""
    level: str = "upazila"
    """The office level it is for."""
    ruleset_version: str | None = None
    """The ruleset version it was built for; another version is an error naming the plugin."""
    description: str = ""
    """One line for listings."""


@frozen(kw_only=True)
class Ruleset:
    """One fiscal year's rules, validated and pinned (what ``validate_agreement`` receives)."""

    spec: RulesetSpec
    """The contents of ``ruleset.toml``."""
    annexes: tuple[Annex, ...]
    """The annexes' standard plans, by kind."""
    sha256: str
    """SHA-256 of the canonical content."""
    path: Path = attrs.field(eq=False)
    """The folder it was loaded from."""
    provider: str = attrs.field(default="", eq=False)
    """The plugin that offered it ("" when loaded from a path)."""

    @property
    def fiscal_year(self) -> str:
        """``"2024-25"``."""
        return self.spec.fiscal_year

    @property
    def version(self) -> str:
        """The ruleset's own version."""
        return self.spec.version

    def annex(self, kind: str) -> Annex | None:
        """The standard plan of annex ``kind``, if the ruleset ships one."""
        for annex in self.annexes:
            if annex.kind == kind:
                return annex
        return None

    def identity(self) -> dict[str, str]:
        """What every scorecard carries: fiscal year, version, hash."""
        return {"fiscal_year": self.fiscal_year, "version": self.version, "sha256": self.sha256}
