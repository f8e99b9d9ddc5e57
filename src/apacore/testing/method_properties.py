"""The property suite of a calculation method: an exact achievement, deterministic,
unreported quarters ignored, monotone when asked (:func:`check_calculation_method`,
:func:`calculation_method_tests`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

import hypothesis
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from apacore.models import (
    Indicator,
)
from apacore.numbers import NOT_REPORTED, Reading
from apacore.plugins.contract import (
    Achievement,
    AchievementValue,
    CalculationMethod,
)
from apacore.plugins.host import get_registry
from apacore.testing.strategies import DEFAULT_FISCAL_YEAR, _blank, _reading, indicators, quarters
from apacore.testing.suite import (
    PropertyFailure,
    _describe,
    _ident,
    _registered,
    _show,
    _Suite,
    _test_class,
)
from apacore.values import frozen

QuartersArg = (
    SearchStrategy[list[Reading | None]]
    | Callable[[Indicator], SearchStrategy[list[Reading | None]]]
    | None
)
"""A strategy of quarterly readings, or a function from an indicator to one."""


def _method(method: str | CalculationMethod) -> CalculationMethod:
    return method if isinstance(method, CalculationMethod) else get_registry().method(method)


def _quarters_for(
    arg: QuartersArg, fiscal_year: str
) -> Callable[[Indicator], SearchStrategy[list[Reading | None]]]:
    if arg is None:
        return lambda ind: quarters(ind, fiscal_year=fiscal_year)
    if isinstance(arg, SearchStrategy):
        fixed = arg
        return lambda ind: fixed
    return arg


METHOD_PROPERTIES: tuple[str, ...] = (
    "exact_achievement",
    "deterministic",
    "ignores_unreported",
    "monotone",
)
"""The properties :func:`check_calculation_method` checks, in order."""


_METHOD_KINDS: dict[str, tuple[str, ...]] = {
    "number": ("tiers", "target"),
    "date": ("date_tiers", "date_target"),
    "dates": ("milestones",),
}
"""The indicators a method is tried on, by the kind of achievement it produces."""


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _exact_value(value: object) -> bool:
    """None, a finite Decimal, a date, or a tuple of dates: what an achievement may be."""
    if value is None or _is_date(value):
        return True
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, tuple) and all(_is_date(d) for d in value)


def _check_achievement(
    method: CalculationMethod,
    result: object,
    ind: Indicator,
    figures: Sequence[Reading | None],
    prop: str,
) -> Achievement:
    example = f"{_describe(ind)}, quarters {[None if r is None else r.text for r in figures]}"
    if not isinstance(result, Achievement):
        raise PropertyFailure(
            f"calculation method {method.name!r} ({prop}): returned"
            f" {result!r}, not an apacore.Achievement; {example}"
        )
    if not _exact_value(result.value):
        raise PropertyFailure(
            f"calculation method {method.name!r} ({prop}): achievement {result.value!r} is not"
            f" a Decimal, a date, a tuple of dates or None (never a float); {example}"
        )
    if not isinstance(result.explanation, str):
        raise PropertyFailure(
            f"calculation method {method.name!r} ({prop}): the explanation must be text; {example}"
        )
    return result


def _calculate(
    method: CalculationMethod, ind: Indicator, figures: Sequence[Reading | None], prop: str
) -> Achievement:
    try:
        result = method.calculate(ind, list(figures))
    except Exception as exc:
        raise PropertyFailure(
            f"calculation method {method.name!r} ({prop}): raised {type(exc).__name__}: {exc};"
            f" {_describe(ind)}, quarters {[None if r is None else r.text for r in figures]}"
            " (give indicators= and quarters= strategies in the method's domain)"
        ) from exc
    return _check_achievement(method, result, ind, figures, prop)


def _empty(value: AchievementValue) -> bool:
    return value is None or value == ()


def _not_worse(before: AchievementValue, after: AchievementValue) -> bool:
    """Whether ``after`` is at least as good as ``before`` (more; earlier; earlier dates)."""
    if before is None or after is None:
        return True  # not comparable
    if isinstance(before, Decimal) and isinstance(after, Decimal):
        return after >= before
    if isinstance(before, dt.date) and isinstance(after, dt.date):
        return after <= before
    if isinstance(before, tuple) and isinstance(after, tuple) and len(before) == len(after):
        return all(a <= b for a, b in zip(sorted(after), sorted(before), strict=True))
    return True


@st.composite
def _improved_quarters(draw: st.DrawFn, figures: list[Reading | None]) -> list[Reading | None]:
    """``figures`` with one reported figure made better (a larger number, an earlier date)."""
    reported = [
        i
        for i, r in enumerate(figures)
        if r is not None and isinstance(r.value, (Decimal, dt.date))
    ]
    if not reported:
        return figures
    i = draw(st.sampled_from(reported))
    old = figures[i]
    assert old is not None
    new: Decimal | dt.date
    if isinstance(old.value, dt.date):
        new = old.value - dt.timedelta(days=draw(st.integers(0, 30)))
    else:
        assert isinstance(old.value, Decimal)
        exp = int(old.value.as_tuple().exponent)
        step = Decimal(draw(st.integers(0, 1000))).scaleb(min(exp, 0))
        new = old.value + step
    out = list(figures)
    out[i] = _reading(new)
    return out


@frozen(kw_only=True)
class _MethodSuite(_Suite):
    method: str | CalculationMethod
    indicators: SearchStrategy[Indicator] | None
    quarters: QuartersArg
    monotone: bool
    fiscal_year: str
    plugin: object | None
    plugin_name: str | None
    settings: hypothesis.settings | None = None

    def resolve(
        self,
    ) -> tuple[
        CalculationMethod,
        SearchStrategy[Indicator],
        Callable[[Indicator], SearchStrategy[list[Reading | None]]],
    ]:
        method = _method(self.method)
        inds = self.indicators
        if inds is None:
            inds = indicators(
                kinds=_METHOD_KINDS[method.produces],
                method=method.name,
                fiscal_year=self.fiscal_year,
            )
        return method, inds, _quarters_for(self.quarters, self.fiscal_year)

    def run(self, prop: str) -> bool:
        """Run property ``prop``; False when it does not apply (monotone not asked for)."""
        if prop not in METHOD_PROPERTIES:
            raise ValueError(f"unknown property {prop!r} (known: {', '.join(METHOD_PROPERTIES)})")
        if prop == "monotone" and not self.monotone:
            return False
        with _registered(self.plugin, self.plugin_name):
            method, inds, figures = self.resolve()
            cases = inds.flatmap(lambda i: st.tuples(st.just(i), figures(i)))
            getattr(self, f"_{prop}")(method, cases)
        return True

    def _exact_achievement(
        self,
        method: CalculationMethod,
        cases: SearchStrategy[tuple[Indicator, list[Reading | None]]],
    ) -> None:
        @given(cases)
        def prop(case: tuple[Indicator, list[Reading | None]]) -> None:
            _calculate(method, case[0], case[1], "exact achievement")

        self._run(prop)

    def _deterministic(
        self,
        method: CalculationMethod,
        cases: SearchStrategy[tuple[Indicator, list[Reading | None]]],
    ) -> None:
        @given(cases)
        def prop(case: tuple[Indicator, list[Reading | None]]) -> None:
            ind, figures = case
            first = _calculate(method, ind, figures, "deterministic")
            second = _calculate(method, ind, figures, "deterministic")
            if first != second:
                raise PropertyFailure(
                    f"calculation method {method.name!r} (deterministic): the same quarters gave"
                    f" {_show(first.value)} and then {_show(second.value)}; {_describe(ind)}"
                )

        self._run(prop)

    def _ignores_unreported(
        self,
        method: CalculationMethod,
        cases: SearchStrategy[tuple[Indicator, list[Reading | None]]],
    ) -> None:
        @given(cases)
        def prop(case: tuple[Indicator, list[Reading | None]]) -> None:
            ind, figures = case
            name = f"calculation method {method.name!r} (ignores unreported quarters)"
            base = _calculate(method, ind, figures, "ignores unreported quarters").value
            variants: list[tuple[str, list[Reading | None]]] = [
                ("every None given as '-'", [_blank() if r is None else r for r in figures]),
                (
                    "every '-' given as None",
                    [None if r is not None and r.value is NOT_REPORTED else r for r in figures],
                ),
            ]
            if len(figures) < 4:
                variants.append(("a later quarter that reported nothing", [*figures, None]))
            for what, other in variants:
                value = _calculate(method, ind, other, "ignores unreported quarters").value
                if value != base:
                    raise PropertyFailure(
                        f"{name}: {what} changed the achievement from {_show(base)} to"
                        f" {_show(value)}; {_describe(ind)},"
                        f" quarters {[None if r is None else r.text for r in figures]}"
                    )
            nothing = _calculate(
                method, ind, [None] * len(figures), "ignores unreported quarters"
            ).value
            if not _empty(nothing):
                raise PropertyFailure(
                    f"{name}: no quarter reported anything, yet the achievement"
                    f" is {_show(nothing)}; {_describe(ind)}"
                )

        self._run(prop)

    def _monotone(
        self,
        method: CalculationMethod,
        cases: SearchStrategy[tuple[Indicator, list[Reading | None]]],
    ) -> None:
        pairs = cases.flatmap(lambda c: st.tuples(st.just(c), _improved_quarters(c[1])))

        @given(pairs)
        def prop(case: tuple[tuple[Indicator, list[Reading | None]], list[Reading | None]]) -> None:
            (ind, figures), better = case
            before = _calculate(method, ind, figures, "monotone").value
            after = _calculate(method, ind, better, "monotone").value
            if not _not_worse(before, after):
                raise PropertyFailure(
                    f"calculation method {method.name!r} (monotone): a better quarterly figure"
                    f" ({[None if r is None else r.text for r in figures]} ->"
                    f" {[None if r is None else r.text for r in better]}) made the achievement"
                    f" worse: {_show(before)} -> {_show(after)}; {_describe(ind)}"
                )

        self._run(prop)


def check_calculation_method(
    method: str | CalculationMethod,
    *,
    indicators: SearchStrategy[Indicator] | None = None,
    quarters: QuartersArg = None,
    monotone: bool = False,
    fiscal_year: str = DEFAULT_FISCAL_YEAR,
    plugin: object | None = None,
    plugin_name: str | None = None,
    properties: Sequence[str] = METHOD_PROPERTIES,
    settings: hypothesis.settings | None = None,
) -> None:
    """Check a calculation method; raise :class:`PropertyFailure` on the first broken property.

    ``method`` is a registered method's name (registered from ``plugin`` for the check,
    unless it is registered already) or a :class:`~apacore.CalculationMethod`.
    ``indicators`` draws indicators using it (default: numeric tiers and targets with
    ``method=`` set to it; deadline tiers and date targets for a method that produces
    ``"date"``, dated milestones for ``"dates"``); ``quarters`` is a
    strategy of quarterly readings, or a function from an indicator to one (default:
    :func:`quarters`). ``monotone=True`` also checks that a larger number or an earlier
    date in any quarter never makes the achievement worse (as for sums and cumulative
    increments). ``settings`` (a ``hypothesis.settings``) overrides the active profile.
    """
    suite = _MethodSuite(
        method=method,
        indicators=indicators,
        quarters=quarters,
        monotone=monotone,
        fiscal_year=fiscal_year,
        plugin=plugin,
        plugin_name=plugin_name,
        settings=settings,
    )
    for prop in properties:
        suite.run(prop)


def calculation_method_tests(
    method: str | CalculationMethod,
    *,
    indicators: SearchStrategy[Indicator] | None = None,
    quarters: QuartersArg = None,
    monotone: bool = False,
    fiscal_year: str = DEFAULT_FISCAL_YEAR,
    plugin: object | None = None,
    plugin_name: str | None = None,
    settings: hypothesis.settings | None = None,
) -> type:
    """A test class with one pytest test per property of :func:`check_calculation_method`.

    Assign it to a name starting with ``Test`` in a test module::

        TestBest = apacore.testing.calculation_method_tests("best_quarter", plugin=my_plugin,
                                                            monotone=True)

    The monotone test is skipped unless ``monotone=True``.
    """
    suite = _MethodSuite(
        method=method,
        indicators=indicators,
        quarters=quarters,
        monotone=monotone,
        fiscal_year=fiscal_year,
        plugin=plugin,
        plugin_name=plugin_name,
        settings=settings,
    )
    label = method.name if isinstance(method, CalculationMethod) else method
    return _test_class(
        suite.run,
        METHOD_PROPERTIES,
        f"calculation method {label!r}",
        f"TestCalculationMethod_{_ident(label)}",
        skip=f"calculation method {label!r}: monotone=False was given",
    )
