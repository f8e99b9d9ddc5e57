"""The model: strict structuring, round-trips, marks within bounds."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apacore.errors import AgreementError, ApacoreError
from apacore.loading.convert import structure, unstructure
from apacore.models import Indicator
from apacore.plugins.contract import Achievement, RuleContext
from apacore.plugins.host import get_registry

from .strategies import decimals, indicators


@given(indicators())
def test_unstructure_structure_round_trip(indicator: Indicator) -> None:
    again = structure(unstructure(indicator), Indicator, where="test")
    assert again == indicator


@given(indicators(), decimals)
def test_marks_within_zero_and_weight(indicator: Indicator, achieved: Decimal) -> None:
    rule = get_registry().rule(get_registry().rule_name_for(indicator))
    result = rule.score(indicator, Achievement(value=achieved, explanation=""), RuleContext())
    assert isinstance(result.raw, (Fraction, int))
    assert 0 <= result.raw <= 100
    assert indicator.weight is not None
    marks = Fraction(indicator.weight) * result.raw / 100
    assert 0 <= marks <= indicator.weight


def _indicator(**changes: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "id": "[১.১.১]",
        "name_bn": "সূচক",
        "unit": "count",
        "method": "sum",
        "weight": 5,
        "tiers": [4, 3, 2, 1, "-"],
        "source": "test",
    }
    raw.update(changes)
    return raw


def test_bengali_ids_are_normalised() -> None:
    assert structure(_indicator(), Indicator, where="t").id == "1.1.1"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight": True}, "t: $.weight: expected an exact number, got True"),
        ({"weight": 0}, "t: $.weight: must be > 0, got 0"),
        (
            {"unit": "kg"},
            "t: $.unit: must be one of count, percent, date, persons, persons_lakh,"
            " taka, dated_count, marks; got 'kg'",
        ),
        ({"colour": "red"}, "t: $: unknown key colour"),
        ({"tiers": [4, 3, 2]}, "t: $.tiers: must have 5 values, got 3"),
        (
            {"target": 4},
            "t: $.tiers: give exactly one of tiers, target, milestones (got tiers, target)",
        ),
        ({"tiers": ["abc", 3, 2, 1, 0]}, 't: $.tiers[0]: cannot read "abc"'),
        ({"id": "one"}, "t: $.id: "),
        ({"target": "৯২%(৪৮)", "tiers": None}, "t: $.target: '৯২%(৪৮)' carries a count (48)"),
    ],
)
def test_one_line_errors_name_the_path(changes: dict[str, object], message: str) -> None:
    raw = _indicator(**changes)
    if raw.get("tiers") is None:
        raw.pop("tiers")
    with pytest.raises(AgreementError) as info:
        structure(raw, Indicator, where="t", error=AgreementError)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_a_missing_key_is_named() -> None:
    raw = _indicator()
    del raw["source"]
    with pytest.raises(ApacoreError, match=r"^t: \$\.source: required key missing$"):
        structure(raw, Indicator, where="t")


@given(st.sampled_from(["৬", "6", "6.0", "৬.০০"]))
def test_equal_numbers_unstructure_alike(text: str) -> None:
    ind = structure(_indicator(weight=text), Indicator, where="t")
    assert unstructure(ind)["weight"] == "6"
