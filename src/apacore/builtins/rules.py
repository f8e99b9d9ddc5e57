"""The built-in scoring rules: tiers, single target, dated milestones.

Each rule turns an indicator's annual :class:`~apacore.plugins.contract.Achievement` into an
exact raw score with its trace; the arithmetic is in :mod:`apacore.engine.scoring`. Each rule
also owns its notion of progress (DOMAIN.md rule 4), from :mod:`apacore.engine.progress`:
achievement / annual target × 100 (a deadline's progress is its raw score) for tiers and
single targets, the share completed for milestones. This module is a plugin registered
like any other (:data:`apacore.plugins.host.DEFAULT_PLUGINS`); a ministry's rules are added the
same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from apacore.engine.progress import milestone_progress, prepare_target_progress, target_progress
from apacore.engine.scoring import (
    Achieved,
    exact_fraction,
    milestone_score,
    prepare_tiers,
    single_target_raw,
    single_target_score,
    tier_result,
)
from apacore.errors import ScoringError
from apacore.models import Indicator
from apacore.plugins.contract import (
    Achievement,
    RuleContext,
    RuleResult,
    ScoringRule,
)
from apacore.plugins.hookspecs import hookimpl

__all__ = [
    "BUILTIN_RULES",
    "score_milestones",
    "score_single_target",
    "score_tiers",
]


def _rule_name(indicator: Indicator) -> str:
    from apacore.plugins.host import get_registry

    return get_registry().rule_name_for(indicator)


def _single(indicator: Indicator, achievement: Achievement) -> Achieved | None:
    """The one achievement a rule scores: the exact Fraction behind a rounded Decimal where
    the method gives one, else the value as it is (shown as given in the trace)."""
    exact = achievement.exact
    if exact is not None:
        return exact
    value = achievement.value
    if isinstance(value, tuple):
        raise ScoringError(
            f"{indicator.id}: milestone dates cannot be scored by rule {_rule_name(indicator)!r}"
        )
    return value


def score_tiers(indicator: Indicator, achievement: Achievement, context: RuleContext) -> RuleResult:
    """Five tiers: interpolation between adjacent present tiers (dates: policy ``date``)."""
    if indicator.tiers is None:
        raise ScoringError(f"{indicator.id}: rule 'tiers' needs tiers")
    return tier_result(
        _single(indicator, achievement),
        indicator.tiers,
        scores=context.tier_scores,
        direction=indicator.direction,
        date_policy=context.policies.date,
    )


def prepare_tiers_rule(
    indicator: Indicator, context: RuleContext
) -> Callable[[Achievement], Fraction] | None:
    """The tiers compiled once per indicator (the scoring plan's fast path)."""
    if indicator.tiers is None:
        return None
    raw_of = prepare_tiers(
        indicator.tiers,
        scores=context.tier_scores,
        direction=indicator.direction,
        date_policy=context.policies.date,
    )

    def raw(achievement: Achievement) -> Fraction:
        return raw_of(_single(indicator, achievement))

    return raw


def score_single_target(
    indicator: Indicator, achievement: Achievement, context: RuleContext
) -> RuleResult:
    """A single annual target: ``min(A / T, 1) × 100``; a date: 100 on or before it, else 0."""
    if indicator.target is None:
        raise ScoringError(f"{indicator.id}: rule 'single_target' needs a target")
    value = _single(indicator, achievement)
    return single_target_score(value, indicator.target, direction=indicator.direction)


_ZERO, _FULL = Fraction(0), Fraction(100)


def _prepare_deadline(
    indicator: Indicator, deadline: dt.date, context: RuleContext
) -> Callable[[Achievement], Fraction]:
    """A date target's fast path: 100 on or before the deadline, else 0; anything but
    one date (or nothing) goes through ``score``, which says what is wrong."""

    def raw(achievement: Achievement) -> Fraction:
        value = achievement.value if achievement.exact is None else achievement.exact
        if type(value) is dt.date:
            return _FULL if value <= deadline else _ZERO
        if value is None:
            return _ZERO
        return score_single_target(indicator, achievement, context).raw

    return raw


def prepare_single_target(
    indicator: Indicator, context: RuleContext
) -> Callable[[Achievement], Fraction] | None:
    """A single target's fast path: the raw score only (``score`` gives the trace)."""
    target = indicator.target
    if target is None:
        return None
    if isinstance(target, dt.date):
        return _prepare_deadline(indicator, target, context)
    zero, full = _ZERO, _FULL
    direction = indicator.direction
    if direction == "lower" or not target > 0:
        return None  # refused by score, with its message
    tn, td = target.as_integer_ratio()

    def raw(achievement: Achievement) -> Fraction:
        exact = achievement.exact
        if exact is not None:  # the Fraction behind a rounded quotient
            an, ad = exact.numerator, exact.denominator
            if an < 0:
                return single_target_raw(exact, target, direction)  # refuses it
        else:
            value = achievement.value
            if value is None:
                return zero
            if type(value) is not Decimal:
                _single(indicator, achievement)
                return single_target_raw(value, target, direction)  # type: ignore[arg-type]
            an, ad = value.as_integer_ratio()
            if an < 0:
                return single_target_raw(value, target, direction)  # refuses it
        if an * td >= tn * ad:
            return full
        return exact_fraction(100 * an * td, ad * tn)

    return raw


def score_milestones(
    indicator: Indicator, achievement: Achievement, context: RuleContext
) -> RuleResult:
    """A count of dated milestones: the share met on time."""
    if indicator.milestones is None:
        raise ScoringError(f"{indicator.id}: rule 'milestones' needs milestones")
    value = achievement.value
    if value is None:
        value = ()
    if not isinstance(value, tuple):
        raise ScoringError(
            f"{indicator.id}: rule 'milestones' needs completion dates (method 'milestones')"
        )
    return milestone_score(value, indicator.milestones)


BUILTIN_RULES: tuple[ScoringRule, ...] = (
    ScoringRule(
        name="tiers",
        name_bn="লক্ষ্যমাত্রার স্তর",
        score=score_tiers,
        uses_tiers=True,
        description="five tiers, linear interpolation; dates by policy",
        prepare=prepare_tiers_rule,
        default_for=lambda ind: ind.tiers is not None,
        progress=target_progress,
        prepare_progress=prepare_target_progress,
    ),
    ScoringRule(
        name="single_target",
        name_bn="একক লক্ষ্যমাত্রা",
        score=score_single_target,
        description="min(achievement / target, 1) × 100; dates: on time or 0",
        prepare=prepare_single_target,
        default_for=lambda ind: ind.tiers is None and ind.milestones is None,
        progress=target_progress,
        prepare_progress=prepare_target_progress,
    ),
    ScoringRule(
        name="milestones",
        name_bn="মাইলফলক",
        score=score_milestones,
        accepts={"dates"},
        description="share of dated milestones met on time",
        default_for=lambda ind: ind.tiers is None and ind.milestones is not None,
        progress=milestone_progress,
    ),
)


@hookimpl
def register_scoring_rules(register: Callable[[ScoringRule], None]) -> None:
    """Register the built-in rules."""
    for rule in BUILTIN_RULES:
        register(rule)
