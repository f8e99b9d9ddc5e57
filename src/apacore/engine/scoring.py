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
from apacore.tier_direction import direction_of, ratio, resolve_direction
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


_ratio = ratio


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


_Point = tuple[int, int, int, int]
"""A present tier as whole numbers: its score ``pn/pd`` and its signed value ``xn/xd``
(times -1 where lower is better, so that higher is always better), best tier first."""


def _points(
    tiers: Sequence[TierValue], scores: Sequence[Decimal], sign: int
) -> tuple[list[int], list[_Point]]:
    """The indices of the present tiers and their points."""
    present = [i for i, v in enumerate(tiers) if v is not None]
    points = []
    for i in present:
        pn, pd = _ratio(scores[i])
        vn, vd = _ratio(tiers[i])  # type: ignore[arg-type]
        points.append((pn, pd, sign * vn, vd))
    return present, points


def _prepare(
    tiers: Sequence[TierValue], scores: Sequence[Decimal], direction: str | None, date_policy: str
) -> tuple[list[int], list[_Point], bool, int]:
    """The tiers checked: the present tiers' indices and points, whether they are dates,
    and the sign (1: higher is better; -1: lower)."""
    if date_policy not in ("linear", "step"):
        raise ScoringError(f"date_policy: must be 'linear' or 'step', got {date_policy!r}")
    if all(v is None for v in tiers):
        raise ScoringError("tiers: all five tiers are blank")
    sign = 1 if resolve_direction(tiers, direction) == "higher" else -1
    present, points = _points(tiers, scores, sign)
    return present, points, isinstance(tiers[present[0]], dt.date), sign


def _check_kind(achievement: Achieved, is_date: bool) -> None:
    if isinstance(achievement, dt.date) != is_date:
        raise ScoringError(
            "achievement: "
            + ("a date" if isinstance(achievement, dt.date) else "a number")
            + " cannot be scored against "
            + ("date" if is_date else "number")
            + " tiers"
        )


def _locate(an: int, ad: int, points: Sequence[_Point], step: bool) -> tuple[int, int, int, str]:
    """The tier rule, the one formula every tier scorer calls (:func:`tier_score`,
    :func:`tier_result`, :func:`prepare_tiers`, hence the plan): the raw score of the
    signed achievement ``an/ad`` as ``(numerator, denominator)``, the index of the point it
    fell at, and where: ``top``, ``at``, ``step``, ``between`` (points[i - 1] and
    points[i]) or ``below``. Whole numbers only: no Fraction is built here.

    Between two tiers the score is ``p + (p_hi - p) × (a - x) / (x_hi - x)``, written over
    one common denominator."""
    previous: _Point | None = None
    for i, point in enumerate(points):
        pn, pd, xn, xd = point
        if an * xd < xn * ad:  # a < x
            previous = point
            continue
        if previous is None:
            return pn, pd, i, "top"
        if an * xd == xn * ad:
            return pn, pd, i, "at"
        if step:
            return pn, pd, i, "step"
        hn, hd, hxn, hxd = previous
        num_dp = hn * pd - pn * hd  # (p_hi - p) = num_dp / (hd * pd)
        num_da = an * xd - xn * ad  # (a - x) = num_da / (ad * xd)
        num_dx = hxn * xd - xn * hxd  # (x_hi - x) = num_dx / (hxd * xd), > 0
        # (p_hi - p)(a - x)/(x_hi - x) = num_dp * num_da * hxd / (hd * pd * ad * num_dx)
        n2 = num_dp * num_da * hxd
        d2 = hd * pd * ad * num_dx
        return pn * d2 + n2 * pd, pd * d2, i, "between"
    return 0, 1, len(points) - 1, "below"


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
    present, points, is_date, sign = _prepare(tiers, scores, direction, date_policy)
    texts = TIER_TEXTS
    if achievement is None:
        bracket = Step(texts["not_completed" if is_date else "not_achieved"])
        return RuleResult(Fraction(0), RuleTrace(bracket, Step(texts["zero"])))
    _check_kind(achievement, is_date)
    an, ad = _ratio(achievement)
    an *= sign
    n, d, i, where = _locate(an, ad, points, is_date and date_policy == "step")
    raw = exact_fraction(n, d)
    pn, pd, xn, xd = points[i]
    at: dict[str, Any] = {
        "key": TIER_KEYS[present[i]],
        "value": tiers[present[i]],
        "score": exact_fraction(pn, pd),
    }
    if where == "top":
        better = an * xd > xn * ad
        formula = Step(texts["no_bonus" if better else "score"], at)
        return RuleResult(raw, RuleTrace(Step(texts["better" if better else "at"], at), formula))
    if where in ("at", "step"):
        return RuleResult(raw, RuleTrace(Step(texts[where], at), Step(texts["score"], at)))
    if where == "below":
        return RuleResult(raw, RuleTrace(Step(texts["below"], at), Step(texts["zero"])))
    hn, hd, hxn, _ = points[i - 1]
    between = {
        **at,
        "hi": TIER_KEYS[present[i - 1]],
        "hi_value": tiers[present[i - 1]],
        "hi_score": exact_fraction(hn, hd),
        "raw": raw,
    }
    if is_date:  # whole days: the denominators are 1
        between.update(span=abs(hxn - xn), late=abs(an - hxn))
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
    _, points, is_date, sign = _prepare(tiers, scores, direction, date_policy)
    step = is_date and date_policy == "step"
    zero = Fraction(0)

    def raw(achievement: Achieved | None) -> Fraction:
        if achievement is None:
            return zero
        if isinstance(achievement, dt.date) != is_date:
            _check_kind(achievement, is_date)
        an, ad = _ratio(achievement)
        n, d, _, _ = _locate(sign * an, ad, points, step)
        return exact_fraction(n, d)

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
    None where the general path must decide (strings, odd values, anything to refuse).

    Only an input conversion: the values become whole-number ratios, then the one
    direction rule (:func:`apacore.tier_direction.direction_of`) and the one tier formula
    (:func:`_locate`) decide, as for every other caller."""
    if date_policy not in ("linear", "step") or len(tiers) != 5:
        return None
    kind = None
    present: list[int] = []
    ratios: list[tuple[int, int]] = []
    for i, v in enumerate(tiers):
        if v is None:
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
        present.append(i)
        ratios.append(_ratio(v))
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
    way, problem = direction_of(ratios, kind, direction)
    if problem is not None:
        return None
    if a is None:
        return Decimal(0)
    sign = 1 if way == "higher" else -1
    points = [(_TIER_POINTS[i], 1, sign * xn, xd) for i, (xn, xd) in zip(present, ratios)]
    an, ad = _ratio(a)
    n, d, _, _ = _locate(sign * an, ad, points, kind and date_policy == "step")
    g = math.gcd(n, d)
    if g != 1:
        n //= g
        d //= g
    if d == 1:
        return Decimal(n)
    return Decimal(n) / Decimal(d)


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
    a = _read(achievement, "achievement")
    _, points, is_date, sign = _prepare(values, DEFAULT_TIER_SCORES, direction, date_policy)
    if a is None:
        return Decimal(0)
    _check_kind(a, is_date)
    an, ad = _ratio(a)
    n, d, _, _ = _locate(sign * an, ad, points, is_date and date_policy == "step")
    return to_decimal(exact_fraction(n, d))


SINGLE_TARGET_TEXTS: Mapping[str, Text] = {
    "zero": Text(en="0", bn="০"),
    "hundred": Text(en="100", bn="১০০"),
    "not_achieved": Text(en="not achieved", bn="অর্জন নেই"),
    "on_time": Text(en="done {a}, on or before {t}", bn="{a} তারিখে সম্পন্ন, {t} বা তার আগে"),
    "late": Text(en="done {a}, after the deadline {t}", bn="{a} তারিখে সম্পন্ন, সময়সীমা {t} এর পরে"),
    "of_target": Text(en="{a} of target {t}", bn="লক্ষ্যমাত্রা {t} এর মধ্যে {a}"),
    "formula": Text(en="min({a} / {t}, 1) × 100 = {raw}", bn="ন্যূনতম({a} / {t}, ১) × ১০০ = {raw}"),
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
