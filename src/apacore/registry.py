"""What plugins register, and the registry that holds it.

A plugin contributes :class:`CalculationMethod`, :class:`ScoringRule` and
:class:`AnnexType` objects through the collecting hooks of :mod:`apacore.hookspecs`
(``register_calculation_methods(register)`` …). The host calls each plugin's hook on
its own, so that a plugin that raises, or registers a name another plugin already has,
is reported by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol, Union

import attrs

from apacore.errors import ApacoreError, PluginError
from apacore.limits import computed_problem
from apacore.models import Indicator, Policies
from apacore.numbers import Reading
from apacore.scoring import DEFAULT_TIER_SCORES, RuleResult

__all__ = [
    "Achievement",
    "AchievementValue",
    "AnnexType",
    "CalculationMethod",
    "Registry",
    "RuleContext",
    "ScoringRule",
]

AchievementValue = Union[Decimal, dt.date, tuple[dt.date, ...], None]
"""An annual achievement: a number, a completion date, milestone dates, or None (nothing reported)."""


def achievement_problem(value: object) -> str | None:
    """Why a plugin's achievement value cannot be scored (the host checks it as soon as the
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


def _apa_weight(inst: object, attribute: object, value: Decimal | None) -> None:
    if value is None:
        return
    if not isinstance(value, Decimal) or not value.is_finite() or not value > 0:
        raise ValueError(f"apa_weight must be a Decimal > 0 (or None), got {value!r}")


def _patterns(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):  # one pattern where a list is due: never split into letters
        raise TypeError(f"titles must be a list of patterns, got {value!r}")
    return tuple(value)


@attrs.frozen(kw_only=True)
class AnnexType:
    """A kind of governance action plan (annex)."""

    kind: str
    """The key agreements and rulesets use (``egov``)."""
    name_en: str
    """English name."""
    name_bn: str = ""
    """Bengali name."""
    apa_weight: Decimal | None = attrs.field(default=None, validator=_apa_weight)
    """Its usual APA weight, used when a ruleset does not ship a plan for it."""
    titles: tuple[str, ...] = attrs.field(default=(), converter=_patterns)
    """Regular expressions (case-insensitive) matching the title above the annex's table
    in the documents: ``apacore import --annex auto`` recognises the annex by them."""


def _check_name(name: object, what: str, plugin: str) -> str:
    if (
        not isinstance(name, str)
        or not name
        or not name.replace("_", "").replace("-", "").isalnum()
    ):
        raise PluginError(
            f"registered {what} with an invalid name {name!r}", where=f"plugin {plugin}"
        )
    return name


@attrs.define
class Registry:
    """Every calculation method, scoring rule and annex type, with the plugin that gave it."""

    methods: dict[str, CalculationMethod] = attrs.field(factory=dict)
    rules: dict[str, ScoringRule] = attrs.field(factory=dict)
    annex_types: dict[str, AnnexType] = attrs.field(factory=dict)
    owners: dict[tuple[str, str], str] = attrs.field(factory=dict)
    """(what, name) → plugin name."""

    def add(self, what: str, item: Any, plugin: str) -> None:
        """Add ``item`` (a method, rule or annex type) from ``plugin``; a second owner is an error."""
        table: dict[str, Any]
        expected: type
        if what == "calculation method":
            table, expected, key = self.methods, CalculationMethod, "name"
        elif what == "scoring rule":
            table, expected, key = self.rules, ScoringRule, "name"
        else:
            table, expected, key = self.annex_types, AnnexType, "kind"
        if not isinstance(item, expected):
            raise PluginError(
                f"registered a {what} that is not an apacore.{expected.__name__}: {item!r}",
                where=f"plugin {plugin}",
            )
        name = _check_name(getattr(item, key), what, plugin)
        if name in table:
            first = self.owners[(what, name)]
            raise PluginError(
                f"{what} {name!r} is registered by both plugin {first} and plugin {plugin}"
            )
        table[name] = item  # type: ignore[assignment]  # checked by isinstance above
        self.owners[(what, name)] = plugin

    def method(self, name: str) -> CalculationMethod:
        """The calculation method ``name``; an error lists the known ones."""
        try:
            return self.methods[name]
        except KeyError:
            raise ApacoreError(
                f"unknown calculation method {name!r} (known: {', '.join(sorted(self.methods))})"
            ) from None

    def rule(self, name: str) -> ScoringRule:
        """The scoring rule ``name``; an error lists the known ones."""
        try:
            return self.rules[name]
        except KeyError:
            raise ApacoreError(
                f"unknown scoring rule {name!r} (known: {', '.join(sorted(self.rules))})"
            ) from None

    def owner(self, what: str, name: str) -> str:
        """The plugin that registered ``name``."""
        return self.owners.get((what, name), "?")
