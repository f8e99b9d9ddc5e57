"""Progress (DOMAIN.md rule 4): how much of the year's target is achieved so far.

A scoring rule owns its notion of progress (``ScoringRule.progress``); these are the notions
the built-in rules use, and :func:`default_progress` is the one the engine gives a plugin's
rule that defines none: the share completed for dated milestones, else achievement / annual
target × 100 (uncapped), where a deadline's progress is its raw score and the ruleset's
policy ``lower_is_better_progress`` decides where lower is better.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from apacore.engine.scoring import exact_fraction
from apacore.models import Indicator
from apacore.plugins.contract import Achievement, Progress, RuleContext
from apacore.tier_direction import resolve_direction
from apacore.trace import Step, Text

__all__ = [
    "PROGRESS_TEXTS",
    "default_progress",
    "milestone_progress",
    "prepare_target_progress",
    "target_progress",
]


PROGRESS_TEXTS = {
    "ratio": Text(en="progress = {a} / {t} × 100 = {pct}%", bn="অগ্রগতি = {a} / {t} × ১০০ = {pct}%"),
    "no_target": Text(en="progress: no annual target", bn="অগ্রগতি: বার্ষিক লক্ষ্যমাত্রা নেই"),
    "deadline": Text(
        en="progress of a deadline: the evaluation's raw score = {pct}%",
        bn="সময়সীমার অগ্রগতি: মূল্যায়নের কাঁচা স্কোর = {pct}%",
    ),
    "undefined": Text(
        en="progress: not defined for this achievement",
        bn="অগ্রগতি: এই অর্জনের জন্য সংজ্ঞায়িত নয়",
    ),
    "lower": Text(
        en="progress: not defined where lower is better",
        bn="অগ্রগতি: যেখানে কম হওয়াই ভালো সেখানে সংজ্ঞায়িত নয়",
    ),
    "lower_raw": Text(
        en="progress where lower is better: the evaluation's raw score = {pct}%"
        " (policy lower_is_better_progress)",
        bn="কম হওয়াই ভালো এমন সূচকের অগ্রগতি: মূল্যায়নের কাঁচা স্কোর = {pct}%",
    ),
    "zero_target": Text(en="progress: the annual target is 0", bn="অগ্রগতি: বার্ষিক লক্ষ্যমাত্রা ০"),
    "not_reported": Text(en="progress = 0% (not reported)", bn="অগ্রগতি = ০% (প্রতিবেদন নেই)"),
    "milestones": Text(
        en="progress = {done} of {due} milestones × 100 = {pct}%",
        bn="অগ্রগতি = {due}টি মাইলফলকের {done}টি × ১০০ = {pct}%",
    ),
}
"""The wording of the progress steps (rendered by apacore.engine.explain)."""


_LOWER: dict[int, tuple[Indicator, bool]] = {}


def _lower_is_better(indicator: Indicator) -> bool:
    tiers = indicator.tiers
    if tiers is None:
        return indicator.direction == "lower"
    known = _LOWER.get(id(indicator))
    if known is not None and known[0] is indicator:  # indicators are immutable
        return known[1]
    lower = resolve_direction(tiers, indicator.direction) == "lower"
    if len(_LOWER) >= 4096:
        _LOWER.clear()
    _LOWER[id(indicator)] = (indicator, lower)
    return lower


def target_progress(
    indicator: Indicator, achievement: Achievement, raw: Fraction, context: RuleContext
) -> Progress:
    """Progress = achievement so far / annual target × 100, uncapped (DOMAIN.md rule 4).

    A deadline has no "achievement so far" to divide: its progress is the evaluation's raw
    score. Where lower is better the ruleset's policy ``lower_is_better_progress`` decides:
    ``"none"`` (no progress, so no progress marks) or ``"raw_score"`` (as for deadlines).
    """
    texts = PROGRESS_TEXTS
    target = indicator.annual_target
    value = achievement.value
    exact = achievement.exact  # the Fraction behind a rounded quotient: computed with
    if type(target) is Decimal and type(value) is Decimal:  # the usual case, first
        if target > 0 and not _lower_is_better(indicator):
            an, ad = value.as_integer_ratio() if exact is None else exact.as_integer_ratio()
            tn, td = target.as_integer_ratio()
            pct = exact_fraction(100 * an * td, ad * tn)
            return Progress(pct, Step(texts["ratio"], {"a": value, "t": target, "pct": pct}))
    if target is None:
        return Progress(None, Step(texts["no_target"]))
    if isinstance(target, dt.date):
        return Progress(raw, Step(texts["deadline"], {"pct": raw}))
    if isinstance(value, (dt.date, tuple)):
        return Progress(None, Step(texts["undefined"]))
    if _lower_is_better(indicator):
        if context.policies.lower_is_better_progress == "raw_score":
            return Progress(raw, Step(texts["lower_raw"], {"pct": raw}))
        return Progress(None, Step(texts["lower"]))
    if not target > 0:
        return Progress(None, Step(texts["zero_target"]))
    if value is None:
        return Progress(Fraction(0), Step(texts["not_reported"]))
    an, ad = value.as_integer_ratio() if exact is None else exact.as_integer_ratio()
    tn, td = target.as_integer_ratio()
    pct = exact_fraction(100 * an * td, ad * tn)
    return Progress(pct, Step(texts["ratio"], {"a": value, "t": target, "pct": pct}))


def prepare_target_progress(
    indicator: Indicator, context: RuleContext
) -> Callable[[Achievement, Fraction], Fraction | None] | None:
    """:func:`target_progress` compiled once per indicator, for a numeric target where more is
    better (the plan's fast path; every other case goes through :func:`target_progress`)."""
    target = indicator.annual_target
    if type(target) is dt.date:  # a deadline: its progress is the raw score
        return _deadline_progress
    if type(target) is not Decimal or not target > 0 or _lower_is_better(indicator):
        return None
    tn, td = target.as_integer_ratio()
    zero = _ZERO

    def pct(achievement: Achievement, raw: Fraction) -> Fraction | None:
        value = achievement.value
        if type(value) is Decimal:
            exact = achievement.exact
            an, ad = value.as_integer_ratio() if exact is None else exact.as_integer_ratio()
            n, d = 100 * an * td, ad * tn
            rn, rd = raw.as_integer_ratio()
            if n * rd == rn * d:  # a single target not yet reached: progress is the raw score
                return raw
            return exact_fraction(n, d)
        if value is None:
            return zero
        return None  # a date or dates against a numeric target: no progress

    return pct


_ZERO = Fraction(0)


def _deadline_progress(achievement: Achievement, raw: Fraction) -> Fraction | None:
    """:func:`target_progress`'s percentage for a date target: the raw score."""
    return raw


def milestone_progress(
    indicator: Indicator, achievement: Achievement, raw: Fraction, context: RuleContext
) -> Progress:
    """Dated milestones progress by the share completed, on time or not."""
    due = len(indicator.milestones or ())
    if not due:
        return Progress(None, Step(PROGRESS_TEXTS["no_target"]))
    value = achievement.value
    done = len(value) if isinstance(value, tuple) else 0
    pct = Fraction(done, due) * 100
    return Progress(pct, Step(PROGRESS_TEXTS["milestones"], {"done": done, "due": due, "pct": pct}))


def default_progress(
    indicator: Indicator, achievement: Achievement, raw: Fraction, context: RuleContext
) -> Progress:
    """The progress of a rule that defines none: the share completed for dated milestones,
    else :func:`target_progress`."""
    if indicator.milestones is not None:
        return milestone_progress(indicator, achievement, raw, context)
    return target_progress(indicator, achievement, raw, context)
