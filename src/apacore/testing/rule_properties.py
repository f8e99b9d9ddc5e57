"""The property suite of a scoring rule: exact and bounded, deterministic, monotone,
exact at its targets (:func:`check_scoring_rule`, :func:`scoring_rule_tests`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

import hypothesis
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from apacore.models import (
    TIER_KEYS,
    Indicator,
    TierValue,
)
from apacore.plugins.contract import (
    Achievement,
    AchievementValue,
    RuleContext,
    RuleResult,
    ScoringRule,
)
from apacore.plugins.host import get_registry
from apacore.testing.strategies import (
    _PICK,
    _SOURCE,
    DEFAULT_FISCAL_YEAR,
    _number_at,
    _number_range,
    achievements,
    contexts,
    fiscal_year_dates,
    indicators,
)
from apacore.testing.suite import (
    PropertyFailure,
    _describe,
    _ident,
    _registered,
    _show,
    _Suite,
    _test_class,
)
from apacore.tier_direction import resolve_direction
from apacore.values import frozen

AchievementsArg = (
    SearchStrategy[Achievement] | Callable[[Indicator], SearchStrategy[Achievement]] | None
)
"""A strategy of achievements, or a function from an indicator to one."""


def _rule(rule: str | ScoringRule) -> ScoringRule:
    return rule if isinstance(rule, ScoringRule) else get_registry().rule(rule)


def _score(
    rule: ScoringRule, ind: Indicator, achievement: Achievement, context: RuleContext, prop: str
) -> RuleResult:
    """Score once; anything but an exact raw score in [0, 100] is a PropertyFailure."""
    example = f"{_describe(ind)}, achievement {_show(achievement.value)}"
    try:
        result = rule.score(ind, achievement, context)
    except Exception as exc:
        raise PropertyFailure(
            f"scoring rule {rule.name!r} ({prop}): raised {type(exc).__name__}: {exc}; {example}"
            " (give indicators= and achievements= strategies in the rule's domain)"
        ) from exc
    if not isinstance(result, RuleResult):
        raise PropertyFailure(
            f"scoring rule {rule.name!r} ({prop}): returned {result!r},"
            f" not an apacore.RuleResult; {example}"
        )
    raw: object = result.raw
    if isinstance(raw, bool) or not isinstance(raw, (Fraction, int)):
        raise PropertyFailure(
            f"scoring rule {rule.name!r} ({prop}): raw score {raw!r} is a {type(raw).__name__},"
            f" not an exact fractions.Fraction or int; {example}"
        )
    if not 0 <= raw <= 100:
        raise PropertyFailure(
            f"scoring rule {rule.name!r} ({prop}): raw score {raw} is outside [0, 100]; {example}"
        )
    if not isinstance(result.bracket, str) or not isinstance(result.formula, str):
        raise PropertyFailure(
            f"scoring rule {rule.name!r} ({prop}): bracket and formula must be text; {example}"
        )
    return result


def _achievements_for(
    arg: AchievementsArg, fiscal_year: str
) -> Callable[[Indicator], SearchStrategy[Achievement]]:
    if arg is None:
        return lambda ind: achievements(ind, fiscal_year=fiscal_year)
    if isinstance(arg, SearchStrategy):
        fixed = arg
        return lambda ind: fixed
    return arg


def _direction(ind: Indicator) -> str:
    if ind.tiers is not None:
        return resolve_direction(ind.tiers, ind.direction)
    return ind.direction or "higher"


@st.composite
def _better(
    draw: st.DrawFn,
    ind: Indicator,
    worse: Achievement,
    pool: SearchStrategy[Achievement],
    fiscal_year: str,
) -> Achievement:
    """An achievement at least as good as ``worse`` for ``ind`` (dates stay in the year)."""
    starts = fiscal_year_dates(fiscal_year)[0]
    value = worse.value
    better: AchievementValue
    if value is None:
        better = draw(pool).value
    elif isinstance(value, tuple):
        done = list(value)
        limit = len(ind.milestones or ()) or len(done)
        if done and (len(done) >= limit or draw(st.booleans())):
            i = draw(st.integers(0, len(done) - 1))
            earlier = done[i] - dt.timedelta(days=draw(st.integers(0, 60)))
            done[i] = max(earlier, min(done[i], starts))
        else:
            extra = draw(pool).value
            if isinstance(extra, tuple) and extra:
                done.append(extra[0])
        better = tuple(sorted(done))
    elif isinstance(value, dt.date):
        days = draw(st.integers(0, 60))
        better = max(value - dt.timedelta(days=days), min(value, starts))
    else:
        known, upper, places = _number_range(ind)
        step = _number_at(known, upper, places, draw(_PICK))
        better = value + step if _direction(ind) == "higher" else max(value - step, Decimal(0))
    return Achievement(value=better, explanation=_SOURCE)


def _pair(
    ind: Indicator, pool: SearchStrategy[Achievement], fiscal_year: str
) -> SearchStrategy[tuple[Achievement, Achievement]]:
    return pool.flatmap(
        lambda worse: _better(ind, worse, pool, fiscal_year).map(lambda b: (worse, b))
    )


def _at_targets(
    rule: ScoringRule, ind: Indicator, scores: Sequence[Decimal]
) -> list[tuple[Achievement, Fraction, str]]:
    """(achievement, expected raw score, what) for the exact-at-targets property.

    A rule that reads tiers: each present tier value scores its tier's score (two tiers
    with one value: the higher score). Any other rule: the single target, or every
    dated milestone done on its due date, scores 100.
    """
    out: list[tuple[Achievement, Fraction, str]] = []
    if rule.uses_tiers:
        tiers: Sequence[TierValue] = ind.tiers or ()
        for v in tiers:
            if v is None:
                continue
            first = next(j for j, w in enumerate(tiers) if w == v)
            out.append(
                (
                    Achievement(value=v, explanation=_SOURCE),
                    Fraction(scores[first]),
                    f"the {TIER_KEYS[first].replace('_', ' ')} tier",
                )
            )
        return out
    if ind.target is not None:
        out.append(
            (Achievement(value=ind.target, explanation=_SOURCE), Fraction(100), "the target")
        )
    if ind.milestones is not None:
        out.append(
            (
                Achievement(value=tuple(ind.milestones), explanation=_SOURCE),
                Fraction(100),
                "every milestone on its due date",
            )
        )
    return out


RULE_PROPERTIES: tuple[str, ...] = (
    "exact_and_bounded",
    "deterministic",
    "monotone",
    "exact_at_targets",
)
"""The properties :func:`check_scoring_rule` checks, in order."""


def _rule_kinds(rule: ScoringRule) -> tuple[str, ...]:
    """The indicators a rule is tried on: by the kinds of achievement it scores, with
    tiers when it reads tiers, else with a single target or dated milestones."""
    if rule.uses_tiers:
        table = {"number": "tiers", "date": "date_tiers"}
    else:
        table = {"number": "target", "date": "date_target", "dates": "milestones"}
    kinds = tuple(kind for value, kind in table.items() if value in rule.accepts)
    return kinds or ("target", "date_target")


@frozen(kw_only=True)
class _RuleSuite(_Suite):
    rule: str | ScoringRule
    indicators: SearchStrategy[Indicator] | None
    achievements: AchievementsArg
    contexts: SearchStrategy[RuleContext] | None
    fiscal_year: str
    plugin: object | None
    plugin_name: str | None
    settings: hypothesis.settings | None = None

    def resolve(
        self,
    ) -> tuple[
        ScoringRule,
        SearchStrategy[Indicator],
        Callable[[Indicator], SearchStrategy[Achievement]],
        SearchStrategy[RuleContext],
    ]:
        rule = _rule(self.rule)
        inds = self.indicators
        if inds is None:
            kinds = _rule_kinds(rule)
            inds = indicators(kinds=kinds, rule=rule.name, fiscal_year=self.fiscal_year)
        ctx = self.contexts if self.contexts is not None else contexts(fiscal_year=self.fiscal_year)
        return rule, inds, _achievements_for(self.achievements, self.fiscal_year), ctx

    def run(self, prop: str) -> bool:
        """Run property ``prop``; False when it does not apply (a non-monotone rule)."""
        if prop not in RULE_PROPERTIES:
            raise ValueError(f"unknown property {prop!r} (known: {', '.join(RULE_PROPERTIES)})")
        with _registered(self.plugin, self.plugin_name):
            rule, inds, achieve, ctx = self.resolve()
            if prop == "monotone" and not rule.monotone:
                return False
            getattr(self, f"_{prop}")(rule, inds, achieve, ctx)
        return True

    def _exact_and_bounded(
        self,
        rule: ScoringRule,
        inds: SearchStrategy[Indicator],
        achieve: Callable[[Indicator], SearchStrategy[Achievement]],
        ctx: SearchStrategy[RuleContext],
    ) -> None:
        @given(inds.flatmap(lambda i: st.tuples(st.just(i), achieve(i))), ctx)
        def prop(case: tuple[Indicator, Achievement], context: RuleContext) -> None:
            _score(rule, case[0], case[1], context, "exact raw score in [0, 100]")

        self._run(prop)

    def _deterministic(
        self,
        rule: ScoringRule,
        inds: SearchStrategy[Indicator],
        achieve: Callable[[Indicator], SearchStrategy[Achievement]],
        ctx: SearchStrategy[RuleContext],
    ) -> None:
        @given(inds.flatmap(lambda i: st.tuples(st.just(i), achieve(i))), ctx)
        def prop(case: tuple[Indicator, Achievement], context: RuleContext) -> None:
            ind, achievement = case
            first = _score(rule, ind, achievement, context, "deterministic")
            second = _score(rule, ind, achievement, context, "deterministic")
            if (first.raw, first.bracket, first.formula) != (
                second.raw,
                second.bracket,
                second.formula,
            ):
                raise PropertyFailure(
                    f"scoring rule {rule.name!r} (deterministic): the same inputs gave raw"
                    f" {first.raw} ({first.bracket}) and then raw {second.raw} ({second.bracket});"
                    f" {_describe(ind)}, achievement {_show(achievement.value)}"
                )

        self._run(prop)

    def _monotone(
        self,
        rule: ScoringRule,
        inds: SearchStrategy[Indicator],
        achieve: Callable[[Indicator], SearchStrategy[Achievement]],
        ctx: SearchStrategy[RuleContext],
    ) -> None:
        fy = self.fiscal_year

        @given(inds.flatmap(lambda i: st.tuples(st.just(i), _pair(i, achieve(i), fy))), ctx)
        def prop(
            case: tuple[Indicator, tuple[Achievement, Achievement]], context: RuleContext
        ) -> None:
            ind, (worse, better) = case
            low = _score(rule, ind, worse, context, "monotone")
            high = _score(rule, ind, better, context, "monotone")
            if high.raw < low.raw:
                raise PropertyFailure(
                    f"scoring rule {rule.name!r} (monotone): the better achievement"
                    f" {_show(better.value)} scores {high.raw}, less than {low.raw} for"
                    f" {_show(worse.value)}; {_describe(ind)} (a rule that is not monotone"
                    " must say monotone=False)"
                )

        self._run(prop)

    def _exact_at_targets(
        self,
        rule: ScoringRule,
        inds: SearchStrategy[Indicator],
        achieve: Callable[[Indicator], SearchStrategy[Achievement]],
        ctx: SearchStrategy[RuleContext],
    ) -> None:
        @given(inds, ctx)
        def prop(ind: Indicator, context: RuleContext) -> None:
            for achievement, expected, what in _at_targets(rule, ind, context.tier_scores):
                got = _score(rule, ind, achievement, context, "exact at targets").raw
                if got != expected:
                    raise PropertyFailure(
                        f"scoring rule {rule.name!r} (exact at targets): achievement"
                        f" {_show(achievement.value)} ({what}) scores {got}, expected {expected};"
                        f" {_describe(ind)}"
                    )

        self._run(prop)


def check_scoring_rule(
    rule: str | ScoringRule,
    *,
    indicators: SearchStrategy[Indicator] | None = None,
    achievements: AchievementsArg = None,
    contexts: SearchStrategy[RuleContext] | None = None,
    fiscal_year: str = DEFAULT_FISCAL_YEAR,
    plugin: object | None = None,
    plugin_name: str | None = None,
    properties: Sequence[str] = RULE_PROPERTIES,
    settings: hypothesis.settings | None = None,
) -> None:
    """Check a scoring rule; raise :class:`PropertyFailure` on the first broken property.

    ``rule`` is a registered rule's name (registered for the check from ``plugin``,
    named ``plugin_name``, unless it is registered already) or a
    :class:`~apacore.ScoringRule`. ``indicators`` draws the indicators to score (default:
    of the kinds the rule ``accepts``: tiered ones for a rule that reads tiers, else
    single targets or dated milestones, with ``rule=`` set to it); ``achievements`` is a strategy, or a function from an
    indicator to a strategy (default: :func:`achievements`); ``contexts`` draws the
    rule context (default: :func:`contexts`). ``settings`` (a ``hypothesis.settings``)
    overrides the active profile for these checks, e.g. to skip shrinking.
    """
    suite = _RuleSuite(
        rule=rule,
        indicators=indicators,
        achievements=achievements,
        contexts=contexts,
        fiscal_year=fiscal_year,
        plugin=plugin,
        plugin_name=plugin_name,
        settings=settings,
    )
    for prop in properties:
        suite.run(prop)


def scoring_rule_tests(
    rule: str | ScoringRule,
    *,
    indicators: SearchStrategy[Indicator] | None = None,
    achievements: AchievementsArg = None,
    contexts: SearchStrategy[RuleContext] | None = None,
    fiscal_year: str = DEFAULT_FISCAL_YEAR,
    plugin: object | None = None,
    plugin_name: str | None = None,
    settings: hypothesis.settings | None = None,
) -> type:
    """A test class with one pytest test per property of :func:`check_scoring_rule`.

    Assign it to a name starting with ``Test`` in a test module::

        TestYesNo = apacore.testing.scoring_rule_tests("yes_no", plugin=my_plugin)

    The monotone test is skipped for a rule that declares ``monotone=False``.
    """
    suite = _RuleSuite(
        rule=rule,
        indicators=indicators,
        achievements=achievements,
        contexts=contexts,
        fiscal_year=fiscal_year,
        plugin=plugin,
        plugin_name=plugin_name,
        settings=settings,
    )
    label = rule.name if isinstance(rule, ScoringRule) else rule
    return _test_class(
        suite.run,
        RULE_PROPERTIES,
        f"scoring rule {label!r}",
        f"TestScoringRule_{_ident(label)}",
        skip=f"scoring rule {label!r} declares monotone=False",
    )
