"""The one formatter: exact by default, one rounding when asked, digits and dates by language."""

from __future__ import annotations

import datetime as dt
import doctest
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apacore import formatting
from apacore.formatting import format_date, format_number, format_value, round_value


def test_doctests() -> None:
    failures, _ = doctest.testmod(formatting)
    assert failures == 0


@pytest.mark.parametrize(
    ("value", "places", "lang", "text"),
    [
        (Fraction(161, 4), 2, "en", "40.25"),
        (Fraction(323, 8), 2, "en", "40.38"),  # 40.375: half-up
        (Fraction(-323, 8), 2, "en", "-40.38"),
        (Fraction(-1, 1000), 2, "en", "0.00"),  # no negative zero
        (Decimal("0.00080"), None, "en", "0.00080"),
        (Decimal("1E+1"), None, "en", "10"),
        (96, 2, "bn", "৯৬.০০"),
        (Fraction(1, 3), None, "en", "0.333333…"),
        (Fraction(1, 8), None, "bn", "০.১২৫"),
    ],
)
def test_format_number(
    value: Fraction | Decimal | int, places: int | None, lang: str, text: str
) -> None:
    assert format_number(value, places=places, lang=lang) == text


def test_half_even_on_request() -> None:
    assert round_value(Fraction(325, 8), 2, "half_even") == Decimal("40.62")
    assert round_value(Decimal("40.625"), 2, "half_even") == Decimal("40.62")
    assert round_value(Decimal("40.625"), 2) == Decimal("40.63")


def test_values_and_dates() -> None:
    assert format_date(dt.date(2025, 6, 30)) == "30/06/2025"
    assert format_value(None) == "-"
    assert format_value((dt.date(2024, 9, 1), dt.date(2024, 10, 2)), lang="bn") == (
        "০১/০৯/২০২৪, ০২/১০/২০২৪"
    )
    with pytest.raises(TypeError):
        format_number(True)  # type: ignore[arg-type]


@given(st.fractions(max_denominator=10**6), st.integers(min_value=0, max_value=6))
def test_rounding_is_within_half_a_unit(value: Fraction, places: int) -> None:
    rounded = Fraction(round_value(value, places))
    assert abs(rounded - value) <= Fraction(1, 2 * 10**places)


def _plain_round(value: Fraction, places: int, mode: str) -> Decimal:
    """The rounding rule written plainly with Fractions: the nearest multiple of
    10^-places; a half goes away from zero (``half_up``) or to the even one."""
    scaled = abs(value) * 10**places
    floor = scaled.numerator // scaled.denominator
    rest = scaled - floor
    up = rest > Fraction(1, 2) or (rest == Fraction(1, 2) and (mode == "half_up" or floor % 2 == 1))
    rounded = Decimal(f"{floor + up}E-{places}")
    return rounded.copy_negate() if value < 0 else rounded


@given(
    st.fractions(max_denominator=10**6) | st.integers(min_value=-(10**30), max_value=10**30),
    st.integers(min_value=0, max_value=6),
    st.sampled_from(["half_up", "half_even"]),
)
def test_rounding_a_fraction_in_integers_is_the_plain_rule(
    value: Fraction | int, places: int, mode: str
) -> None:
    """round_value rounds a Fraction (or int) in integers: the same Decimal, digits,
    exponent and sign (-0.00 too), as the rule written with Fractions."""
    rounded, plain = round_value(value, places, mode), _plain_round(Fraction(value), places, mode)
    assert str(rounded) == str(plain) and rounded.is_signed() == plain.is_signed()


@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.integers(min_value=0, max_value=6),
    st.sampled_from(["half_up", "half_even"]),
)
def test_a_half_rounds_as_the_plain_rule(units: int, places: int, mode: str) -> None:
    """Exact halves of the last place (x.xx5), where half-up and half-even part ways."""
    half = Fraction(2 * units + 1, 2 * 10**places)
    rounded, plain = round_value(half, places, mode), _plain_round(half, places, mode)
    assert str(rounded) == str(plain) and rounded.is_signed() == plain.is_signed()
