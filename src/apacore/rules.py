"""The built-in scoring rules: tiers, single target, dated milestones.

Each rule turns an indicator's annual :class:`~apacore.contract.Achievement` into an
exact raw score with its bracket and formula; the arithmetic is in
:mod:`apacore.scoring`. Plugins add rules of their own the same way.
"""

from __future__ import annotations

import datetime as dt

from apacore.contract import Achievement, RuleContext, RuleResult, ScoringRule
from apacore.errors import ScoringError
from apacore.models import Indicator
from apacore.scoring import milestone_score, single_target_score, tier_result

__all__ = ["BUILTIN_RULES", "score_milestones", "score_single_target", "score_tiers"]


def _single(indicator: Indicator, achievement: Achievement) -> dt.date | object | None:
    value = achievement.value
    if isinstance(value, tuple):
        raise ScoringError(
            f"{indicator.id}: milestone dates cannot be scored by rule {indicator.scoring_rule!r}"
        )
    return value


def score_tiers(indicator: Indicator, achievement: Achievement, context: RuleContext) -> RuleResult:
    """Five tiers: interpolation between adjacent present tiers (dates: policy ``date``)."""
    if indicator.tiers is None:
        raise ScoringError(f"{indicator.id}: rule 'tiers' needs tiers")
    value = _single(indicator, achievement)
    return tier_result(
        value,  # type: ignore[arg-type]
        indicator.tiers,
        scores=context.tier_scores,
        direction=indicator.direction,
        date_policy=context.policies.date,
    )


def score_single_target(
    indicator: Indicator, achievement: Achievement, context: RuleContext
) -> RuleResult:
    """A single annual target: ``min(A / T, 1) × 100``; a date: 100 on or before it, else 0."""
    if indicator.target is None:
        raise ScoringError(f"{indicator.id}: rule 'single_target' needs a target")
    value = _single(indicator, achievement)
    return single_target_score(value, indicator.target, direction=indicator.direction)  # type: ignore[arg-type]


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
        score=score_tiers,
        uses_tiers=True,
        description="five tiers, linear interpolation; dates by policy",
    ),
    ScoringRule(
        name="single_target",
        score=score_single_target,
        description="min(achievement / target, 1) × 100; dates: on time or 0",
    ),
    ScoringRule(
        name="milestones",
        score=score_milestones,
        accepts={"dates"},
        description="share of dated milestones met on time",
    ),
)
