"""The scoring plan: an agreement compiled once against its ruleset and plugins.

:func:`compile_plan` does everything that does not depend on the readings: it lays out the
sections (the office's areas, then the annexes as the ruleset plans them), resolves which
rows apply at the office's level, looks up each indicator's calculation method and scoring
rule, lets a rule prepare a fast path (:attr:`apacore.plugins.contract.ScoringRule.prepare`: the
built-in tiers parse their values, resolve the direction and the signs and keep exact
integer ratios), and turns the weights into integer ratios. :func:`score_plan` is then a
pure function of the plan and a report's readings: it computes exact figures and records
traces, and words nothing (:mod:`apacore.engine.explain` does that when someone reads them).

:func:`plan_for` caches compiled plans by the agreement object, the ruleset's hash and the
registry, so that scoring the same loaded office again compiles nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from sys import getsizeof
from typing import Any, NamedTuple, NoReturn

import attrs

from apacore.engine.explain import SECTION_TEXTS, IndicatorTrace
from apacore.engine.progress import default_progress
from apacore.engine.results import IndicatorResult, Scorecard, SectionResult, given_trace
from apacore.engine.scoring import exact_fraction
from apacore.errors import ApacoreError, PluginError, ReportError, ScoringError
from apacore.limits import MAX_COMPUTED_DIGITS
from apacore.models import Agreement, Area, Indicator, ProgressEntry, ProgressReport, quarter_end
from apacore.numbers import Marker, Reading
from apacore.plugins.annex_plan import PlanAnnex, plan_annexes
from apacore.plugins.contract import (
    Achievement,
    CalculationMethod,
    Progress,
    RuleContext,
    RuleResult,
    Ruleset,
    ScoringRule,
    achievement_problem,
    exact_problem,
)
from apacore.plugins.host import get_registry
from apacore.plugins.registry import Registry
from apacore.trace import Step
from apacore.values import frozen

__all__ = [
    "PlannedRow",
    "PlannedSection",
    "ScoringPlan",
    "compile_plan",
    "fraction_sum",
    "plan_for",
    "score_plan",
    "section_result",
]

_ZERO = Fraction(0)
_NOT_REPORTED = Marker.NOT_REPORTED


def _pair(value: Fraction | Decimal | int) -> tuple[int, int]:
    if type(value) is Fraction:
        return value.numerator, value.denominator
    return value.as_integer_ratio()


def fraction_sum(values: Iterable[Fraction | Decimal | int | None]) -> Fraction:
    """The exact sum of ``values`` (None counts 0), over integers: one Fraction is built,
    at the end."""
    n, d = 0, 1
    for v in values:
        if v is None:
            continue
        vn, vd = _pair(v)
        if vd == d:
            n += vn
        else:
            n, d = n * vd + vn * d, d * vd
    return exact_fraction(n, d)


def _mul(a: Fraction, b: tuple[int, int], divisor: int = 1) -> Fraction:
    """``a × b / divisor`` for a ratio ``b = (numerator, denominator)``, exactly."""
    return exact_fraction(a.numerator * b[0], a.denominator * b[1] * divisor)


class PlannedRow(NamedTuple):
    """One indicator as the plan knows it before any reading.

    (A named tuple: a plan makes one per indicator, and made by attrs' ``__init__`` they
    were a sixth of compiling a plan.)
    """

    ind: Indicator
    ref: str
    section: str
    area: str
    applies: bool
    """Whether it applies at the office's level (its own ``applies_to`` or its activity's)."""
    method: CalculationMethod
    rule: ScoringRule
    raw_of: Callable[[Achievement], Fraction] | None
    """The rule's prepared fast path, or None (the rule's ``score`` is called)."""
    progress: Callable[..., Progress]
    pct_of: Callable[[Achievement, Fraction], Fraction | None] | None
    """The rule's prepared progress (the percentage only), or None (``progress`` is called)."""
    weight_ratio: tuple[int, int]
    """The indicator's own weight as an integer ratio ((0, 1) when it has none)."""
    static: dict[str, Any]
    """An IndicatorResult's attributes (by their stored names): those that do not depend on
    the readings, and the others' keys, which each scoring fills in."""


@frozen(eq=False)
class PlannedSection:
    """An area of the office or an annex, with its rows in order."""

    kind: str
    key: str
    name_bn: str
    name_en: str
    weight: Decimal | None
    apa_weight: Decimal | None
    prefix: str
    rows: tuple[PlannedRow, ...]
    has_substitutes: bool
    area_weights: dict[str, Fraction]
    """Each area's weight (the sum of its rows'), for ``not_applicable_scope = "area"``."""


@frozen(eq=False)
class ScoringPlan:
    """An agreement compiled against a ruleset and a registry (see the module docstring)."""

    agreement: Agreement
    ruleset: Ruleset
    registry: Registry
    sections: tuple[PlannedSection, ...]
    context: RuleContext
    """Policies and tier scores (the evaluation date is set per scoring)."""
    identity: dict[str, str]


def _applies(ind: Indicator, activity_levels: tuple[str, ...], level: str) -> bool:
    """An indicator's own ``applies_to`` wins over its activity's."""
    levels = ind.applies_to or activity_levels
    return not levels or level in levels


def _prepared(
    prepare: Callable[[Indicator, RuleContext], Any] | None,
    rule: ScoringRule,
    ind: Indicator,
    context: RuleContext,
    ref: str,
    registry: Registry,
) -> Any:
    """What the rule's ``prepare`` (or ``prepare_progress``) gives for ``ind`` (or None).
    Preparing never decides anything: where it refuses the indicator, the general path
    refuses it, when (and only if) the row is scored, with the message it always gave."""
    if prepare is None:
        return None
    try:
        return prepare(ind, context)
    except ApacoreError:
        return None
    except Exception as exc:
        raise PluginError(
            f"scoring rule {rule.name!r} raised {type(exc).__name__} preparing {ref}: {exc}",
            where=f"plugin {registry.owner('scoring rule', rule.name)}",
        ) from exc


_ROW_STATE: dict[str, Any] = {
    a.name: None if a.default is attrs.NOTHING else a.default for a in attrs.fields(IndicatorResult)
}
"""Every attribute of an :class:`~apacore.engine.results.IndicatorResult` by its stored name,
with its default (None for one without): a row's state is a copy with the plan's values
set, and each scoring sets the rest (a dict of 23 keyword arguments built per row was a
tenth of compiling a plan)."""


def _section_plan(
    kind: str,
    key: str,
    name_bn: str,
    name_en: str,
    weight: Decimal | None,
    apa_weight: Decimal | None,
    areas: Sequence[Area],
    *,
    section: str,
    prefix: str,
    level: str,
    context: RuleContext,
    registry: Registry,
) -> PlannedSection:
    rows = []
    weight_sums: dict[str, tuple[int, int]] = {}  # each area's weight, over integers
    for area in areas:
        for act in area.activities:
            for ind in act.indicators:
                ref = prefix + ind.id
                method = registry.method(ind.method)
                rule_name = registry.rule_name_for(ind)
                rule = registry.rule(rule_name)
                static = _ROW_STATE.copy()  # its keys in order, without building them
                static["ref"] = ref
                static["id"] = ind.id
                static["section"] = section
                static["area"] = area.id
                static["name_bn"] = ind.name_bn
                static["name_en"] = ind.name_en
                static["weight"] = ind.weight
                static["method"] = ind.method
                static["unit"] = ind.unit
                static["rule"] = rule_name
                static["target"] = ind.annual_target
                static["indicator"] = ind
                ratio = (0, 1) if ind.weight is None else ind.weight.as_integer_ratio()
                rows.append(
                    PlannedRow(
                        ind=ind,
                        ref=ref,
                        section=section,
                        area=area.id,
                        applies=_applies(ind, act.applies_to, level),
                        method=method,
                        rule=rule,
                        raw_of=_prepared(rule.prepare, rule, ind, context, ref, registry),
                        progress=rule.progress or default_progress,
                        pct_of=_prepared(
                            rule.prepare_progress if rule.progress is not None else None,
                            rule,
                            ind,
                            context,
                            ref,
                            registry,
                        ),
                        weight_ratio=ratio,
                        static=static,
                    )
                )
                if ind.weight is not None and ind.substitute_for is None:
                    n, d = weight_sums.get(area.id, (0, 1))
                    wn, wd = ratio
                    weight_sums[area.id] = (n + wn, d) if wd == d else (n * wd + wn * d, d * wd)
    area_weights = {area: exact_fraction(n, d) for area, (n, d) in weight_sums.items()}
    return PlannedSection(
        kind=kind,
        key=key,
        name_bn=name_bn,
        name_en=name_en,
        weight=weight,
        apa_weight=apa_weight,
        prefix=prefix,
        rows=tuple(rows),
        has_substitutes=any(r.ind.substitute_for is not None for r in rows),
        area_weights=area_weights,
    )


def compile_plan(
    agreement: Agreement, ruleset: Ruleset, registry: Registry | None = None
) -> ScoringPlan:
    """Compile ``agreement`` under ``ruleset`` with the plugins of ``registry`` (default: the
    installed ones). Load and check the files first (:func:`apacore.load_office`)."""
    registry = registry or get_registry()
    spec = ruleset.spec
    context = RuleContext(policies=spec.policies, tier_scores=spec.tier_scores())
    level = agreement.office.level
    sections = [
        _section_plan(
            "area",
            area.id,
            area.name_bn,
            area.name_en,
            area.weight,
            area.weight,
            [area],
            section="office",
            prefix="",
            level=level,
            context=context,
            registry=registry,
        )
        for area in agreement.areas
    ]
    for plan in plan_annexes(agreement, ruleset):
        if plan.standard:
            sections.append(_standard_annex_plan(plan, ruleset, registry, level, context))
            continue
        sections.append(_annex_plan(plan, level, context, registry))
    return ScoringPlan(
        agreement=agreement,
        ruleset=ruleset,
        registry=registry,
        sections=tuple(sections),
        context=context,
        identity=ruleset.identity(),
    )


def _annex_plan(
    plan: PlanAnnex, level: str, context: RuleContext, registry: Registry
) -> PlannedSection:
    """An annex's planned section: its own areas, its rows referred to as ``kind/id``."""
    return _section_plan(
        "annex",
        plan.kind,
        plan.name_bn,
        plan.name_en,
        plan.total,
        plan.apa_weight,
        plan.areas,
        section=plan.kind,
        prefix=f"{plan.kind}/",
        level=level,
        context=context,
        registry=registry,
    )


_CACHES_LOCK = threading.Lock()
"""Held while the plan caches below are read or changed, never while a plan is compiled:
threads scoring at once (``apacore serve``) would otherwise move or evict an entry another
thread has just found (a ``KeyError``). Two threads may compile the same plan; one is kept."""

_STANDARD: OrderedDict[tuple[int, int, str, str], tuple[Ruleset, Registry, PlannedSection]] = (
    OrderedDict()
)
_STANDARD_SIZE = 64


def _standard_annex_plan(
    plan: PlanAnnex, ruleset: Ruleset, registry: Registry, level: str, context: RuleContext
) -> PlannedSection:
    """The section of a standard annex (``standard = true``): its rows are the ruleset's,
    so every office of a level shares one planned section (a batch compiles it once, not
    once an office). Kept by the ruleset and registry objects (and checked to be those, as
    ids are reused) with the annex kind and the office's level, the only inputs besides the
    policies (``context``), which are the ruleset's own. A planned section is not changed
    by scoring: each scoring copies what it fills in."""
    key = (id(ruleset), id(registry), plan.kind, level)
    with _CACHES_LOCK:
        kept = _STANDARD.get(key)
        if kept is not None and kept[0] is ruleset and kept[1] is registry:
            _STANDARD.move_to_end(key)
            return kept[2]
    section = _annex_plan(plan, level, context, registry)
    with _CACHES_LOCK:
        _STANDARD[key] = (ruleset, registry, section)
        if len(_STANDARD) > _STANDARD_SIZE:
            _STANDARD.popitem(last=False)
    return section


_CACHE: OrderedDict[tuple[int, str, int], ScoringPlan] = OrderedDict()
_CACHE_SIZE = 16


def plan_for(
    agreement: Agreement, ruleset: Ruleset, registry: Registry | None = None
) -> ScoringPlan:
    """The compiled plan of ``agreement`` under ``ruleset`` and ``registry``, from a small
    cache keyed by the (frozen) agreement object, the ruleset's hash and the registry."""
    registry = registry or get_registry()
    key = (id(agreement), ruleset.sha256, id(registry))
    with _CACHES_LOCK:
        plan = _CACHE.get(key)
        if plan is not None and plan.agreement is agreement and plan.registry is registry:
            _CACHE.move_to_end(key)
            return plan
    plan = compile_plan(agreement, ruleset, registry)
    with _CACHES_LOCK:
        _CACHE[key] = plan
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return plan


# --- scoring a report against a plan -------------------------------------------------


_NOT_APPLICABLE = Marker.NOT_APPLICABLE


def _readings_not_applicable(entry: ProgressEntry, quarters: tuple[Reading | None, ...]) -> bool:
    if entry.status == "not_applicable":
        return True
    for r in quarters:
        if r is not None and r.value is _NOT_APPLICABLE:
            return True
    return False


def _has_figures(entry: ProgressEntry | None, quarter: int) -> bool:
    return entry is not None and any(
        r is not None and not isinstance(r.value, Marker) for r in entry.quarters()[:quarter]
    )


_Resolved = tuple[PlannedRow, Decimal | None, str, ProgressEntry | None, tuple[Reading | None, ...]]


def _resolve_rows(
    section: PlannedSection, entries: dict[str, ProgressEntry], quarter: int
) -> list[_Resolved]:
    """The section's rows with their weight here, their status before scoring (``score``,
    ``not_applicable``, ``substituted``), their entry and its quarters up to ``quarter``.

    A substitute (``substitute_for``) is used when the office reports it and reports
    the row it replaces as substituted or not applicable, or not at all; the replaced
    row is then ``substituted`` and the substitute carries its weight. An unused
    substitute is not on the scorecard.
    """
    prefix = section.prefix
    used_for: dict[str, str] = {}
    weights: dict[str, Decimal | None] = {}
    if section.has_substitutes:
        weights = {row.ind.id: row.ind.weight for row in section.rows}
        for row in section.rows:
            ind = row.ind
            if ind.substitute_for is None or not row.applies:
                continue
            main = entries.get(prefix + ind.substitute_for)
            sub = entries.get(row.ref)
            if sub is None or sub.status == "not_applicable":
                continue
            main_out = main is None or main.status in ("substituted", "not_applicable")
            if not main_out and _has_figures(main, quarter) and _has_figures(sub, quarter):
                raise ReportError(
                    f"both {prefix}{ind.substitute_for} and its substitute {row.ref} are"
                    " reported: report one of them (the substitute only when the office"
                    " received nothing to report on the other)"
                )
            if main_out or _has_figures(sub, quarter):
                used_for[ind.substitute_for] = ind.id
    out: list[_Resolved] = []
    for row in section.rows:
        ind = row.ind
        entry = entries.get(row.ref)
        quarters = () if entry is None else entry.quarters()[:quarter]
        if ind.substitute_for is not None:
            if used_for.get(ind.substitute_for) == ind.id:
                out.append((row, weights[ind.substitute_for], "score", entry, quarters))
            continue
        if ind.id in used_for:
            status = "substituted"
        elif not row.applies or (entry is not None and _readings_not_applicable(entry, quarters)):
            status = "not_applicable"
        elif entry is not None and entry.status == "substituted":
            raise ReportError(f"{row.ref} is marked substituted, but no substitute is reported")
        else:
            status = "score"
        out.append((row, ind.weight, status, entry, quarters))
    return out


def _left_out(row: PlannedRow, weight: Decimal | None, status: str, sha: str) -> IndicatorResult:
    zero = None if weight is None else _ZERO
    trace = IndicatorTrace(
        ref=row.ref,
        status=status,
        ruleset_sha256=sha,
        method=row.ind.method,
        method_bn=row.method.bengali_name,
        rule=row.rule.name,
        rule_bn=row.rule.bengali_name,
    )
    state = row.static.copy()
    state.update(weight=weight, _progress_marks=zero, _marks=zero, status=status)
    state["_trace_of"] = (given_trace, (trace,))
    return IndicatorResult.from_state(state)


def _plugin_error(
    row: PlannedRow, what: str, name: str, registry: Registry, exc: Exception
) -> PluginError:
    return PluginError(
        f"{what} {name!r} raised {type(exc).__name__} on {row.ref}: {exc}",
        where=f"plugin {registry.owner(what, name)}",
    )


def _failed(row: PlannedRow, stage: str, exc: Exception, registry: Registry) -> NoReturn:
    """Raise what a failure of the row's method (``calculate``), rule (``score``) or the
    rule's progress (``progress``) becomes: apacore's errors with the row's reference, anything
    else as a PluginError naming the plugin."""
    if stage == "score":
        if isinstance(exc, ScoringError):
            raise ScoringError(f"{row.ref}: {exc.why}") from None
        if isinstance(exc, ApacoreError):
            raise exc
        raise _plugin_error(row, "scoring rule", row.rule.name, registry, exc) from exc
    if isinstance(exc, ApacoreError):
        raise type(exc)(f"{row.ref}: {exc.why}", where=exc.where, path=exc.path) from None
    if stage == "calculate":
        raise _plugin_error(row, "calculation method", row.ind.method, registry, exc) from exc
    raise _plugin_error(row, "scoring rule", row.rule.name, registry, exc) from exc


def _bad_achievement(row: PlannedRow, achievement: object, registry: Registry) -> NoReturn:
    raise PluginError(
        f"calculation method {row.ind.method!r} returned {achievement!r},"
        " not an apacore.Achievement",
        where=f"plugin {registry.owner('calculation method', row.ind.method)}",
    )


_COMPUTED_DIGITS = MAX_COMPUTED_DIGITS
_SMALL_DECIMAL = getsizeof(Decimal(10**70))
"""A Decimal no larger in memory than this holds at most about 76 digits, within the limit
of :data:`apacore.limits.MAX_COMPUTED_DIGITS`, so the full check may be skipped."""


def _check_achievement(row: PlannedRow, value: object, registry: Registry) -> None:
    """A method's achievement that is not a Decimal, a date, dates or None, or beyond the
    computed-figure limit, is the method's plugin's mistake: named before any rule sees it."""
    _method_mistake(row, achievement_problem(value), registry)


def _check_exact(row: PlannedRow, achievement: Achievement, registry: Registry) -> None:
    """An ``exact`` that does not stand behind the achievement's value is the method's mistake."""
    _method_mistake(row, exact_problem(achievement), registry)


def _method_mistake(row: PlannedRow, problem: str | None, registry: Registry) -> None:
    """A PluginError naming the row's method's plugin for ``problem`` (None: no mistake)."""
    if problem is not None:
        raise PluginError(
            f"calculation method {row.ind.method!r} returned an achievement for {row.ref} that"
            f" {problem}",
            where=f"plugin {registry.owner('calculation method', row.ind.method)}",
        )


def _checked_result(row: PlannedRow, result: Any, registry: Registry) -> Fraction:
    """The exact raw score of what a rule's ``score`` returned, or a PluginError."""
    if (
        not isinstance(result, RuleResult)
        or not isinstance(result.raw, (Fraction, int))
        or isinstance(result.raw, bool)
        or not 0 <= result.raw <= 100
    ):
        shown = (
            f"a raw score of {result.raw!r}"  # the trace is the plugin's business, not the message's
            if isinstance(result, RuleResult)
            else f"{result!r:.60}"
        )
        raise PluginError(
            f"scoring rule {row.rule.name!r} returned {shown} for {row.ref}: a"
            " RuleResult with an exact raw score in [0, 100] is required",
            where=f"plugin {registry.owner('scoring rule', row.rule.name)}",
        )
    return Fraction(result.raw)


def _bad_progress(row: PlannedRow, progress: object, registry: Registry) -> NoReturn:
    raise PluginError(
        f"scoring rule {row.rule.name!r} returned {progress!r} as the progress of"
        f" {row.ref}: a Progress with an exact pct >= 0 (or None) is required",
        where=f"plugin {registry.owner('scoring rule', row.rule.name)}",
    )


def _trace(
    made: IndicatorResult,
    row: PlannedRow,
    sha: str,
    quarter: int,
    achievement: Achievement,
    result: RuleResult | None,
    context: RuleContext,
    progress: Progress | None,
) -> IndicatorTrace:
    """A scored row's trace, built when someone reads it (the rule's ``score`` and
    ``progress`` give the steps where the plan used their prepared fast paths)."""
    raw = made.exact("raw_score") or _ZERO
    if progress is None:
        progress = row.progress(row.ind, achievement, raw, context)
    rule_trace = None
    if made.status == "scored":
        rule_trace = (result or row.rule.score(row.ind, achievement, context)).trace
    return IndicatorTrace(
        ref=row.ref,
        status=made.status,
        ruleset_sha256=sha,
        quarter=quarter,
        inputs=made.quarters,
        method=row.ind.method,
        method_bn=row.method.bengali_name,
        achievement=achievement.trace,
        rule=row.rule.name,
        rule_bn=row.rule.bengali_name,
        rule_trace=rule_trace,
        weight=made.weight,
        raw=raw,
        marks=made.exact("marks"),
        progress=progress.trace,
        pct=progress.pct,
        progress_marks=made.exact("progress_marks"),
    )


def _score_row(
    row: PlannedRow,
    weight: Decimal | None,
    entry: ProgressEntry | None,
    quarters: tuple[Reading | None, ...],
    quarter: int,
    context: RuleContext,
    registry: Registry,
    sha: str,
) -> tuple[IndicatorResult, int, int, int, int]:
    """The row's result, with its marks and progress marks as integer ratios (for the sums)."""
    ind = row.ind
    try:
        achievement = row.method.calculate(ind, quarters)
    except Exception as exc:
        _failed(row, "calculate", exc, registry)
    if not isinstance(achievement, Achievement):
        _bad_achievement(row, achievement, registry)
    value = achievement.value
    if value is not None and not (  # a usual number passes at once; anything else in full
        type(value) is Decimal
        and value.is_finite()
        and -_COMPUTED_DIGITS < value.adjusted() < _COMPUTED_DIGITS
        and getsizeof(value) <= _SMALL_DECIMAL  # O(1): how many digits it holds, bounded
    ):
        _check_achievement(row, value, registry)
    exact = achievement.exact
    if exact is not None:
        _check_exact(row, achievement, registry)
    status = "not_reported"
    for r in quarters:
        if r is not None and r.value is not _NOT_REPORTED:
            status = "scored"
            break
    result = None
    try:
        if row.raw_of is not None:  # the rule's prepared fast path: the raw score only
            raw = row.raw_of(achievement)
            if type(raw) is not Fraction or not 0 <= raw.numerator <= 100 * raw.denominator:
                raw = _checked_result(row, raw, registry)  # raises: not a raw score
        else:
            result = row.rule.score(ind, achievement, context)
            raw = _checked_result(row, result, registry)
    except PluginError:
        raise
    except Exception as exc:
        _failed(row, "score", exc, registry)
    if status == "not_reported":
        raw = _ZERO
    progress: Progress | None = None  # built when the trace is read, where prepared
    try:
        if row.pct_of is not None:
            pct = row.pct_of(achievement, raw)
        else:
            progress = row.progress(ind, achievement, raw, context)
            if type(progress) is not Progress:
                _bad_progress(row, progress, registry)
            pct = progress.pct
    except PluginError:
        raise
    except Exception as exc:
        _failed(row, "progress", exc, registry)
    if pct is not None and (type(pct) is not Fraction or pct.numerator < 0):
        _bad_progress(row, pct, registry)
    marks = progress_marks = None
    mn = md = pn = pd = 0
    if weight is not None:
        wn, wd = row.weight_ratio if weight is ind.weight else weight.as_integer_ratio()
        rn, rd = raw.as_integer_ratio()
        mn, md = wn * rn, wd * rd * 100
        if rn == 0:
            marks = _ZERO
        elif rn == 100 * rd:  # full marks: the weight itself
            marks = exact_fraction(wn, wd)
        else:
            marks = exact_fraction(mn, md)
        if pct is None:
            pn, pd = 0, 1
            progress_marks = _ZERO
        elif pct is raw:
            pn, pd, progress_marks = mn, md, marks
        else:
            qn, qd = pct.as_integer_ratio()
            if qn >= 100 * qd:  # progress marks are capped at 100 %
                pn, pd = wn, wd
            else:
                pn, pd = wn * qn, wd * qd * 100
            progress_marks = exact_fraction(pn, pd)
    state = row.static.copy()  # every attribute's key is there already: a copy, no resizing
    state["achievement"] = achievement.value
    state["_exact_achievement"] = exact
    state["_progress_pct"] = pct
    state["_progress_marks"] = progress_marks
    state["_raw_score"] = raw
    state["_marks"] = marks
    state["status"] = status
    state["quarters"] = quarters
    state["entry"] = entry
    state["_trace_of"] = (_trace, (row, sha, quarter, achievement, result, context, progress))
    if weight is not ind.weight:
        state["weight"] = weight
    made = IndicatorResult.from_state(state)
    return made, mn, md, pn, pd


def section_result(
    kind: str,
    key: str,
    name_bn: str,
    name_en: str,
    weight: Decimal | None,
    apa_weight: Decimal | None,
    results: list[IndicatorResult],
    policy: str,
    *,
    scope: str = "annex",
    area_weights: dict[str, Fraction] | None = None,
    sums: tuple[Fraction, Fraction, Fraction] | None = None,
) -> SectionResult:
    """A section's marks from its rows' (DOMAIN.md rules 3 and 5): not-applicable rows
    leave it by the policy ``not_applicable`` (rescale or exclude); under rescale,
    ``scope`` says whether the whole section is rescaled (``annex``) or each of its areas
    (``area``); an annex converts to APA marks. ``sums`` (applicable weight, marks,
    progress marks of the rows that count) when the caller has them already."""
    texts = SECTION_TEXTS
    values: dict[str, Any]
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
            trace=(Step(texts["no_weights"]),),
        )
    counted = [r for r in results if r.status in ("scored", "not_reported")]
    if sums is None:
        sums = (
            fraction_sum(r.weight for r in counted),
            fraction_sum(r._marks for r in counted),
            fraction_sum(r._progress_marks for r in counted),
        )
    applicable, obtained, progress = sums
    w = exact_fraction(*weight.as_integer_ratio())
    steps: list[Step] = []
    if applicable == w:
        maximum, marks, pmarks = w, obtained, progress
    elif applicable == 0:
        maximum, marks, pmarks = _ZERO, _ZERO, _ZERO
        steps.append(Step(texts["none_applies"]))
    elif policy == "rescale" and scope == "area" and area_weights:
        maximum = w
        marks, pmarks = _rescale_areas(counted, w, area_weights, steps)
    elif policy == "rescale":
        maximum = w
        marks = obtained * w / applicable
        pmarks = progress * w / applicable
        values = {"obtained": obtained, "weight": w, "applicable": applicable, "marks": marks}
        steps.append(Step(texts["rescaled"], values))
    else:
        maximum, marks, pmarks = applicable, obtained, progress
        steps.append(Step(texts["excluded"], {"applicable": applicable}))
    an, ad = apa_weight.as_integer_ratio()
    factor = (an * w.denominator, ad * w.numerator)  # apa_weight / weight
    converted = _mul(marks, factor)
    if kind == "annex":
        values = {"marks": marks, "weight": w, "apa_weight": apa_weight, "converted": converted}
        steps.append(Step(texts["converted"], values))
    return SectionResult(
        kind=kind,
        key=key,
        name_bn=name_bn,
        name_en=name_en,
        weight=weight,
        max=maximum,
        marks=marks,
        progress_marks=pmarks,
        apa_weight=apa_weight,
        converted_max=_mul(maximum, factor),
        converted_marks=converted,
        converted_progress_marks=_mul(pmarks, factor),
        indicators=tuple(results),
        trace=tuple(steps),
    )


def _rescale_areas(
    counted: list[IndicatorResult],
    w: Fraction,
    area_weights: dict[str, Fraction],
    steps: list[Step],
) -> tuple[Fraction, Fraction]:
    """``not_applicable_scope = "area"``: each area's marks rescaled to the area's weight;
    areas where nothing applies leave their weight to the rest of the section."""
    marks = pmarks = covered = _ZERO
    for area, area_weight in area_weights.items():
        rows = [r for r in counted if r.area == area]
        applicable = fraction_sum(r.weight for r in rows)
        if applicable == 0:
            continue
        obtained = fraction_sum(r._marks for r in rows)
        progress = fraction_sum(r._progress_marks for r in rows)
        covered += area_weight
        if applicable == area_weight:
            marks += obtained
            pmarks += progress
            continue
        area_marks = obtained * area_weight / applicable
        values = {
            "area": area,
            "obtained": obtained,
            "weight": area_weight,
            "applicable": applicable,
            "marks": area_marks,
        }
        steps.append(Step(SECTION_TEXTS["rescaled_area"], values))
        marks += area_marks
        pmarks += progress * area_weight / applicable
    if covered != w:
        values = {
            "obtained": marks,
            "weight": w,
            "applicable": covered,
            "marks": marks * w / covered,
        }
        steps.append(Step(SECTION_TEXTS["rescaled"], values))
        marks, pmarks = marks * w / covered, pmarks * w / covered
    return marks, pmarks


def score_plan(plan: ScoringPlan, report: ProgressReport | None, quarter: int) -> Scorecard:
    """Score ``report`` (its quarters up to ``quarter``) against ``plan``: a pure function of
    the two. See :func:`apacore.score_agreement` for the rules."""
    ruleset = plan.ruleset
    spec = ruleset.spec
    agreement = plan.agreement
    evaluation_date = quarter_end(spec.starts, quarter)
    context = attrs.evolve(plan.context, evaluation_date=evaluation_date)
    # the first entry of a reference wins, as ProgressReport.entry has it
    entries = {e.indicator: e for e in reversed(report.entries)} if report is not None else {}
    registry = plan.registry
    sha = plan.identity["sha256"]
    policies = spec.policies
    sections: list[SectionResult] = []
    for section in plan.sections:
        results = []
        # applicable weight, marks and progress marks, summed over integers as rows come
        wn, wd, mn, md, pn, pd = 0, 1, 0, 1, 0, 1
        for row, weight, status, entry, quarters in _resolve_rows(section, entries, quarter):
            if status != "score":
                results.append(_left_out(row, weight, status, sha))
                continue
            made, rmn, rmd, rpn, rpd = _score_row(
                row, weight, entry, quarters, quarter, context, registry, sha
            )
            results.append(made)
            if weight is not None:
                rwn, rwd = (
                    row.weight_ratio if weight is row.ind.weight else weight.as_integer_ratio()
                )
                wn, wd = (wn + rwn, wd) if rwd == wd else (wn * rwd + rwn * wd, wd * rwd)
                mn, md = (mn + rmn, md) if rmd == md else (mn * rmd + rmn * md, md * rmd)
                pn, pd = (pn + rpn, pd) if rpd == pd else (pn * rpd + rpn * pd, pd * rpd)
        sums = (exact_fraction(wn, wd), exact_fraction(mn, md), exact_fraction(pn, pd))
        sections.append(
            section_result(
                section.kind,
                section.key,
                section.name_bn,
                section.name_en,
                section.weight,
                section.apa_weight,
                results,
                policies.not_applicable,
                scope=policies.not_applicable_scope if section.kind == "annex" else "annex",
                area_weights=section.area_weights,
                sums=sums,
            )
        )
    weighted = [s for s in sections if s.weight is not None]
    total = fraction_sum(s._converted_marks for s in weighted)
    total_p = fraction_sum(s._converted_progress_marks for s in weighted)
    total_max = fraction_sum(s._converted_max for s in weighted)
    grade = grade_bn = None
    unverified = False
    if agreement.scope == "complete":
        for band in spec.grades:
            if total >= band.min:
                grade, grade_bn, unverified = band.name, band.name_bn, band.unverified
                break
    return Scorecard(
        office=agreement.office.name_en or agreement.office.name_bn,
        office_bn=agreement.office.name_bn,
        office_level=agreement.office.level,
        fiscal_year=agreement.fiscal_year,
        as_of_quarter=quarter,
        as_of=evaluation_date,
        scope=agreement.scope,
        ruleset=dict(plan.identity),
        places=policies.rounding_places,
        rounding=policies.rounding,
        sections=tuple(sections),
        total_marks=total,
        total_progress_marks=total_p,
        total_max=total_max,
        grade=grade,
        grade_bn=grade_bn,
        grade_unverified=unverified,
    )
