"""The direction tiers run: whether a higher or a lower achievement is better.

Read from the five tier values (decreasing values: higher is better; dates always run from
the earliest, excellent, to the latest) and checked against an explicit ``direction``. The
loader checks it, the engine scores by it, and the consumers (``need``, the property suites)
ask it; it depends on the model's values only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from apacore.errors import ScoringError
from apacore.formatting import format_value
from apacore.models import TierValue

__all__ = ["direction_of", "ratio", "resolve_direction"]


def ratio(value: int | Decimal | Fraction | dt.date) -> tuple[int, int]:
    """An exact (numerator, denominator > 0) of a typed value; a date is its ordinal (whole
    days). The tier rule compares and interpolates these whole numbers."""
    if isinstance(value, int):
        return value, 1
    if isinstance(value, dt.date):
        return value.toordinal(), 1
    return value.as_integer_ratio()


def direction_of(
    ratios: Sequence[tuple[int, int]], is_date: bool, explicit: str | None
) -> tuple[str, str | None]:
    """The direction of tiers whose present values are ``ratios`` (best first), and the
    problem with them if any: ``not_monotone``, ``dates_backwards``, ``contradicts`` or
    ``bad_direction`` (the direction is then meaningless). Whole numbers only: the
    scorer's fast path asks this on every call."""
    down = up = False
    for (n1, d1), (n2, d2) in zip(ratios, ratios[1:]):
        left, right = n1 * d2, n2 * d1
        down = down or left > right
        up = up or left < right
    if down and up:
        return "higher", "not_monotone"
    derived = "higher" if down else "lower" if up else None
    if is_date:
        if derived == "higher":
            return "higher", "dates_backwards"
        derived = "lower"
    if explicit is not None and derived is not None and explicit != derived:
        return "higher", "contradicts"
    if explicit not in (None, "higher", "lower"):
        return "higher", "bad_direction"
    return explicit or derived or "higher", None


def _prefix(what: str) -> str:
    return f"{what}: " if what else ""


def resolve_direction(
    tiers: Sequence[TierValue], explicit: str | None, *, what: str = "tiers"
) -> str:  # ``what`` prefixes messages ("" when the caller's path already names the tiers)
    """``higher`` or ``lower``: from the tier values, checked against ``explicit``.

    Decreasing values (excellent largest) mean higher is better. Dates must run from
    the earliest (excellent) to the latest: earlier is better. Values that go both ways
    are an error, and so is an explicit direction the values contradict.
    """
    present = [v for v in tiers if v is not None]
    is_date = bool(present) and isinstance(present[0], dt.date)
    direction, problem = direction_of([ratio(v) for v in present], is_date, explicit)
    if problem is None:
        return direction
    # only for messages: formatting is most of the cost of a call
    shown = ", ".join(format_value(v) for v in present)
    if problem == "not_monotone":
        raise ScoringError(f"{_prefix(what)}values are not monotone ({shown})")
    if problem == "dates_backwards":
        raise ScoringError(
            f"{_prefix(what)}deadlines must run from the earliest (excellent) to the latest ({shown})"
        )
    if problem == "contradicts":
        raise ScoringError(
            f"{_prefix(what)}direction {explicit!r} contradicts the tier values ({shown})"
        )
    raise ScoringError(f"direction: must be 'higher' or 'lower', got {explicit!r}")
