"""Hypothesis strategies for apacore's values, tiers and indicators.

Built with ``st.builds`` and explicit field strategies (``from_type`` would ignore the
attrs validators).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from apacore.models import Indicator

FY_START = dt.date(2024, 7, 1)
FY_END = dt.date(2025, 6, 30)

decimals = st.decimals(
    min_value=Decimal("0"),
    max_value=Decimal("100000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
fy_dates = st.dates(min_value=FY_START, max_value=FY_END)
weights = st.decimals(min_value=Decimal("0.25"), max_value=Decimal("30"), places=2)


@st.composite
def number_tiers(
    draw: st.DrawFn, *, allow_blank: bool = True, allow_equal: bool = True
) -> list[Decimal | None]:
    """Five tier values, excellent first, higher is better; some may be blank (None)."""
    values = sorted(
        draw(st.lists(decimals, min_size=5, max_size=5, unique=not allow_equal)), reverse=True
    )
    if allow_blank:
        blanks = draw(st.lists(st.booleans(), min_size=5, max_size=5))
        if all(blanks):
            blanks[draw(st.integers(0, 4))] = False
        return [None if b else v for v, b in zip(values, blanks)]
    return list(values)


@st.composite
def date_tiers(draw: st.DrawFn, *, allow_blank: bool = True) -> list[dt.date | None]:
    """Five deadlines, excellent (earliest) first; some may be blank."""
    values = sorted(draw(st.lists(fy_dates, min_size=5, max_size=5)))
    if allow_blank:
        blanks = draw(st.lists(st.booleans(), min_size=5, max_size=5))
        if all(blanks):
            blanks[draw(st.integers(0, 4))] = False
        return [None if b else v for v, b in zip(values, blanks)]
    return list(values)


def indicators() -> st.SearchStrategy[Indicator]:
    """Valid tiered or single-target count indicators."""
    ids = st.lists(st.integers(1, 9), min_size=1, max_size=4).map(
        lambda parts: ".".join(map(str, parts))
    )
    tiered = st.builds(
        Indicator,
        id=ids,
        name_bn=st.just("সূচক"),
        unit=st.just("count"),
        method=st.sampled_from(["sum", "average", "cumulative"]),
        weight=weights,
        source=st.just("generated"),
        tiers=number_tiers().filter(lambda t: len({v for v in t if v is not None}) > 1),
    )
    single = st.builds(
        Indicator,
        id=ids,
        name_bn=st.just("সূচক"),
        unit=st.just("count"),
        method=st.just("sum"),
        weight=weights,
        source=st.just("generated"),
        target=decimals.filter(lambda d: d > 0),
    )
    return st.one_of(tiered, single)
