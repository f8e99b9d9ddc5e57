"""Checks that span objects: weights adding up, dates in the fiscal year, known names.

Each check raises one error naming the file and the dotted path of the offending value.
Single-object invariants are in the model's validators (:mod:`apacore.models`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal

from apacore.errors import ApacoreError, PluginError, ScoringError
from apacore.formatting import format_number
from apacore.models import Annex, Area, Indicator, RulesetSpec
from apacore.numbers import exact_sum
from apacore.plugins.contract import Problem
from apacore.plugins.host import DEFAULT_PLUGINS, plugin_failure, plugin_where
from apacore.plugins.registry import Registry
from apacore.tier_direction import resolve_direction

__all__ = [
    "check_annex",
    "check_areas",
    "check_fiscal_year",
    "check_indicator",
    "check_references",
]

_FY = re.compile(r"^(\d{4})-(\d{2})$")


def check_fiscal_year(spec: RulesetSpec, *, where: str, error: type[ApacoreError]) -> None:
    """The fiscal year's name agrees with its dates: 1 July to 30 June."""
    m = _FY.match(spec.fiscal_year)
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise error(
            f"must be written like 2024-25, got {spec.fiscal_year!r}",
            where=where,
            path="$.fiscal_year",
        )
    year = int(m.group(1))
    if spec.starts != dt.date(year, 7, 1):
        raise error(
            f"must be {year}-07-01 for {spec.fiscal_year}, got {spec.starts}",
            where=where,
            path="$.starts",
        )
    if spec.ends != dt.date(year + 1, 6, 30):
        raise error(
            f"must be {year + 1}-06-30 for {spec.fiscal_year}, got {spec.ends}",
            where=where,
            path="$.ends",
        )


def _values(ind: Indicator) -> Iterable[tuple[str, object]]:
    for i, v in enumerate(ind.tiers or ()):
        yield f"tiers[{i}]", v
    if ind.target is not None:
        yield "target", ind.target
    for i, v in enumerate(ind.milestones or ()):
        yield f"milestones[{i}]", v


def check_indicator(
    ind: Indicator,
    *,
    path: str,
    where: str,
    error: type[ApacoreError],
    registry: Registry,
    starts: dt.date,
    ends: dt.date,
) -> None:
    """One indicator against the registry and the fiscal year: known method and rule,
    values that fit its unit and year, the method's and the rule's own checks, and
    milestones only with a method that produces their completion dates."""
    if ind.method not in registry.methods:
        raise error(
            f"unknown calculation method {ind.method!r} (known: {', '.join(sorted(registry.methods))})",
            where=where,
            path=f"{path}.method",
        )
    rule = ind.rule if ind.rule is not None else registry.rule_name_for(ind)
    if rule not in registry.rules:
        raise error(
            f"unknown scoring rule {rule!r} (known: {', '.join(sorted(registry.rules))})",
            where=where,
            path=f"{path}.rule",
        )
    dated = ind.unit in ("date", "dated_count")
    # a number as the target of a number (most rows) has nothing there to refuse
    if (
        ind.tiers is not None
        or ind.milestones is not None
        or dated
        or type(ind.target) is not Decimal
    ):
        _check_values(ind, path, where, error, dated, starts, ends)
    method = registry.methods[ind.method]
    scoring_rule = registry.rules[rule]
    _own_checks(method.check, ind, "calculation method", ind.method, path, where, error, registry)
    _own_checks(scoring_rule.check, ind, "scoring rule", rule, path, where, error, registry)
    if ind.milestones is not None and method.produces != "dates":
        producers = sorted(n for n, m in registry.methods.items() if m.produces == "dates")
        raise error(
            "milestones are scored from completion dates: use method "
            + (" or ".join(repr(n) for n in producers) or "one that produces them"),
            where=where,
            path=f"{path}.method",
        )
    if ind.tiers is not None:
        try:
            resolve_direction(ind.tiers, ind.direction, what="")
        except ScoringError as exc:
            raise error(exc.why, where=where, path=f"{path}.tiers") from None


def _check_values(
    ind: Indicator,
    path: str,
    where: str,
    error: type[ApacoreError],
    dated: bool,
    starts: dt.date,
    ends: dt.date,
) -> None:
    """The indicator's tiers, target and milestones fit its unit and the fiscal year."""
    for key, value in _values(ind):
        if value is None:
            continue
        if isinstance(value, dt.date) != dated:
            raise error(
                f"{'a date' if isinstance(value, dt.date) else 'a number'} does not fit unit"
                f" {ind.unit!r}",
                where=where,
                path=f"{path}.{key}",
            )
        if isinstance(value, dt.date) and not starts <= value <= ends:
            raise error(
                f"date {value.isoformat()} is outside the fiscal year"
                f" ({starts.isoformat()} to {ends.isoformat()})",
                where=where,
                path=f"{path}.{key}",
            )


def _own_checks(
    check: Callable[[Indicator], Iterable[Problem]],
    ind: Indicator,
    what: str,
    name: str,
    path: str,
    where: str,
    error: type[ApacoreError],
    registry: Registry,
) -> None:
    """Run a method's or rule's own ``check``: its first problem is the error, naming the
    file, the path and (unless it is one of apacore's own) the plugin that gave it."""
    try:
        problems = list(check(ind))
    except Exception as exc:
        raise plugin_failure(
            registry.owner(what, name), f"the check of {what} {name!r}", exc, where=where, path=path
        ) from exc
    if not problems:  # nearly always: the plugin is named only with a problem
        return
    plugin = registry.owner(what, name)
    located = where if plugin in DEFAULT_PLUGINS else plugin_where(plugin, where)
    for problem in problems:
        if isinstance(problem, str):
            raise error(problem, where=located, path=path)
        if (
            isinstance(problem, tuple)
            and len(problem) == 2
            and all(isinstance(p, str) for p in problem)
        ):
            raise error(problem[1], where=located, path=f"{path}.{problem[0]}")
        raise PluginError(
            f"the check of {what} {name!r} gave {problem!r}, not a reason or (field, reason)",
            where=f"plugin {plugin}",
        )


def check_areas(
    areas: Sequence[Area],
    *,
    total: Decimal,
    total_path: str,
    base: str,
    where: str,
    error: type[ApacoreError],
    registry: Registry,
    starts: dt.date,
    ends: dt.date,
    require_sources: bool = True,
    allow_unweighted: bool = False,
) -> None:
    """Areas, activities and indicators: unique ids, weights adding up, each indicator sound.

    Substitute indicators (``substitute_for``) stand in for another row and do not count
    toward their area's weight; they must carry the weight of the row they replace.
    With ``allow_unweighted`` (partial agreements) an area may have no weight ("-") when
    none of its indicators has one; such areas are left out of ``total``.
    """
    area_weights: list[Decimal] = []  # summed exactly (exact_sum), never at 28 digits
    seen_ids: dict[str, str] = {}
    for a_i, area in enumerate(areas):
        a_path = f"{base}[{a_i}]"
        if require_sources and not area.source.strip():
            raise error("the area's weight has no source", where=where, path=f"{a_path}.source")
        if area.weight is None and not allow_unweighted:
            raise error(
                "has no weight (only a partial agreement may leave weights out)",
                where=where,
                path=f"{a_path}.weight",
            )
        weights: list[Decimal] = []
        by_id: dict[str, Indicator] = {}
        for c_i, act in enumerate(area.activities):
            for i_i, ind in enumerate(act.indicators):
                path = f"{a_path}.activities[{c_i}].indicators[{i_i}]"
                if ind.id in seen_ids:
                    raise error(
                        f"duplicate indicator id {ind.id} (first at {seen_ids[ind.id]})",
                        where=where,
                        path=f"{path}.id",
                    )
                seen_ids[ind.id] = path
                by_id[ind.id] = ind
                check_indicator(
                    ind,
                    path=path,
                    where=where,
                    error=error,
                    registry=registry,
                    starts=starts,
                    ends=ends,
                )
                if (ind.weight is None) != (area.weight is None):
                    raise error(
                        "has no weight, but its area has one"
                        if ind.weight is None
                        else "has a weight, but its area has none: give both or neither",
                        where=where,
                        path=f"{path}.weight",
                    )
                if ind.substitute_for is None and ind.weight is not None:
                    weights.append(ind.weight)
        for c_i, act in enumerate(area.activities):
            for i_i, ind in enumerate(act.indicators):
                if ind.substitute_for is None:
                    continue
                path = f"{a_path}.activities[{c_i}].indicators[{i_i}].substitute_for"
                replaced = by_id.get(ind.substitute_for)
                if replaced is None:
                    raise error(
                        f"replaces {ind.substitute_for}, which is not an indicator of this area",
                        where=where,
                        path=path,
                    )
                if replaced.weight != ind.weight:
                    raise error(
                        f"a substitute carries the weight of the row it replaces"
                        f" ({_show(replaced.weight)}), got {_show(ind.weight)}",
                        where=where,
                        path=path,
                    )
        if area.weight is None:
            continue
        weight_sum = exact_sum(weights)
        if weight_sum != area.weight:
            raise error(
                f"indicator weights add up to {format_number(weight_sum)}, but the area's weight"
                f" is {format_number(area.weight)}",
                where=where,
                path=f"{a_path}.weight",
            )
        area_weights.append(area.weight)
    area_sum = exact_sum(area_weights)
    if area_sum != total:
        raise error(
            f"area weights add up to {format_number(area_sum)}, but the total is {format_number(total)}",
            where=where,
            path=total_path,
        )


def _show(value: Decimal | None) -> str:
    return "-" if value is None else format_number(value)


def check_annex(
    annex: Annex,
    *,
    where: str,
    error: type[ApacoreError],
    registry: Registry,
    starts: dt.date,
    ends: dt.date,
    base: str = "$",
) -> None:
    """An annex plan: known kind, weights adding up to its total, sound indicators."""
    if not annex.source.strip():
        raise error("the annex's weights have no source", where=where, path=f"{base}.source")
    if annex.kind not in registry.annex_types:
        raise error(
            f"unknown annex kind {annex.kind!r} (known: {', '.join(sorted(registry.annex_types))})",
            where=where,
            path=f"{base}.kind",
        )
    check_areas(
        annex.areas,
        total=annex.total,
        total_path=f"{base}.total",
        base=f"{base}.areas",
        where=where,
        error=error,
        registry=registry,
        starts=starts,
        ends=ends,
    )


def check_references(
    listed: Sequence[str],
    refs: Mapping[str, object],
    *,
    base: str,
    where: str,
    error: type[ApacoreError],
    unknown: str = "unknown indicator",
    twice: str = "is reported twice",
    after: str = "",
) -> None:
    """Each reference of ``listed`` (the ``indicator`` of ``base[i]``: a report's entries,
    an evaluation's verdicts, an agreement's revisions) names a known indicator, once."""
    seen: dict[str, int] = {}
    for i, ref in enumerate(listed):
        path = f"{base}[{i}].indicator"
        if ref not in refs:
            hint = ""
            if "/" not in ref and any(r.endswith("/" + ref) for r in refs):
                hint = " (annex rows are written <kind>/<id>, e.g. egov/1.1.1)"
            raise error(f"{unknown} {ref!r}{hint}", where=where, path=path)
        if ref in seen:
            raise error(
                f"indicator {ref} {twice} (also at {base}[{seen[ref]}]){after}",
                where=where,
                path=path,
            )
        seen[ref] = i
