"""Scoring a whole agreement with its progress report: the scorecard.

For every indicator: the annual achievement by its calculation method, the progress
(achievement so far against the annual target, DOMAIN.md rule 4), the evaluation "as if
the year ended now" (raw score by its scoring rule, marks = weight × raw / 100), its
status and an explanation. Per area and annex: marks (rescaled when indicators do not
apply, rule 5), and for annexes the conversion ``obtained / annex total × APA weight``.
Then the total and its grade. Everything is exact; rounding happens only when the
scorecard is written out (:mod:`apacore.render`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from apacore.agreements import PlanAnnex, plan_annexes, quarter_end
from apacore.errors import ApacoreError, PluginError, ReportError, ScoringError
from apacore.models import Agreement, Area, Indicator, ProgressEntry, ProgressReport, Value
from apacore.numbers import Marker, Reading
from apacore.plugins import get_registry
from apacore.registry import Achievement, AchievementValue, RuleContext, achievement_problem
from apacore.rulesets import Ruleset
from apacore.scoring import RuleResult, resolve_direction, to_decimal

__all__ = ["IndicatorResult", "Scorecard", "SectionResult", "exact_of", "score_agreement"]

STATUSES = ("scored", "not_reported", "not_applicable", "substituted")


@attrs.frozen(kw_only=True)
class IndicatorResult:
    """One indicator on the scorecard. Numbers are exact (unrounded)."""

    ref: str
    """Reference: ``"1.1.1"`` for the office's rows, ``"egov/4.1.2"`` for annex rows."""
    id: str
    """The indicator's id inside its container."""
    section: str
    """``"office"`` or the annex kind."""
    area: str
    """The id of its area."""
    name_bn: str
    name_en: str
    weight: Decimal | None
    """The weight it carries here (a substitute carries the replaced row's); None when the
    document gives none (a partial agreement): then there are no marks, only scores."""
    method: str
    unit: str
    rule: str
    target: Value | None
    """The annual target (single target, or the best tier)."""
    achievement: AchievementValue
    """The annual achievement so far, by the calculation method."""
    progress_pct: Decimal | None
    """Achievement / annual target × 100, uncapped; None where not defined."""
    progress_marks: Decimal | None
    """weight × min(progress %, 100) / 100."""
    raw_score: Decimal | None
    """Evaluation raw score in [0, 100]; None when not applicable or substituted."""
    marks: Decimal | None
    """weight × raw score / 100."""
    status: str
    """``scored``, ``not_reported``, ``not_applicable`` or ``substituted``."""
    explanation: tuple[str, ...]
    """Inputs, method, bracket, formula, marks: step by step."""
    quarters: tuple[Reading | None, ...] = ()
    """The quarterly figures used (up to the as-of quarter)."""
    entry: ProgressEntry | None = None
    """The report's entry, with the office's own claimed figures."""
    indicator: Indicator | None = attrs.field(default=None, eq=False, repr=False)
    """The indicator definition."""
    exact: Mapping[str, Fraction] = attrs.field(factory=dict, eq=False, repr=False)
    """The exact values behind the Decimal fields (``raw_score``, ``marks`` …), for sums
    and for the one rounding at output."""


@attrs.frozen(kw_only=True)
class SectionResult:
    """An office performance area or an annex."""

    kind: str
    """``"area"`` or ``"annex"``."""
    key: str
    """The area id or the annex kind."""
    name_bn: str
    name_en: str
    weight: Decimal | None
    """The area's weight or the annex's own total (None: not given; then every mark is None)."""
    max: Decimal | None
    """What can be earned here after not-applicable rows (= weight under ``rescale``)."""
    marks: Decimal | None
    """Marks obtained, in the section's own terms."""
    progress_marks: Decimal | None
    """Progress marks, in the section's own terms."""
    apa_weight: Decimal | None
    """What the section is worth in the APA (areas: their weight; annexes: 10, 10, 4, 3, 3)."""
    converted_max: Decimal | None
    converted_marks: Decimal | None
    """Marks in the APA: ``marks / weight × apa_weight`` (areas: the marks)."""
    converted_progress_marks: Decimal | None
    indicators: tuple[IndicatorResult, ...]
    explanation: tuple[str, ...] = ()
    exact: Mapping[str, Fraction] = attrs.field(factory=dict, eq=False, repr=False)
    """The exact values behind the Decimal fields."""


@attrs.frozen(kw_only=True)
class Scorecard:
    """An office's scorecard for one fiscal year, as of a quarter."""

    office: str
    office_level: str
    fiscal_year: str
    as_of_quarter: int
    as_of: dt.date
    """The evaluation date: the last day of the as-of quarter."""
    scope: str
    ruleset: dict[str, str]
    """Fiscal year, version and sha256 of the ruleset used."""
    places: int
    rounding: str
    sections: tuple[SectionResult, ...]
    total_marks: Decimal
    total_progress_marks: Decimal
    total_max: Decimal
    grade: str | None
    """The grade of the total (complete agreements only)."""
    grade_bn: str | None = None
    office_bn: str = ""
    """The office's Bengali name, as on the agreement."""
    exact: Mapping[str, Fraction] = attrs.field(factory=dict, eq=False, repr=False)
    """The exact values behind the totals."""

    def indicator(self, ref: str) -> IndicatorResult:
        """The result for indicator ``ref``; an unknown one is an error listing the known."""
        for section in self.sections:
            for result in section.indicators:
                if result.ref == ref:
                    return result
        known = ", ".join(r.ref for s in self.sections for r in s.indicators)
        raise ApacoreError(f"unknown indicator {ref!r} (known: {known})", where="indicator")

    def indicators(self) -> tuple[IndicatorResult, ...]:
        """Every indicator result, in order."""
        return tuple(r for s in self.sections for r in s.indicators)


def _present(**values: Fraction | None) -> dict[str, Fraction]:
    return {k: v for k, v in values.items() if v is not None}


def exact_of(obj: IndicatorResult | SectionResult | Scorecard, name: str) -> Fraction | None:
    """The exact value of field ``name`` of a result (None where the field is None)."""
    exact = obj.exact.get(name)
    if exact is not None:
        return exact
    value = getattr(obj, name)
    return None if value is None else Fraction(value)


def _fmt(value: Any) -> str:
    if isinstance(value, Fraction):
        value = to_decimal(value)
    if isinstance(value, Decimal):
        return (
            format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
        )
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, tuple):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)


def _progress(ind: Indicator, achievement: Achievement) -> tuple[Fraction | None, str]:
    target = ind.annual_target
    value = achievement.value
    if ind.milestones is not None:
        done = len(value) if isinstance(value, tuple) else 0
        pct = Fraction(done, len(ind.milestones)) * 100
        return pct, f"progress = {done} of {len(ind.milestones)} milestones × 100 = {_fmt(pct)}%"
    if target is None:
        return None, "progress: no annual target"
    if isinstance(target, dt.date):
        # a deadline's progress is how much of it was met: the evaluation's raw score
        return None, "progress of a deadline: the evaluation's raw score"
    if isinstance(value, (dt.date, tuple)):
        return None, "progress: not defined for this achievement"
    direction = ind.direction
    if ind.tiers is not None:
        direction = resolve_direction(ind.tiers, ind.direction)
    if direction == "lower":
        return None, "progress: not defined where lower is better"
    if not target > 0:
        return None, "progress: the annual target is 0"
    if value is None:
        return Fraction(0), "progress = 0% (not reported)"
    pct = Fraction(value) / Fraction(target) * 100
    return pct, f"progress = {_fmt(value)} / {_fmt(target)} × 100 = {_fmt(pct)}%"


@attrs.frozen
class _Row:
    ind: Indicator
    ref: str
    section: str
    area: str
    weight: Decimal | None
    status: str  # before scoring: "score", "not_applicable", "substituted"


def _readings_not_applicable(entry: ProgressEntry | None, quarter: int) -> bool:
    if entry is None:
        return False
    if entry.status == "not_applicable":
        return True
    return any(
        r is not None and r.value is Marker.NOT_APPLICABLE for r in entry.quarters()[:quarter]
    )


def _has_figures(entry: ProgressEntry | None, quarter: int) -> bool:
    return entry is not None and any(
        r is not None and not isinstance(r.value, Marker) for r in entry.quarters()[:quarter]
    )


def _applies(ind: Indicator, activity_levels: tuple[str, ...], level: str) -> bool:
    """An indicator's own ``applies_to`` wins over its activity's."""
    levels = ind.applies_to or activity_levels
    return not levels or level in levels


def _rows(
    areas: Sequence[Area],
    *,
    section: str,
    prefix: str,
    level: str,
    report: ProgressReport | None,
    quarter: int,
) -> list[_Row]:
    """The rows of a container, with not-applicable and substitute rows resolved.

    A substitute (``substitute_for``) is used when the office reports it and reports
    the row it replaces as substituted or not applicable, or not at all; the replaced
    row is then ``substituted`` and the substitute carries its weight. An unused
    substitute is not on the scorecard.
    """

    def entry_of(ref: str) -> ProgressEntry | None:
        return report.entry(ref) if report else None

    placed = [
        (area, act, ind) for area in areas for act in area.activities for ind in act.indicators
    ]
    weights = {ind.id: ind.weight for _, _, ind in placed}
    used_for: dict[str, str] = {}
    for _, act, ind in placed:
        if ind.substitute_for is None or not _applies(ind, act.applies_to, level):
            continue
        main = entry_of(prefix + ind.substitute_for)
        sub = entry_of(prefix + ind.id)
        if sub is None or sub.status == "not_applicable":
            continue
        main_out = main is None or main.status in ("substituted", "not_applicable")
        if not main_out and _has_figures(main, quarter) and _has_figures(sub, quarter):
            raise ReportError(
                f"both {prefix}{ind.substitute_for} and its substitute {prefix}{ind.id} are"
                " reported: report one of them (the substitute only when the office received"
                " nothing to report on the other)"
            )
        if main_out or _has_figures(sub, quarter):
            used_for[ind.substitute_for] = ind.id
    rows: list[_Row] = []
    for area, act, ind in placed:
        ref = prefix + ind.id
        entry = entry_of(ref)
        if ind.substitute_for is not None:
            if used_for.get(ind.substitute_for) == ind.id:
                rows.append(_Row(ind, ref, section, area.id, weights[ind.substitute_for], "score"))
            continue
        if ind.id in used_for:
            status = "substituted"
        elif not _applies(ind, act.applies_to, level) or _readings_not_applicable(entry, quarter):
            status = "not_applicable"
        elif entry is not None and entry.status == "substituted":
            raise ReportError(f"{ref} is marked substituted, but no substitute is reported")
        else:
            status = "score"
        rows.append(_Row(ind, ref, section, area.id, ind.weight, status))
    return rows


def _score_row(
    row: _Row, report: ProgressReport | None, quarter: int, context: RuleContext, ruleset: Ruleset
) -> IndicatorResult:
    ind = row.ind
    registry = get_registry()
    entry = report.entry(row.ref) if report else None
    target = ind.annual_target
    base: dict[str, Any] = dict(
        ref=row.ref,
        id=ind.id,
        section=row.section,
        area=row.area,
        name_bn=ind.name_bn,
        name_en=ind.name_en,
        weight=row.weight,
        method=ind.method,
        unit=ind.unit,
        rule=ind.scoring_rule,
        target=target,
        entry=entry,
        indicator=ind,
    )
    if row.status in ("not_applicable", "substituted"):
        why = (
            "does not apply to this office (leaves its container's total)"
            if row.status == "not_applicable"
            else "replaced by its substitute indicator"
        )
        zero = None if row.weight is None else Decimal(0)
        return IndicatorResult(
            **base,
            achievement=None,
            progress_pct=None,
            progress_marks=zero,
            raw_score=None,
            marks=zero,
            status=row.status,
            explanation=(why,),
        )
    quarters = entry.quarters()[:quarter] if entry else ()
    shown = ", ".join(f"Q{i} {r.text!r}" for i, r in enumerate(quarters, 1) if r is not None)
    lines = [f"inputs: {shown or 'none reported'} (as of Q{quarter})"]
    method = registry.method(ind.method)
    try:
        achievement = method.calculate(ind, quarters)
    except ApacoreError as exc:
        raise type(exc)(f"{row.ref}: {exc.why}", where=exc.where, path=exc.path) from None
    except Exception as exc:
        raise PluginError(
            f"calculation method {ind.method!r} raised {type(exc).__name__} on {row.ref}: {exc}",
            where=f"plugin {registry.owner('calculation method', ind.method)}",
        ) from exc
    if not isinstance(achievement, Achievement):
        raise PluginError(
            f"calculation method {ind.method!r} returned {achievement!r},"
            " not an apacore.Achievement",
            where=f"plugin {registry.owner('calculation method', ind.method)}",
        )
    problem = achievement_problem(achievement.value)
    if problem is not None:
        raise PluginError(
            f"calculation method {ind.method!r} returned an achievement for {row.ref} that"
            f" {problem}",
            where=f"plugin {registry.owner('calculation method', ind.method)}",
        )
    lines.append(f"method {ind.method}: {achievement.explanation}")
    reported = any(r is not None and r.value is not Marker.NOT_REPORTED for r in quarters)
    rule = registry.rule(ind.scoring_rule)
    try:
        result = rule.score(ind, achievement, context)
    except ScoringError as exc:
        raise ScoringError(f"{row.ref}: {exc.why}") from None
    except ApacoreError:
        raise
    except Exception as exc:
        raise PluginError(
            f"scoring rule {rule.name!r} raised {type(exc).__name__} on {row.ref}: {exc}",
            where=f"plugin {registry.owner('scoring rule', rule.name)}",
        ) from exc
    if (
        not isinstance(result, RuleResult)
        or not isinstance(result.raw, (Fraction, int))
        or isinstance(result.raw, bool)
        or not 0 <= result.raw <= 100
    ):
        raise PluginError(
            f"scoring rule {rule.name!r} returned {result!r} for {row.ref}: a"
            " RuleResult with an exact raw score in [0, 100] is required",
            where=f"plugin {registry.owner('scoring rule', rule.name)}",
        )
    raw = Fraction(result.raw)
    if not reported:
        raw = Fraction(0)
        lines.append("not reported: 0 in the evaluation (flagged, never guessed)")
    else:
        lines.append(f"rule {rule.name}: {result.bracket}; raw score = {result.formula}")
    marks: Fraction | None = None
    progress_marks: Fraction | None = None
    if row.weight is None:
        lines.append("no weight in the document: a raw score and progress, but no marks")
    else:
        marks = Fraction(row.weight) * raw / 100
        lines.append(f"marks = weight {_fmt(row.weight)} × raw {_fmt(raw)} / 100 = {_fmt(marks)}")
    pct, how = _progress(ind, achievement)
    if pct is None and isinstance(target, dt.date):
        pct = raw
        how += f" = {_fmt(raw)}%"
    if row.weight is not None:
        progress_marks = Fraction(0)
        if pct is not None:
            progress_marks = Fraction(row.weight) * min(pct, Fraction(100)) / 100
            how += (
                f"; progress marks = {_fmt(row.weight)} × min({_fmt(pct)}, 100) / 100"
                f" = {_fmt(progress_marks)}"
            )
    lines.append(how)
    return IndicatorResult(
        **base,
        achievement=achievement.value,
        progress_pct=None if pct is None else to_decimal(pct),
        progress_marks=None if progress_marks is None else to_decimal(progress_marks),
        raw_score=to_decimal(raw),
        marks=None if marks is None else to_decimal(marks),
        exact=_present(raw_score=raw, marks=marks, progress_pct=pct, progress_marks=progress_marks),
        status="scored" if reported else "not_reported",
        explanation=tuple(lines),
        quarters=tuple(quarters),
    )


def _section(
    kind: str,
    key: str,
    name_bn: str,
    name_en: str,
    weight: Decimal | None,
    apa_weight: Decimal | None,
    results: list[IndicatorResult],
    policy: str,
) -> SectionResult:
    if weight is None or apa_weight is None:
        return SectionResult(
            kind=kind,
            key=key,
            name_bn=name_bn,
            name_en=name_en,
            weight=None,
            max=None,
            marks=None,
            progress_marks=None,
            apa_weight=None,
            converted_max=None,
            converted_marks=None,
            converted_progress_marks=None,
            indicators=tuple(results),
            explanation=(
                "no weights in the document: scores and progress only, left out of the total",
            ),
        )
    counted = [r for r in results if r.status in ("scored", "not_reported")]
    applicable = sum((Fraction(r.weight or 0) for r in counted), Fraction(0))
    obtained = sum((exact_of(r, "marks") or Fraction(0) for r in counted), Fraction(0))
    progress = sum((exact_of(r, "progress_marks") or Fraction(0) for r in counted), Fraction(0))
    w = Fraction(weight)
    lines = []
    if applicable == w:
        maximum, marks, pmarks = w, obtained, progress
    elif applicable == 0:
        maximum, marks, pmarks = Fraction(0), Fraction(0), Fraction(0)
        lines.append("no indicator applies: the section leaves the total")
    elif policy == "rescale":
        maximum = w
        marks = obtained * w / applicable
        pmarks = progress * w / applicable
        lines.append(
            f"not applicable rows removed: marks rescaled {_fmt(obtained)} ×"
            f" {_fmt(w)} / {_fmt(applicable)} = {_fmt(marks)}"
        )
    else:
        maximum, marks, pmarks = applicable, obtained, progress
        lines.append(f"not applicable rows removed: the maximum is {_fmt(applicable)}")
    factor = Fraction(apa_weight) / w
    if kind == "annex":
        lines.append(
            f"converted = {_fmt(marks)} / {_fmt(w)} × {_fmt(apa_weight)} = {_fmt(marks * factor)}"
        )
    return SectionResult(
        kind=kind,
        key=key,
        name_bn=name_bn,
        name_en=name_en,
        weight=weight,
        max=to_decimal(maximum),
        marks=to_decimal(marks),
        progress_marks=to_decimal(pmarks),
        apa_weight=apa_weight,
        converted_max=to_decimal(maximum * factor),
        converted_marks=to_decimal(marks * factor),
        converted_progress_marks=to_decimal(pmarks * factor),
        exact=_present(
            max=maximum,
            marks=marks,
            progress_marks=pmarks,
            converted_max=maximum * factor,
            converted_marks=marks * factor,
            converted_progress_marks=pmarks * factor,
        ),
        indicators=tuple(results),
        explanation=tuple(lines),
    )


def _as_of_quarter(
    as_of: int | dt.date | None, report: ProgressReport | None, ruleset: Ruleset
) -> int:
    spec = ruleset.spec
    if as_of is None:
        return report.quarter if report is not None else 4
    if isinstance(as_of, dt.date):
        if not spec.starts <= as_of <= spec.ends:
            raise ApacoreError(
                f"{as_of.isoformat()} is outside fiscal year {spec.fiscal_year}"
                f" ({spec.starts.isoformat()} to {spec.ends.isoformat()})",
                where="--as-of",
            )
        for q in range(1, 5):
            if as_of <= quarter_end(spec.starts, q):
                return q
    if isinstance(as_of, bool) or not isinstance(as_of, int) or not 1 <= as_of <= 4:
        raise ApacoreError(f"a quarter is 1 to 4, got {as_of!r}", where="--as-of")
    return as_of


def score_agreement(
    agreement: Agreement,
    report: ProgressReport | None,
    ruleset: Ruleset,
    *,
    as_of: int | dt.date | None = None,
) -> Scorecard:
    """Score ``agreement`` with its progress ``report`` under ``ruleset``.

    ``as_of`` is a quarter (1–4) or a date inside the fiscal year; by default the
    report's quarter. Quarters after it are ignored. Load and check the files first with
    :func:`apacore.load_office` (or :func:`apacore.score_path` does both).
    """
    quarter = _as_of_quarter(as_of, report, ruleset)
    spec = ruleset.spec
    context = RuleContext(
        policies=spec.policies,
        tier_scores=spec.tier_scores(),
        evaluation_date=quarter_end(spec.starts, quarter),
    )
    level = agreement.office.level
    policy = spec.policies.not_applicable
    sections: list[SectionResult] = []
    for area in agreement.areas:
        rows = _rows(
            [area], section="office", prefix="", level=level, report=report, quarter=quarter
        )
        results = [_score_row(r, report, quarter, context, ruleset) for r in rows]
        sections.append(
            _section(
                "area",
                area.id,
                area.name_bn,
                area.name_en,
                area.weight,
                area.weight,
                results,
                policy,
            )
        )
    plans: tuple[PlanAnnex, ...] = plan_annexes(agreement, ruleset)
    for plan in plans:
        rows = _rows(
            plan.areas,
            section=plan.kind,
            prefix=f"{plan.kind}/",
            level=level,
            report=report,
            quarter=quarter,
        )
        results = [_score_row(r, report, quarter, context, ruleset) for r in rows]
        sections.append(
            _section(
                "annex",
                plan.kind,
                plan.name_bn,
                plan.name_en,
                plan.total,
                plan.apa_weight,
                results,
                policy,
            )
        )
    weighted = [s for s in sections if s.weight is not None]
    total = sum((exact_of(s, "converted_marks") or Fraction(0) for s in weighted), Fraction(0))
    total_p = sum(
        (exact_of(s, "converted_progress_marks") or Fraction(0) for s in weighted), Fraction(0)
    )
    total_max = sum((exact_of(s, "converted_max") or Fraction(0) for s in weighted), Fraction(0))
    grade = grade_bn = None
    if agreement.scope == "complete":
        for band in spec.grades:
            if total >= band.min:
                grade, grade_bn = band.name, band.name_bn
                break
    return Scorecard(
        office=agreement.office.name_en or agreement.office.name_bn,
        office_bn=agreement.office.name_bn,
        office_level=level,
        fiscal_year=agreement.fiscal_year,
        as_of_quarter=quarter,
        as_of=context.evaluation_date or spec.ends,
        scope=agreement.scope,
        ruleset=ruleset.identity(),
        places=spec.policies.rounding_places,
        rounding=spec.policies.rounding,
        sections=tuple(sections),
        total_marks=to_decimal(total),
        total_progress_marks=to_decimal(total_p),
        total_max=to_decimal(total_max),
        exact=_present(total_marks=total, total_progress_marks=total_p, total_max=total_max),
        grade=grade,
        grade_bn=grade_bn,
    )
