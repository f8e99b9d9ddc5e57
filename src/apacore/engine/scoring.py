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
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Union

from apacore.errors import ParseError, ScoringError
from apacore.limits import MAX_INTEGER_DIGITS, number_problem
from apacore.models import TIER_KEYS, TierValue, Value
from apacore.numbers import Marker, parse_value
from apacore.plugins.contract import DEFAULT_TIER_SCORES, RuleResult, RuleTrace
from apacore.tier_direction import resolve_direction
from apacore.trace import Step, Text

__all__ = [
    "exact_fraction",
    "milestone_score",
    "prepare_tiers",
    "single_target_score",
    "tier_result",
    "tier_score",
    "to_decimal",
]

RawInput = Union[int, Decimal, dt.date, str, None]
Achieved = Union[Decimal, Fraction, dt.date]
"""An achievement as the rules compute with it: a Decimal, or the exact Fraction behind a
rounded one (:attr:`apacore.plugins.contract.Achievement.exact_value`), or a date."""


def to_decimal(value: Fraction) -> Decimal:
    """``value`` as a Decimal: exact when it terminates within the context, else rounded by it."""
    if value.denominator == 1:
        return Decimal(value.numerator)
    return Decimal(value.numerator) / Decimal(value.denominator)


_from_coprime: Callable[[int, int], Fraction] | None = getattr(Fraction, "_from_coprime_ints", None)


def exact_fraction(numerator: int, denominator: int) -> Fraction:
    """``Fraction(numerator, denominator)`` for ints (``denominator > 0``), built without the
    generic constructor's type dispatch: the hot path of scoring builds thousands of these."""
    g = math.gcd(numerator, denominator)
    if g != 1:
        numerator //= g
        denominator //= g
    if _from_coprime is not None:  # Python 3.12+
        return _from_coprime(numerator, denominator)
    made = object.__new__(Fraction)  # what Fraction.__new__ does for coprime ints (3.11)
    made._numerator = numerator  # type: ignore[attr-defined]
    made._denominator = denominator  # type: ignore[attr-defined]
    return made


def _ratio(value: int | Decimal | Fraction | dt.date) -> tuple[int, int]:
    """An exact (numerator, denominator) of a typed value; a date is its ordinal (whole days)."""
    if isinstance(value, int):
        return value, 1
    if isinstance(value, dt.date):
        return value.toordinal(), 1
    return value.as_integer_ratio()


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


def _as_fraction(value: Achieved) -> Fraction:
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


_Point = tuple[str, Fraction, Fraction, Value]  # tier key, score, signed value, value as given


def _prepare(
    achievement: Achieved | None,
    tiers: Sequence[TierValue],
    scores: Sequence[Decimal],
    direction: str | None,
    date_policy: str,
) -> tuple[list[_Point], bool, Fraction | None]:
    """The present tiers as signed points (higher is better), whether they are dates, and
    the signed achievement (None: not achieved)."""
    if date_policy not in ("linear", "step"):
        raise ScoringError(f"date_policy: must be 'linear' or 'step', got {date_policy!r}")
    if all(v is None for v in tiers):
        raise ScoringError("tiers: all five tiers are blank")
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
    _check_kind(achievement, is_date)
    return points, is_date, sign * _as_fraction(achievement)


def _check_kind(achievement: Achieved, is_date: bool) -> None:
    if isinstance(achievement, dt.date) != is_date:
        raise ScoringError(
            "achievement: "
            + ("a date" if isinstance(achievement, dt.date) else "a number")
            + " cannot be scored against "
            + ("date" if is_date else "number")
            + " tiers"
        )


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


# The wording of the tier rule's steps (rendered by apacore.engine.explain, never while scoring).
_LABEL_EN = "{key:tier} ({value} → {score})"
_LABEL_BN = "{key:tier} ({value} → {score})"
_HI_EN = "{hi:tier} ({hi_value} → {hi_score})"
TIER_TEXTS: Mapping[str, Text] = {
    "zero": Text(en="0", bn="০"),
    "score": Text(en="{score}"),
    "not_achieved": Text(en="not achieved", bn="অর্জন নেই"),
    "not_completed": Text(en="not achieved (not completed)", bn="অর্জন নেই (সম্পন্ন হয়নি)"),
    "better": Text(en="better than " + _LABEL_EN, bn=_LABEL_BN + " এর চেয়ে ভালো"),
    "no_bonus": Text(
        en="{score} (no bonus above the best tier)", bn="{score} (সর্বোচ্চ স্তরের ওপরে বাড়তি নম্বর নেই)"
    ),
    "at": Text(en="at " + _LABEL_EN, bn=_LABEL_BN + " স্তরে"),
    "step": Text(
        en="deadline of " + _LABEL_EN + " met, step policy",
        bn=_LABEL_BN + " এর সময়সীমা পূরণ, ধাপ নীতি",
    ),
    "below": Text(
        en="worse than the lowest tier, " + _LABEL_EN,
        bn="সর্বনিম্ন স্তর " + _LABEL_BN + " এর চেয়ে খারাপ",
    ),
    "between": Text(
        en="between " + _LABEL_EN + " and " + _HI_EN,
        bn=_LABEL_BN + " ও " + _HI_EN + " এর মধ্যে",
    ),
    "between_days": Text(
        en="{hi_score} − ({hi_score} − {score}) × {late}/{span} days = {raw}",
        bn="{hi_score} − ({hi_score} − {score}) × {late}/{span} দিন = {raw}",
    ),
    "between_numbers": Text(
        en="{score} + ({hi_score} − {score}) × ({a} − {value}) / ({hi_value} − {value}) = {raw}"
    ),
}


def tier_result(
    achievement: Achieved | None,
    tiers: Sequence[TierValue],
    *,
    scores: Sequence[Decimal] = DEFAULT_TIER_SCORES,
    direction: str | None = None,
    date_policy: str = "linear",
) -> RuleResult:
    """Score ``achievement`` against five tier values, with the trace (bracket and formula);
    see the module docstring."""
    points, is_date, a = _prepare(achievement, tiers, scores, direction, date_policy)
    texts = TIER_TEXTS
    if a is None or achievement is None:
        bracket = Step(texts["not_completed" if is_date else "not_achieved"])
        return RuleResult(Fraction(0), RuleTrace(bracket, Step(texts["zero"])))
    raw, where, i = _locate(points, a, is_date and date_policy == "step")
    key, p, x, shown = points[i]
    at: dict[str, Any] = {"key": key, "value": shown, "score": p}
    if where == "top":
        better = a > x
        formula = Step(texts["no_bonus" if better else "score"], at)
        return RuleResult(raw, RuleTrace(Step(texts["better" if better else "at"], at), formula))
    if where in ("at", "step"):
        return RuleResult(raw, RuleTrace(Step(texts[where], at), Step(texts["score"], at)))
    if where == "below":
        return RuleResult(raw, RuleTrace(Step(texts["below"], at), Step(texts["zero"])))
    hi_key, p_hi, x_hi, hi_shown = points[i - 1]
    between = {**at, "hi": hi_key, "hi_value": hi_shown, "hi_score": p_hi, "raw": raw}
    if is_date:
        between.update(span=abs(int(x_hi - x)), late=abs(int(a - x_hi)))
        formula = Step(texts["between_days"], between)
    else:
        formula = Step(texts["between_numbers"], {**between, "a": achievement})
    return RuleResult(raw, RuleTrace(Step(texts["between"], between), formula))


PreparedTiers = Callable[[Achieved | None], Fraction]


def prepare_tiers(
    tiers: Sequence[TierValue],
    *,
    scores: Sequence[Decimal] = DEFAULT_TIER_SCORES,
    direction: str | None = None,
    date_policy: str = "linear",
) -> PreparedTiers:
    """Tiers compiled once: ``raw(achievement)`` gives exactly ``tier_result(...).raw``.

    The tiers are checked, their direction resolved and their values turned into signed
    integer ratios here; a call compares and interpolates whole numbers and builds one
    Fraction.
    """
    if date_policy not in ("linear", "step"):
        raise ScoringError(f"date_policy: must be 'linear' or 'step', got {date_policy!r}")
    if all(v is None for v in tiers):
        raise ScoringError("tiers: all five tiers are blank")
    sign = 1 if resolve_direction(tiers, direction) == "higher" else -1
    present = [(i, v) for i, v in enumerate(tiers) if v is not None]
    is_date = isinstance(present[0][1], dt.date)
    step = is_date and date_policy == "step"
    # each point: score (n, d), signed value (n, d)
    points: list[tuple[int, int, int, int]] = []
    for i, v in present:
        pn, pd = _ratio(scores[i])
        vn, vd = _ratio(v)
        points.append((pn, pd, sign * vn, vd))
    zero = Fraction(0)

    def raw(achievement: Achieved | None) -> Fraction:
        if achievement is None:
            return zero
        if isinstance(achievement, dt.date) != is_date:
            _check_kind(achievement, is_date)
        an, ad = _ratio(achievement)
        an *= sign
        previous = None
        for point in points:
            pn, pd, xn, xd = point
            if an * xd < xn * ad:  # a < x
                previous = point
                continue
            if previous is None or an * xd == xn * ad or step:
                return exact_fraction(pn, pd)
            hn, hd, hxn, hxd = previous
            # p + (p_hi - p) * (a - x) / (x_hi - x), over a common denominator
            num_dp = hn * pd - pn * hd  # (p_hi - p) = num_dp / (hd * pd)
            num_da = an * xd - xn * ad  # (a - x) = num_da / (ad * xd)
            num_dx = hxn * xd - xn * hxd  # (x_hi - x) = num_dx / (hxd * xd)
            # (p_hi-p)(a-x)/(x_hi-x) = num_dp * num_da * hxd / (hd * pd * ad * num_dx)
            n2 = num_dp * num_da * hxd
            d2 = hd * pd * ad * num_dx
            return exact_fraction(pn * d2 + n2 * pd, pd * d2)
        return zero

    return raw


_TYPED = (int, Decimal, dt.date)


_INT_LIMIT = 10**MAX_INTEGER_DIGITS


def _within_limits(value: int | Decimal) -> bool:
    """A typed number the fast path may do arithmetic on: finite and within apacore's
    limits (docs/limits.md); anything else goes to the general path, which refuses it."""
    if isinstance(value, int):
        return -_INT_LIMIT < value < _INT_LIMIT
    return value.is_finite() and number_problem(value) is None


def _typed_tier_score(
    achievement: RawInput, tiers: Sequence[RawInput], direction: str | None, date_policy: str
) -> Decimal | None:
    """tier_score for values that are already ints, Decimals or dates (the fast path), or
    None where the general path must decide (strings, odd values, anything to refuse)."""
    if direction is not None and direction not in ("higher", "lower"):
        return None
    if date_policy not in ("linear", "step") or len(tiers) != 5:
        return None
    kind = None
    values: list[tuple[int, int] | None] = []
    for v in tiers:
        if v is None:
            values.append(None)
            continue
        if type(v) is bool or not isinstance(v, _TYPED) or isinstance(v, dt.datetime):
            return None
        if not isinstance(v, dt.date) and not _within_limits(v):
            return None  # the general path refuses it, before any arithmetic
        is_d = isinstance(v, dt.date)
        if kind is None:
            kind = is_d
        elif kind != is_d:
            return None
        values.append(_ratio(v))
    if kind is None:
        return None
    a = achievement
    if a is not None:
        if type(a) is bool or not isinstance(a, _TYPED) or isinstance(a, dt.datetime):
            return None
        if not isinstance(a, dt.date) and not _within_limits(a):
            return None
        if isinstance(a, dt.date) != kind:
            return None
    present = [(i, v) for i, v in enumerate(values) if v is not None]
    down = up = False
    for (_, (n1, d1)), (_, (n2, d2)) in zip(present, present[1:]):
        left, right = n1 * d2, n2 * d1
        down = down or left > right
        up = up or left < right
    if down and up:
        return None
    derived = "higher" if down else "lower" if up else None
    if kind:
        if derived == "higher":
            return None
        derived = "lower"
    if direction is not None and derived is not None and direction != derived:
        return None
    sign = 1 if (direction or derived or "higher") == "higher" else -1
    if a is None:
        return Decimal(0)
    an, ad = _ratio(a)
    an *= sign
    step = kind and date_policy == "step"
    previous: tuple[int, int, int] | None = None
    for i, (xn, xd) in present:
        xn *= sign
        p = _TIER_POINTS[i]
        if an * xd < xn * ad:
            previous = (p, xn, xd)
            continue
        if previous is None or an * xd == xn * ad or step:
            return Decimal(p)
        ph, hxn, hxd = previous
        # p + (ph - p) * (a - x) / (x_hi - x) with a = an/ad, x = xn/xd, x_hi = hxn/hxd
        num = (ph - p) * (an * xd - xn * ad) * hxd
        den = ad * (hxn * xd - xn * hxd)
        n, d = p * den + num, den
        g = math.gcd(n, d)
        if g != 1:
            n //= g
            d //= g
        if d == 1:
            return Decimal(n)
        return Decimal(n) / Decimal(d)
    return Decimal(0)


_TIER_POINTS = tuple(int(s) for s in DEFAULT_TIER_SCORES)


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
    if isinstance(tiers, (list, tuple)):
        fast = _typed_tier_score(achievement, tiers, direction, date_policy)
        if fast is not None:
            return fast
    return general_tier_score(achievement, tiers, direction=direction, date_policy=date_policy)


def general_tier_score(
    achievement: RawInput,
    tiers: Sequence[RawInput] | Mapping[str, RawInput],
    *,
    direction: str | None = None,
    date_policy: str = "linear",
) -> Decimal:
    """:func:`tier_score` through the general path: every value read by
    :func:`apacore.parse_value` and checked (the reference the fast path is tested against)."""
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


SINGLE_TARGET_TEXTS: Mapping[str, Text] = {
    "zero": Text(en="0", bn="০"),
    "hundred": Text(en="100", bn="১০০"),
    "not_achieved": Text(en="not achieved", bn="অর্জন নেই"),
    "on_time": Text(en="done {a}, on or before {t}", bn="{a} তারিখে সম্পন্ন, {t} বা তার আগে"),
    "late": Text(en="done {a}, after the deadline {t}", bn="{a} তারিখে সম্পন্ন, সময়সীমা {t} এর পরে"),
    "of_target": Text(en="{a} of target {t}", bn="লক্ষ্যমাত্রা {t} এর মধ্যে {a}"),
    "formula": Text(en="min({a} / {t}, 1) × 100 = {raw}", bn="min({a} / {t}, ১) × ১০০ = {raw}"),
}


def single_target_score(
    achievement: Achieved | None, target: Value, *, direction: str | None = None
) -> RuleResult:
    """Score against a single annual target (no tiers).

    Quantities: ``min(A / T, 1) × 100``. Dates: 100 on or before the date, else 0.
    """
    texts = SINGLE_TARGET_TEXTS
    if achievement is None:
        return RuleResult(Fraction(0), RuleTrace(Step(texts["not_achieved"]), Step(texts["zero"])))
    values = {"a": achievement, "t": target}
    if isinstance(target, dt.date):
        if not isinstance(achievement, dt.date):
            raise ScoringError("achievement: a number cannot be scored against a date target")
        if achievement <= target:
            trace = RuleTrace(Step(texts["on_time"], values), Step(texts["hundred"]))
            return RuleResult(Fraction(100), trace)
        return RuleResult(Fraction(0), RuleTrace(Step(texts["late"], values), Step(texts["zero"])))
    raw = single_target_raw(achievement, target, direction)
    return RuleResult(
        raw,
        RuleTrace(Step(texts["of_target"], values), Step(texts["formula"], {**values, "raw": raw})),
    )


def single_target_raw(achievement: Achieved, target: Value, direction: str | None) -> Fraction:
    """The raw score of a number against a single numeric target (checked)."""
    if isinstance(achievement, dt.date):
        raise ScoringError("achievement: a date cannot be scored against a numeric target")
    if direction == "lower":
        raise ScoringError(
            "direction: a single numeric target where lower is better has no rule in the APA"
            " guidelines; give tiers instead"
        )
    if isinstance(target, dt.date) or not target > 0:
        raise ScoringError(f"target: must be > 0, got {target}")
    if achievement < 0:
        raise ScoringError(f"achievement: must be >= 0, got {achievement}")
    an, ad = _ratio(achievement)
    tn, td = _ratio(target)
    if an * td >= tn * ad:
        return Fraction(100)
    return exact_fraction(100 * an * td, ad * tn)


MILESTONE_TEXTS: Mapping[str, Text] = {
    "bracket": Text(
        en="{met} of {due} milestones met on time", bn="{due}টি মাইলফলকের {met}টি সময়মতো পূরণ"
    ),
    "formula": Text(en="{met} / {due} × 100 = {raw}", bn="{met} / {due} × ১০০ = {raw}"),
}


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
    values = {"met": met, "due": len(due_sorted), "raw": raw}
    return RuleResult(
        raw,
        RuleTrace(
            Step(MILESTONE_TEXTS["bracket"], values), Step(MILESTONE_TEXTS["formula"], values)
        ),
    )
