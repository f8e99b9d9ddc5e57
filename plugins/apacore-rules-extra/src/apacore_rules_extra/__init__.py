"""apacore-rules-extra: two scoring rules apacore does not have, selectable per indicator.

* ``yes_no`` — full marks or none. An indicator is done when its achievement is a
  positive figure or a date (``1`` meeting held, ``2024-09-12`` policy adopted), and not
  done when it is 0 or nothing was reported. Select it with ``rule = "yes_no"``; the
  indicator needs no tiers and no target (a target, if given, is shown as the annual
  target but does not change the score).
* ``deadline_grace`` — a date target with a grace period. 100 on or before the target
  date, then linearly down to 0 over ``rule_params.grace_days`` whole days:
  ``raw = 100 × (grace − days late) / grace``, 0 from ``grace`` days late on, 0 when not
  completed. Select it with ``rule = "deadline_grace"``, ``target = <date>`` and
  ``rule_params = { grace_days = "7" }``.

Both are exact (``fractions.Fraction``) and monotone; both are checked when an
agreement is loaded (``validate_agreement``), so a missing ``grace_days`` is an error
naming the file, the indicator and this plugin before anything is scored. Both return a
trace (their own wording in English and Bengali, :data:`TEXTS`, and the exact values), so
``apacore explain --lang bn`` words them in Bengali; ``yes_no`` brings its own progress
(done: 100 %, else 0 %).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

from apacore.errors import ScoringError
from apacore.formatting import format_value
from apacore.loading.rulesets import Ruleset
from apacore.models import Agreement, Area, Indicator
from apacore.numbers import to_ascii_digits
from apacore.plugins.contract import (
    Achievement,
    Progress,
    RuleContext,
    RuleResult,
    RuleTrace,
    ScoringRule,
    Step,
    Text,
)
from apacore.plugins.hookspecs import hookimpl
from apacore.tier_direction import resolve_direction

__all__ = [
    "RULES",
    "TEXTS",
    "apacore_testing_indicators",
    "grace_days",
    "indicator_problem",
    "progress_yes_no",
    "register_scoring_rules",
    "score_deadline_grace",
    "score_yes_no",
    "validate_agreement",
]

__version__ = "0.2.1"

_WHOLE = re.compile(r"^[0-9]+$")
_GRACE_PARAMS = frozenset({"grace_days"})


TEXTS: dict[str, Text] = {
    "zero": Text(en="0", bn="০"),
    "hundred": Text(en="100", bn="১০০"),
    "nothing": Text(en="not done (nothing reported)", bn="সম্পন্ন হয়নি (কিছু লেখা নেই)"),
    "done": Text(en="done ({value})", bn="সম্পন্ন ({value})"),
    "yes": Text(en="100 (yes: done)", bn="১০০ (হ্যাঁ: সম্পন্ন)"),
    "not_done": Text(en="not done (0)", bn="সম্পন্ন হয়নি (০)"),
    "no": Text(en="0 (no: not done)", bn="০ (না: সম্পন্ন হয়নি)"),
    "progress": Text(en="progress: {pct}% (yes/no)", bn="অগ্রগতি: {pct}% (হ্যাঁ/না)"),
    "not_completed": Text(en="not completed", bn="সম্পন্ন হয়নি"),
    "on_time": Text(
        en="done {done}, on or before {target}", bn="{done} তারিখে সম্পন্ন, {target} বা তার আগে"
    ),
    "past_grace": Text(
        en="done {done}, {late} days after {target}: past the {grace}-day grace period",
        bn="{done} তারিখে সম্পন্ন, {target} এর {late} দিন পরে: {grace} দিনের অতিরিক্ত সময়ের পরে",
    ),
    "past_grace_formula": Text(
        en="0 ({late} ≥ {grace} days late)", bn="০ ({late} ≥ {grace} দিন দেরি)"
    ),
    "within_grace": Text(
        en="done {done}, {late} {days} after {target}, within the {grace}-day grace period",
        bn="{done} তারিখে সম্পন্ন, {target} এর {late} দিন পরে, {grace} দিনের অতিরিক্ত সময়ের মধ্যে",
    ),
    "within_grace_formula": Text(
        en="100 × ({grace} − {late}) / {grace} = {raw}",
        bn="১০০ × ({grace} − {late}) / {grace} = {raw}",
    ),
}
"""This plugin's wording, English and Bengali (apacore renders it with the exact values)."""


def _result(score: Fraction, bracket: str, formula: str, /, **values: object) -> RuleResult:
    return RuleResult(score, RuleTrace(Step(TEXTS[bracket], values), Step(TEXTS[formula], values)))


# --------------------------------------------------------------------------- yes_no


def _yes_no_problem(indicator: Indicator) -> str | None:
    """Why ``yes_no`` cannot score ``indicator``, or None."""
    if indicator.milestones is not None:
        return (
            "rule 'yes_no' scores one figure or one date, not dated milestones"
            " (use rule 'milestones')"
        )
    direction = indicator.direction
    if indicator.tiers is not None:
        try:
            direction = resolve_direction(indicator.tiers, indicator.direction)
        except ScoringError as exc:
            return exc.why
        if all(isinstance(v, dt.date) for v in indicator.tiers if v is not None):
            direction = None  # dates: done or not
    if direction == "lower":
        return (
            "rule 'yes_no' counts a positive figure as done, so it cannot score an"
            " indicator where lower is better"
        )
    return None


def score_yes_no(
    indicator: Indicator, achievement: Achievement, context: RuleContext
) -> RuleResult:
    """Full marks or none: a positive figure or a date is done (100); 0 or nothing is not (0)."""
    problem = _yes_no_problem(indicator)
    if problem is not None:
        raise ScoringError(f"{indicator.id}: {problem}")
    value = achievement.value
    if value is None:
        return _result(Fraction(0), "nothing", "zero")
    if isinstance(value, tuple):
        raise ScoringError(
            f"{indicator.id}: rule 'yes_no' scores one figure or one date, not"
            " milestone dates (use method 'sum' or 'date')"
        )
    if isinstance(value, dt.date):
        return _result(Fraction(100), "done", "yes", value=value)
    if value < 0:
        raise ScoringError(
            f"{indicator.id}: achievement {format_value(value)} is negative; a yes/no"
            " indicator is done (a positive figure or a date) or not (0)"
        )
    if value == 0:
        return _result(Fraction(0), "not_done", "no")
    return _result(Fraction(100), "done", "yes", value=value)


def progress_yes_no(
    indicator: Indicator, achievement: Achievement, raw: Fraction, context: RuleContext
) -> Progress:
    """A yes/no indicator's progress is all or nothing, as its score: done is 100 %."""
    return Progress(raw, Step(TEXTS["progress"], {"pct": raw}))


# --------------------------------------------------------------------------- deadline_grace


def grace_days(indicator: Indicator) -> int:
    """The indicator's ``rule_params.grace_days`` as whole days > 0; a ScoringError otherwise.

    Values arrive as text (``"7"``; Bengali digits ``"৭"`` are read too).
    """
    params = indicator.rule_params
    unknown = sorted(set(params) - _GRACE_PARAMS)
    if unknown:
        raise ScoringError(
            f"{indicator.id}: unknown rule_params {', '.join(unknown)} (rule"
            " 'deadline_grace' reads only grace_days)"
        )
    raw = params.get("grace_days")
    if raw is None:
        raise ScoringError(
            f"{indicator.id}: rule 'deadline_grace' needs rule_params.grace_days,"
            " the whole days after the target over which the score falls to 0"
            ' (e.g. rule_params = { grace_days = "7" })'
        )
    text = to_ascii_digits(str(raw)).strip()
    if not _WHOLE.match(text) or int(text) <= 0:
        raise ScoringError(
            f"{indicator.id}: rule_params.grace_days must be a whole number of"
            f" days > 0, got {raw!r}"
        )
    return int(text)


def _deadline_problem(indicator: Indicator) -> str | None:
    """Why ``deadline_grace`` cannot score ``indicator``, or None."""
    if not isinstance(indicator.target, dt.date):
        return (
            "rule 'deadline_grace' needs a date target (target = 2025-03-31, unit 'date',"
            " method 'date')"
        )
    if indicator.tiers is not None or indicator.milestones is not None:
        return "rule 'deadline_grace' reads only the date target: remove tiers and milestones"
    try:
        grace_days(indicator)
    except ScoringError as exc:
        return exc.why.removeprefix(f"{indicator.id}: ")
    return None


def score_deadline_grace(
    indicator: Indicator, achievement: Achievement, context: RuleContext
) -> RuleResult:
    """100 on or before the target date, then linearly down to 0 over the grace days."""
    problem = _deadline_problem(indicator)
    if problem is not None:
        raise ScoringError(f"{indicator.id}: {problem}")
    target = indicator.target
    assert isinstance(target, dt.date)
    grace = grace_days(indicator)
    done = achievement.value
    if done is None:
        return _result(Fraction(0), "not_completed", "zero")
    if not isinstance(done, dt.date):
        raise ScoringError(
            f"{indicator.id}: rule 'deadline_grace' needs a completion date, got"
            f" {done!r} (use method 'date')"
        )
    late = (done - target).days
    values = {"done": done, "target": target, "late": late, "grace": grace}
    if late <= 0:
        return _result(Fraction(100), "on_time", "hundred", **values)
    if late >= grace:
        return _result(Fraction(0), "past_grace", "past_grace_formula", **values)
    raw = Fraction(100 * (grace - late), grace)
    days = "days" if late > 1 else "day"
    return _result(raw, "within_grace", "within_grace_formula", **values, days=days, raw=raw)


# --------------------------------------------------------------------------- hooks

RULES: tuple[ScoringRule, ...] = (
    ScoringRule(
        name="yes_no",
        name_bn="হ্যাঁ/না",
        score=score_yes_no,
        progress=progress_yes_no,
        description="full marks or none: a positive figure or a date is done",
    ),
    ScoringRule(
        name="deadline_grace",
        name_bn="সময়সীমা ও অতিরিক্ত সময়",
        score=score_deadline_grace,
        description="date target: 100 on time, then linear to 0 over rule_params.grace_days days",
    ),
)
"""The rules this plugin registers."""

_CHECKS: dict[str, Callable[[Indicator], str | None]] = {
    "yes_no": _yes_no_problem,
    "deadline_grace": _deadline_problem,
}


def indicator_problem(indicator: Indicator) -> str | None:
    """Why this plugin's rule cannot score ``indicator`` (None when it can, or uses another rule)."""
    check = _CHECKS.get(indicator.rule or "")
    return check(indicator) if check is not None else None


def _placed(areas: tuple[Area, ...], base: str) -> Iterator[tuple[str, Indicator]]:
    """Each indicator with a problem (:func:`indicator_problem`) and its ``$.path``: the
    path is written only for a problem (an agreement has none, usually)."""
    for a_i, area in enumerate(areas):
        for c_i, activity in enumerate(area.activities):
            for i_i, ind in enumerate(activity.indicators):
                problem = indicator_problem(ind)
                if problem is not None:
                    path = f"{base}[{a_i}].activities[{c_i}].indicators[{i_i}]"
                    yield f"{path} [{ind.id}]: {problem}", ind


@hookimpl
def register_scoring_rules(register: Callable[[ScoringRule], None]) -> None:
    """Register ``yes_no`` and ``deadline_grace``."""
    for rule in RULES:
        register(rule)


def apacore_testing_indicators() -> dict[str, Any]:
    """The indicators ``apacore.testing.plugin_tests`` and ``apacore plugins check`` try the
    rules on: ``yes_no`` also without a target; ``deadline_grace`` on date targets with
    ``rule_params.grace_days`` (1 to 60 days)."""
    from hypothesis import strategies as st

    import apacore.testing

    return {
        "yes_no": apacore.testing.indicators(
            kinds=("target", "date_target", "no_target"), rule="yes_no"
        ),
        "deadline_grace": apacore.testing.indicators(
            kinds=("date_target",),
            rule="deadline_grace",
            rule_params=st.integers(1, 60).map(lambda days: {"grace_days": str(days)}),
        ),
    }


@hookimpl
def validate_agreement(agreement: Agreement, ruleset: Ruleset) -> list[str]:
    """Indicators that select this plugin's rules can be scored by them (checked at load time)."""
    problems = [problem for problem, _ in _placed(agreement.areas, "$.areas")]
    for i, annex in enumerate(agreement.annexes):
        problems.extend(problem for problem, _ in _placed(annex.areas, f"$.annexes[{i}].areas"))
    return problems
