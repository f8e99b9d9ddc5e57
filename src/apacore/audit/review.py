"""The agreement review: what an APA review would question before an agreement is signed.

The checks are the ruleset's to turn on and set (``[review]`` in ``ruleset.toml``,
:class:`apacore.models.ReviewRules`); a check without a value is off:

- ``previous_actual``: a target worse than the previous year's actual, where the agreement
  gives that actual (``actuals = { "2022-23" = … }``);
- ``tier_units``: three adjacent present tiers within one unit of each other, so that one
  unit of achievement spans several tiers (one unit per unit kind; dates in days);
- ``max_indicator_weight``: an indicator weighing more than the guidelines allow for one;
- ``excellent_equals_poor``: tiers whose excellent value equals the poor one.

Only the rows the agreement writes itself are reviewed (its own areas and the annexes it
does not take as ``standard``): a standard plan is the ruleset's, reviewed when it is made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from apacore.audit.findings import Finding
from apacore.errors import ApacoreError
from apacore.loading.agreements import OfficeFiles
from apacore.models import Indicator, ReviewRules, TierValue
from apacore.numbers import parse_value
from apacore.plugins.annex_plan import plan_annexes

__all__ = ["review_agreement"]


def _show(value: TierValue) -> str:
    if value is None:
        return "-"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rows(office: OfficeFiles) -> Iterator[tuple[str, Indicator]]:
    """(reference, indicator) for every row the agreement writes itself."""
    for area in office.agreement.areas:
        for indicator in area.indicators():
            yield indicator.id, indicator
    for annex in plan_annexes(office.agreement, office.ruleset):
        if annex.standard:
            continue
        for area in annex.areas:
            for indicator in area.indicators():
                yield f"{annex.kind}/{indicator.id}", indicator


def _finding(
    ref: str, figure: str, office: str, expected: str, code: str, values: dict[str, Any]
) -> Finding:
    return Finding(
        kind="review",
        indicator=ref,
        figure=figure,
        office=office,
        apacore=expected,
        code=code,
        values=values,
    )


def _previous_year(fiscal_year: str) -> str:
    start = int(fiscal_year[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _lower_is_better(indicator: Indicator) -> bool:
    if indicator.direction is not None:
        return indicator.direction == "lower"
    present = [v for v in indicator.tiers or () if isinstance(v, Decimal)]
    return len(present) >= 2 and present[0] < present[-1]


def _below_previous_actual(ref: str, indicator: Indicator, previous: str) -> Finding | None:
    written = indicator.actuals.get(previous)
    target = indicator.annual_target
    if written is None or not isinstance(target, Decimal):
        return None
    try:
        actual = parse_value(written)
    except (ApacoreError, ValueError):
        return None  # an actual that is not a number (a note, a date) has nothing to compare
    if not isinstance(actual, Decimal):
        return None
    worse = target > actual if _lower_is_better(indicator) else target < actual
    if not worse:
        return None
    return _finding(
        ref,
        "target",
        _show(target),
        f"≥ {_show(actual)}" if not _lower_is_better(indicator) else f"≤ {_show(actual)}",
        "review_previous_actual",
        {"target": target, "year": previous, "actual": written},
    )


def _close_tiers(ref: str, indicator: Indicator, units: dict[str, Decimal]) -> Finding | None:
    unit = units.get(indicator.unit)
    if unit is None or indicator.tiers is None:
        return None
    present = [v for v in indicator.tiers if v is not None]
    for a, _, c in zip(present, present[1:], present[2:]):
        if isinstance(a, dt.date) and isinstance(c, dt.date):
            span = Decimal(abs((a - c).days))
        elif isinstance(a, Decimal) and isinstance(c, Decimal):
            span = abs(a - c)
        else:
            continue
        if span <= unit:
            shown = " / ".join(_show(v) for v in indicator.tiers)
            day = indicator.unit == "date"
            return _finding(
                ref,
                "tiers",
                shown,
                f"> {_show(unit)}",
                "review_close_tiers_day" if day else "review_close_tiers_unit",
                {"unit": unit, "first": a, "last": c},
            )
    return None


def review_agreement(office: OfficeFiles) -> list[Finding]:
    """The review findings for the agreement's own rows, as the ruleset's rules ask."""
    rules: ReviewRules = office.ruleset.spec.review
    previous = _previous_year(office.agreement.fiscal_year)
    units = dict(rules.tier_units)
    findings: list[Finding] = []
    for ref, indicator in _rows(office):
        if rules.previous_actual:
            below = _below_previous_actual(ref, indicator, previous)
            if below is not None:
                findings.append(below)
        close = _close_tiers(ref, indicator, units)
        if close is not None:
            findings.append(close)
        limit = rules.max_indicator_weight
        if limit is not None and indicator.weight is not None and indicator.weight > limit:
            findings.append(
                _finding(
                    ref,
                    "weight",
                    _show(indicator.weight),
                    f"≤ {_show(limit)}",
                    "review_weight",
                    {"weight": indicator.weight, "limit": limit},
                )
            )
        tiers = indicator.tiers
        if (
            rules.excellent_equals_poor
            and tiers is not None
            and tiers[0] is not None
            and tiers[0] == tiers[-1]
        ):
            findings.append(
                _finding(
                    ref,
                    "tiers",
                    " / ".join(_show(v) for v in tiers),
                    f"≠ {_show(tiers[0])}",
                    "review_excellent_poor",
                    {"value": tiers[0]},
                )
            )
    return findings
