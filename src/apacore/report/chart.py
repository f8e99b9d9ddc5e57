"""The report's bar chart: marks against the maximum, one bar per section, as SVG shapes.

The SVG holds only rectangles; the labels and figures are HTML text laid beside it (one
row per bar, the same height), so every renderer shapes the Bengali with its own text
engine. Geometry is exact (Fractions) and written with two decimals: no binary floats.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from apacore.formatting import format_number
from apacore.values import frozen

__all__ = ["ROW_HEIGHT", "WIDTH", "Bar", "Chart", "bar_chart"]

WIDTH = 400
"""Width of the SVG's drawing area (user units); the longest maximum fills it."""
ROW_HEIGHT = 28
"""Height of one bar's row, in CSS pixels: the HTML labels use the same."""
BAR_HEIGHT = 16


@frozen(kw_only=True)
class Bar:
    """One section: its marks, its maximum and the text shown beside the bar."""

    label: str
    value: Fraction
    maximum: Fraction
    text: str


@frozen(kw_only=True)
class Rect:
    x: str
    y: str
    width: str
    height: str


@frozen(kw_only=True)
class ChartRow:
    label: str
    text: str
    maximum: Rect
    value: Rect


@frozen(kw_only=True)
class Chart:
    """What the template draws: the SVG's size and one row per bar."""

    width: int
    height: int
    row_height: int
    rows: tuple[ChartRow, ...]


def _n(value: Fraction | int) -> str:
    return format_number(value, places=2)


def bar_chart(bars: Sequence[Bar]) -> Chart:
    """Bars on one scale (the largest maximum fills the width), so a section's length shows
    what it weighs in the APA and its filled part what it earned."""
    largest = max((b.maximum for b in bars), default=Fraction(0))
    scale = Fraction(WIDTH) / largest if largest > 0 else Fraction(0)
    rows = []
    pad = Fraction(ROW_HEIGHT - BAR_HEIGHT, 2)
    for i, bar in enumerate(bars):
        y = i * ROW_HEIGHT + pad
        value = min(max(bar.value, Fraction(0)), bar.maximum)
        rows.append(
            ChartRow(
                label=bar.label,
                text=bar.text,
                maximum=Rect(x="0", y=_n(y), width=_n(bar.maximum * scale), height=_n(BAR_HEIGHT)),
                value=Rect(x="0", y=_n(y), width=_n(value * scale), height=_n(BAR_HEIGHT)),
            )
        )
    return Chart(
        width=WIDTH, height=ROW_HEIGHT * len(rows), row_height=ROW_HEIGHT, rows=tuple(rows)
    )
