"""Checking what an office wrote and signed, and listing what disagrees with the rules.

Every :class:`Finding` has a ``kind`` (see :data:`FINDING_KINDS`):

- ``figure``: the office's own total (মোট অর্জন), progress percentage (অর্জনের শতকরা হার)
  or marks (অর্জিত মান) that does not follow from its quarterly figures. apacore's figure
  is rounded to the precision the office wrote (``৬৬%`` is compared with 65.71 rounded
  half-up to a whole number, and an office that cuts 66.67 to 66 is not wrong); a
  difference beyond that is a finding, with the most likely reason. A completed deadline
  whose total is written "-" is one too.
- ``cell``: a quarterly cell that writes a percentage with its count (``৯৯%(১০৪)``) where
  the percentage is not that count's share of the indicator's base.
- ``evidence``: a row with a reported figure but no evidence reference (প্রমাণক), where
  the agreement requires evidence (Annex 2).
- ``target``: an office's row of a standard plan whose target differs from the standard
  one (offices may adapt the plan: accepted, and reported).
- ``review``: what an APA review would question before signing (:mod:`apacore.audit.review`).

:func:`audit_scorecard` gives the first two (the office's arithmetic); :func:`audit_office`
gives every kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from apacore.audit.findings import FINDING_KINDS, Finding
from apacore.audit.text import plain_number
from apacore.engine.scorecard import IndicatorResult, Scorecard
from apacore.errors import ApacoreError
from apacore.formatting import round_value
from apacore.loading.agreements import OfficeFiles
from apacore.models import Indicator, Value
from apacore.numbers import Marker, Reading, to_ascii_digits
from apacore.plugins.annex_plan import plan_annexes
from apacore.plugins.host import get_registry

__all__ = [
    "FINDING_KINDS",
    "Finding",
    "audit_office",
    "audit_scorecard",
    "audit_text",
    "audit_to_dict",
    "parse_kinds",
]


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


_show = plain_number


def _show_value(value: Value | Fraction | tuple[dt.date, ...] | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, tuple):
        return ", ".join(_show_value(v) for v in value)
    return _show(value)


def _agrees(written: Decimal, places: int, ours: Fraction) -> bool:
    """Whether ``written`` is ``ours`` rounded half-up or cut to ``places`` decimals."""
    scaled = ours * 10**places
    truncated = Decimal(int(scaled)).scaleb(-places)  # int() cuts toward zero
    return round_value(written, places) in (round_value(ours, places), truncated)


def _compare(claimed: Reading, ours: Fraction) -> tuple[bool, str]:
    """Whether the office's figure equals ours at its precision, and ours as shown."""
    assert isinstance(claimed.value, Decimal)
    places = _places(claimed)
    rounded = round_value(ours, places)
    shown = _show(rounded)
    if rounded != ours:  # also show ours to two more places than the office wrote
        shown += f" ({_show(round_value(ours, places + 2))})"
    return _agrees(claimed.value, places, ours), shown


def _quarter_values(result: IndicatorResult) -> list[Reading]:
    return [r for r in result.quarters if r is not None and isinstance(r.value, Decimal)]


def _sum_of_quarters(result: IndicatorResult, claimed: Reading) -> bool:
    quarters = _quarter_values(result)
    if len(quarters) < 2 or not isinstance(claimed.value, Decimal):
        return False
    total = sum((r.value for r in quarters if isinstance(r.value, Decimal)), Decimal(0))
    return round_value(total, _places(claimed)) == claimed.value


def _adds_quarters(result: IndicatorResult) -> bool | None:
    """What the indicator's calculation method says about adding its quarters."""
    method = get_registry().methods.get(result.method)
    if method is None or method.adds_quarters is None or result.indicator is None:
        return None
    return method.adds_quarters(result.indicator)


def _implied_bases(result: IndicatorResult) -> set[Fraction]:
    """The base each ``pct%(count)`` cell implies (count × 100 / pct)."""
    return {
        Fraction(r.count) * 100 / Fraction(r.value)
        for r in _quarter_values(result)
        if r.percent and r.count is not None and isinstance(r.value, Decimal) and r.value
    }


# --------------------------------------------------------------------------- cells


def _cell_bases(indicator: Indicator) -> list[tuple[Fraction, str]]:
    """The counts a quarterly percentage may be a share of, each with its message code."""
    bases: list[tuple[Fraction, str]] = []
    if indicator.target_count is not None:
        bases.append((Fraction(indicator.target_count), "cell_share_target"))
    base = indicator.cumulative_base()
    if base is not None and all(base != b for b, _ in bases):
        bases.append((base, "cell_share_base"))
    return bases


def _cell_findings(result: IndicatorResult) -> list[Finding]:
    """Quarterly ``pct%(count)`` cells whose percentage is not their count's share."""
    if result.indicator is None:
        return []
    bases = _cell_bases(result.indicator)
    if not bases:
        return []
    findings = []
    for quarter, reading in enumerate(result.quarters, start=1):
        if (
            reading is None
            or not reading.percent
            or reading.count is None
            or not isinstance(reading.value, Decimal)
        ):
            continue
        places = _places(reading)
        shares = [Fraction(reading.count) * 100 / base for base, _ in bases]
        if any(_agrees(reading.value, places, share) for share in shares):
            continue
        (base, code), share = bases[0], shares[0]
        phrase = {"count": reading.count, "base": base, "share": share, "pct": reading.value}
        findings.append(
            Finding(
                kind="cell",
                indicator=result.ref,
                figure=f"q{quarter}",
                office=reading.text,
                apacore=f"{_show(round_value(share, places))}% ({_show(share)}%)",
                code=code,
                values={"phrase": phrase, "base": base},
            )
        )
    return findings


# --------------------------------------------------------------------------- figures


def _reason(
    result: IndicatorResult, figure: str, claimed: Reading, cells: list[Finding]
) -> tuple[str, dict[str, Any]]:
    """The most likely reason a claimed figure differs: (message code, values)."""
    if figure in ("total", "progress_pct") and _sum_of_quarters(result, claimed):
        terms = " + ".join(r.text for r in _quarter_values(result))
        adds = _adds_quarters(result)
        if adds is False:
            code = "sum_of_bases_not_added" if len(_implied_bases(result)) > 1 else "sum_not_added"
            method = get_registry().methods.get(result.method)
            method_bn = method.bengali_name if method is not None else ""
            return code, {"terms": terms, "method": result.method, "method_bn": method_bn}
        if cells:
            wrong = tuple(
                {"quarter": c.figure, "text": c.office, "phrase": c.values["phrase"]} for c in cells
            )
            return "sum_with_wrong_cell", {"terms": terms, "cells": wrong}
    if figure == "total" and _adds_quarters(result):
        return "total_not_sum", {}
    if figure == "marks" and result.unit == "date" and result.achievement is None:
        return "no_completion_date", {}
    if figure == "marks" and result.progress_pct is not None and result.weight is not None:
        if (
            isinstance(claimed.value, Decimal)
            and claimed.value == result.weight
            and result.progress_pct < 100
        ):
            if result.unit == "date":
                return "deadline_missed_full", {}
            return "full_marks_not_reached", {}
        progress = min(result.progress_pct, Decimal(100))
        return "marks_formula", {"weight": result.weight, "progress": progress}
    if result.unit == "date":
        if result.achievement is None:
            return "no_completion_date", {}
        if isinstance(claimed.value, Decimal) and figure == "progress_pct" and claimed.value >= 100:
            return "deadline_missed_full", {}
    if (
        figure == "progress_pct"
        and isinstance(result.achievement, Decimal)
        and isinstance(result.target, Decimal)
        and result.target
    ):
        return "progress_formula", {"achievement": result.achievement, "target": result.target}
    return "not_following", {}


def _ours(result: IndicatorResult, figure: str) -> Fraction | dt.date | None:
    if figure == "total":
        value = result.achievement
        if isinstance(value, tuple):
            return Fraction(len(value))
        return result.exact("achievement") if isinstance(value, Decimal) else value
    return result.exact(figure)


def _audit_indicator(result: IndicatorResult) -> list[Finding]:
    entry = result.entry
    if entry is None or result.status not in ("scored", "not_reported"):
        return []
    cells = _cell_findings(result)
    findings: list[Finding] = list(cells)
    if entry.claimed is None:
        return findings
    for figure in ("total", "progress_pct", "marks"):
        claimed: Reading | None = getattr(entry.claimed, figure)
        if claimed is None:
            continue

        def add(
            ours_shown: str,
            code: str,
            values: Mapping[str, Any] | None = None,
            _figure: str = figure,
            _claimed: Reading = claimed,
        ) -> None:
            findings.append(
                Finding(
                    indicator=result.ref,
                    figure=_figure,
                    office=_claimed.text,
                    apacore=ours_shown,
                    code=code,
                    values=values or {},
                )
            )

        ours = _ours(result, figure)
        if isinstance(claimed.value, Marker):
            if (
                figure == "total"
                and claimed.value is Marker.NOT_REPORTED
                and isinstance(ours, dt.date)
            ):
                add(
                    _show_value(ours), "completed_total_blank", {"date": ours, "text": claimed.text}
                )
            continue
        if (
            figure == "total"
            and result.unit == "percent"
            and result.indicator is not None
            and result.indicator.cumulative_base() is not None
            and not claimed.percent
            and claimed.count is None
        ):
            continue  # a count written where apacore's total is its percentage of the base
        if isinstance(claimed.value, dt.date):
            if ours is None or not isinstance(ours, dt.date):
                add(_show_value(ours), "no_completion_in_quarters")
            elif ours != claimed.value:
                add(_show_value(ours), "completion_date_differs")
            continue
        if not isinstance(claimed.value, Decimal):
            continue
        if figure == "total" and result.unit == "date":
            # a count of completions written for a date indicator: one date is one done
            done = Decimal(0 if ours is None else 1)
            if claimed.value != done:
                if ours is None:
                    add("-", "no_completion_date")
                else:
                    add(_show_value(ours), "completion_count_differs")
            continue
        if ours is None:
            ours = Fraction(0)
        if isinstance(ours, dt.date):
            add(_show_value(ours), "number_for_date")
            continue
        same, shown = _compare(claimed, ours)
        if not same:
            add(shown, *_reason(result, figure, claimed, cells))
    return findings


def audit_scorecard(card: Scorecard) -> list[Finding]:
    """Every figure the office wrote that disagrees with apacore's, with the reason
    (kinds ``figure`` and ``cell``)."""
    findings: list[Finding] = []
    for result in card.indicators():
        findings.extend(_audit_indicator(result))
    return findings


# --------------------------------------------------------------------------- evidence


def _has_figure(result: IndicatorResult) -> bool:
    return any(r is not None and not isinstance(r.value, Marker) for r in result.quarters)


def audit_evidence(card: Scorecard) -> list[Finding]:
    """Rows with a reported figure but no evidence reference where evidence is required."""
    findings = []
    for result in card.indicators():
        indicator, entry = result.indicator, result.entry
        if indicator is None or not indicator.evidence or entry is None or entry.evidence:
            continue
        if result.status != "scored" or not _has_figure(result):
            continue
        findings.append(
            Finding(
                kind="evidence",
                indicator=result.ref,
                figure="evidence",
                office="-",
                apacore=indicator.evidence,
                code="evidence_missing",
            )
        )
    return findings


# --------------------------------------------------------------------------- standard targets


def _comparable(a: Value, b: Value) -> bool:
    return isinstance(a, dt.date) == isinstance(b, dt.date)


def audit_targets(office: OfficeFiles) -> list[Finding]:
    """The office's rows of a standard plan whose target differs from the standard one.

    A row is the standard's when the ruleset's plan of that annex has a row with its id;
    the target compared is the single target, else the best present tier, else the
    number of milestones (:attr:`Indicator.annual_target`)."""
    findings = []
    for annex in plan_annexes(office.agreement, office.ruleset):
        standard = office.ruleset.annex(annex.kind)
        if annex.standard or standard is None:
            continue
        rows = {row.id: row for row in standard.indicators()}
        for area in annex.areas:
            for indicator in area.indicators():
                row = rows.get(indicator.id)
                if row is None:
                    continue
                ours, theirs = indicator.annual_target, row.annual_target
                if ours is None or theirs is None or not _comparable(ours, theirs):
                    continue
                if ours != theirs:
                    findings.append(
                        Finding(
                            kind="target",
                            indicator=f"{annex.kind}/{indicator.id}",
                            figure="target",
                            office=_show_value(ours),
                            apacore=_show_value(theirs),
                            code="target_differs",
                            values={"standard": theirs, "office": ours},
                        )
                    )
    return findings


def audit_office(
    office: OfficeFiles, card: Scorecard, *, kinds: Collection[str] | None = None
) -> list[Finding]:
    """Every finding of the kinds asked for (all by default): the office's figures and
    cells, then evidence, standard targets and the agreement review."""
    from apacore.audit.review import review_agreement

    unknown = set(kinds or ()) - set(FINDING_KINDS)
    if unknown:
        raise ValueError(f"unknown finding kinds: {', '.join(sorted(unknown))}")
    findings = audit_scorecard(card) + audit_evidence(card) + audit_targets(office)
    findings += review_agreement(office)
    return [f for f in findings if kinds is None or f.kind in kinds]


def parse_kinds(text: str | None) -> tuple[str, ...] | None:
    """``figure,cell``: the finding kinds to list (None: every kind); an unknown kind is
    an error about the argument ``kind``."""
    if text is None:
        return None
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in FINDING_KINDS]
    if unknown or not kinds:
        raise ApacoreError(
            f"unknown finding kind {', '.join(unknown) or repr(text)}"
            f" (known: {', '.join(FINDING_KINDS)})",
            argument="kind",
        )
    return kinds


def audit_to_dict(card: Scorecard, findings: Sequence[Finding], lang: str = "en") -> dict[str, Any]:
    """An audit as plain data (``apacore audit --format json``): the office, its quarter
    and ruleset, and every finding with its reason in ``lang``."""
    return {
        "office": card.office,
        "fiscal_year": card.fiscal_year,
        "as_of": {"quarter": card.as_of_quarter, "date": card.as_of.isoformat()},
        "ruleset": dict(card.ruleset),
        "findings": [f.as_dict(lang) for f in findings],
    }


def audit_text(
    office: OfficeFiles, card: Scorecard, findings: Sequence[Finding], lang: str = "en"
) -> str:
    """An audit as ``apacore audit`` prints it: a heading, then the findings in ``lang``."""
    from apacore.audit.text import render_text

    name = card.office_bn if lang == "bn" and card.office_bn else card.office
    heading = (name, card.fiscal_year, card.as_of_quarter, office.report is not None)
    return render_text(heading, findings, lang)
