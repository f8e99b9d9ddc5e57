"""Recomputing the figures an office wrote, and listing those that disagree with the rules.

For every indicator whose report entry carries the office's own figures (``claimed``):
its total achievement (মোট অর্জন), its progress percentage (অর্জনের শতকরা হার) and its
marks (অর্জিত মান, the progress marks of DOMAIN.md rule 4). apacore's figure is rounded
to the precision the office wrote (``৬৬%`` is compared with 65.71 rounded half-up to a
whole number); a difference beyond that is a finding, with the most likely reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import attrs

from apacore.numbers import Marker, Reading, to_ascii_digits
from apacore.render import round_value
from apacore.scorecard import IndicatorResult, Scorecard

__all__ = ["Finding", "audit_scorecard"]


@attrs.frozen(kw_only=True)
class Finding:
    """One figure of the office's that disagrees with the rules."""

    indicator: str
    """The indicator reference (``egov/4.1.2``)."""
    figure: str
    """Which figure: ``total``, ``progress_pct`` or ``marks``."""
    office: str
    """The office's figure, as written."""
    apacore: str
    """apacore's figure (at the office's precision, and exactly where that differs)."""
    reason: str
    """Why they differ."""

    def as_dict(self) -> dict[str, str]:
        """Plain data for JSON."""
        return attrs.asdict(self)


def _places(reading: Reading) -> int:
    """Decimal places the office wrote (``৬৬%`` → 0, ``০.০০১২`` → 4)."""
    head = to_ascii_digits(reading.text).split("(")[0]
    if "." not in head:
        return 0
    fraction = head.split(".", 1)[1]
    count = 0
    for ch in fraction:
        if not ch.isdigit():
            break
        count += 1
    return count


def _show(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _compare(claimed: Reading, ours: Fraction) -> tuple[bool, str]:
    """Whether the office's figure equals ours at its precision, and ours as shown."""
    assert isinstance(claimed.value, Decimal)
    places = _places(claimed)
    rounded = round_value(ours, places)
    shown = _show(rounded)
    if rounded != ours:  # also show ours to two more places than the office wrote
        shown += f" ({_show(round_value(ours, places + 2))})"
    office = round_value(claimed.value, places)
    scaled = ours * 10**places
    truncated = Decimal(int(scaled)).scaleb(-places)  # int() cuts toward zero
    # an office that cuts 66.67 to 66 has not made a mistake of the rules
    return office in (rounded, truncated), shown


def _quarter_values(result: IndicatorResult) -> list[Reading]:
    return [r for r in result.quarters if r is not None and isinstance(r.value, Decimal)]


def _sum_of_rates(result: IndicatorResult, claimed: Reading) -> bool:
    quarters = _quarter_values(result)
    if len(quarters) < 2 or not isinstance(claimed.value, Decimal):
        return False
    total = sum((r.value for r in quarters if isinstance(r.value, Decimal)), Decimal(0))
    return round_value(total, _places(claimed)) == claimed.value


def _reason(result: IndicatorResult, figure: str, claimed: Reading) -> str:
    ind = result.indicator
    method = result.method
    if (
        figure in ("total", "progress_pct")
        and method in ("cumulative", "average")
        and _sum_of_rates(result, claimed)
    ):
        terms = " + ".join(r.text for r in _quarter_values(result))
        kind = (
            "percentages of different bases"
            if any(r.count is not None for r in result.quarters if r is not None)
            else "quarterly figures"
        )
        how = (
            "the running figure"
            if ind is not None
            and (ind.cumulative or ("running" if result.unit == "percent" else "increments"))
            == "running"
            else "the cumulative count"
        )
        if method == "average":
            how = "their mean"
        return f"a sum of {kind} ({terms}) where the method is {method}: the rules take {how}"
    if figure == "total" and method == "sum":
        return "the total is not the sum of the office's quarterly figures"
    if figure == "marks" and result.unit == "date" and result.achievement is None:
        return "no completion date was reported for this date indicator"
    if figure == "marks" and result.progress_pct is not None and result.weight is not None:
        if (
            isinstance(claimed.value, Decimal)
            and claimed.value == result.weight
            and result.progress_pct < 100
        ):
            if result.unit == "date":
                return "a deadline missed but scored in full"
            return "full marks for a target not reached"
        return (
            f"marks are weight × min(progress, 100) / 100 ="
            f" {_show(result.weight)} × {_show(min(result.progress_pct, Decimal(100)))} / 100"
        )
    if result.unit == "date":
        if result.achievement is None:
            return "no completion date was reported for this date indicator"
        if isinstance(claimed.value, Decimal) and figure == "progress_pct" and claimed.value >= 100:
            return "a deadline missed but scored in full"
    return "does not follow from the office's own figures"


def _ours(result: IndicatorResult, figure: str) -> Fraction | dt.date | None:
    if figure == "total":
        value = result.achievement
        if isinstance(value, tuple):
            return Fraction(len(value))
        return Fraction(value) if isinstance(value, Decimal) else value
    return result.exact(figure)


def _audit_indicator(result: IndicatorResult) -> list[Finding]:
    entry = result.entry
    if entry is None or entry.claimed is None or result.status not in ("scored", "not_reported"):
        return []
    findings: list[Finding] = []
    for figure in ("total", "progress_pct", "marks"):
        claimed: Reading | None = getattr(entry.claimed, figure)
        if claimed is None or isinstance(claimed.value, Marker):
            continue

        def add(
            ours_shown: str, reason: str, _figure: str = figure, _claimed: Reading = claimed
        ) -> None:
            findings.append(
                Finding(
                    indicator=result.ref,
                    figure=_figure,
                    office=_claimed.text,
                    apacore=ours_shown,
                    reason=reason,
                )
            )

        ours = _ours(result, figure)
        if (
            figure == "total"
            and result.method in ("cumulative",)
            and result.unit == "percent"
            and result.indicator is not None
            and result.indicator.cumulative_base() is not None
        ):
            # the office writes counts or percentages; compare like with like
            if not claimed.percent and claimed.count is None:
                continue
        if isinstance(claimed.value, dt.date):
            if ours is None or not isinstance(ours, dt.date):
                shown = "not completed" if ours is None else _show(round_value(ours, 2))
                add(shown, "no completion date in the quarters reported")
            elif ours != claimed.value:
                add(
                    ours.strftime("%d/%m/%Y"),
                    "the completion date differs from the quarters reported",
                )
            continue
        if not isinstance(claimed.value, Decimal):
            continue
        if figure == "total" and result.unit == "date":
            # a count of completions written for a date indicator: one date is one done
            done = Decimal(0 if ours is None else 1)
            if claimed.value != done:
                add(
                    "not completed" if ours is None else f"completed {ours}",
                    "no completion date was reported for this date indicator"
                    if ours is None
                    else "the count differs from the completion reported",
                )
            continue
        if ours is None:
            ours = Fraction(0)
        if isinstance(ours, dt.date):
            add(ours.strftime("%d/%m/%Y"), "a number where the indicator is a date")
            continue
        same, shown = _compare(claimed, ours)
        if not same:
            add(shown, _reason(result, figure, claimed))
    return findings


def audit_scorecard(card: Scorecard) -> list[Finding]:
    """Every figure the office wrote that disagrees with apacore's, with the reason."""
    findings: list[Finding] = []
    for result in card.indicators():
        findings.extend(_audit_indicator(result))
    return findings
