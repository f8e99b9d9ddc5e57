"""Reading numbers, dates and markers as APA documents write them.

The documents are scans of Bengali tables. One cell holds one of these forms, in
Bengali digits (০১২৩৪৫৬৭৮৯), ASCII digits or a mix of both; whitespace around the
cell is ignored, and so are invisible characters (zero-width joiners, BOM):

* **numbers**: ``৮০``, ``০৪``, ``29.97``, ``৪২৪০০০.০০``, ``০.০০৩৪০``, optionally with a
  leading minus. Every digit is kept: ``০.০০৩৪০`` is ``Decimal("0.00340")``.
* **commas**: a comma separates thousands only when the groups are well formed,
  western (``১,২৫০``, ``1,250,000``) or Indian lakh grouping (``৩,১৯,৩২০``): the first
  group has 1 to 3 digits (1 or 2 for lakh grouping) and does not start with 0, the
  others have 3 digits (lakh: 2 digits, the last one 3). Otherwise a *single* comma
  is a scanned decimal comma (``০,০০০৮০`` is ``Decimal("0.00080")``). Anything else
  (``৫,১২,২১``, or a decimal comma together with a decimal point) is an error.
* **percentages**: ``৮০%``, ``100 %``, optionally followed by a count in brackets:
  ``৯২%(৪৮)`` is 92 %, which is 48 societies (``percent=True, count=48``).
* **taka**: ``১২৫০০০/-`` (also ``/=``), ``১২৫০০০ টাকা``, ``125000 Tk``, ``Tk. 125000``,
  ``৳ ১২৫০০০``, ``১২৫০০০/- টাকা`` (``unit_hint="taka"``).
* **pieces and persons**: ``২ টি``, ``২টি`` (``unit_hint="pieces"``), ``৫ জন``
  (``unit_hint="persons"``).
* **split figures**: ``১০০% =কে. ৩০০০০/ প্রাথ. ৩১৯৩২০/- (৩৪৯৩২০)`` is 100 % of
  349320 taka, made of 30000 (central) and 319320 (primary). The parts are labelled
  amounts (labels are free words, ``+``, ``,`` or ``;`` may separate the parts) and
  the stated total in brackets is required; parts that do not add up to it are an
  error.
* **dates**, day first: ``১৫/০৪/২৫``, ``১৫/০৪/২০২৫``, ``১৬/৪/২০২৪``, ``২৬.০৭.২৩``,
  ``১৫-১০-২০২৩``, ``৩১-১২- ২০২৩``: day and month of 1 or 2 digits, the *same*
  separator (``/``, ``.`` or ``-``) twice, spaces around it tolerated, a year of 4
  digits or of 2 digits meaning 20YY, optionally followed by ``খ্রিঃ``, ``খ্রি``,
  ``খ্রি:``, ``খ্রি.``, ``খ্রি।`` or ``খ্রিস্টাব্দ``. A date has exactly two separators:
  ``29.97`` is a number, ``26.07.23`` a date. ISO dates (``2024-03-16``) are read too.
  Impossible dates (``২৩/২০/২০২৩``, 31 June) are errors that say why.
* **markers**: blank, ``-``, ``--``, ``—``, ``–`` (any run of dashes) mean
  :data:`NOT_REPORTED`; ``প্রযোজ্য নয়``, ``প্রযোজ্য নহে``, ``n/a``, ``not applicable``
  (any case) mean :data:`NOT_APPLICABLE`.

Anything else raises :class:`~apacore.errors.ParseError` quoting the text, prefixed by
``where`` (the file, argument or cell it came from) when given. No binary floats are
ever accepted: numbers are :class:`decimal.Decimal`.
"""

from __future__ import annotations

import datetime
import enum
import functools
import re
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Final

import attrs

from apacore.errors import ApacoreError, ParseError
from apacore.limits import (
    MAX_ID_PART_DIGITS,
    MAX_INTEGER_DIGITS,
    check_digits,
    check_number,
    shorten,
)
from apacore.patterns import when_used
from apacore.values import frozen

__all__ = [
    "FISCAL_YEAR_RE",
    "NOT_APPLICABLE",
    "NOT_REPORTED",
    "QUARTER_EXAMPLES",
    "QUARTER_ORDINALS_BN",
    "QUARTER_ORDINAL_WORDS_BN",
    "QUARTER_RE",
    "QUARTER_WORD",
    "Marker",
    "Reading",
    "exact_sum",
    "fiscal_year_of",
    "format_decimal",
    "ordinal_quarter",
    "parse_as_of",
    "parse_fiscal_year",
    "parse_id",
    "parse_indicator_ref",
    "parse_quarter",
    "parse_reading",
    "parse_value",
    "read_as_of",
    "to_ascii_digits",
    "to_bengali_digits",
]


class Marker(enum.Enum):
    """A cell that holds no figure: blank (not reported) or not applicable."""

    NOT_REPORTED = "not_reported"
    NOT_APPLICABLE = "not_applicable"

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


NOT_REPORTED: Final = Marker.NOT_REPORTED
NOT_APPLICABLE: Final = Marker.NOT_APPLICABLE


@frozen(kw_only=True)
class Reading:
    """Everything read from one cell, nothing lost.

    ``value`` is the main value (a number, a date or a marker); ``percent`` says the
    text had a % sign; ``count`` is the count in brackets after a percentage
    (``৯২%(৪৮)``); ``parts`` and ``total`` are the parts of a split figure and its
    stated total; ``unit_hint`` is ``"taka"``, ``"pieces"`` or ``"persons"`` when the
    text named a unit.
    """

    text: str
    value: Decimal | datetime.date | Marker
    percent: bool = False
    count: Decimal | None = None
    parts: tuple[Decimal, ...] = ()
    total: Decimal | None = None
    unit_hint: str | None = None


# --------------------------------------------------------------------------- digits

_BENGALI_DIGITS: Final = "০১২৩৪৫৬৭৮৯"
_ASCII_DIGITS: Final = "0123456789"
_TO_ASCII: Final = str.maketrans(_BENGALI_DIGITS, _ASCII_DIGITS)
_TO_BENGALI: Final = str.maketrans(_ASCII_DIGITS, _BENGALI_DIGITS)


def to_ascii_digits(text: str) -> str:
    """``text`` with every Bengali digit replaced by its ASCII digit."""
    return text.translate(_TO_ASCII)


def to_bengali_digits(text: str) -> str:
    """``text`` with every ASCII digit replaced by its Bengali digit (for output)."""
    return text.translate(_TO_BENGALI)


# --------------------------------------------------------------------------- quarters

QUARTER_ORDINALS_BN: Final = ("১ম", "২য়", "৩য়", "৪র্থ")
"""The quarters' Bengali ordinals, first to fourth, as the forms write them."""

QUARTER_ORDINAL_WORDS_BN: Final = ("প্রথম", "দ্বিতীয়", "তৃতীয়", "চতুর্থ")
"""The quarters' ordinals written as words, first to fourth."""

QUARTER_WORD: Final = unicodedata.normalize(
    "NFC", r"(?:কোয়া(?:র্)?টার|(?:ত্রৈ|ত্রে|ট্রৈ|ট্রে)\s?মাস(?:িক|িকে|ি\s?কে)?|quarter)"
)
"""The word for a quarter as the documents spell it (a scan's spellings too):
কোয়ার্টার, কোয়াটার; ত্রৈমাসিক(ে), ত্রৈমাস, ত্রৈমাসি কে, ট্রেমাসিক(ে), ত্রেমাসিক; quarter."""

QUARTER_ORDINAL: Final = unicodedata.normalize(
    "NFC",
    r"(?:[১২৩৪1-4]\s*(?:ম|য়|র্থ|st|nd|rd|th)|" + "|".join(QUARTER_ORDINAL_WORDS_BN) + ")",
)
"""An ordinal before the word for a quarter: ``২য়``, ``2nd``, ``দ্বিতীয়``."""

QUARTER_RE: Final = when_used(
    rf"(?P<ord>{QUARTER_ORDINAL})\s*{QUARTER_WORD}"
    r"|\bQ\s*(?P<q>[1-4])\b|\bquarter\s*(?P<q2>[1-4])\b",
    re.IGNORECASE,
)
"""A quarter named inside a line of text (digits made ASCII first): the importer's
search through a document, with :func:`parse_quarter` the one vocabulary."""

_ORDINAL_RE: Final = when_used(rf"(?:{QUARTER_ORDINAL})(?:\s*{QUARTER_WORD})?", re.IGNORECASE)
_ORDINAL_WORD_QUARTERS: Final = {
    unicodedata.normalize("NFC", w): q for q, w in enumerate(QUARTER_ORDINAL_WORDS_BN, start=1)
}
_ORDINAL_SUFFIXES: Final = {
    1: ("ম", "st"),
    2: ("য়", "nd"),
    3: ("য়", "rd"),
    4: ("র্থ", "th"),
}


QUARTER_EXAMPLES: Final = "2, Q2, ২, ২য় কোয়ার্টার, দ্বিতীয় ত্রৈমাসিক"
"""How an error says what a quarter may look like."""


def ordinal_quarter(ordinal: str) -> int | None:
    """The quarter an ordinal names (``২য়``, ``2nd``, ``দ্বিতীয়``; digits in either
    script), or None when the ordinal is not its digit's own (``২ম``)."""
    text = unicodedata.normalize("NFC", to_ascii_digits(ordinal)).strip()
    if text in _ORDINAL_WORD_QUARTERS:
        return _ORDINAL_WORD_QUARTERS[text]
    digit, suffix = text[:1], text[1:].strip().lower()
    if digit not in "1234" or not digit:
        return None
    q = int(digit)
    return q if suffix in (unicodedata.normalize("NFC", s) for s in _ORDINAL_SUFFIXES[q]) else None


def parse_quarter(text: str) -> int | None:
    """The quarter ``text`` names, or None when it names none.

    ``2``, ``Q2`` (any case), ``২``, ``Q২``, ``quarter 2``, and the forms' ordinals,
    alone or followed by the word: ``২য়``, ``2nd``, ``দ্বিতীয়``, ``২য় কোয়ার্টার``,
    ``২য় ত্রৈমাসিক``, ``দ্বিতীয় ত্রৈমাসিক``, ``2nd quarter``. Any single digit is
    returned (whether it is a quarter of the year is the caller's check), also before the
    word (``২ কোয়ার্টার``); an ordinal must be the digit's own (``২ম`` names nothing).
    """
    raw = unicodedata.normalize("NFC", to_ascii_digits(_INVISIBLE_RE.sub("", text)).strip())
    m = _ORDINAL_RE.fullmatch(raw)
    if m is not None:
        word = re.search(QUARTER_WORD, raw, re.IGNORECASE)
        return ordinal_quarter(raw[: word.start()] if word else raw)
    word = re.search(rf"\s*{QUARTER_WORD}$", raw, re.IGNORECASE)
    if word is not None:
        raw = raw[: word.start()]
    elif raw[:7].lower() == "quarter":
        raw = raw[7:].strip()
    if raw[:1] in ("Q", "q"):
        raw = raw[1:].strip()
    return int(raw) if len(raw) == 1 and raw in _ASCII_DIGITS else None


# --------------------------------------------------------------------------- fiscal years

FISCAL_YEAR_RE: Final = when_used(
    r"(?<![0-9])(20[0-9]{2})\s*[-\u2013\u2014/]\s*(20[0-9]{2}|[0-9]{2})(?![0-9])"
)
"""A fiscal year inside text (digits made ASCII first): ``2024-25``, ``2024-2025``,
``2024–25``, ``2024/25``; :func:`fiscal_year_of` says whether the years follow."""


_FISCAL_YEAR_TEXT_RE: Final = when_used(r"([0-9]{4})\s*[-\u2013\u2014/]\s*([0-9]{4}|[0-9]{2})")
# A value that is nothing but a fiscal year: any century (a document's search keeps to 20xx).


def fiscal_year_of(m: re.Match[str]) -> str | None:
    """``2024-25`` for a :data:`FISCAL_YEAR_RE` match whose second year follows the
    first, else None (``2024-26`` is no fiscal year)."""
    first, second = int(m[1]), m[2]
    if int(second[-2:]) != (first + 1) % 100 or (len(second) == 4 and int(second) != first + 1):
        return None
    return f"{m[1]}-{(first + 1) % 100:02d}"  # 9999-00 and 0999-00 as written, not 9999-000


def parse_fiscal_year(text: str) -> str | None:
    """The fiscal year ``text`` names as apacore writes it (``2024-25``), or None.

    ``2024-25``, ``২০২৪-২৫``, ``2024-2025``, ``২০২৪-২০২৫`` (as the documents write it),
    with ``-``, ``–``, ``—`` or ``/`` between the years and spaces around it.
    """
    if not isinstance(text, str):
        return None
    if len(text) == 7 and text[4] == "-" and text.isascii() and text.replace("-", "").isdigit():
        # as apacore writes it (every ruleset folder's name): no pattern to compile
        first = int(text[:4])
        return text if int(text[5:]) == (first + 1) % 100 else None
    raw = _INVISIBLE_RE.sub("", to_ascii_digits(text)).strip()
    m = _FISCAL_YEAR_TEXT_RE.fullmatch(raw)
    return fiscal_year_of(m) if m is not None else None


# --------------------------------------------------------------------------- patterns

# Characters a scan or a word processor leaves in that mean nothing.
_INVISIBLE_RE: Final = when_used("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES_RE: Final = when_used(r"\s+")
_DASHES_RE: Final = when_used("[-\u2010-\u2015\u2212]+")

# A number after digits were made ASCII; commas are checked by _number().
_NUM: Final = r"[-\u2212]?[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?"
_TAKA_WORD: Final = r"টাকা|৳|(?i:tk)\.?"
_TAKA_SLASH: Final = r"/[-=]"
_UNIT_WORD: Final = rf"{_TAKA_WORD}|টি|জন"

_VALUE_RE: Final = when_used(
    rf"(?:(?P<pre>{_TAKA_WORD})\s*)?"
    rf"(?P<num>{_NUM})\s*"
    r"(?:"
    rf"(?P<pct>[%\u066a\uff05])\s*(?:\(\s*(?P<count>{_NUM})\s*\))?"
    r"|"
    rf"(?P<slash>{_TAKA_SLASH})?\s*(?P<word>{_UNIT_WORD})?"
    r")"
)

_SPLIT_RE: Final = when_used(
    rf"(?P<num>{_NUM})\s*(?P<pct>[%\u066a\uff05])?\s*=\s*"
    r"(?P<parts>.+?)\s*"
    rf"\(\s*(?P<total>{_NUM})\s*\)\s*"
    rf"(?P<slash>{_TAKA_SLASH})?\s*(?P<word>{_TAKA_WORD})?",
    re.DOTALL,
)
_LETTERS: Final = "A-Za-z\u0980-\u09ff"
_LABEL: Final = rf"[{_LETTERS}]+(?:[.\s]+[{_LETTERS}]+)*[.:]?"
_PART_RE: Final = when_used(
    rf"\s*(?:[+,;]\s*)?(?:(?P<label>{_LABEL})\s*)?(?P<num>{_NUM})\s*(?P<slash>/[-=]?)?"
)

_DATE_SUFFIX: Final = r"খ্র[িী](?:স্টাব্দ|ষ্টাব্দ)?[ঃ:.।]?"
_DATE_RE: Final = when_used(
    r"(?P<d>[0-9]{1,2})\s*(?P<sep>[/.-])\s*(?P<m>[0-9]{1,2})\s*(?P=sep)\s*"
    rf"(?P<y>[0-9]{{4}}|[0-9]{{2}})(?:\s*{_DATE_SUFFIX})?"
)
_ISO_DATE_RE: Final = when_used(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})")

_ID_PART: Final = r"[0-9]+(?:\s*\.\s*[0-9]+)*"
_ID_RE: Final = when_used(rf"\[\s*(?P<a>{_ID_PART})\s*\]|(?P<b>{_ID_PART})")

_NOT_APPLICABLE_TEXTS: Final = frozenset(
    unicodedata.normalize("NFC", t).casefold()
    for t in ("প্রযোজ্য নয়", "প্রযোজ্য নহে", "n/a", "not applicable")
)

_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_INT_LIMIT: Final = 10**MAX_INTEGER_DIGITS
_TAKA_UNITS: Final = frozenset({"টাকা", "৳", "tk", "tk."})
_OTHER_UNITS: Final = {"টি": "pieces", "জন": "persons"}


# --------------------------------------------------------------------------- parsing


def parse_value(
    text: str | int | Decimal | datetime.date | Marker, *, where: str = ""
) -> Decimal | datetime.date | Marker:
    """The main value of ``text``: a Decimal, a date or a :class:`Marker`."""
    return parse_reading(text, where=where).value


def parse_reading(
    text: str | int | Decimal | datetime.date | Marker, *, where: str = ""
) -> Reading:
    """Read one cell into a :class:`Reading`; see the module docstring for the forms.

    Ints and finite Decimals pass through as numbers, dates as dates and markers as
    markers; floats, bools and datetimes are refused. Raises :class:`ParseError`.
    """
    if isinstance(text, str):
        return _parse_text(text, where) if where else _read_cell(text)
    if isinstance(text, bool):
        raise ParseError(f"{text!r} is a boolean, not a number, date or marker", where=where)
    if isinstance(text, Marker):
        return Reading(text=text.value, value=text)
    if isinstance(text, int):
        if abs(text) >= _INT_LIMIT:  # before str() or Decimal(), which are slow on huge ints
            raise ParseError(
                f"an integer of {text.bit_length():,} bits is beyond apacore's limit of"
                f" 10^{MAX_INTEGER_DIGITS} (see docs/limits.md)",
                where=where,
            )
        return Reading(text=str(text), value=Decimal(text))
    if isinstance(text, Decimal):
        check_number(text, where=where)
        return Reading(text=str(text), value=text)
    if isinstance(text, datetime.datetime):
        raise ParseError(
            f"{text.isoformat()} is a date and time; give the date alone (datetime.date)",
            where=where,
        )
    if isinstance(text, datetime.date):
        return Reading(text=text.isoformat(), value=text)
    if isinstance(text, float):
        raise ParseError(
            f"{text!r}: binary floats are not accepted, write the number as a string or Decimal",
            where=where,
        )
    raise ParseError(
        f"cannot read a value of type {type(text).__name__}; "
        "expected text, an int, a Decimal or a date",
        where=where,
    )


@functools.lru_cache(maxsize=4096)
def _read_cell(text: str) -> Reading:
    """:func:`_parse_text` remembered by the cell's text. A national batch reads millions
    of cells and most are the same few thousand texts (``৫০``, ``-``, ``২৫%(৫০)``); a
    Reading is an immutable value, so one can be shared. A text that cannot be read
    raises each time (exceptions are not remembered); bounded, so memory stays flat."""
    return _parse_text(text, "")


def _parse_text(text: str, where: str) -> Reading:
    """Read a string cell (the heart of :func:`parse_reading`)."""
    # One space for every run of whitespace also keeps the patterns linear.
    clean = _SPACES_RE.sub(" ", _INVISIBLE_RE.sub("", unicodedata.normalize("NFC", text)))
    clean = clean.strip()
    if not clean or _DASHES_RE.fullmatch(clean):
        return Reading(text=text, value=NOT_REPORTED)
    if clean.casefold() in _NOT_APPLICABLE_TEXTS:
        return Reading(text=text, value=NOT_APPLICABLE)
    reading = _parse_figure(clean, text.strip(), where)
    return attrs.evolve(reading, text=text)


def _parse_figure(clean: str, text: str, where: str) -> Reading:
    """Read a date, number or split figure; ``text`` is what error messages quote."""
    ascii_text = to_ascii_digits(clean)
    m = _DATE_RE.fullmatch(ascii_text)
    if m is None:
        m = _ISO_DATE_RE.fullmatch(ascii_text)
    if m is not None:
        year = int(m["y"])
        if len(m["y"]) == 2:
            year += 2000
        day = _make_date(year, int(m["m"]), int(m["d"]), text, where)
        return Reading(text=text, value=day)

    m = _VALUE_RE.fullmatch(ascii_text)
    if m is not None:
        return _value_reading(m, text, where)
    m = _SPLIT_RE.fullmatch(ascii_text)
    if m is not None:
        return _split_reading(m, text, where)
    raise ParseError(f'cannot read "{text}" as a number, date or marker', where=where)


def _value_reading(m: re.Match[str], text: str, where: str) -> Reading:
    """A plain number, a percentage (with its count) or an amount with a unit."""
    value = _number(m["num"], text, where)
    if m["pct"] is not None:
        if m["pre"] is not None:
            raise ParseError(f'cannot read "{text}": taka and a % sign together', where=where)
        count = _number(m["count"], text, where) if m["count"] is not None else None
        return Reading(text=text, value=value, percent=True, count=count)
    word = m["word"].casefold() if m["word"] is not None else None
    if word in _OTHER_UNITS:
        if m["pre"] is not None or m["slash"] is not None:
            raise ParseError(f'cannot read "{text}": taka and {word} together', where=where)
        return Reading(text=text, value=value, unit_hint=_OTHER_UNITS[word])
    taka = m["pre"] is not None or m["slash"] is not None or word in _TAKA_UNITS
    return Reading(text=text, value=value, unit_hint="taka" if taka else None)


def _split_reading(m: re.Match[str], text: str, where: str) -> Reading:
    """A split figure: ``100% = label part/- label part/- (total)``."""
    value = _number(m["num"], text, where)
    total = _number(m["total"], text, where)
    taka = m["slash"] is not None or m["word"] is not None
    body = m["parts"]
    parts: list[Decimal] = []
    pos = 0
    while pos < len(body):
        pm = _PART_RE.match(body, pos)
        if pm is None or pm.end() == pos:
            raise ParseError(
                f'cannot read "{text}" as a split figure: '
                f'"{body[pos:].strip()}" is not a labelled amount',
                where=where,
            )
        parts.append(_number(pm["num"], text, where))
        taka = taka or (pm["slash"] is not None and len(pm["slash"]) == 2)
        pos = pm.end()
    added = exact_sum(parts)
    if added != total:
        shown = " + ".join(str(p) for p in parts)
        raise ParseError(
            f'cannot read "{text}": the parts {shown} add up to {added}, '
            f"not to the stated total {total}",
            where=where,
        )
    return Reading(
        text=text,
        value=value,
        percent=m["pct"] is not None,
        parts=tuple(parts),
        total=total,
        unit_hint="taka" if taka else None,
    )


def _number(raw: str, text: str, where: str) -> Decimal:
    """The exact Decimal of a matched number, applying the comma rule."""
    check_digits(raw, text=text, where=where)
    sign = ""
    if raw[0] in "-\u2212":
        sign, raw = "-", raw[1:]
    if "," in raw:
        whole, dot, fraction = raw.partition(".")
        groups = whole.split(",")
        if _is_grouped(groups):
            raw = "".join(groups) + dot + fraction
        elif not dot and len(groups) == 2:
            raw = f"{groups[0]}.{groups[1]}"  # a scanned decimal comma
        else:
            raise ParseError(
                f'cannot read "{text}" as a number: a comma must separate thousands '
                "(1,250 or 3,19,320) or be a single decimal comma (0,00080)",
                where=where,
            )
    return Decimal(sign + raw)


def _is_grouped(groups: list[str]) -> bool:
    """Whether comma-separated digit groups are western or Indian thousands grouping."""
    first, rest = groups[0], groups[1:]
    if not rest or first.startswith("0"):
        return False
    if len(first) <= 3 and all(len(g) == 3 for g in rest):
        return True  # 1,250 / 1,250,000
    return len(first) <= 2 and len(rest[-1]) == 3 and all(len(g) == 2 for g in rest[:-1])


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """The sum of ``values`` with no rounding, whatever the context precision.

    Used for every sum of figures that is compared (weights, split parts): a 28-digit
    context would round ``30.0000000000000000000000000001`` to 30."""
    items = list(values)
    if not items:
        return Decimal(0)
    top = max(d.adjusted() for d in items)
    bottom = min(int(d.as_tuple().exponent) for d in items)
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, top - bottom + len(items) + 2)
        return sum(items, Decimal(0))


def _make_date(year: int, month: int, day: int, text: str, where: str) -> datetime.date:
    """The date, or a ParseError that says why it cannot exist."""
    why = ""
    if not 1 <= year <= datetime.MAXYEAR:
        why = f"year {year} is out of range"
    elif not 1 <= month <= 12:
        why = f"there is no month {month}"
    elif day < 1:
        why = f"there is no day {day}"
    else:
        length = _month_length(year, month)
        if day > length:
            why = f"{_MONTHS[month - 1]} {year} has {length} days, not {day}"
    if why:
        raise ParseError(f'cannot read "{text}" as a date: {why}', where=where)
    return datetime.date(year, month, day)


def _month_length(year: int, month: int) -> int:
    """Days in ``month`` of ``year`` (Gregorian)."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


# --------------------------------------------------------------------------- helpers


def format_decimal(d: Decimal, places: int | None = None, *, bengali: bool = False) -> str:
    """``d`` written out in full (never with an exponent).

    With ``places``, rounded half-up to that many decimal places first. A result that
    is zero is written without a minus sign. ``bengali=True`` writes Bengali digits.
    """
    if not d.is_finite():
        raise ValueError(f"cannot format {d}: not a finite number")
    if places is not None:
        if places < 0:
            raise ValueError(f"places must be 0 or more, not {places}")
        with localcontext() as ctx:
            ctx.prec = max(ctx.prec, d.adjusted() + places + 2)
            d = d.quantize(Decimal((0, (1,), -places)), rounding=ROUND_HALF_UP)
    out = format(d, "f")
    if d.is_zero() and out.startswith("-"):
        out = out[1:]
    return to_bengali_digits(out) if bengali else out


def parse_id(text: str, *, where: str = "") -> str:
    """Normalise an indicator, activity or area id: ``[১.১.১]`` -> ``1.1.1``.

    Brackets are optional, Bengali digits become ASCII, spaces are dropped and
    leading zeros of each component removed (``০১.২`` -> ``1.2``).
    """
    return _read_id(text) if not where else _parse_id(text, where)


@functools.lru_cache(maxsize=4096)
def _read_id(text: str) -> str:
    """:func:`_parse_id` remembered by the text: every office of a batch names the same
    ids (an error is raised each time, not remembered)."""
    return _parse_id(text, "")


def _parse_id(text: str, where: str) -> str:
    clean = _INVISIBLE_RE.sub("", to_ascii_digits(text)).strip()
    m = _ID_RE.fullmatch(clean)
    if m is None:
        raise ParseError(
            f'cannot read "{text}" as an id: expected dotted digits such as 1.1.1',
            where=where,
        )
    body = m["a"] if m["a"] is not None else m["b"]
    if any(len(part.strip().lstrip("0")) > MAX_ID_PART_DIGITS for part in body.split(".")):
        raise ParseError(
            f'cannot read "{text[:40]}" as an id: each part has at most'
            f" {MAX_ID_PART_DIGITS} digits (apacore's limit; see docs/limits.md)",
            where=where,
        )
    return ".".join(str(int(part.strip().lstrip("0") or "0")) for part in body.split("."))


def parse_as_of(text: str | None) -> int | datetime.date | None:
    """What ``as_of`` an officer typed: a quarter (``Q2``, ``2``, ``২য় কোয়ার্টার``), a
    date (``2024-12-31``, ``৩১/১২/২০২৪``), or None for none; anything else is an error
    about the argument ``as_of``."""
    if text is None:
        return None
    quarter = parse_quarter(text)
    if quarter is not None:
        return quarter
    raw = to_ascii_digits(text.strip())
    shown = shorten(repr(text))
    try:
        if len(raw) == 10 and raw[4] == "-":
            return datetime.date.fromisoformat(raw)
        value = parse_value(text)
    except ValueError as exc:
        why = exc.why if isinstance(exc, ApacoreError) else str(exc)
        raise ApacoreError(
            f"{shown} is neither a quarter (Q1..Q4) nor a date ({why})", argument="as_of"
        ) from None
    if not isinstance(value, datetime.date):
        raise ApacoreError(f"{shown} is neither a quarter (Q1..Q4) nor a date", argument="as_of")
    return value


def read_as_of(as_of: int | datetime.date | str | None) -> int | datetime.date | None:
    """An ``as_of`` the Python API was given: text is read as the command line reads it
    (:func:`parse_as_of`: ``"Q2"``, ``"২য় কোয়ার্টার"``, ``"দ্বিতীয়"``, ``"৩১/১২/২০২৪"``);
    a number or a date is kept for the scorer's check."""
    return parse_as_of(as_of) if isinstance(as_of, str) else as_of


def parse_indicator_ref(text: str) -> str:
    """``1.1.1``, ``[১.১.১]`` or ``egov/4.1.2`` as a scorecard names the indicator."""
    ref = text.strip()
    if "/" in ref:
        kind, _, ident = ref.partition("/")
        return f"{kind}/{parse_id(ident, where='indicator')}"
    return parse_id(ref, where="indicator")
