"""The size limits apacore puts on its input, checked before any arithmetic.

Exact arithmetic has no ceiling of its own: a weight of ``1e999999999`` or a reading of
``5E-781255`` is a valid Decimal that would take minutes (or all memory) to compare or
interpolate. APA figures never come near these bounds, so a number, a file or a nesting
beyond them is refused with one line naming where it came from. docs/limits.md lists them.

Numbers are checked where text becomes a number (:func:`apacore.numbers.parse_reading`,
the TOML loader, the command line, the public scoring functions); files where they are
read; nesting before the TOML parser recurses into it.
"""

from __future__ import annotations

import re
import stat
from decimal import Decimal
from pathlib import Path
from typing import Final

from apacore.errors import ApacoreError, ParseError
from apacore.patterns import when_used

__all__ = [
    "MAX_COMPUTED_DIGITS",
    "MAX_FILE_BYTES",
    "MAX_FRACTION_DIGITS",
    "MAX_ID_PART_DIGITS",
    "MAX_INTEGER_DIGITS",
    "MAX_NAME_CHARS",
    "MAX_NESTING",
    "MAX_SHEET_CELLS",
    "MAX_SHEET_COLUMNS",
    "MAX_SHEET_XML_BYTES",
    "MAX_TABLE_BYTES",
    "MAX_XLSX_UNPACKED_BYTES",
    "check_number",
    "check_regular_file",
    "check_size",
    "check_toml_nesting",
    "computed_problem",
    "name_problem",
    "number_problem",
    "parses_before_nesting_scan",
    "shorten",
]

MAX_INTEGER_DIGITS: Final = 24
"""A number is below 10**24 in size (Bangladesh's whole budget in taka has 13 digits)."""

MAX_FRACTION_DIGITS: Final = 24
"""At most 24 digits after the decimal point (the finest figure seen, ``০.০০০৮০``, has 5).

Together 48 digits: more than a 28-digit Decimal context holds, so every sum and
comparison of figures must be exact (Fraction), which these bounds keep fast."""

MAX_ID_PART_DIGITS: Final = 6
"""Each component of an id such as ``1.1.1`` has at most 6 digits."""

MAX_FILE_BYTES: Final = 4 * 1024 * 1024
"""A ruleset, agreement or report file is at most 4 MiB (the largest shipped is ~40 KiB)."""

MAX_TABLE_BYTES: Final = 32 * 1024 * 1024
"""A table given to ``apacore import`` is at most 32 MiB."""

MAX_XLSX_UNPACKED_BYTES: Final = 256 * 1024 * 1024
"""An ``.xlsx`` workbook unpacks to at most 256 MiB (a few KiB can unpack to gigabytes)."""

MAX_SHEET_XML_BYTES: Final = 4 * 1024 * 1024
"""The worksheets and shared strings of an ``.xlsx`` workbook unpack to at most 4 MiB of
XML (~30,000 rows of a few columns; a ministry's progress table has a few hundred),
checked from the archive's directory before anything is parsed: reading them takes time
in proportion (benchmarks/fuzz.py times the largest sheet allowed against 2 s)."""

MAX_SHEET_CELLS: Final = 500_000
"""A sheet's table (its rows that hold something, by its widest row), with the cells its
merged ranges cover, is at most 500,000 cells."""

MAX_SHEET_COLUMNS: Final = 1000
"""A cell holding text lies in the first 1,000 columns (column ALL) of its sheet."""

MAX_NESTING: Final = 32
"""Arrays and inline tables in a TOML file nest at most 32 deep (apacore's own use 3)."""

MAX_NAME_CHARS: Final = 1000
"""A name (an office's, an area's, an indicator's) has at most 1,000 characters (the
longest seen, an indicator of 2023-24, has 352). A PDF lays out a word in time that grows
with the square of its length: this bounds the report of the longest name to a fraction
of a second."""

_CONTROL_RE: Final = when_used("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def name_problem(text: str) -> str | None:
    """Why ``text`` cannot be a name (a control character, beyond the length limit), or
    None. A name is one line of plain text: an escape sequence would retitle or clear the
    terminal it is shown in, a NUL end a C string in the spreadsheet that opens it."""
    if text.isprintable() and len(text) <= MAX_NAME_CHARS:
        return None  # most names (a control character or a line separator is not printable)
    bad = _CONTROL_RE.search(text)
    if bad is not None:
        shown = ascii(bad.group())[1:-1]
        return f"holds a control character ({shown}); a name is one line of plain text"
    if len(text) > MAX_NAME_CHARS:
        return (
            f"is {len(text):,} characters long; apacore reads names of at most"
            f" {MAX_NAME_CHARS:,} characters (see docs/limits.md)"
        )
    return None


def number_problem(value: Decimal) -> str | None:
    """Why ``value`` is beyond the limits (a phrase naming it), or None when within them."""
    if not value.is_finite():
        return f"{value} is not a finite number"
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -MAX_FRACTION_DIGITS:
        return (
            f"a number with more than {MAX_FRACTION_DIGITS} digits after the decimal point"
            " is beyond apacore's limit (see docs/limits.md)"
        )
    if not value.is_zero() and value.adjusted() >= MAX_INTEGER_DIGITS:
        return (
            f"a number of {MAX_INTEGER_DIGITS + 1} or more digits is beyond apacore's limit:"
            f" numbers must be below 10^{MAX_INTEGER_DIGITS} (see docs/limits.md)"
        )
    return None


MAX_COMPUTED_DIGITS: Final = 100
"""A figure a plugin computes (an achievement) has at most 100 significant digits and a
size between 10^-100 and 10^100: room for any quotient, none for runaway arithmetic."""


def computed_problem(value: Decimal) -> str | None:
    """Why a computed figure is unusable (not finite, or far beyond any APA figure)."""
    if not value.is_finite():
        return f"is {value}, not a finite number"
    if value.is_zero():
        return None
    if len(value.as_tuple().digits) > MAX_COMPUTED_DIGITS or not (
        -MAX_COMPUTED_DIGITS <= value.adjusted() <= MAX_COMPUTED_DIGITS
    ):
        return (
            f"is {shorten(str(value))}, beyond apacore's limit for a computed figure"
            f" ({MAX_COMPUTED_DIGITS} digits, 10^±{MAX_COMPUTED_DIGITS}; see docs/limits.md)"
        )
    return None


def check_number(value: Decimal, *, where: str = "", path: str = "") -> Decimal:
    """``value`` unchanged, or a :class:`ParseError` if it is beyond the limits."""
    why = number_problem(value)
    if why is not None:
        raise ParseError(why, where=where, path=path)
    return value


def check_digits(raw: str, *, text: str, where: str = "") -> None:
    """Refuse a run of digits too long for a number before it is converted.

    ``raw`` is the number as written (ASCII digits, at most a comma or point); ``text``
    is what the message quotes.
    """
    whole, _, fraction = raw.replace(",", "").partition(".")
    whole = whole.lstrip("-\u2212").lstrip("0")
    if len(whole) > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        raise ParseError(
            f'cannot read "{shorten(text)}": numbers must be below 10^{MAX_INTEGER_DIGITS}'
            f" with at most {MAX_FRACTION_DIGITS} digits after the decimal point"
            " (apacore's limit; see docs/limits.md)",
            where=where,
        )


def check_size(size: int, limit: int, *, where: str, error: type[ApacoreError]) -> None:
    """Refuse a file of ``size`` bytes larger than ``limit``."""
    if size > limit:
        raise error(
            f"is {size:,} bytes; apacore reads files of at most {limit:,} bytes"
            " (see docs/limits.md)",
            where=where,
        )


def check_regular_file(path: Path, *, where: str, error: type[ApacoreError]) -> int:
    """The size of ``path``, a regular file (links followed); a folder, a pipe or a device
    is refused before it is opened (opening a pipe would wait for a writer forever)."""
    info = path.stat()  # an OSError (missing, a link loop) is the caller's to word
    if stat.S_ISDIR(info.st_mode):
        raise error("is a folder, not a file", where=where)
    if not stat.S_ISREG(info.st_mode):
        raise error("is not a regular file (a pipe, a socket or a device)", where=where)
    return info.st_size


# Strings and comments (whose brackets and dots mean nothing), and the tokens that nest.
# The string patterns are written "unrolled" (a run of plain characters, then one escape
# or lone quote, repeated): the same strings as an alternation per character, matched
# ~4x faster on the long Bengali texts of an agreement.
_TOML_TEXT: Final = (
    r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    r"|'''[^']*(?:'(?!'')[^']*)*'''"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*"
)
_TOML_TOKEN_RE: Final = when_used(_TOML_TEXT + r"|[\[\]{}=,.\n]", re.DOTALL)
_TOML_TEXT_RE: Final = when_used(_TOML_TEXT, re.DOTALL)
_BRACKET_RE: Final = when_used(r"[\[\]{}]")


_PARSE_FIRST_CHARS: Final = 256 * 1024
"""At most this many characters in a text the parser may read before the nesting scan:
every office's files (the largest shipped is ~40 KiB). On a larger text the scan runs
first, as the bound below costs more than the scan on lines of dots near the limit."""

_PARSE_FIRST_BRACKETS: Final = 1000
"""At most this many brackets in a text the parser may read before the nesting scan: the
parser (tomli) recurses once per open bracket and is safe to this depth (it refuses
deeper nesting itself, at Python's recursion limit)."""

_DOTTY_LINE_RE: Final = when_used(rf"\.(?:[^.\n]*\.){{{MAX_NESTING - 1}}}")
"""A line holding :data:`MAX_NESTING` dots or more (in keys, numbers, strings or comments:
all are counted)."""


def parses_before_nesting_scan(text: str) -> bool:
    """Whether the TOML parser may read ``text`` before :func:`check_toml_nesting` scans
    it, and the scan is needed only when the parser fails or the tables and arrays it
    makes nest :data:`MAX_NESTING` deep: true for every ordinary file (of at most 256
    KiB), and cheaper than the scan (a batch reads two files an office).

    The parser is slow or deep only with deep brackets (bounded here by counting every
    bracket, in strings too) or a dotted key of many parts (quadratic in them): a key's
    parts lie on one line, so a text with no line of :data:`MAX_NESTING` dots has no key
    of that many parts. And whatever the scan refuses in a text the parser reads, the
    parsed data shows: a key of more than :data:`MAX_NESTING` parts makes as many
    tables, one inside the other, and arrays or inline tables nested more than
    :data:`MAX_NESTING` deep are as deep in the data (a header's brackets hold no
    values). ``tests/test_limits.py`` holds the order to the scan-first one on
    generated texts."""
    return (
        len(text) <= _PARSE_FIRST_CHARS
        and text.count("[") + text.count("{") <= _PARSE_FIRST_BRACKETS
        and _DOTTY_LINE_RE.search(text) is None
    )


def check_toml_nesting(text: str, *, where: str, error: type[ApacoreError]) -> None:
    """Refuse TOML text that nests deeper than :data:`MAX_NESTING`: arrays and inline
    tables, and the parts of a dotted key (``a.b.c = 1``, ``[a.b.c]``), each a level.

    The scan is linear and runs before the parser, which recurses once per bracket and
    slows down quadratically with the parts of one dotted key.
    """
    if not _surely_shallow(text):
        _scan_nesting(text, where=where, error=error)


def _scan_nesting(text: str, *, where: str, error: type[ApacoreError]) -> None:
    """The exact scan of :func:`check_toml_nesting`."""
    values: list[str] = []  # open arrays ("[") and inline tables ("{") of values
    header = 0  # open brackets of a [table] or [[array]] header
    in_key, dots = True, 0
    for m in _TOML_TOKEN_RE.finditer(text):
        token = m.group()
        if token == "\n":
            if not values:
                in_key, dots, header = True, 0, 0
        elif token == ".":
            if in_key:
                dots += 1
                if dots >= MAX_NESTING:
                    _too_deep(text, m.start(), where, error, "a dotted key has more than", "parts")
        elif token == "=":
            in_key, dots = False, 0
        elif token == "[":
            if in_key and not values:
                header += 1
            else:
                values.append(token)
                in_key = False
        elif token == "{":
            values.append(token)
            in_key, dots = True, 0
        elif token in ("]", "}"):
            if header and not values:
                header -= 1
            elif values:
                values.pop()
                in_key = False
        elif token == ",":
            if values and values[-1] == "{":
                in_key, dots = True, 0
        if len(values) + header > MAX_NESTING:
            _too_deep(text, m.start(), where, error, "arrays or tables nest more than", "deep")


def _surely_shallow(text: str) -> bool:
    """A cheap bound, true for every ordinary file, that the exact scan below would pass:
    a batch checks two files an office and the scan's loop in Python was ~1 ms of it.

    With strings and comments blanked (by the same patterns the scan skips them by), a
    key's dots are counted from the last ``=``, so no more of them than there are
    between two ``=``; and the scan's open arrays, tables and headers never outnumber
    the brackets opened and not yet closed. When either bound reaches the limit, the
    exact scan decides (and words the error)."""
    bare = _TOML_TEXT_RE.sub(" ", text)
    if max(part.count(".") for part in bare.split("=")) >= MAX_NESTING:
        return False
    depth = 0
    for bracket in _BRACKET_RE.findall(bare):
        if bracket in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return False
        elif depth:
            depth -= 1
    return True


def _too_deep(
    text: str, at: int, where: str, error: type[ApacoreError], what: str, unit: str
) -> None:
    line = text.count("\n", 0, at) + 1
    raise error(
        f"line {line}: {what} {MAX_NESTING} {unit} (apacore's limit; see docs/limits.md)",
        where=where,
    )


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters for a message (a 5,000-digit number is not quoted whole)."""
    return text if len(text) <= limit else f"{text[: limit - 12]}…({len(text):,} characters)"
