"""The one formatter: numbers and dates as a person reads them, in English or Bengali.

Every piece of apacore that shows a number or a date to a person goes through here, so that
the one rounding (:func:`round_value`), the digits (ASCII or Bengali) and the date form
(dd/mm/yyyy, as on the forms) are decided in one place. Computation never formats: it keeps
exact values, and the rendering layer calls these functions at output.

>>> from fractions import Fraction
>>> format_number(Fraction(81, 4))
'20.25'
>>> format_number(Fraction(115, 6), places=2, lang="bn")
'১৯.১৭'
>>> format_number(Fraction(1200, 23))
'52.173913…'
>>> import datetime as dt
>>> format_date(dt.date(2024, 11, 15), lang="bn")
'১৫/১১/২০২৪'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Literal

from apacore.limits import MAX_FRACTION_DIGITS
from apacore.numbers import to_bengali_digits

__all__ = [
    "BOM",
    "LANGS",
    "Lang",
    "format_date",
    "format_number",
    "format_value",
    "json_text",
    "localise_digits",
    "round_value",
    "terminal_columns",
]

BOM = "\ufeff"
"""Leads a CSV file so that Excel reads it as UTF-8 (Bengali stays readable)."""

Lang = Literal["en", "bn"]
LANGS: tuple[str, ...] = ("en", "bn")

APPROX_PLACES = 6
"""Decimal places shown for a value that has no finite decimal form when no rounding is
asked for (explanations); the text then ends with ``…`` so nobody mistakes it for exact."""


LONG_PLACES = MAX_FRACTION_DIGITS
"""A Decimal with more decimal places than this is shown to :data:`APPROX_PLACES` places and
``…`` when no rounding is asked for: no file or argument can hold such a figure (see
docs/limits.md), so it is a quotient that the decimal context cut
(``52.17391304347826086956521739``), not one anybody wrote."""


def localise_digits(text: str, lang: str) -> str:
    """``text`` with its ASCII digits in Bengali when ``lang`` is ``"bn"``."""
    return to_bengali_digits(text) if lang == "bn" else text


def round_value(value: Fraction | Decimal | int, places: int, mode: str = "half_up") -> Decimal:
    """``value`` rounded once to ``places`` decimals (``half_up`` unless ``half_even``).

    A Fraction is rounded exactly (40.375 → 40.38 even where its 28-digit Decimal form would
    read 40.37499…); half-up rounds halves away from zero, as Decimal's ROUND_HALF_UP does.
    """
    if isinstance(value, (Fraction, int)):
        # in integers (a batch rounds ~35 figures an office): |value| × 10^places is
        # floor + rest / denominator, and rest / denominator against one half is 2 × rest
        # against the denominator
        numerator, denominator = value.numerator, value.denominator
        floor, rest = divmod(abs(numerator) * 10**places, denominator)
        up = 2 * rest > denominator or (
            2 * rest == denominator and (mode == "half_up" or floor % 2 == 1)
        )
        # built from text, which Decimal reads exactly: scaleb would round to the
        # context's 28 digits (a 29-digit total lost its last unit)
        rounded = Decimal(f"{floor + (1 if up else 0)}E-{places}")
        return rounded.copy_negate() if numerator < 0 else rounded  # unary minus would round
    rounding = ROUND_HALF_UP if mode == "half_up" else ROUND_HALF_EVEN
    return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def _terminates(value: Fraction) -> bool:
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _exact_decimal(value: Fraction) -> str:
    """A Fraction whose denominator divides a power of ten, written out in full (integer
    arithmetic: no 28-digit context can round it)."""
    places = 0
    while (10**places) % value.denominator:
        places += 1
    digits = str(abs(value.numerator) * (10**places // value.denominator)).rjust(places + 1, "0")
    whole, fraction = digits[: len(digits) - places], digits[len(digits) - places :]
    return ("-" if value < 0 else "") + whole + ("." + fraction.rstrip("0") if places else "")


def _plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros beyond what it was written with."""
    if value == value.to_integral():
        return format(value.quantize(Decimal(1)), "f")
    return format(value, "f")


def format_number(
    value: Fraction | Decimal | int,
    *,
    lang: str = "en",
    places: int | None = None,
    mode: str = "half_up",
) -> str:
    """A number as text: rounded once to ``places`` when given (the ruleset's places at
    output), else exact (``0.00080`` stays as written; a Fraction with no finite decimal form
    shows :data:`APPROX_PLACES` places and ``…``). Digits follow ``lang``."""
    if isinstance(value, bool):
        raise TypeError("a bool is not a number")
    if places is not None:
        text = format(round_value(value, places, mode), "f")
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, Decimal):
        text = _plain(value)
        if value.is_finite() and value.as_tuple().exponent < -LONG_PLACES:  # type: ignore[operator]
            # a quotient cut at the decimal context's 28 digits: shown as an approximation
            text = format(round_value(value, APPROX_PLACES), "f") + "…"
    elif value.denominator == 1:
        text = str(value.numerator)
    elif _terminates(value):
        text = _exact_decimal(value)
    else:
        text = format(round_value(value, APPROX_PLACES), "f") + "…"
    if text.startswith("-") and set(text[1:]) <= {"0", ".", "…"}:
        text = text[1:]  # -0.00 after rounding is 0.00
    return localise_digits(text, lang)


def format_date(value: dt.date, *, lang: str = "en") -> str:
    """A date as on the forms, ``dd/mm/yyyy``, digits following ``lang``."""
    return localise_digits(value.strftime("%d/%m/%Y"), lang)


def format_value(value: Any, *, lang: str = "en", places: int | None = None) -> str:
    """Any figure apacore shows: a number, a date, several dates, ``None`` (``-``) or text."""
    if value is None:
        return "-"
    if isinstance(value, dt.date):
        return format_date(value, lang=lang)
    if isinstance(value, (Fraction, Decimal, int)) and not isinstance(value, bool):
        return format_number(value, lang=lang, places=places)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return ", ".join(format_value(v, lang=lang, places=places) for v in value)
    return localise_digits(str(value), lang)


def json_text(data: Any) -> str:
    """Plain data (a ``*_to_dict``'s) as the JSON every command prints: indented by two,
    non-ASCII text as itself (Bengali stays readable), anything else JSON has no form for
    (a date) as its ``str``; one newline at the end."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def terminal_columns(fallback: int = 80) -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it (``COLUMNS``, else the
    terminal of standard output, else ``fallback``), without importing shutil, which
    imports zlib, bz2 and lzma: a table and an argument parser need only this."""
    import os
    import sys

    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        columns = 0
    return columns if columns > 0 else fallback
