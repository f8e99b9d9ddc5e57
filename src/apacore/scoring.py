"""Raw scores: tier interpolation, deadlines, single targets, dated milestones.

All arithmetic is exact (:class:`fractions.Fraction`); a result becomes a
:class:`~decimal.Decimal` only when it leaves this module, to the precision of the
current decimal context. Dates are scored over whole days (their ordinals).

The rules (DOMAIN.md "Scoring rules", docs/scoring.md has a worked example of each):

* tiers, at or better than the best present tier: that tier's score (100, no bonus);
* between two adjacent present tiers: linear interpolation
  ``p_lo + (p_hi - p_lo) * (A - v_lo) / (v_hi - v_lo)``;
* exactly at the lowest present tier: its score; worse: 0;
* two adjacent tiers with one value: the higher score;
* dates: earlier is better; ``date_policy="step"`` awards the best tier whose deadline
  was met instead of interpolating; not completed: 0;
* single target: ``min(A / T, 1) * 100``; a date target: 100 on or before it, else 0;
* dated milestones: the share met on time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Union

import attrs

from apacore.errors import ParseError, ScoringError
from apacore.models import TIER_KEYS, TierValue, Value
from apacore.numbers import Marker, parse_value

__all__ = [
    "DEFAULT_TIER_SCORES",
    "RuleResult",
    "milestone_score",
    "single_target_score",
    "tier_result",
    "tier_score",
    "to_decimal",
]

DEFAULT_TIER_SCORES: tuple[Decimal, ...] = tuple(Decimal(s) for s in (100, 90, 80, 70, 60))
"""Scores of excellent, very good, good, fair, poor."""

TIER_LABELS = {
    "excellent": "excellent",
    "very_good": "very good",
    "good": "good",
    "fair": "fair",
    "poor": "poor",
}

RawInput = Union[int, Decimal, dt.date, str, None]


@attrs.frozen(kw_only=True)
class RuleResult:
    """An exact raw score with the bracket and formula that produced it."""

    raw: Fraction
    """Raw score in [0, 100], exact."""
    bracket: str
    """Where the achievement fell (``between good (20 → 80) and very good (25 → 90)``)."""
    formula: str
    """The arithmetic, with the numbers filled in."""


def to_decimal(value: Fraction) -> Decimal:
    """``value`` as a Decimal: exact when it terminates within the context, else rounded by it."""
    if value.denominator == 1:
        return Decimal(value.numerator)
    return Decimal(value.numerator) / Decimal(value.denominator)


def _fmt(value: Fraction | Decimal | dt.date) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Fraction):
        value = to_decimal(value)
    text = format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return text


def _read(value: RawInput, what: str) -> Value | None:
    """An int, Decimal, date or parseable string as a Value; None/"-" for nothing."""
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, float):
        raise ScoringError(
            f"{what}: {value!r} is not accepted (binary floats and bools are not values)"
        )
    try:
        parsed = parse_value(value)
    except ParseError as exc:
        raise ScoringError(f"{what}: {exc.why}") from None
    if parsed is Marker.NOT_REPORTED:
        return None
    if parsed is Marker.NOT_APPLICABLE:
        raise ScoringError(f"{what}: 'not applicable' has no score")
    assert isinstance(parsed, (Decimal, dt.date))
    if isinstance(parsed, dt.datetime):
        raise ScoringError(f"{what}: a datetime is not a date")
    return parsed


def _as_fraction(value: Value) -> Fraction:
    if isinstance(value, dt.date):
        return Fraction(value.toordinal())
    return Fraction(value)


def _tier_list(tiers: Sequence[RawInput] | Mapping[str, RawInput]) -> list[Value | None]:
    if isinstance(tiers, Mapping):
        unknown = set(tiers) - set(TIER_KEYS)
        if unknown:
            raise ScoringError(f"tiers: unknown tier(s) {', '.join(sorted(map(str, unknown)))}")
        return [_read(tiers.get(k), f"tiers.{k}") for k in TIER_KEYS]
    if (
        isinstance(tiers, (str, bytes))
        or not isinstance(tiers, Sequence)  # None, an int, a generator: never guessed
        or len(tiers) != len(TIER_KEYS)
    ):
        raise ScoringError(
            "tiers: give five values (excellent, very good, good, fair, poor), None for a blank tier"
        )
    return [_read(v, f"tiers[{i}]") for i, v in enumerate(tiers)]


def _prefix(what: str) -> str:
    return f"{what}: " if what else ""


def resolve_direction(
    tiers: Sequence[TierValue], explicit: str | None, *, what: str = "tiers"
) -> str:  # ``what`` prefixes messages ("" when the caller's path already names the tiers)
    """``higher`` or ``lower``: from the tier values, checked against ``explicit``.

    Decreasing values (excellent largest) mean higher is better. Dates must run from
    the earliest (excellent) to the latest: earlier is better. Values that go both ways
    are an error, and so is an explicit direction the values contradict.
    """
    present = [v for v in tiers if v is not None]
    is_date = bool(present) and isinstance(present[0], dt.date)
    nums = [_as_fraction(v) for v in present]
    down = any(a > b for a, b in zip(nums, nums[1:]))
    up = any(a < b for a, b in zip(nums, nums[1:]))

    def shown() -> str:  # only for messages: formatting is most of the cost of a call
        return ", ".join(_fmt(v) for v in present)

    if down and up:
        raise ScoringError(f"{_prefix(what)}values are not monotone ({shown()})")
    derived = "higher" if down else "lower" if up else None
    if is_date:
        if derived == "higher":
            raise ScoringError(
                f"{_prefix(what)}deadlines must run from the earliest (excellent) to the latest ({shown()})"
            )
        derived = "lower"
    if explicit is not None and derived is not None and explicit != derived:
        raise ScoringError(
            f"{_prefix(what)}direction {explicit!r} contradicts the tier values ({shown()})"
        )
    if explicit not in (None, "higher", "lower"):
        raise ScoringError(f"direction: must be 'higher' or 'lower', got {explicit!r}")
    return explicit or derived or "higher"


_Point = tuple[str, Fraction, Fraction, Value]  # tier key, score, signed value, value as given


def _prepare(
    achievement: Value | None,
    tiers: Sequence[TierValue],
    scores: Sequence[Decimal],
    direction: str | None,
    date_policy: str,
) -> tuple[list[_Point], bool, Fraction | None]:
    """The present tiers as signed points (higher is better), whether they are dates, and
    the signed achievement (None: not achieved)."""
    if date_policy not in ("linear", "step"):
        raise ScoringError(f"date_policy: must be 'linear' or 'step', got {date_policy!r}")
    way = resolve_direction(tiers, direction)
    sign = 1 if way == "higher" else -1
    points = [
        (TIER_KEYS[i], Fraction(scores[i]), sign * _as_fraction(v), v)
        for i, v in enumerate(tiers)
        if v is not None
    ]
    is_date = isinstance(points[0][3], dt.date)
    if achievement is None:
        return points, is_date, None
    if isinstance(achievement, dt.date) != is_date:
        raise ScoringError(
            "achievement: "
            + ("a date" if isinstance(achievement, dt.date) else "a number")
            + " cannot be scored against "
            + ("date" if is_date else "number")
            + " tiers"
        )
    return points, is_date, sign * _as_fraction(achievement)


def _locate(points: list[_Point], a: Fraction, step: bool) -> tuple[Fraction, str, int]:
    """The raw score of ``a``, and where it fell: ``top``, ``at``, ``step``, ``between``
    (points[i - 1] and points[i]) or ``below``."""
    for i, (_, p, x, _) in enumerate(points):
        if a < x:
            continue
        if i == 0:
            return p, "top", i
        if a == x:
            return p, "at", i
        if step:
            return p, "step", i
        _, p_hi, x_hi, _ = points[i - 1]
        return p + (p_hi - p) * (a - x) / (x_hi - x), "between", i
    return Fraction(0), "below", len(points) - 1


def tier_result(
    achievement: Value | None,
    tiers: Sequence[TierValue],
    *,
    scores: Sequence[Decimal] = DEFAULT_TIER_SCORES,
    direction: str | None = None,
    date_policy: str = "linear",
) -> RuleResult:
    """Score ``achievement`` against five tier values, with the bracket and the formula;
    see the module docstring."""
    points, is_date, a = _prepare(achievement, tiers, scores, direction, date_policy)
    if a is None or achievement is None:
        return RuleResult(
            raw=Fraction(0),
            bracket="not achieved" + (" (not completed)" if is_date else ""),
            formula="0",
        )
    raw, where, i = _locate(points, a, is_date and date_policy == "step")
    key, p, x, shown = points[i]
    label = f"{TIER_LABELS[key]} ({_fmt(shown)} → {_fmt(p)})"
    if where == "top":
        better = a > x
        return RuleResult(
            raw=raw,
            bracket=f"{'better than' if better else 'at'} {label}",
            formula=f"{_fmt(p)} (no bonus above the best tier)" if better else _fmt(p),
        )
    if where in ("at", "step"):
        bracket = f"at {label}" if where == "at" else f"deadline of {label} met, step policy"
        return RuleResult(raw=raw, bracket=bracket, formula=_fmt(p))
    if where == "below":
        return RuleResult(raw=raw, bracket=f"worse than the lowest tier, {label}", formula="0")
    hi_key, p_hi, x_hi, hi_shown = points[i - 1]
    if is_date:
        span, late = abs(int(x_hi - x)), abs(int(a - x_hi))
        formula = f"{_fmt(p_hi)} − ({_fmt(p_hi)} − {_fmt(p)}) × {late}/{span} days = {_fmt(raw)}"
    else:
        formula = (
            f"{_fmt(p)} + ({_fmt(p_hi)} − {_fmt(p)}) × ({_fmt(achievement)} − {_fmt(shown)})"
            f" / ({_fmt(hi_shown)} − {_fmt(shown)}) = {_fmt(raw)}"
        )
    return RuleResult(
        raw=raw,
        bracket=f"between {label} and {TIER_LABELS[hi_key]} ({_fmt(hi_shown)} → {_fmt(p_hi)})",
        formula=formula,
    )


def tier_score(
    achievement: RawInput,
    tiers: Sequence[RawInput] | Mapping[str, RawInput],
    *,
    direction: str | None = None,
    date_policy: str = "linear",
) -> Decimal:
    """The exact, unrounded raw score in [0, 100] of ``achievement`` against five tiers.

    ``tiers`` lists the values of excellent, very good, good, fair and poor in that
    order (``None`` or ``"-"`` for a blank tier), or maps those keys to values.
    Values and the achievement may be ``int``, ``Decimal``, ``datetime.date`` or any
    string :func:`apacore.parse_value` reads (Bengali digits, ``"৮০%"``, ``"১৬/০৩/২৪"``).
    ``None`` or ``"-"`` as the achievement means not achieved (not completed): 0.
    ``direction`` (``"higher"``/``"lower"``) is only needed where the tiers cannot
    tell; one they contradict is an error. ``date_policy`` is ``"linear"`` (whole days)
    or ``"step"`` (best tier whose deadline was met).

    >>> tier_score(15, [30, 25, 20, 10, 5])
    Decimal('75')
    >>> tier_score("২৯.৯৭", ["৩০.০০", "২৯.৯৫", "২৯.৯০", "২৯.৮৫", "২৯.৮০"])
    Decimal('94')
    """
    values = _tier_list(tiers)
    if all(v is None for v in values):
        raise ScoringError("tiers: all five tiers are blank")
    if len({isinstance(v, dt.date) for v in values if v is not None}) > 1:
        raise ScoringError("tiers: mixes dates and numbers")
    points, is_date, a = _prepare(
        _read(achievement, "achievement"), values, DEFAULT_TIER_SCORES, direction, date_policy
    )
    if a is None:
        return Decimal(0)
    raw, _, _ = _locate(points, a, is_date and date_policy == "step")
    return to_decimal(raw)


def single_target_score(
    achievement: Value | None, target: Value, *, direction: str | None = None
) -> RuleResult:
    """Score against a single annual target (no tiers).

    Quantities: ``min(A / T, 1) × 100``. Dates: 100 on or before the date, else 0.
    """
    if achievement is None:
        return RuleResult(raw=Fraction(0), bracket="not achieved", formula="0")
    if isinstance(target, dt.date):
        if not isinstance(achievement, dt.date):
            raise ScoringError("achievement: a number cannot be scored against a date target")
        if achievement <= target:
            return RuleResult(
                raw=Fraction(100),
                bracket=f"done {_fmt(achievement)}, on or before {_fmt(target)}",
                formula="100",
            )
        return RuleResult(
            raw=Fraction(0),
            bracket=f"done {_fmt(achievement)}, after the deadline {_fmt(target)}",
            formula="0",
        )
    if isinstance(achievement, dt.date):
        raise ScoringError("achievement: a date cannot be scored against a numeric target")
    if direction == "lower":
        raise ScoringError(
            "direction: a single numeric target where lower is better has no rule in the APA"
            " guidelines; give tiers instead"
        )
    if not target > 0:
        raise ScoringError(f"target: must be > 0, got {target}")
    ratio = Fraction(achievement) / Fraction(target)
    raw = min(ratio, Fraction(1)) * 100
    if achievement < 0:
        raise ScoringError(f"achievement: must be >= 0, got {achievement}")
    return RuleResult(
        raw=raw,
        bracket=f"{_fmt(achievement)} of target {_fmt(target)}",
        formula=f"min({_fmt(achievement)} / {_fmt(target)}, 1) × 100 = {_fmt(raw)}",
    )


def milestone_score(done: Sequence[dt.date], due: Sequence[dt.date]) -> RuleResult:
    """The share of dated milestones met on time.

    Completion dates are matched to due dates in order (earliest to earliest): the
    i-th milestone is met on time when the i-th completion is on or before its due date.
    """
    due_sorted = sorted(due)
    done_sorted = sorted(done)
    if len(done_sorted) > len(due_sorted):
        raise ScoringError(
            f"achievement: {len(done_sorted)} completion dates for {len(due_sorted)} milestones"
        )
    met = sum(1 for d, u in zip(done_sorted, due_sorted) if d <= u)
    raw = Fraction(met, len(due_sorted)) * 100
    return RuleResult(
        raw=raw,
        bracket=f"{met} of {len(due_sorted)} milestones met on time",
        formula=f"{met} / {len(due_sorted)} × 100 = {_fmt(raw)}",
    )
