"""apacore.testing: its strategies make valid objects, its suite passes apacore's own rules
and methods, and it catches real faults (deliberately broken rules and methods)."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import apacore.testing as T
from apacore.engine.scorecard import score_agreement
from apacore.engine.scoring import single_target_score
from apacore.errors import AgreementError, ApacoreError
from apacore.loading.agreements import check_agreement, check_report
from apacore.loading.rulesets import load_ruleset
from apacore.loading.validation import check_indicator
from apacore.models import Agreement, Indicator, ProgressReport
from apacore.numbers import Reading
from apacore.plugins.contract import (
    Achievement,
    CalculationMethod,
    RuleContext,
    RuleResult,
    ScoringRule,
)
from apacore.plugins.hookspecs import hookimpl
from apacore.plugins.host import get_registry, using_plugin

SRC = Path(__file__).resolve().parents[1] / "src"

# --- the suite on apacore's own rules and methods: one line each ---------------------

TestTiersRule = T.scoring_rule_tests("tiers")
TestSingleTargetRule = T.scoring_rule_tests("single_target")
TestMilestonesRule = T.scoring_rule_tests("milestones")
TestSumMethod = T.calculation_method_tests("sum", monotone=True)
TestAverageMethod = T.calculation_method_tests("average", monotone=True)
TestCumulativeMethod = T.calculation_method_tests("cumulative", monotone=True)
TestDateMethod = T.calculation_method_tests("date", monotone=True)
TestMilestonesMethod = T.calculation_method_tests("milestones", monotone=True)
TestCumulativeTowardABase = T.calculation_method_tests(
    "cumulative",
    monotone=True,
    indicators=st.builds(
        Indicator,
        id=st.just("2.2.1"),
        name_bn=st.just("নিরীক্ষা"),
        unit=st.just("percent"),
        method=st.just("cumulative"),
        weight=st.just(Decimal(4)),
        source=st.just("test"),
        cumulative=st.just("increments"),
        target=st.just(Decimal(100)),
        base=st.integers(1, 500).map(Decimal),
    ),
)


# --- deliberately broken rules: the suite must fail for each -------------------------

# A failure is found within the profile's examples; shrinking it would only slow the test.
NO_SHRINK = settings(
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    database=None,
    derandomize=True,
    max_examples=200,
)  # deterministic: a test that a fault is caught must not depend on luck


def _ratio(ind: Indicator, achievement: Achievement) -> Fraction:
    value, target = achievement.value, ind.target
    if isinstance(value, Decimal) and isinstance(target, Decimal):
        return Fraction(value) / Fraction(target)
    if isinstance(value, dt.date) and isinstance(target, dt.date):
        return Fraction(1 if value <= target else 0)
    return Fraction(0)


def _rule(
    name: str, score: Callable[[Indicator, Achievement], object], *, monotone: bool = True
) -> ScoringRule:
    def wrapped(indicator: Indicator, achievement: Achievement, context: RuleContext) -> RuleResult:
        raw: Any = score(indicator, achievement)  # deliberately not always a Fraction
        return RuleResult(raw=raw, bracket="b", formula="f")

    return ScoringRule(name=name, score=wrapped, monotone=monotone)


ONE = Fraction(1)


BROKEN_RULES = {
    "returns a float": (
        _rule("floaty", lambda i, a: float(min(_ratio(i, a), ONE) * 100)),
        r"scoring rule 'floaty' \(exact raw score in \[0, 100\]\): raw score .* is a float",
    ),
    "returns a Decimal": (
        _rule("decimal", lambda i, a: Decimal(int(min(_ratio(i, a), ONE) * 100))),
        r"is a Decimal, not an exact fractions.Fraction or int",
    ),
    "gives a bonus above 100": (
        _rule("bonus", lambda i, a: _ratio(i, a) * 100),
        r"scoring rule 'bonus' \(exact raw score in \[0, 100\]\): raw score .* is outside \[0, 100\]",
    ),
    "is not monotone": (
        _rule("upside_down", lambda i, a: (1 - min(_ratio(i, a), ONE)) * 100),
        r"scoring rule 'upside_down' \(monotone\): the better achievement",
    ),
    "misses its target": (
        _rule("stingy", lambda i, a: min(_ratio(i, a), ONE) * 99),
        r"scoring rule 'stingy' \(exact at targets\): achievement .* \(the target\) scores 99,"
        r" expected 100",
    ),
    "raises": (
        _rule("fragile", lambda i, a: 1 / 0),
        r"scoring rule 'fragile' \(exact raw score in \[0, 100\]\): raised ZeroDivisionError",
    ),
}


@pytest.mark.parametrize("fault", sorted(BROKEN_RULES))
def test_the_suite_catches_a_rule_that(fault: str) -> None:
    rule, message = BROKEN_RULES[fault]
    with pytest.raises(T.PropertyFailure, match=message) as info:
        T.check_scoring_rule(rule, settings=NO_SHRINK)
    assert "\n" not in str(info.value)


def test_the_suite_catches_a_non_deterministic_rule() -> None:
    counter = itertools.count()
    rule = _rule("moody", lambda i, a: Fraction(next(counter) % 2) * 100)
    with pytest.raises(T.PropertyFailure, match=r"'moody' \(deterministic\): the same inputs gave"):
        T.check_scoring_rule(rule, properties=["deterministic"], settings=NO_SHRINK)


def test_the_suite_catches_a_tier_rule_that_ignores_equal_tiers() -> None:
    """Two adjacent tiers with one value earn the higher score; a rule giving the lower fails."""

    def lower_of_equal(
        indicator: Indicator, achievement: Achievement, context: RuleContext
    ) -> RuleResult:
        tiers = indicator.tiers or ()
        for i in reversed(range(len(tiers))):
            if tiers[i] is not None and tiers[i] == achievement.value:
                return RuleResult(raw=Fraction(context.tier_scores[i]), bracket="", formula="")
        return get_registry().rule("tiers").score(indicator, achievement, context)

    rule = ScoringRule(name="lower_of_equal", score=lower_of_equal, uses_tiers=True)
    equal_tiers = st.builds(
        Indicator,
        id=st.just("1"),
        name_bn=st.just("x"),
        unit=st.just("count"),
        method=st.just("sum"),
        weight=st.just(Decimal(1)),
        source=st.just("test"),
        tiers=st.integers(1, 50).map(
            lambda v: [Decimal(v + 1), Decimal(v), Decimal(v), None, None]
        ),
    )
    with pytest.raises(T.PropertyFailure, match=r"\(the very good tier\) scores 80, expected 90"):
        T.check_scoring_rule(
            rule, indicators=equal_tiers, properties=["exact_at_targets"], settings=NO_SHRINK
        )


def test_a_rule_that_says_it_is_not_monotone_is_not_checked_for_it() -> None:
    rule = _rule("upside_down", lambda i, a: (1 - min(_ratio(i, a), ONE)) * 100, monotone=False)
    assert rule.monotone is False
    T.check_scoring_rule(rule, properties=["exact_and_bounded", "deterministic", "monotone"])
    tests = T.scoring_rule_tests(rule)()
    with pytest.raises(pytest.skip.Exception, match="declares monotone=False"):
        tests.test_monotone()


# --- deliberately broken calculation methods ------------------------------------------


def _numbers(quarters: Sequence[Reading | None]) -> list[Decimal]:
    return [r.value for r in quarters if r is not None and isinstance(r.value, Decimal)]


def _method(
    name: str, calc: Callable[[Indicator, Sequence[Reading | None]], object]
) -> CalculationMethod:
    return CalculationMethod(name=name, calculate=calc)  # type: ignore[arg-type]


def _mean_counting_blanks(ind: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    values = _numbers(quarters)
    if not values:
        return Achievement(value=None, explanation="")
    return Achievement(value=sum(values, Decimal(0)) / len(quarters), explanation="")


def _last_minus_first(ind: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    values = _numbers(quarters)
    if not values:
        return Achievement(value=None, explanation="")
    return Achievement(value=values[-1] - values[0], explanation="")


BROKEN_METHODS = {
    "returns a float": (
        _method(
            "floaty",
            lambda i, q: Achievement(
                value=float(sum(_numbers(q))),  # type: ignore[arg-type]
                explanation="",
            ),
        ),
        r"calculation method 'floaty' \(exact achievement\): achievement .* \(never a float\)",
    ),
    "returns no Achievement": (
        _method("bare", lambda i, q: sum(_numbers(q), Decimal(0))),
        r"calculation method 'bare' \(exact achievement\): returned .*, not an apacore.Achievement",
    ),
    "counts blank quarters": (
        _method("mean_of_all", _mean_counting_blanks),
        r"calculation method 'mean_of_all' \(ignores unreported quarters\)",
    ),
    "is not monotone": (
        _method("growth", _last_minus_first),
        r"calculation method 'growth' \(monotone\): a better quarterly figure",
    ),
}


@pytest.mark.parametrize("fault", sorted(BROKEN_METHODS))
def test_the_suite_catches_a_method_that(fault: str) -> None:
    method, message = BROKEN_METHODS[fault]
    with pytest.raises(T.PropertyFailure, match=message):
        T.check_calculation_method(method, monotone=True, settings=NO_SHRINK)


def test_a_method_is_checked_for_monotony_only_when_asked() -> None:
    method = _method("growth", _last_minus_first)
    T.check_calculation_method(method)  # monotone=False: the three other properties hold
    tests = T.calculation_method_tests(method)()
    with pytest.raises(pytest.skip.Exception):
        tests.test_monotone()


# --- registering a plugin for the suite -----------------------------------------------


class YesNo:
    """A plugin object (as a test would write one) with an all-or-nothing rule."""

    @staticmethod
    def score(indicator: Indicator, achievement: Achievement, context: RuleContext) -> RuleResult:
        done = achievement.value not in (None, Decimal(0))
        return RuleResult(raw=Fraction(100 if done else 0), bracket="", formula="")

    @hookimpl
    def register_scoring_rules(self, register: Callable[[ScoringRule], None]) -> None:
        register(ScoringRule(name="test_yes_no", score=self.score))


TestAPluginRule = T.scoring_rule_tests(
    "test_yes_no",
    plugin=YesNo(),
    plugin_name="test-yes-no",
    indicators=T.indicators(kinds=("target", "no_target"), rule="test_yes_no"),
)


def test_the_plugin_is_registered_only_while_its_suite_runs() -> None:
    T.check_scoring_rule(
        "test_yes_no", plugin=YesNo(), plugin_name="test-yes-no", properties=["deterministic"]
    )
    assert "test_yes_no" not in get_registry().rules
    with pytest.raises(ApacoreError, match="unknown scoring rule 'test_yes_no'"):
        T.check_scoring_rule("test_yes_no")


def test_an_already_registered_plugin_is_not_registered_twice() -> None:
    plugin = YesNo()
    with using_plugin(plugin, name="test-yes-no"):
        T.check_scoring_rule(
            "test_yes_no",
            plugin=plugin,
            plugin_name="test-yes-no",
            indicators=T.indicators(kinds=("target",), rule="test_yes_no"),
            properties=["exact_at_targets"],
        )
        assert "test_yes_no" in get_registry().rules


# --- the strategies make valid objects ------------------------------------------------

RULESET = load_ruleset("2024-25")


@given(T.indicators(kinds=T.INDICATOR_KINDS, rule="single_target"))
def test_generated_indicators_pass_apacores_checks(ind: Indicator) -> None:
    spec = RULESET.spec
    check_indicator(
        ind,
        path="$",
        where="generated",
        error=AgreementError,
        registry=get_registry(),
        starts=spec.starts,
        ends=spec.ends,
    )


@given(T.indicators().flatmap(lambda i: st.tuples(st.just(i), T.achievements(i))))
def test_generated_achievements_fit_their_indicator(case: tuple[Indicator, Achievement]) -> None:
    ind, achievement = case
    value = achievement.value
    if ind.unit == "dated_count":
        assert isinstance(value, tuple) and len(value) <= len(ind.milestones or ())
    elif value is not None:
        assert isinstance(value, dt.date) == (ind.unit == "date")
    rule = get_registry().rule(get_registry().rule_name_for(ind))
    raw = rule.score(ind, achievement, RuleContext()).raw
    assert isinstance(raw, (Fraction, int)) and 0 <= raw <= 100


@given(T.agreements().flatmap(lambda a: st.tuples(st.just(a), T.reports(a))))
def test_generated_agreements_and_reports_load_and_score(
    case: tuple[Agreement, ProgressReport],
) -> None:
    agreement, report = case
    check_agreement(agreement, RULESET, where="generated")
    check_report(report, agreement, RULESET, where="generated")
    card = score_agreement(agreement, report, RULESET)
    assert card.total_max == agreement.areas[0].weight
    assert 0 <= card.total_marks <= card.total_max
    assert all(isinstance(r.marks, Decimal) for r in card.indicators())


@given(T.tier_values(direction="lower", allow_blank=False, allow_equal=False))
def test_tier_values_run_the_way_they_are_asked_to(tiers: list[Decimal | None]) -> None:
    assert tiers == sorted(tiers)  # type: ignore[type-var]
    assert len(set(tiers)) == 5


@given(T.date_tiers(fiscal_year="2023-24"))
def test_date_tiers_lie_in_their_fiscal_year(tiers: list[dt.date | None]) -> None:
    present = [d for d in tiers if d is not None]
    assert present and present == sorted(present)
    assert all(dt.date(2023, 7, 1) <= d <= dt.date(2024, 6, 30) for d in present)


def test_strategy_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown indicator kinds"):
        T.indicators(kinds=("fuzzy",))
    with pytest.raises(ValueError, match="kind 'no_target' needs rule="):
        T.indicators(kinds=("no_target",))
    with pytest.raises(ValueError, match="written like 2024-25"):
        T.fiscal_year_dates("2024-2025")
    with pytest.raises(ValueError, match="unknown property"):
        T.check_scoring_rule("tiers", properties=["fast"])


def test_exactness_helpers_agree_with_the_scorer() -> None:
    """The suite's idea of 'exact at the target' is apacore's single-target rule."""
    assert single_target_score(Decimal(4), Decimal(4)).raw == 100


def test_importing_apacore_testing_does_not_import_pytest() -> None:
    code = "import sys, apacore.testing; print('pytest' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "APACORE_LOAD_PLUGINS": ""},
        check=True,
    )
    assert out.stdout.strip() == "False"
