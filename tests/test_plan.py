"""The scoring plan: fast paths against the general path, traces, rule-owned progress, policies."""

from __future__ import annotations

import datetime as dt
import pickle
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import apacore
from apacore.engine.plan import compile_plan, plan_for, score_plan, section_result
from apacore.engine.progress import target_progress
from apacore.engine.results import IndicatorResult
from apacore.engine.scorecard import score_agreement
from apacore.engine.scoring import (
    general_tier_score,
    prepare_tiers,
    tier_result,
    tier_score,
    to_decimal,
)
from apacore.loading.agreements import load_office
from apacore.models import Indicator, Policies
from apacore.plugins.contract import Achievement, Progress, RuleContext, ScoringRule
from apacore.plugins.host import get_registry
from apacore.plugins.registry import Registry
from apacore.trace import Step, Text

EXAMPLES = Path(__file__).parent.parent / "examples"
OFFICES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "agreement.toml").exists())

# --------------------------------------------------------------------------- tier_score

whole = st.integers(min_value=-50, max_value=400)
decimals = st.decimals(min_value=-50, max_value=400, places=3, allow_nan=False)
day = st.integers(min_value=0, max_value=60).map(lambda n: dt.date(2024, 3, 1) + dt.timedelta(n))


def _outcome(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        result = fn(*args, **kwargs)
    except apacore.ApacoreError as exc:
        return ("error", type(exc).__name__, str(exc))
    return ("value", result, str(result))


@settings(max_examples=600, derandomize=True)
@given(
    kind=st.sampled_from([whole, decimals, day]),
    data=st.data(),
    direction=st.sampled_from([None, "higher", "lower"]),
    policy=st.sampled_from(["linear", "step"]),
)
def test_typed_fast_path_is_the_general_path(
    kind: st.SearchStrategy[object],
    data: st.DataObject,
    direction: str | None,
    policy: str,
) -> None:
    tiers = data.draw(st.lists(st.none() | kind, min_size=5, max_size=5))
    achievement = data.draw(st.none() | kind | whole)
    fast = _outcome(tier_score, achievement, tiers, direction=direction, date_policy=policy)
    general = _outcome(
        general_tier_score, achievement, tiers, direction=direction, date_policy=policy
    )
    assert fast == general


@settings(max_examples=400, derandomize=True)
@given(
    kind=st.sampled_from([whole.map(Decimal), decimals, day]),
    data=st.data(),
    policy=st.sampled_from(["linear", "step"]),
)
def test_prepared_tiers_score_as_tier_result(
    kind: st.SearchStrategy[object], data: st.DataObject, policy: str
) -> None:
    tiers = data.draw(st.lists(st.none() | kind, min_size=5, max_size=5))
    achievement = data.draw(st.none() | kind)
    general = _outcome(tier_result, achievement, tiers, date_policy=policy)
    if general[0] == "error":
        return  # refused by the general path: the plan refuses it when it is compiled
    raw = prepare_tiers(tiers, date_policy=policy)
    assert _outcome(raw, achievement) == _outcome(lambda: general[1].raw)


@settings(max_examples=300, derandomize=True)
@given(
    deadline=day,
    achievement=st.none() | day | decimals | st.lists(day, max_size=3).map(tuple),
    exact=st.booleans(),
)
def test_a_prepared_deadline_scores_as_the_single_target_rule(
    deadline: dt.date, achievement: object, exact: bool
) -> None:
    """A date target's fast path (raw score and progress) is the rule's ``score`` and
    ``progress``, or refuses what they refuse with their message."""
    rule = get_registry().rules["single_target"]
    assert rule.prepare is not None and rule.prepare_progress is not None
    row = Indicator(
        id="1.1.1", name_bn="সূচক", unit="date", method="date", weight=Decimal(2),
        source="tests", target=deadline,
    )  # fmt: skip
    context = RuleContext(policies=Policies())
    value = Fraction(str(achievement)) if exact and isinstance(achievement, Decimal) else None
    achieved = Achievement(achievement, Step(Text(en="given")), exact=value)  # type: ignore[arg-type]
    raw = rule.prepare(row, context)
    general = _outcome(lambda: rule.score(row, achieved, context).raw)
    assert raw is not None and _outcome(raw, achieved) == general
    if general[0] == "value":
        pct = rule.prepare_progress(row, context)
        assert pct is not None and rule.progress is not None
        expected = rule.progress(row, achieved, general[1], context).pct
        assert pct(achieved, general[1]) == expected


def test_strings_stay_strict() -> None:
    with pytest.raises(apacore.ApacoreError, match="not accepted"):
        tier_score(0.5, [5, 4, 3, 2, 1])  # type: ignore[arg-type]
    with pytest.raises(apacore.ApacoreError, match="bool"):
        tier_score(True, [5, 4, 3, 2, 1])
    assert tier_score("৩", ["৫", "৪", "৩", "২", "১"]) == 80


# --------------------------------------------------------------------------- the plan


def _without_fast_paths(registry: Registry) -> Registry:
    rules = {
        name: attrs.evolve(rule, prepare=None, prepare_progress=None)
        for name, rule in registry.rules.items()
    }
    return Registry(
        methods=dict(registry.methods),
        rules=rules,
        annex_types=dict(registry.annex_types),
        owners=dict(registry.owners),
    )


def _figures(card: apacore.Scorecard) -> list[object]:
    out: list[object] = [
        card.exact(n) for n in ("total_marks", "total_progress_marks", "total_max")
    ]
    for section in card.sections:
        out.append([section.exact(n) for n in ("max", "marks", "converted_marks")])
        for r in section.indicators:
            figures = [r.exact(n) for n in ("raw_score", "marks", "progress_pct", "progress_marks")]
            out.append((r.ref, r.status, r.achievement, figures, r.explanation))
    return out


@pytest.mark.parametrize("office", OFFICES)
@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_prepared_plan_scores_as_the_general_path(office: str, quarter: int) -> None:
    files = load_office(EXAMPLES / office)
    fast = score_agreement(files.agreement, files.report, files.ruleset, as_of=quarter)
    plan = compile_plan(files.agreement, files.ruleset, _without_fast_paths(get_registry()))
    general = score_plan(plan, files.report, quarter)
    assert _figures(fast) == _figures(general)


def test_plans_are_cached_by_agreement_ruleset_and_registry() -> None:
    files = load_office(EXAMPLES / "dakop-2024-25")
    first = plan_for(files.agreement, files.ruleset)
    assert plan_for(files.agreement, files.ruleset) is first
    other = _without_fast_paths(get_registry())
    assert plan_for(files.agreement, files.ruleset, other) is not first
    again = load_office(EXAMPLES / "dakop-2024-25")  # an equal but new agreement object
    assert plan_for(again.agreement, again.ruleset) is not first


def test_results_hold_exact_fractions_with_decimal_views() -> None:
    files = load_office(EXAMPLES / "dakop-2024-25")
    card = score_agreement(files.agreement, files.report, files.ruleset)
    total = card.exact("total_marks")
    assert isinstance(total, Fraction)
    assert card.total_marks == to_decimal(total)
    for r in card.indicators():
        for name in ("raw_score", "marks", "progress_pct", "progress_marks"):
            exact = r.exact(name)
            assert getattr(r, name) == (None if exact is None else to_decimal(exact))
            assert exact is None or isinstance(exact, Fraction)


def test_fast_constructor_builds_what_the_init_builds() -> None:
    files = load_office(EXAMPLES / "dakop-2024-25")
    card = score_agreement(files.agreement, files.report, files.ruleset)
    names = {a.name for a in attrs.fields(IndicatorResult)}
    for r in card.indicators():
        assert set(vars(r)) == names  # every attribute, no other (before a trace is read)
        rebuilt = IndicatorResult(
            **{a.alias: getattr(r, a.name) for a in attrs.fields(IndicatorResult)}  # type: ignore[misc]
        )
        assert rebuilt == r


def test_scorecards_pickle_with_their_traces() -> None:
    files = load_office(EXAMPLES / "dakop-2024-25")
    card = score_agreement(files.agreement, files.report, files.ruleset)
    again = pickle.loads(pickle.dumps(card))
    assert again == card
    assert [r.explanation for r in again.indicators()] == [r.explanation for r in card.indicators()]
    assert [r.trace.lines("bn") for r in again.indicators()] == [
        r.trace.lines("bn") for r in card.indicators()
    ]


# --------------------------------------------------------------------------- traces


@pytest.mark.parametrize("office", OFFICES)
def test_explanations_render_in_english_and_bengali_with_one_rounding(office: str) -> None:
    files = load_office(EXAMPLES / office)
    card = score_agreement(files.agreement, files.report, files.ruleset)
    for r in card.indicators():
        english = r.trace.lines("en")
        assert english == r.explanation
        bengali = r.trace.lines("bn")
        assert len(bengali) == len(english)
        for line in english:
            assert not re.search(r"\d\.\d{7,}", line), line  # no 28-digit Decimal leaks
        for line in bengali:
            assert not re.search(r"[0-9]", line), line  # Bengali digits throughout
        assert r.trace.ruleset_sha256 == card.ruleset["sha256"]
    for section in card.sections:
        assert section.lines("bn") or not section.explanation


def test_plugin_steps_fall_back_to_english() -> None:
    step = Step(Text(en="best quarter {value}"), {"value": Decimal("2.50")})
    assert step.render("bn") == "best quarter ২.৫০"
    legacy = apacore.RuleResult(raw=Fraction(1), bracket="a {literal}", formula="1")
    assert legacy.bracket == "a {literal}" and legacy.trace.bracket.render("bn") == "a {literal}"
    assert Achievement(value=None, explanation="x").explanation == "x"


# --------------------------------------------------------------------------- progress


def test_a_plugin_rule_brings_its_own_progress() -> None:
    files = load_office(EXAMPLES / "dakop-2024-25")
    base = get_registry()
    single = base.rule("single_target")

    def half_way(
        indicator: Indicator, achievement: Achievement, raw: Fraction, context: RuleContext
    ) -> Progress:
        pct = raw / 2
        return Progress(pct, Step(Text(en="progress: half the raw score = {pct}%"), {"pct": pct}))

    mine = ScoringRule(
        name="single_target", score=single.score, progress=half_way, default_for=single.default_for
    )
    registry = Registry(
        methods=dict(base.methods),
        rules={**base.rules, "single_target": mine},
        annex_types=dict(base.annex_types),
        owners=dict(base.owners),
    )
    card = score_plan(compile_plan(files.agreement, files.ruleset, registry), files.report, 2)
    singles = [
        r for r in card.indicators() if r.rule == "single_target" and r.raw_score is not None
    ]
    assert singles
    for r in singles:
        assert r.exact("progress_pct") == r.exact("raw_score") / 2  # type: ignore[operator]
        assert r.explanation[-1].startswith("progress: half the raw score = ")


def _lower(**policies: str) -> tuple[Indicator, RuleContext]:
    ind = Indicator(
        id="1.1.1",
        name_bn="নিষ্পত্তির গড় সময় (দিন)",
        unit="count",
        method="average",
        weight=Decimal(5),
        source="a test",
        tiers=(Decimal(10), Decimal(12), Decimal(14), Decimal(16), Decimal(18)),
    )
    return ind, RuleContext(policies=Policies(**policies))


def test_lower_is_better_progress_policy() -> None:
    ind, context = _lower()
    assert target_progress(ind, Achievement(Decimal(13)), Fraction(85), context).pct is None
    ind, context = _lower(lower_is_better_progress="raw_score")
    progress = target_progress(ind, Achievement(Decimal(13)), Fraction(85), context)
    assert progress.pct == 85
    assert "raw score" in progress.trace.render()


# --------------------------------------------------------------------------- policies


def _row(area: str, weight: int, status: str, marks: int) -> IndicatorResult:
    scored = status == "scored"
    return IndicatorResult(
        ref=f"grs/{area}.{weight}",
        id=f"{area}.{weight}",
        section="grs",
        area=area,
        name_bn="x",
        name_en="",
        weight=Decimal(weight),
        method="sum",
        unit="count",
        rule="tiers",
        target=None,
        achievement=None,
        progress_pct=None,
        progress_marks=Fraction(marks),
        raw_score=Fraction(marks * 100, weight) if scored else None,
        marks=Fraction(marks),
        status=status,
    )


def test_not_applicable_scope_annex_or_area() -> None:
    rows = [
        _row("1", 15, "scored", 15),
        _row("1", 5, "not_applicable", 0),
        _row("2", 5, "scored", 0),
    ]
    areas = {"1": Fraction(20), "2": Fraction(5)}
    args = ("annex", "grs", "", "", Decimal(25), Decimal(4), rows, "rescale")
    whole = section_result(*args, scope="annex", area_weights=areas)
    within = section_result(*args, scope="area", area_weights=areas)
    assert whole.exact("marks") == Fraction(75, 4)  # 15 × 25 / 20 = 18.75
    assert within.exact("marks") == 20  # 15 × 20 / 15 + 0
    assert within.explanation[0] == "not applicable rows removed: area 1 rescaled 15 × 20 / 15 = 20"


def test_preparing_decides_nothing() -> None:
    """A row the general path would refuse compiles; it is refused only if it is scored."""
    files = load_office(EXAMPLES / "dakop-2024-25")
    area = files.agreement.areas[0]
    act = area.activities[0]
    both_ways = (Decimal(1), Decimal(3), Decimal(2), None, None)
    bad = attrs.evolve(act.indicators[0], tiers=both_ways, target=None)

    def with_row(row: Indicator) -> apacore.Agreement:
        activity = attrs.evolve(act, indicators=(row, *act.indicators[1:]))
        first = attrs.evolve(area, activities=(activity, *area.activities[1:]))
        return attrs.evolve(files.agreement, areas=(first, *files.agreement.areas[1:]))

    away = with_row(attrs.evolve(bad, applies_to=("district",)))
    card = score_plan(compile_plan(away, files.ruleset), files.report, 2)
    assert card.indicator("1.1.1").status == "not_applicable"
    plan = compile_plan(with_row(bad), files.ruleset)
    with pytest.raises(apacore.ApacoreError, match=r"^1\.1\.1: tiers: values are not monotone"):
        score_plan(plan, files.report, 2)


def test_step_texts_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown format spec"):
        Text(en="{value:bogus}")
    with pytest.raises(ValueError, match="names 'b', which its values do not give"):
        Step(Text(en="{a} {b}"), {"a": 1}).render()


def test_offices_share_the_planned_sections_of_standard_annexes_only(tmp_path: Path) -> None:
    import shutil

    from apacore.render.formats import scorecard_to_dict

    folders = [tmp_path / "one", tmp_path / "two"]  # two offices with the same annexes
    for folder in folders:
        shutil.copytree(EXAMPLES / "rangpur-sadar-2023-24", folder)
    offices = [load_office(f, use_cache=False) for f in folders]
    plans = [compile_plan(o.agreement, o.ruleset) for o in offices]
    standard = {a.kind for a in offices[0].agreement.annexes if a.standard}
    assert standard
    for one, two in zip(plans[0].sections, plans[1].sections):
        assert (one is two) == (one.kind == "annex" and one.key in standard)
    # a shared section scores as one compiled afresh
    from apacore.engine import plan as plan_module

    plan_module._STANDARD.clear()
    fresh = compile_plan(offices[1].agreement, offices[1].ruleset)
    assert all(a is not b for a, b in zip(fresh.sections, plans[1].sections))
    report = offices[1].report
    assert scorecard_to_dict(score_plan(plans[1], report, 4)) == scorecard_to_dict(
        score_plan(fresh, report, 4)
    )
