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
naming the file, the indicator and this plugin before anything is scored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction

from apacore.contract import Achievement, RuleContext, RuleResult, ScoringRule
from apacore.errors import ScoringError
from apacore.hookspecs import hookimpl
from apacore.models import Agreement, Area, Indicator
from apacore.numbers import to_ascii_digits
from apacore.rulesets import Ruleset
from apacore.scoring import resolve_direction, to_decimal

__all__ = [
    "RULES",
    "grace_days",
    "indicator_problem",
    "register_scoring_rules",
    "score_deadline_grace",
    "score_yes_no",
    "validate_agreement",
]

__version__ = "0.1.0"

_WHOLE = re.compile(r"^[0-9]+$")
_GRACE_PARAMS = frozenset({"grace_days"})


def _date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _number(value: Fraction | Decimal) -> str:
    d = to_decimal(value) if isinstance(value, Fraction) else value
    return format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")


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
        return RuleResult(raw=Fraction(0), bracket="not done (nothing reported)", formula="0")
    if isinstance(value, tuple):
        raise ScoringError(
            f"{indicator.id}: rule 'yes_no' scores one figure or one date, not"
            " milestone dates (use method 'sum' or 'date')"
        )
    if isinstance(value, dt.date):
        return RuleResult(
            raw=Fraction(100), bracket=f"done ({_date(value)})", formula="100 (yes: done)"
        )
    if value < 0:
        raise ScoringError(
            f"{indicator.id}: achievement {_number(value)} is negative; a yes/no"
            " indicator is done (a positive figure or a date) or not (0)"
        )
    if value == 0:
        return RuleResult(raw=Fraction(0), bracket="not done (0)", formula="0 (no: not done)")
    return RuleResult(
        raw=Fraction(100), bracket=f"done ({_number(value)})", formula="100 (yes: done)"
    )


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
        return RuleResult(raw=Fraction(0), bracket="not completed", formula="0")
    if not isinstance(done, dt.date):
        raise ScoringError(
            f"{indicator.id}: rule 'deadline_grace' needs a completion date, got"
            f" {done!r} (use method 'date')"
        )
    late = (done - target).days
    if late <= 0:
        return RuleResult(
            raw=Fraction(100),
            bracket=f"done {_date(done)}, on or before {_date(target)}",
            formula="100",
        )
    if late >= grace:
        return RuleResult(
            raw=Fraction(0),
            bracket=f"done {_date(done)}, {late} days after {_date(target)}: past the"
            f" {grace}-day grace period",
            formula=f"0 ({late} ≥ {grace} days late)",
        )
    raw = Fraction(100 * (grace - late), grace)
    return RuleResult(
        raw=raw,
        bracket=f"done {_date(done)}, {late} day{'s' if late > 1 else ''} after {_date(target)},"
        f" within the {grace}-day grace period",
        formula=f"100 × ({grace} − {late}) / {grace} = {_number(raw)}",
    )


# --------------------------------------------------------------------------- hooks

RULES: tuple[ScoringRule, ...] = (
    ScoringRule(
        name="yes_no",
        score=score_yes_no,
        description="full marks or none: a positive figure or a date is done",
    ),
    ScoringRule(
        name="deadline_grace",
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
    check = _CHECKS.get(indicator.scoring_rule)
    return check(indicator) if check is not None else None


def _placed(areas: tuple[Area, ...], base: str) -> Iterator[tuple[str, Indicator]]:
    for a_i, area in enumerate(areas):
        for c_i, activity in enumerate(area.activities):
            for i_i, ind in enumerate(activity.indicators):
                yield f"{base}[{a_i}].activities[{c_i}].indicators[{i_i}]", ind


@hookimpl
def register_scoring_rules(register: Callable[[ScoringRule], None]) -> None:
    """Register ``yes_no`` and ``deadline_grace``."""
    for rule in RULES:
        register(rule)


@hookimpl
def validate_agreement(agreement: Agreement, ruleset: Ruleset) -> list[str]:
    """Indicators that select this plugin's rules can be scored by them (checked at load time)."""
    problems = []
    places = list(_placed(agreement.areas, "$.areas"))
    for i, annex in enumerate(agreement.annexes):
        places.extend(_placed(annex.areas, f"$.annexes[{i}].areas"))
    for path, ind in places:
        problem = indicator_problem(ind)
        if problem is not None:
            problems.append(f"{path} [{ind.id}]: {problem}")
    return problems
