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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from apacore.contract import Achievement, CalculationMethod, Problem
from apacore.errors import ReportError
from apacore.models import Indicator
from apacore.numbers import Marker, Reading
from apacore.scoring import to_decimal

__all__ = ["BUILTIN_METHODS", "average", "cumulative", "date", "milestones", "total"]


def _fmt(value: Decimal | dt.date) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return format(value, "f")


def _reported(quarters: Sequence[Reading | None]) -> list[tuple[int, Reading]]:
    return [
        (i + 1, r)
        for i, r in enumerate(quarters)
        if r is not None and r.value is not Marker.NOT_REPORTED
    ]


def _numbers(indicator: Indicator, quarters: Sequence[Reading | None]) -> list[tuple[int, Decimal]]:
    out = []
    for q, r in _reported(quarters):
        if not isinstance(r.value, Decimal):
            raise ReportError(
                f"Q{q} figure {r.text!r} is not a number, but {indicator.id} uses method"
                f" {indicator.method!r}"
            )
        out.append((q, r.value))
    return out


def _dates(indicator: Indicator, quarters: Sequence[Reading | None]) -> list[tuple[int, dt.date]]:
    out = []
    for q, r in _reported(quarters):
        if not isinstance(r.value, dt.date):
            raise ReportError(
                f"Q{q} figure {r.text!r} is not a date, but {indicator.id} uses method"
                f" {indicator.method!r}"
            )
        out.append((q, r.value))
    return out


def _nothing() -> Achievement:
    return Achievement(value=None, explanation="no quarter reported a figure")


def total(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    """সমষ্টি: the sum of the reported quarterly figures."""
    figures = _numbers(indicator, quarters)
    if not figures:
        return _nothing()
    value = sum((v for _, v in figures), Decimal(0))
    terms = " + ".join(f"Q{q} {_fmt(v)}" for q, v in figures)
    return Achievement(value=value, explanation=f"sum of {terms} = {_fmt(value)}")


def average(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    """গড়: the mean of the reported quarterly figures."""
    figures = _numbers(indicator, quarters)
    if not figures:
        return _nothing()
    mean = sum((Fraction(v) for _, v in figures), Fraction(0)) / len(figures)
    value = to_decimal(mean)
    terms = " + ".join(f"Q{q} {_fmt(v)}" for q, v in figures)
    return Achievement(
        value=value, explanation=f"mean of {terms} over {len(figures)} quarters = {_fmt(value)}"
    )


def _cumulative_mode(indicator: Indicator) -> str:
    return indicator.cumulative or ("running" if indicator.unit == "percent" else "increments")


def _adds_increments(indicator: Indicator) -> bool:
    """Increments add up (toward a base, as counts); running figures do not."""
    return _cumulative_mode(indicator) == "increments"


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
        return Achievement(
            value=value,
            explanation=f"running figure: the latest reported, Q{q} {_fmt(value)}",
        )
    reported = _reported(quarters)
    base = indicator.cumulative_base()
    if base is not None:
        counts: list[tuple[int, Decimal]] = []
        for q, r in reported:
            count = r.count if r.count is not None else r.value
            if not isinstance(count, Decimal) or (r.percent and r.count is None):
                raise ReportError(
                    f"Q{q} figure {r.text!r}: {indicator.id} counts increments toward a base of"
                    f" {_fmt(to_decimal(base))}, so each quarter must give a count"
                )
            counts.append((q, count))
        if not counts:
            return _nothing()
        done = sum((c for _, c in counts), Decimal(0))
        pct = to_decimal(Fraction(done) / base * 100)
        terms = " + ".join(f"Q{q} {_fmt(c)}" for q, c in counts)
        of = _fmt(to_decimal(base))
        if indicator.base is None:
            of += (
                f" ({_fmt(indicator.target_count or Decimal(0))} ="
                f" {_fmt(indicator.target or Decimal(0))}% of it)"
            )
        return Achievement(
            value=pct,
            explanation=f"cumulative count {terms} = {_fmt(done)} of base {of} = {_fmt(pct)}%",
        )
    result = total(indicator, quarters)
    if result.value is None:
        return result
    return Achievement(
        value=result.value, explanation="cumulative increments: " + result.explanation
    )


def date(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    """তারিখ: the completion date (the earliest date reported)."""
    dates = _dates(indicator, quarters)
    if not dates:
        return Achievement(value=None, explanation="not completed: no quarter reported a date")
    q, done = min(dates, key=lambda qd: qd[1])
    return Achievement(value=done, explanation=f"completed {_fmt(done)} (reported in Q{q})")


def milestones(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    """সংখ্যা ও তারিখ: the completion dates of dated milestones, in order."""
    dates = _dates(indicator, quarters)
    if not dates:
        return Achievement(value=(), explanation="no milestone completed")
    done = tuple(sorted(d for _, d in dates))
    shown = ", ".join(f"Q{q} {_fmt(d)}" for q, d in dates)
    return Achievement(value=done, explanation=f"milestones completed: {shown}")


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
