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

__all__ = ["resolve_direction"]


def _number(value: Decimal | dt.date) -> Fraction:
    if isinstance(value, dt.date):
        return Fraction(value.toordinal())
    return Fraction(value)


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
    nums = [_number(v) for v in present]
    down = any(a > b for a, b in zip(nums, nums[1:]))
    up = any(a < b for a, b in zip(nums, nums[1:]))

    def shown() -> str:  # only for messages: formatting is most of the cost of a call
        return ", ".join(format_value(v) for v in present)

    if down and up:
        raise ScoringError(f"{_prefix(what)}values are not monotone ({shown()})")
    derived = "higher" if down else "lower" if up else None
    if is_date:
        if derived == "higher":
            raise ScoringError(
                f"{_prefix(what)}deadlines must run from the earliest (excellent) to the latest ({shown()})"
            )
        derived = "lower"
    if explicit is not None and derived is not None and explicit != derived:
        raise ScoringError(
            f"{_prefix(what)}direction {explicit!r} contradicts the tier values ({shown()})"
        )
    if explicit not in (None, "higher", "lower"):
        raise ScoringError(f"direction: must be 'higher' or 'lower', got {explicit!r}")
    return explicit or derived or "higher"
