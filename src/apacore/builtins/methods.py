"""The built-in calculation methods: how quarterly figures make the year's achievement.

| method | Bengali | annual achievement |
|---|---|---|
| sum | সমষ্টি | sum of the reported quarters |
| average | গড় | mean of the reported quarters |
| cumulative | ক্রমপুঞ্জিভূত | increments: their running total (as a % of ``base`` when given); running figures: the latest |
| date | তারিখ | the earliest completion date reported |
| milestones | সংখ্যা ও তারিখ | the completion dates of dated milestones |

A quarter that reported nothing (``None`` or "-") is skipped; when no quarter reported
anything the achievement is ``None`` (scored 0 and flagged as not reported). A figure of
the wrong kind (a date where a number belongs) is an error naming the quarter.

This module is a plugin registered like any other (:data:`apacore.plugins.host.DEFAULT_PLUGINS`);
a ministry's methods are added the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from apacore.engine.scoring import exact_fraction, to_decimal
from apacore.errors import ReportError
from apacore.formatting import format_number
from apacore.models import Indicator
from apacore.numbers import Marker, Reading
from apacore.plugins.contract import Achievement, CalculationMethod, Problem
from apacore.plugins.hookspecs import hookimpl
from apacore.trace import Step, Text

__all__ = [
    "BUILTIN_METHODS",
    "METHOD_TEXTS",
    "average",
    "cumulative",
    "date",
    "milestones",
    "total",
]

METHOD_TEXTS = {
    "nothing": Text(en="no quarter reported a figure", bn="কোনো কোয়ার্টারে অর্জন লেখা নেই"),
    "sum": Text(en="sum of {r:readings} = {value}", bn="{r:readings} এর যোগফল = {value}"),
    "mean": Text(
        en="mean of {terms:quarters} over {n} quarters = {value}",
        bn="{n}টি কোয়ার্টারের {terms:quarters} এর গড় = {value}",
    ),
    "running": Text(
        en="running figure: the latest reported, {q:quarter} {value}",
        bn="চলমান অর্জন: সর্বশেষ লেখা, {q:quarter} {value}",
    ),
    "count_of_base": Text(
        en="cumulative count {terms:quarters} = {done} of base {base} = {value}%",
        bn="ক্রমপুঞ্জিভূত সংখ্যা {terms:quarters} = {done}, ভিত্তি {base} এর {value}%",
    ),
    "count_of_target": Text(
        en="cumulative count {terms:quarters} = {done} of base {base}"
        " ({target_count} = {target}% of it) = {value}%",
        bn="ক্রমপুঞ্জিভূত সংখ্যা {terms:quarters} = {done}, ভিত্তি {base}"
        " ({target_count} = তার {target}%) এর {value}%",
    ),
    "increments": Text(
        en="cumulative increments: sum of {r:readings} = {value}",
        bn="ক্রমপুঞ্জিভূত বৃদ্ধি: {r:readings} এর যোগফল = {value}",
    ),
    "not_completed": Text(
        en="not completed: no quarter reported a date",
        bn="সম্পন্ন হয়নি: কোনো কোয়ার্টারে তারিখ লেখা নেই",
    ),
    "completed": Text(
        en="completed {value} (reported in {q:quarter})", bn="{value} তারিখে সম্পন্ন ({q:quarter})"
    ),
    "no_milestone": Text(en="no milestone completed", bn="কোনো মাইলফলক সম্পন্ন হয়নি"),
    "milestones": Text(en="milestones completed: {dated:dated}", bn="সম্পন্ন মাইলফলক: {dated:dated}"),
}
"""The wording of the methods' steps (rendered by apacore.engine.explain, never while computing)."""


_NOT_REPORTED = Marker.NOT_REPORTED


def _not_a_number(indicator: Indicator, q: int, r: Reading) -> ReportError:
    return ReportError(
        f"Q{q} figure {r.text!r} is not a number, but {indicator.id} uses method"
        f" {indicator.method!r}"
    )


def _numbers(indicator: Indicator, quarters: Sequence[Reading | None]) -> list[tuple[int, Decimal]]:
    out = []
    q = 0
    for r in quarters:
        q += 1
        if r is None:
            continue
        value = r.value
        if value is _NOT_REPORTED:
            continue
        if not isinstance(value, Decimal):
            raise _not_a_number(indicator, q, r)
        out.append((q, value))
    return out


def _not_a_date(indicator: Indicator, q: int, r: Reading) -> ReportError:
    return ReportError(
        f"Q{q} figure {r.text!r} is not a date, but {indicator.id} uses method {indicator.method!r}"
    )


def _dates(indicator: Indicator, quarters: Sequence[Reading | None]) -> list[tuple[int, dt.date]]:
    out = []
    q = 0
    for r in quarters:
        q += 1
        if r is None:
            continue
        value = r.value
        if value is _NOT_REPORTED:
            continue
        if not isinstance(value, dt.date):
            raise _not_a_date(indicator, q, r)
        out.append((q, value))
    return out


def _nothing() -> Achievement:
    return Achievement(None, Step(METHOD_TEXTS["nothing"]))


def _sum(indicator: Indicator, quarters: Sequence[Reading | None]) -> Decimal | None:
    """The sum of the reported figures (None: none reported), each checked to be a number."""
    value = None
    q = 0
    for r in quarters:
        q += 1
        if r is None or r.value is _NOT_REPORTED:
            continue
        figure = r.value
        if not isinstance(figure, Decimal):
            raise _not_a_number(indicator, q, r)
        value = figure if value is None else value + figure
    return value


def _rounded(exact: Fraction, value: Decimal) -> Fraction | None:
    """``exact`` where ``value`` is its rounding (a quotient that does not terminate), so that
    rules compute with the exact figure; None where ``value`` is exact already."""
    d = exact.denominator
    if d == 1:  # a whole number: to_decimal kept it exactly
        return None
    while d % 5 == 0:
        d //= 5
    if d & (d - 1):  # a factor other than 2 and 5: the quotient does not terminate
        return exact
    n, d = value.as_integer_ratio()  # it terminates: exact unless beyond the precision
    return None if n == exact.numerator and d == exact.denominator else exact


def total(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    """সমষ্টি: the sum of the reported quarterly figures."""
    value = _sum(indicator, quarters)
    if value is None:
        return _nothing()
    return Achievement(value, Step(METHOD_TEXTS["sum"], {"r": quarters, "value": value}))


def average(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    """গড়: the mean of the reported quarterly figures."""
    figures = _numbers(indicator, quarters)
    if not figures:
        return _nothing()
    mean = sum((Fraction(v) for _, v in figures), Fraction(0)) / len(figures)
    value = to_decimal(mean)
    values = {"terms": figures, "n": len(figures), "value": mean}
    return Achievement(value, Step(METHOD_TEXTS["mean"], values), exact=_rounded(mean, value))


_BASES: dict[int, tuple[Indicator, Fraction | None]] = {}


def _base(indicator: Indicator) -> Fraction | None:
    """``indicator.cumulative_base()``, worked out once per indicator (they are immutable)."""
    known = _BASES.get(id(indicator))
    if known is not None and known[0] is indicator:
        return known[1]
    base = indicator.cumulative_base()
    if len(_BASES) >= 4096:
        _BASES.clear()
    _BASES[id(indicator)] = (indicator, base)
    return base


def _cumulative_mode(indicator: Indicator) -> str:
    return indicator.cumulative or ("running" if indicator.unit == "percent" else "increments")


def _adds_increments(indicator: Indicator) -> bool:
    """Increments add up (toward a base, as counts); running figures do not."""
    return _cumulative_mode(indicator) == "increments"


def _needs_counts(indicator: Indicator, q: int, r: Reading, base: Fraction) -> ReportError:
    return ReportError(
        f"Q{q} figure {r.text!r}: {indicator.id} counts increments toward a base of"
        f" {format_number(base)}, so each quarter must give a count"
    )


def cumulative(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    """ক্রমপুঞ্জিভূত: a running total toward a base, never a sum of percentages.

    ``cumulative = "running"`` (the default for percentages): each quarter reports the
    running figure and the latest counts. ``"increments"``: quarterly figures are
    increments of a count and add up; with ``base`` the total is a percentage of it.
    Where a percentage cell also gives the count (``৯২%(৪৮)``) and a base is set, the
    counts are used.
    """
    if _cumulative_mode(indicator) == "running":
        figures = _numbers(indicator, quarters)
        if not figures:
            return _nothing()
        q, value = figures[-1]
        return Achievement(value, Step(METHOD_TEXTS["running"], {"q": q, "value": value}))
    base = _base(indicator)
    if base is not None:
        counts: list[tuple[int, Decimal]] = []
        done: Decimal | None = None
        q = 0
        for r in quarters:
            q += 1
            if r is None or r.value is _NOT_REPORTED:
                continue
            count = r.count
            if count is None:
                figure = r.value
                if r.percent or not isinstance(figure, Decimal):
                    raise _needs_counts(indicator, q, r, base)
                count = figure
            counts.append((q, count))
            done = count if done is None else done + count
        if done is None:
            return _nothing()
        dn, dd = done.as_integer_ratio()
        bn, bd = base.as_integer_ratio()
        exact = exact_fraction(dn * 100 * bd, dd * bn)
        pct = to_decimal(exact)
        behind = _rounded(exact, pct)
        values = {"terms": counts, "done": done, "base": base, "value": exact}
        if indicator.base is not None:
            return Achievement(pct, Step(METHOD_TEXTS["count_of_base"], values), exact=behind)
        values["target_count"] = indicator.target_count or Decimal(0)
        values["target"] = indicator.target or Decimal(0)
        return Achievement(pct, Step(METHOD_TEXTS["count_of_target"], values), exact=behind)
    summed = _sum(indicator, quarters)
    if summed is None:
        return _nothing()
    return Achievement(summed, Step(METHOD_TEXTS["increments"], {"r": quarters, "value": summed}))


def date(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    """তারিখ: the completion date (the earliest date reported)."""
    done: dt.date | None = None
    q = when = 0
    for r in quarters:
        q += 1
        if r is None or r.value is _NOT_REPORTED:
            continue
        figure = r.value
        if not isinstance(figure, dt.date):
            raise _not_a_date(indicator, q, r)
        if done is None or figure < done:  # the earliest; the first of equal dates
            done, when = figure, q
    if done is None:
        return Achievement(None, Step(METHOD_TEXTS["not_completed"]))
    return Achievement(done, Step(METHOD_TEXTS["completed"], {"value": done, "q": when}))


def milestones(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    """সংখ্যা ও তারিখ: the completion dates of dated milestones, in order."""
    dates = _dates(indicator, quarters)
    if not dates:
        return Achievement((), Step(METHOD_TEXTS["no_milestone"]))
    done = tuple(sorted(d for _, d in dates))
    return Achievement(done, Step(METHOD_TEXTS["milestones"], {"dated": dates}))


def _needs_date_unit(indicator: Indicator) -> Iterable[Problem]:
    """The load-time check of method ``date``: its indicator is measured in dates."""
    if indicator.unit != "date":
        yield ("unit", f"method 'date' needs unit 'date', got {indicator.unit!r}")


BUILTIN_METHODS: tuple[CalculationMethod, ...] = (
    CalculationMethod(
        name="sum",
        calculate=total,
        name_bn="সমষ্টি",
        description="sum of the quarterly figures",
        adds_quarters=lambda indicator: True,
    ),
    CalculationMethod(
        name="average",
        calculate=average,
        name_bn="গড়",
        description="mean of the reported quarters",
        adds_quarters=lambda indicator: False,
    ),
    CalculationMethod(
        name="cumulative",
        calculate=cumulative,
        name_bn="ক্রমপুঞ্জিভূত",
        description="running total toward a base; latest running figure",
        adds_quarters=_adds_increments,
    ),
    CalculationMethod(
        name="date",
        calculate=date,
        produces="date",
        check=_needs_date_unit,
        name_bn="তারিখ",
        description="the completion date (earlier is better)",
    ),
    CalculationMethod(
        name="milestones",
        calculate=milestones,
        produces="dates",
        name_bn="সংখ্যা ও তারিখ",
        description="completion dates of a count of dated milestones",
    ),
)


@hookimpl
def register_calculation_methods(register: Callable[[CalculationMethod], None]) -> None:
    """Register the built-in methods."""
    for method in BUILTIN_METHODS:
        register(method)
