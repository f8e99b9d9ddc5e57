"""tier_score and the other raw-score rules: DOMAIN.md's worked examples and properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import apacore
from apacore.engine.scoring import milestone_score, single_target_score, tier_result
from apacore.errors import ScoringError
from apacore.models import TIER_KEYS

from .strategies import date_tiers, decimals, fy_dates, number_tiers

SCORES = [100, 90, 80, 70, 60]

# --- DOMAIN.md worked examples -------------------------------------------------------


def test_worked_example_integers() -> None:
    assert apacore.tier_score(15, [30, 25, 20, 10, 5]) == 75


def test_worked_example_bengali_decimals() -> None:
    assert apacore.tier_score("২৯.৯৭", ["৩০.০০", "২৯.৯৫", "২৯.৯০", "২৯.৮৫", "২৯.৮০"]) == 94


def test_worked_example_deadline_full_precision() -> None:
    got = apacore.tier_score(
        "১৯/০৩/২৪", ["১৬/০৩/২৪", "২৩/০৩/২৪", "৩০/০৩/২৪", "০৬/০৪/২৪", "১৩/০৪/২৪"]
    )
    assert got == Decimal(100) - Decimal(30) / Decimal(7)
    assert str(got).startswith("95.714285714285714")


def test_deadline_step_policy_awards_best_tier_met() -> None:
    tiers = [dt.date(2024, 3, d) for d in (16, 23, 30)] + [
        dt.date(2024, 4, 6),
        dt.date(2024, 4, 13),
    ]
    assert apacore.tier_score(dt.date(2024, 3, 19), tiers, date_policy="step") == 90
    assert apacore.tier_score(dt.date(2024, 3, 16), tiers, date_policy="step") == 100
    assert apacore.tier_score(dt.date(2024, 4, 14), tiers, date_policy="step") == 0


def test_not_completed_scores_zero() -> None:
    assert apacore.tier_score(None, ["১৬/০৩/২৪", "-", "-", "-", "১৩/০৪/২৪"]) == 0
    assert apacore.tier_score("-", [30, 25, 20, 10, 5]) == 0


def test_cap_lowest_tier_and_below() -> None:
    tiers = [30, 25, 20, 10, 5]
    assert apacore.tier_score(31, tiers) == 100
    assert apacore.tier_score(5, tiers) == 60
    assert apacore.tier_score(4, tiers) == 0


def test_blank_tiers_interpolate_between_present_neighbours() -> None:
    # e-Governance 2023-24 style: 8, 3, 2, 1, - : 1 is the lowest present tier (fair, 70)
    assert apacore.tier_score(1, [8, 3, 2, 1, "-"]) == 70
    assert apacore.tier_score(0, [8, 3, 2, 1, None]) == 0
    # good blank: between very good (25, 90) and fair (10, 70)
    assert apacore.tier_score(20, [30, 25, None, 10, 5]) == Decimal(90) - Decimal(20) * 5 / 15


def test_equal_adjacent_tiers_take_the_higher_score() -> None:
    assert apacore.tier_score(100, [100, 100, 90, 80, 70]) == 100
    assert apacore.tier_score(90, [100, 90, 90, 80, 70]) == 90


def test_direction_from_values_and_contradiction() -> None:
    lower = [5, 10, 20, 25, 30]  # fewer is better (e.g. days to settle)
    # between 10 (very good, 90) and 20 (good, 80): 80 + 10 × (20 − 15) / (20 − 10) = 85
    assert apacore.tier_score(15, lower) == 85
    assert apacore.tier_score(15, lower, direction="lower") == 85
    with pytest.raises(ScoringError, match="contradicts"):
        apacore.tier_score(15, lower, direction="higher")


def test_non_monotone_tiers_are_an_error() -> None:
    with pytest.raises(ScoringError, match="not monotone"):
        apacore.tier_score("৫০%", ["১০০%", "২০%", "৫০%", "৭০%", "৯০%"])


def test_bad_arguments_are_one_line_errors() -> None:
    with pytest.raises(ScoringError, match="five values"):
        apacore.tier_score(1, [1, 2, 3])
    with pytest.raises(ScoringError, match="float"):
        apacore.tier_score(1.5, [30, 25, 20, 10, 5])  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="cannot be scored against"):
        apacore.tier_score(dt.date(2024, 1, 1), [30, 25, 20, 10, 5])
    with pytest.raises(ScoringError, match="abc"):
        apacore.tier_score("abc", [30, 25, 20, 10, 5])
    with pytest.raises(ScoringError, match="all five tiers are blank"):
        apacore.tier_score(1, ["-"] * 5)
    with pytest.raises(ScoringError, match="not applicable"):
        apacore.tier_score("প্রযোজ্য নয়", [30, 25, 20, 10, 5])


def test_tiers_as_mapping() -> None:
    assert (
        apacore.tier_score(
            15, {"poor": 5, "fair": 10, "good": 20, "very_good": 25, "excellent": 30}
        )
        == 75
    )
    with pytest.raises(ScoringError, match="unknown tier"):
        apacore.tier_score(15, {"best": 30})


def test_explanation_names_the_bracket_and_formula() -> None:
    result = tier_result(Decimal(15), [Decimal(v) for v in (30, 25, 20, 10, 5)])
    assert result.raw == 75
    assert "between fair (10 → 70) and good (20 → 80)" in result.bracket
    assert result.formula.endswith("= 75")


def test_single_target_rules() -> None:
    assert single_target_score(Decimal(3), Decimal(4)).raw == 75
    assert single_target_score(Decimal(5), Decimal(4)).raw == 100
    assert single_target_score(None, Decimal(4)).raw == 0
    due = dt.date(2024, 7, 31)
    assert single_target_score(dt.date(2024, 7, 31), due).raw == 100
    assert single_target_score(dt.date(2024, 8, 1), due).raw == 0
    with pytest.raises(ScoringError):
        single_target_score(Decimal(1), Decimal(2), direction="lower")


def test_milestones_share_met_on_time() -> None:
    due = [dt.date(2024, 7, 31), dt.date(2024, 12, 31), dt.date(2025, 5, 31)]
    done = [dt.date(2024, 7, 30), dt.date(2025, 1, 5)]
    result = milestone_score(done, due)
    assert result.raw == Fraction(100, 3)
    assert milestone_score(due, due).raw == 100
    assert milestone_score([], due).raw == 0


# --- properties ------------------------------------------------------------------------


@given(number_tiers(), decimals, decimals)
def test_monotone_in_achievement(tiers: list[Decimal | None], a: Decimal, b: Decimal) -> None:
    lo, hi = sorted((a, b))
    assert apacore.tier_score(lo, tiers) <= apacore.tier_score(hi, tiers)


@given(date_tiers(), fy_dates, fy_dates, st.sampled_from(["linear", "step"]))
def test_monotone_in_dates(
    tiers: list[dt.date | None], a: dt.date, b: dt.date, policy: str
) -> None:
    early, late = sorted((a, b))
    assert apacore.tier_score(early, tiers, date_policy=policy) >= apacore.tier_score(
        late, tiers, date_policy=policy
    )


@given(number_tiers(), decimals)
def test_bounded(tiers: list[Decimal | None], a: Decimal) -> None:
    assert 0 <= apacore.tier_score(a, tiers) <= 100


@given(number_tiers())
def test_exact_at_every_tier_value(tiers: list[Decimal | None]) -> None:
    for value in tiers:
        if value is None:
            continue
        # with equal adjacent values the higher score wins
        best = min(j for j, v in enumerate(tiers) if v == value)
        assert apacore.tier_score(value, tiers) == SCORES[best]


@given(date_tiers(), st.sampled_from(["linear", "step"]))
def test_exact_at_every_deadline(tiers: list[dt.date | None], policy: str) -> None:
    for value in tiers:
        if value is None:
            continue
        best = min(j for j, v in enumerate(tiers) if v == value)
        assert apacore.tier_score(value, tiers, date_policy=policy) == SCORES[best]


@given(number_tiers(allow_equal=False))
def test_continuous_at_tier_boundaries(tiers: list[Decimal | None]) -> None:
    present = [v for v in tiers if v is not None]
    assume(len(present) >= 2)
    gap = min(a - b for a, b in zip(present, present[1:]))
    delta = gap / Decimal(10**6)
    for value in present[:-1]:  # the lowest present tier is the step down to 0
        at = apacore.tier_score(value, tiers)
        for side in (value - delta, value + delta):
            # slopes are at most 40 points per gap (a blank run of up to 4 tiers)
            assert abs(apacore.tier_score(side, tiers) - at) <= Decimal(40) * delta / gap + Decimal(
                "1e-20"
            )


@given(number_tiers(), decimals, st.permutations(list(range(5))))
def test_listing_order_of_tiers_irrelevant(
    tiers: list[Decimal | None], a: Decimal, order: list[int]
) -> None:
    mapping = {TIER_KEYS[i]: tiers[i] for i in order}
    assert apacore.tier_score(a, mapping) == apacore.tier_score(a, tiers)


@given(date_tiers(), fy_dates)
def test_dates_and_numbers_behave_alike(tiers: list[dt.date | None], a: dt.date) -> None:
    as_numbers = [None if t is None else Decimal(-t.toordinal()) for t in tiers]
    assert apacore.tier_score(a, tiers) == apacore.tier_score(Decimal(-a.toordinal()), as_numbers)


@given(number_tiers(), decimals, st.sampled_from(["ascii", "bengali"]))
def test_strings_and_numbers_score_alike(
    tiers: list[Decimal | None], a: Decimal, form: str
) -> None:
    from apacore.numbers import to_bengali_digits

    def text(v: Decimal | None) -> str:
        s = "-" if v is None else format(v, "f")
        return to_bengali_digits(s) if form == "bengali" else s

    assert apacore.tier_score(text(a), [text(t) for t in tiers]) == apacore.tier_score(a, tiers)


@given(decimals.filter(lambda d: d > 0), decimals, decimals)
def test_single_target_bounded_and_monotone(target: Decimal, a: Decimal, b: Decimal) -> None:
    lo, hi = sorted((a, b))
    r_lo, r_hi = single_target_score(lo, target).raw, single_target_score(hi, target).raw
    assert 0 <= r_lo <= r_hi <= 100


def test_no_float_in_results() -> None:
    assert isinstance(apacore.tier_score(15, [30, 25, 20, 10, 5]), Decimal)
