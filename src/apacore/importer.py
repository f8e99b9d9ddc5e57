"""Importing progress tables laid out as the official forms are (``apacore import``).

:func:`import_table` reads a quarterly progress table from a tab-separated text
(``.tsv``, ``.txt``: a scan turned into text may hold several tables among prose), a
``.csv`` file or an ``.xlsx`` workbook (with the optional ``openpyxl``:
``pip install apacore[xlsx]``) and returns an :class:`ImportResult` whose
:meth:`~ImportResult.to_toml` is a ``report.toml`` (docs/file-format.md).

How a table is found (docs/import.md has the details):

* a **header row** has at least two cells and one of them names the indicator column
  (``কর্মসম্পাদন সূচক``, but not ``কর্মসম্পাদন সূচকের মান``, which is the weight); up to
  three more rows continue the header (spanned headings put the quarter names on a
  second row), and the text of a column is read from all of them;
* a **progress table** has at least one quarter column: an ordinal (``১ম`` … ``৪র্থ``)
  followed by one of the quarter words (``কোয়ার্টার``, ``কোয়াটার``, ``ত্রৈমাসিক``,
  ``ত্রৈমাস``, ``ট্রেমাসিক``, ``ত্রেমাসিক``, ``quarter``), or ``Q1`` … ``Q4``. A header
  without quarter columns (a target table) is not read, and the result says so;
* a **column-number row** (``১ ২ ৩ … ১৪``: only small whole numbers) may follow and is
  skipped; the **data rows** follow until a row without a separator (a line of prose),
  a blank row or the next header row.

Columns are found by their header text, never by position: the quarters, the total
(``মোট``), the progress percentage (``অর্জনের হার``, ``অর্জনের শতকরা হার``, ``শতকরা হার``),
the marks (``অর্জিত মান``), the remarks (``মন্তব্য``) and the target/achievement label
(``লক্ষ্যমাত্রা / অর্জন``). A data row is read only when its indicator cell carries one
id (``[১.১.১]``, ``[4.1.2]`` or a leading ``1.1.1``) and every figure in it reads with
:func:`~apacore.numbers.parse_reading`; any other row that holds figures is an
:class:`ImportProblem` with its line and why. Nothing is guessed and nothing is
dropped silently: rows that hold no id and no figure (section headings) are the only
rows left out, and each table lists them.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Final

import attrs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from apacore.convert import structure
from apacore.errors import ApacoreError, ParseError, ReportError
from apacore.models import Claimed, ProgressEntry, ProgressReport
from apacore.numbers import Marker, Reading, parse_id, parse_reading, to_ascii_digits

__all__ = [
    "ANNEX_AUTO",
    "ImportProblem",
    "ImportResult",
    "ImportedTable",
    "import_table",
]

ANNEX_AUTO: Final = "auto"
"""``annex="auto"``: take each table's annex from the title above it (see :data:`ANNEX_TITLES`)."""

SUFFIXES: Final = (".tsv", ".txt", ".csv", ".xlsx")
"""The file types :func:`import_table` reads."""


# --------------------------------------------------------------------------- results


@attrs.frozen
class ImportProblem:
    """A row that looks like a data row but could not be read."""

    line: int
    """1-based line of the file (row of the sheet for ``.xlsx``)."""
    text: str
    """The row's cells, joined with `` | ``."""
    why: str
    """Why it was not imported."""
    sheet: str = ""
    """The worksheet (``.xlsx`` only)."""

    def __str__(self) -> str:
        where = f"sheet {self.sheet}, row {self.line}" if self.sheet else f"line {self.line}"
        return f"{where}: {self.why}"


@attrs.frozen(kw_only=True)
class ImportedTable:
    """A progress table found in the file."""

    number: int
    """1-based number among the file's progress tables (what ``table=`` selects)."""
    line: int
    """Line (row) of its first header row."""
    title: str
    """The title line above it that names an annex, or ``""``."""
    annex: str | None
    """The annex kind its ids are prefixed with (``None``: bare ids)."""
    columns: Mapping[str, int]
    """Role → 1-based column: ``indicator``, ``q1`` … ``q4``, ``total``,
    ``progress_pct``, ``marks``, ``comment``, ``label``, ``target``."""
    read: bool = True
    """Whether its rows were imported (``False`` when another table was selected)."""
    skipped_lines: tuple[int, ...] = ()
    """Body rows without id and figures (section headings), left out."""
    warnings: tuple[str, ...] = ()
    """Doubts about its layout (also in the result's notes; a first row merged with the
    column-number row is also named in each of its entries' notes)."""
    sheet: str = ""
    """The worksheet (``.xlsx`` only)."""


@attrs.frozen(kw_only=True)
class ImportResult:
    """What :func:`import_table` read: entries, problems and where they came from."""

    entries: tuple[ProgressEntry, ...]
    """One entry per readable data row, in document order."""
    problems: tuple[ImportProblem, ...]
    """Every data-looking row that could not be read."""
    tables_found: int
    """How many progress tables the file holds (read or not)."""
    fiscal_year: str
    """``"2024-25"``: given, or read from the document."""
    quarter: int
    """1-4: given, or read from the document."""
    office: str = ""
    """Given, or read from the document (``কার্যালয়ের নাম: …``); may be empty."""
    file: str
    """The file's name."""
    tables: tuple[ImportedTable, ...] = ()
    """Every progress table found; ``read`` says which were imported."""
    entry_lines: tuple[int, ...] = ()
    """The line of each entry's figures, parallel to ``entries``."""
    notes: tuple[str, ...] = ()
    """How the fiscal year, quarter and office were found; tables not read; doubts."""

    @property
    def source(self) -> str:
        """The report's ``source``: the file name and the table(s) read."""
        read = [t for t in self.tables if t.read]

        def at(t: ImportedTable) -> str:
            return f"sheet {t.sheet}, row {t.line}" if t.sheet else f"line {t.line}"

        if len(read) == 1:
            t = read[0]
            title = f": {t.title}" if t.title else ""
            return f"{self.file}, table {t.number} of {self.tables_found} ({at(t)}{title})"
        listed = "; ".join(at(t) + (f" ({t.annex})" if t.annex else "") for t in read)
        return f"{self.file}, {len(read)} tables: {listed}"

    @property
    def note(self) -> str:
        """The report's ``note``: counts, every problem, and how the header was read."""
        read = sum(1 for t in self.tables if t.read)
        parts = [
            f"Imported by apacore import from {self.file}: {read} table{_s(read)} read, "
            f"{len(self.entries)} entr{'y' if len(self.entries) == 1 else 'ies'}, "
            f"{len(self.problems)} problem{_s(len(self.problems))}."
        ]
        if self.problems:
            parts.append(
                "Rows not imported (check them against the document): "
                + "; ".join(str(p) for p in self.problems)
                + "."
            )
        parts.extend(_sentence(n) for n in self.notes)
        return " ".join(parts)

    def to_toml(self) -> str:
        """A ``report.toml`` (docs/file-format.md); figures keep the document's text."""
        out = [
            f"# Imported by `apacore import` from {_one_line(self.file)}: {len(self.entries)} "
            f"entr{'y' if len(self.entries) == 1 else 'ies'}, {len(self.problems)}"
            f" problem{_s(len(self.problems))}.",
            "# Every figure is the document's own text. Rows that could not be read are",
            "# listed at the end and in `note`: check them against the document.",
            "",
            f"fiscal_year = {_toml_str(self.fiscal_year)}",
            f"quarter = {self.quarter}",
        ]
        if self.office:
            out.append(f"office = {_toml_str(self.office)}")
        out.append(f"source = {_toml_str(self.source)}")
        out.append(f"note = {_toml_str(self.note)}")
        for entry in self.entries:
            out += ["", "[[entries]]", f"indicator = {_toml_str(entry.indicator)}"]
            for key, reading in zip(("q1", "q2", "q3", "q4"), entry.quarters()):
                if reading is not None:
                    out.append(f"{key} = {_toml_str(reading.text)}")
            out.append(f"status = {_toml_str(entry.status)}")
            out.append(f"source = {_toml_str(entry.source)}")
            if entry.note:
                out.append(f"note = {_toml_str(entry.note)}")
            claimed = entry.claimed
            if claimed is not None:
                out += ["", "[entries.claimed]"]
                for key in ("total", "progress_pct", "marks"):
                    reading = getattr(claimed, key)
                    if reading is not None:
                        out.append(f"{key} = {_toml_str(reading.text)}")
        if self.problems:
            out += ["", "# Rows not imported:"]
            for p in self.problems:
                out.append(f"# {_one_line(str(p))}")
                out.append(f"#     {_one_line(p.text)[:160]}")
        return "\n".join(out) + "\n"

    def report(self) -> ProgressReport:
        """The result as a :class:`~apacore.models.ProgressReport`, through its own TOML."""
        data = tomllib.loads(self.to_toml(), parse_float=Decimal)
        return structure(data, ProgressReport, where=f"import of {self.file}", error=ReportError)


# --------------------------------------------------------------------------- text helpers

_INVISIBLE_RE: Final = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _norm(text: str) -> str:
    """NFC (so য় is always য + nukta), no invisible characters, single spaces."""
    return " ".join(unicodedata.normalize("NFC", _INVISIBLE_RE.sub("", text)).split())


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(unicodedata.normalize("NFC", pattern), re.IGNORECASE)


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


_CONTROL_RE: Final = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(text: str) -> str:
    """``text`` fit for one TOML comment line: single spaces, and the control characters
    TOML forbids in comments written visibly as ``\\u001b``."""
    text = " ".join(text.split())
    return _CONTROL_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _toml_str(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL must be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


# --------------------------------------------------------------------------- header patterns

_ORDINAL_WORDS: Final = {
    unicodedata.normalize("NFC", w): n
    for w, n in (("প্রথম", 1), ("দ্বিতীয়", 2), ("তৃতীয়", 3), ("চতুর্থ", 4))
}
QUARTER_WORD: Final = r"(?:কোয়া(?:র্)?টার|(?:ত্রৈ|ত্রে|ট্রৈ|ট্রে)\s?মাস|quarter)"
"""কোয়ার্টার, কোয়াটার; ত্রৈমাসিক(ে), ত্রৈমাস, ত্রৈমাসি কে, ট্রেমাসিক(ে), ত্রেমাসিক; quarter."""
_QUARTER_RE: Final = _rx(
    r"(?P<ord>[১২৩৪1-4]\s*(?:ম|য়|র্থ|st|nd|rd|th)|প্রথম|দ্বিতীয়|তৃতীয়|চতুর্থ)\s*"
    + QUARTER_WORD
    + r"|\bQ\s*(?P<q>[1-4])\b|\bquarter\s*(?P<q2>[1-4])\b"
)

COLUMN_PATTERNS: Final = (
    ("label", _rx(r"লক্ষ্যমাত্রা\s*/\s*অর্জন|target\s*/\s*achievement")),
    ("marks", _rx(r"অর্জিত\s*মান|\bmarks\b")),
    ("progress_pct", _rx(r"অর্জনের\s*(?:শতকরা\s*)?হার|শতকরা\s*হার|\bprogress\b|\bpercent")),
    ("total", _rx(r"মোট|\btotal\b")),
    ("comment", _rx(r"মন্তব্য|\bremarks?\b|\bcomments?\b")),
    ("indicator", _rx(r"কর্মসম্পাদন\s*সূচক(?!ের)|\bindicator\b")),
    ("target", _rx(r"লক্ষ্যমাত্রা|\btarget\b")),
)
"""Column roles and their header patterns, tried in this order after the quarters."""

_INDICATOR_HEADER_RE: Final = COLUMN_PATTERNS[5][1]

ANNEX_TITLES: Final = (
    ("integrity", _rx(r"শুদ্ধাচার|শুল্কার|\bNIS\b|integrity")),
    ("egov", _rx(r"ই[-\s]*গভ|\be-?gov")),
    ("grs", _rx(r"অভিযোগ\s*প্রতিকার|\bGRS\b|grievance")),
    ("charter", _rx(r"সেবা\s*প্রদান\s*প্রতিশ|সিটিজেন\S*\s*চার্টার|citizen'?s?\s*charter")),
    ("rti", _rx(r"তথ্য\s*অধিকার|\bRTI\b|right to information")),
)
"""``annex="auto"``: title words of each annex (শুল্কার is the scans' শুদ্ধাচার)."""

_TARGET_WORDS: Final = {_norm(w) for w in ("লক্ষ্যমাত্রা", "target")}
_ACHIEVED_WORDS: Final = {_norm(w) for w in ("অর্জন", "achievement", "actual")}
_LABEL_TARGET_RE: Final = _rx(r"লক্ষ্যমাত্রা|target")
_LABEL_ACHIEVED_RE: Final = _rx(r"অর্জন|achievement|actual")

_DIGITS: Final = "0-9০-৯"
_BRACKET_ID_RE: Final = re.compile(rf"\[\s*([{_DIGITS}]+(?:\s*\.\s*[{_DIGITS}]+)+)\s*\]")
_LEADING_ID_RE: Final = re.compile(rf"^\s*([{_DIGITS}]+(?:\.[{_DIGITS}]+)+)(?=\s|$)")
_SMALL_INT_RE: Final = re.compile(r"[0-9]{1,3}")

_FISCAL_YEAR_RE: Final = re.compile(
    r"(?<![0-9])(20[0-9]{2})\s*[-–—/]\s*(20[0-9]{2}|[0-9]{2})(?![0-9])"
)
_MONTHS_START: Final = {
    "জুলাই": 1,
    "জুনাই": 1,
    "অক্টোবর": 2,
    "জানুয়ারি": 3,
    "জানুয়ারী": 3,
    "এপ্রিল": 4,
    "july": 1,
    "jul": 1,
    "october": 2,
    "oct": 2,
    "january": 3,
    "jan": 3,
    "april": 4,
    "apr": 4,
}
_MONTHS_END: Final = {
    "সেপ্টেম্বর": 1,
    "ডিসেম্বর": 2,
    "মার্চ": 3,
    "জুন": 4,
    "september": 1,
    "sept": 1,
    "sep": 1,
    "december": 2,
    "dec": 2,
    "march": 3,
    "mar": 3,
    "june": 4,
    "jun": 4,
}


def _alternation(words: Iterable[str]) -> str:
    return "|".join(
        sorted((re.escape(unicodedata.normalize("NFC", w)) for w in words), key=len, reverse=True)
    )


_MONTH_RANGE_RE: Final = _rx(
    rf"(?P<a>{_alternation(_MONTHS_START)})[^-–—\n]{{0,16}}?(?:[-–—]|হতে|থেকে|\bto\b)\s*"
    rf"(?P<b>{_alternation(_MONTHS_END)})"
)
_OFFICE_RE: Final = _rx(
    r"(?:কার্যালয়ের|ইউনিটের|অফিসের|দপ্তরের|সংস্থার)\s*নাম\s*[:ঃ]\s*(?P<name>.+)"
    r"|^\s*office(?:\s*name)?\s*:\s*(?P<en>.+)"
)


# --------------------------------------------------------------------------- reading files


@attrs.frozen
class _Row:
    line: int
    cells: tuple[str, ...]

    def cell(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index].strip()

    @property
    def filled(self) -> list[int]:
        return [i for i, c in enumerate(self.cells) if c.strip()]

    @property
    def text(self) -> str:
        cells = [c.strip() for c in self.cells]
        while cells and not cells[-1]:
            cells.pop()
        return " | ".join(cells)


@attrs.frozen
class _Segment:
    sheet: str
    rows: tuple[_Row, ...]


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ApacoreError(f"cannot read: {exc.strerror or exc}", where=str(path)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApacoreError(f"not UTF-8 text (byte {exc.start})", where=str(path)) from None


def _read_text(path: Path) -> list[_Segment]:
    lines = _decode(path).split("\n")
    rows = [_Row(n, tuple(line.rstrip("\r").split("\t"))) for n, line in enumerate(lines, 1)]
    return [_Segment("", tuple(rows))]


def _read_csv(path: Path) -> list[_Segment]:
    reader = csv.reader(io.StringIO(_decode(path), newline=""))
    rows: list[_Row] = []
    last = 0
    try:
        for cells in reader:
            rows.append(_Row(last + 1, tuple(cells)))
            last = reader.line_num
    except csv.Error as exc:
        raise ApacoreError(
            f"line {reader.line_num}: not valid CSV: {exc}", where=str(path)
        ) from None
    return [_Segment("", tuple(rows))]


def _xlsx_text(value: object, number_format: str) -> str:
    """A cell's value as the text it shows (numbers exact, dates day first)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            return value.isoformat(sep=" ")
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        percent = "%" in number_format
        if percent:
            number *= 100
        if number == number.to_integral_value():
            text = str(int(number))
        else:
            text = format(number.normalize(), "f")
        return text + ("%" if percent else "")
    return str(value)


def _read_xlsx(path: Path) -> list[_Segment]:
    try:
        openpyxl = importlib.import_module("openpyxl")
    except ImportError:
        raise ApacoreError(
            "reading .xlsx files needs openpyxl: pip install apacore[xlsx]", where=str(path)
        ) from None
    if not path.is_file():
        raise ApacoreError("cannot read: no such file", where=str(path))
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # a broken zip, not a workbook, ...
        raise ApacoreError(
            f"cannot read as an Excel workbook: {_one_line(str(exc)) or type(exc).__name__}",
            where=str(path),
        ) from None
    segments = []
    for sheet in workbook.worksheets:
        rows = []
        for number, cells in enumerate(sheet.iter_rows(), 1):
            texts = tuple(
                _xlsx_text(c.value, str(getattr(c, "number_format", "General") or ""))
                for c in cells
            )
            line = getattr(cells[0], "row", None) if cells else None
            rows.append(_Row(line if isinstance(line, int) else number, texts))
        segments.append(_Segment(str(sheet.title), tuple(rows)))
    return segments


def _read(path: Path) -> list[_Segment]:
    suffix = path.suffix.lower()
    if suffix in (".tsv", ".txt"):
        return _read_text(path)
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise ApacoreError(
        f"cannot import a {suffix or 'file without a suffix'}: give a tab-separated .tsv or"
        " .txt, a .csv or an .xlsx file",
        where=str(path),
    )


# --------------------------------------------------------------------------- finding tables


@attrs.frozen
class _Table:
    segment: _Segment
    header_index: int  # index of the first header row in segment.rows
    end_index: int  # index after the last body row
    columns: Mapping[str, int]  # role -> 0-based column
    body: tuple[_Row, ...]
    duplicate_roles: tuple[str, ...] = ()
    layout_warnings: tuple[str, ...] = ()

    @property
    def line(self) -> int:
        return self.segment.rows[self.header_index].line

    @property
    def is_progress(self) -> bool:
        return any(f"q{n}" in self.columns for n in range(1, 5))


def _ids(cell: str) -> list[str]:
    """The distinct ids in an indicator cell: bracketed anywhere, or leading."""
    found = [m.group(1) for m in _BRACKET_ID_RE.finditer(cell)]
    if not found:
        m = _LEADING_ID_RE.match(cell)
        if m:
            found = [m.group(1)]
    ids: list[str] = []
    for raw in found:
        norm = parse_id(raw)
        if norm not in ids:
            ids.append(norm)
    return ids


def _is_int(cell: str) -> bool:
    return bool(_SMALL_INT_RE.fullmatch(to_ascii_digits(cell.strip())))


def _is_column_numbers(row: _Row) -> bool:
    """``১ ২ ৩ … ১৪`` (scans shuffle them: only small whole numbers, at least four)."""
    filled = row.filled
    return len(filled) >= 4 and all(_is_int(row.cells[i]) for i in filled)


def _any_id(row: _Row) -> bool:
    return any(_BRACKET_ID_RE.search(c) for c in row.cells)


def _is_header_start(row: _Row) -> bool:
    return (
        len(row.filled) >= 3
        and any(_INDICATOR_HEADER_RE.search(_norm(c)) for c in row.cells)
        and not _any_id(row)
    )


def _holds_figure(cell: str) -> bool:
    try:
        reading = parse_reading(cell)
    except ParseError:
        return False
    return not isinstance(reading.value, Marker)


def _is_header_more(row: _Row) -> bool:
    if _is_column_numbers(row) or _any_id(row) or _is_header_start(row):
        return False
    cells = [_norm(c) for c in row.cells if c.strip()]
    if not cells or any(_holds_figure(c) for c in cells):
        return False
    return any(_QUARTER_RE.search(c) or any(p.search(c) for _, p in COLUMN_PATTERNS) for c in cells)


def _ends_table(row: _Row) -> bool:
    return len(row.cells) <= 1 or not row.filled or _is_header_start(row)


def _quarter_of(text: str) -> set[int]:
    found: set[int] = set()
    for m in _QUARTER_RE.finditer(text):
        if m["q"] or m["q2"]:
            found.add(int(m["q"] or m["q2"]))
            continue
        word = m["ord"]
        digit = to_ascii_digits(word[0])
        found.add(int(digit) if digit.isdigit() else _ORDINAL_WORDS[word])
    return found


def _numbered(row: _Row | None) -> int:
    """N when ``row`` numbers its columns 1..N from the first cell on, else 0."""
    if row is None:
        return 0
    values = [int(to_ascii_digits(c.strip())) for c in row.cells if c.strip()]
    if values == list(range(1, len(values) + 1)) and row.filled == list(range(len(values))):
        return len(values)
    return 0


def _columns(
    header: Sequence[_Row], numbers: _Row | None
) -> tuple[dict[str, int], tuple[str, ...], tuple[str, ...]]:
    """Column roles from the header text; the column-number row corrects spanned headings.

    A heading spanning the quarter columns sometimes leaves one empty header cell too
    many (Panchagarh: 14 header cells over 13 numbered columns). When the column-number
    row numbers exactly 1..N and the header has exactly as many empty cells as it has
    cells too many, those empty cells are dropped.
    """
    width = max(len(r.cells) for r in header)
    merged = [
        " ".join(_norm(r.cells[col]) for r in header if col < len(r.cells)).strip()
        for col in range(width)
    ]
    while merged and not merged[-1]:
        merged.pop()
    notes: list[str] = []
    count = _numbered(numbers)
    if count and len(merged) > count:
        blanks = [c for c, text in enumerate(merged) if not text]
        if len(blanks) == len(merged) - count:
            merged = [text for text in merged if text]
            notes.append(
                f"the header has {len(blanks)} empty cell{_s(len(blanks))} more than the"
                f" column-number row numbers (1-{count}); dropped, so the headings after it"
                " line up with the numbered columns"
            )
    elif count and len(merged) < count:
        notes.append(
            f"the header names {len(merged)} columns but the column-number row numbers"
            f" {count}: figures may sit one column off their headings"
        )
    columns: dict[str, int] = {}
    duplicates: list[str] = []
    for col, text in enumerate(merged):
        if not text:
            continue
        quarters = _quarter_of(text)
        role: str | None = None
        if len(quarters) == 1:
            role = f"q{quarters.pop()}"
        elif not quarters:
            role = next((name for name, pattern in COLUMN_PATTERNS if pattern.search(text)), None)
        if role is None:
            continue
        if role in columns:
            duplicates.append(role)
        else:
            columns[role] = col
    return columns, tuple(duplicates), tuple(notes)


def _find_tables(segment: _Segment) -> list[_Table]:
    rows = segment.rows
    tables: list[_Table] = []
    i = 0
    while i < len(rows):
        if not _is_header_start(rows[i]):
            i += 1
            continue
        header = [rows[i]]
        j = i + 1
        while j < len(rows) and len(header) < 4 and _is_header_more(rows[j]):
            header.append(rows[j])
            j += 1
        numbers = rows[j] if j < len(rows) and _is_column_numbers(rows[j]) else None
        while j < len(rows) and _is_column_numbers(rows[j]):
            j += 1
        columns, duplicates, layout = _columns(header, numbers)
        start = j
        while j < len(rows) and not _ends_table(rows[j]):
            j += 1
        tables.append(_Table(segment, i, j, columns, rows[start:j], duplicates, layout))
        i = max(j, i + 1)
    return tables


def _title_and_annex(
    table: _Table, previous: _Table | None, previous_annex: str | None
) -> tuple[str, str | None]:
    """The nearest line above the header naming one annex (prose rows only)."""
    rows = table.segment.rows
    stop = previous.header_index if previous is not None else -1
    lettered = False
    for k in range(table.header_index - 1, stop, -1):
        row = rows[k]
        if len(row.filled) > 1:
            continue
        text = _norm(row.cells[row.filled[0]]) if row.filled else ""
        if not text:
            continue
        kinds = [kind for kind, pattern in ANNEX_TITLES if pattern.search(text)]
        if len(kinds) == 1:
            return text, kinds[0]
        if re.search(r"[^\W\d_]", text):
            lettered = True
    if previous is not None and not lettered:
        return "", previous_annex  # the table goes on after a page number: same annex
    return "", None


# --------------------------------------------------------------------------- reading rows


_FIGURE_ROLES: Final = ("q1", "q2", "q3", "q4", "total", "progress_pct", "marks")
_ROLE_NAMES: Final = {
    "q1": "Q1",
    "q2": "Q2",
    "q3": "Q3",
    "q4": "Q4",
    "total": "total (মোট অর্জন)",
    "progress_pct": "progress % (অর্জনের হার)",
    "marks": "marks (অর্জিত মান)",
}


def _label(row: _Row, table: _Table) -> str | None:
    """``"target"``, ``"achievement"`` or None: the লক্ষ্যমাত্রা / অর্জন label of a row."""
    col = table.columns.get("label")
    if col is not None:
        text = _norm(row.cell(col))
        if _LABEL_TARGET_RE.search(text):
            return "target"
        if _LABEL_ACHIEVED_RE.search(text):
            return "achievement"
        return None
    skip = {table.columns.get(r) for r in (*_FIGURE_ROLES, "indicator")}
    for i in row.filled:
        if i in skip:
            continue
        word = _norm(row.cells[i]).strip(" :ঃ।").casefold()
        if word in _TARGET_WORDS:
            return "target"
        if word in _ACHIEVED_WORDS:
            return "achievement"
    return None


def _has_figures(row: _Row, table: _Table) -> bool:
    return any(row.cell(table.columns.get(r)) for r in _FIGURE_ROLES)


def _merged_with_numbers(row: _Row, table: _Table) -> bool:
    """The first data row fused with the column-number row: ``[১.১.১] … | ২ | ৩ | … | ১০``."""
    ind = table.columns.get("indicator")
    others = [i for i in row.filled if i != ind]
    return len(others) >= 3 and all(
        _is_int(row.cells[i]) and int(to_ascii_digits(row.cells[i].strip())) == i + 1
        for i in others
    )


@attrs.frozen
class _Logical:
    """One indicator's row: a plain row, or a target line with its achievement line."""

    figures: _Row | None  # the row whose figures are the entry's
    target: _Row | None  # the লক্ষ্যমাত্রা line, if any

    @property
    def first(self) -> _Row:
        row = self.target or self.figures
        assert row is not None
        return row

    @property
    def rows(self) -> tuple[_Row, ...]:
        return tuple(r for r in (self.target, self.figures) if r is not None)


def _logical_rows(table: _Table) -> tuple[list[_Logical], list[int]]:
    ind = table.columns.get("indicator")
    out: list[_Logical] = []
    skipped: list[int] = []
    pending: _Row | None = None
    for row in table.body:
        if _is_column_numbers(row):
            skipped.append(row.line)
            continue
        label = _label(row, table)
        if label == "target":
            if pending is not None:
                out.append(_Logical(None, pending))
            pending = row
            continue
        if label == "achievement" and pending is not None:
            own, theirs = _ids(row.cell(ind)), _ids(pending.cell(ind))
            if not own or not theirs or own == theirs:
                out.append(_Logical(row, pending))
                pending = None
                continue
        if pending is not None:
            out.append(_Logical(None, pending))
            pending = None
        out.append(_Logical(row, None))
    if pending is not None:
        out.append(_Logical(None, pending))
    kept: list[_Logical] = []
    for logical in out:
        rows = logical.rows
        if any(_ids(r.cell(ind)) for r in rows) or any(
            _has_figures(r, table) or _label(r, table) for r in rows
        ):
            kept.append(logical)
        else:
            skipped.extend(r.line for r in rows)
    return kept, skipped


def _readings(row: _Row, table: _Table, prefix: str, errors: list[str]) -> dict[str, Reading]:
    out: dict[str, Reading] = {}
    for role in _FIGURE_ROLES:
        text = row.cell(table.columns.get(role))
        if not text:
            continue
        try:
            out[role] = parse_reading(text)
        except ParseError as exc:
            errors.append(f"{prefix}{_ROLE_NAMES[role]} cell: {exc.why}")
    return out


def _activity_hint(row: _Row, table: _Table) -> str:
    ind = table.columns.get("indicator")
    for i in row.filled:
        if ind is not None and i >= ind:
            break
        m = _LEADING_ID_RE.match(row.cells[i])
        if m:
            return (
                f"; its first cell starts with {m.group(1)} (an activity id): write the"
                " indicator's id into the indicator cell to import it"
            )
    return ""


def _figures_text(readings: Mapping[str, Reading]) -> str:
    return ", ".join(
        f"{_ROLE_NAMES[r].split(' ')[0]} {readings[r].text}" for r in _FIGURE_ROLES if r in readings
    )


def _where(table: _Table, line: int) -> str:
    return f"sheet {table.segment.sheet}, row {line}" if table.segment.sheet else f"line {line}"


# --------------------------------------------------------------------------- document header


def _check_fiscal_year(text: str) -> str:
    m = _FISCAL_YEAR_RE.fullmatch(to_ascii_digits(text.strip()))
    if m is None or not _consecutive(m):
        raise ApacoreError(
            f"{text!r} is not a fiscal year: write it as 2024-25 (or 2024-2025)",
            where="--fiscal-year",
        )
    return f"{m[1]}-{str(int(m[1]) + 1)[2:]}"


def _consecutive(m: re.Match[str]) -> bool:
    first, second = int(m[1]), m[2]
    return int(second[-2:]) == (first + 1) % 100 and (len(second) == 2 or int(second) == first + 1)


def _prose(segments: Sequence[_Segment]) -> list[tuple[int, str]]:
    """Rows with at most one filled cell: titles, subjects, dates, signatures."""
    out = []
    for seg in segments:
        for row in seg.rows:
            if len(row.filled) == 1:
                out.append((row.line, _norm(row.cells[row.filled[0]])))
    return out


def _detect_fiscal_year(segments: Sequence[_Segment]) -> tuple[str | None, str]:
    counts: Counter[str] = Counter()
    for seg in segments:
        for row in seg.rows:
            for cell in row.cells:
                for m in _FISCAL_YEAR_RE.finditer(to_ascii_digits(cell)):
                    if _consecutive(m):
                        counts[f"{m[1]}-{str(int(m[1]) + 1)[2:]}"] += 1
    if not counts:
        return None, "no fiscal year (such as ২০২৪-২০২৫) in the document"
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        seen = ", ".join(f"{fy} ×{n}" for fy, n in ranked)
        return None, f"the document names several fiscal years equally often ({seen})"
    best, n = ranked[0]
    others = "; also " + ", ".join(f"{fy} ×{k}" for fy, k in ranked[1:]) if len(ranked) > 1 else ""
    return best, f"fiscal year {best} read from the document ({n} mention{_s(n)}{others})"


def _detect_quarter(segments: Sequence[_Segment]) -> tuple[int | None, str]:
    votes: Counter[int] = Counter()
    first: dict[int, tuple[int, str]] = {}
    for line, text in _prose(segments):
        found: set[int] = set()
        for m in _MONTH_RANGE_RE.finditer(text):
            a = _MONTHS_START[unicodedata.normalize("NFC", m["a"]).casefold()]
            b = _MONTHS_END[unicodedata.normalize("NFC", m["b"]).casefold()]
            if a == b:
                found.add(a)
        found |= _quarter_of(text)
        for q in found:
            votes[q] += 1
            first.setdefault(q, (line, text))
    if not votes:
        return None, "no quarter (such as জুলাই-সেপ্টেম্বর or ২য় ত্রৈমাসিক) in the document"
    ranked = votes.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        seen = ", ".join(f"Q{q} ×{n} (line {first[q][0]})" for q, n in ranked)
        return None, f"the document names several quarters equally often ({seen})"
    q, n = ranked[0]
    line, text = first[q]
    others = ("; also " + ", ".join(f"Q{k} ×{c}" for k, c in ranked[1:])) if len(ranked) > 1 else ""
    return q, (
        f"quarter {q} read from the document ({n} line{_s(n)}, first line {line}: "
        f"{text[:60]!r}{others})"
    )


def _detect_office(segments: Sequence[_Segment]) -> tuple[str, str]:
    for line, text in _prose(segments):
        m = _OFFICE_RE.search(text)
        if m:
            name = (m["name"] or m["en"] or "").replace("*", "").strip(" ,।.;:")
            if name:
                return name, f"office read from line {line}"
    return "", ""


# --------------------------------------------------------------------------- the import


def import_table(
    path: Path | str,
    *,
    fiscal_year: str | None = None,
    quarter: int | None = None,
    annex: str | None = None,
    office: str | None = None,
    table: int | None = None,
) -> ImportResult:
    """Read the progress table(s) of ``path`` (``.tsv``, ``.txt``, ``.csv``, ``.xlsx``).

    ``fiscal_year`` (``"2024-25"``) and ``quarter`` (1-4) default to what the document
    says (``২০২৩-২০২৪``; ``জুলাই-সেপ্টেম্বর`` or ``১ম ত্রৈমাসিক`` → 1 …); if it does not say,
    a one-line :class:`~apacore.errors.ApacoreError` names the option to give.
    ``annex`` prefixes every id (``egov`` → ``egov/4.1.2``); ``"auto"`` takes each
    table's annex from the title above it (tables without one keep bare ids).
    ``office`` defaults to the ``… কার্যালয়ের নাম: …`` line. ``table`` (1-based) reads
    one of several progress tables; by default all are read.
    """
    path = Path(path)
    name = path.name
    fy = _check_fiscal_year(fiscal_year) if fiscal_year is not None else None
    if quarter is not None and (isinstance(quarter, bool) or quarter not in (1, 2, 3, 4)):
        raise ApacoreError(f"a quarter is 1, 2, 3 or 4, got {quarter!r}", where="--quarter")
    if annex is not None and not re.fullmatch(r"[a-z][a-z0-9_-]*", annex):
        raise ApacoreError(
            f"{annex!r} is not an annex kind (integrity, egov, grs, charter, rti, a plugin's,"
            " or auto)",
            where="--annex",
        )
    if table is not None and (isinstance(table, bool) or not isinstance(table, int) or table < 1):
        raise ApacoreError(f"a table number is 1 or more, got {table!r}", where="--table")

    segments = _read(path)
    found: list[_Table] = []
    not_progress: list[_Table] = []
    for seg in segments:
        for t in _find_tables(seg):
            (found if t.is_progress else not_progress).append(t)
    if not found:
        why = (
            "no progress table found: no header row naming the indicator column"
            " (কর্মসম্পাদন সূচক) with quarter columns (১ম কোয়ার্টার, ১ম ত্রৈমাসিক …)"
        )
        if not_progress:
            lines = ", ".join(_where(t, t.line) for t in not_progress)
            why += f"; the table at {lines} has no quarter columns (a target table?)"
        raise ApacoreError(why, where=str(path))
    if table is not None and table > len(found):
        at = ", ".join(_where(t, t.line) for t in found)
        raise ApacoreError(
            f"the file has {len(found)} progress table{_s(len(found))} ({at}); give a table"
            f" number from 1 to {len(found)}",
            where="--table",
        )

    notes: list[str] = []
    if fy is None:
        fy, how = _detect_fiscal_year(segments)
        if fy is None:
            raise ApacoreError(
                f"cannot tell the fiscal year: {how}; give it with --fiscal-year (e.g. 2024-25)",
                where=str(path),
            )
        notes.append(how)
    if quarter is None:
        quarter, how = _detect_quarter(segments)
        if quarter is None:
            raise ApacoreError(
                f"cannot tell the quarter: {how}; give it with --quarter"
                " (1 = July-September … 4 = April-June)",
                where=str(path),
            )
        notes.append(how)
    if office is None:
        office, how = _detect_office(segments)
        if how:
            notes.append(how)
    for t in not_progress:
        notes.append(
            f"the table at {_where(t, t.line)} has no quarter columns (not a progress"
            " table) and was not read"
        )

    entries: list[ProgressEntry] = []
    entry_lines: list[int] = []
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    infos: list[ImportedTable] = []
    previous: _Table | None = None
    previous_annex: str | None = None
    for number, t in enumerate(found, 1):
        same_segment = previous if previous is not None and previous.segment is t.segment else None
        title, auto = _title_and_annex(t, same_segment, previous_annex)
        previous, previous_annex = t, auto
        kind = auto if annex == ANNEX_AUTO else annex
        read = table is None or table == number
        warnings: list[str] = [f"{_where(t, t.line)}: {w}" for w in t.layout_warnings]
        if t.duplicate_roles:
            warnings.append(
                f"the header at {_where(t, t.line)} names "
                + ", ".join(sorted(set(t.duplicate_roles)))
                + " more than once; the first such column was read"
            )
        skipped: list[int] = []
        if read:
            skipped = _read_table(t, kind, name, entries, entry_lines, problems, seen, warnings)
        infos.append(
            ImportedTable(
                number=number,
                line=t.line,
                title=title,
                annex=kind,
                columns={role: col + 1 for role, col in t.columns.items()},
                read=read,
                skipped_lines=tuple(skipped),
                warnings=tuple(warnings),
                sheet=t.segment.sheet,
            )
        )
        if read:
            notes.extend(warnings)

    return ImportResult(
        entries=tuple(entries),
        problems=tuple(problems),
        tables_found=len(found),
        fiscal_year=fy,
        quarter=quarter,
        office=office or "",
        file=name,
        tables=tuple(infos),
        entry_lines=tuple(entry_lines),
        notes=tuple(notes),
    )


def _read_table(
    t: _Table,
    kind: str | None,
    name: str,
    entries: list[ProgressEntry],
    entry_lines: list[int],
    problems: list[ImportProblem],
    seen: dict[str, int],
    warnings: list[str],
) -> list[int]:
    """Turn the table's rows into entries and problems; returns the skipped lines."""
    ind = t.columns.get("indicator")
    sheet = t.segment.sheet
    logical, skipped = _logical_rows(t)
    shifted = ""
    for item in logical:
        if item.figures is not None and _merged_with_numbers(item.figures, t):
            shifted = (
                f"the table's first indicator row ({_where(t, item.figures.line)}) is"
                " merged with its column-number row: check that each line's figures"
                " belong to its own row and not to the row above"
            )
            warnings.append(shifted)
            break

    def problem(row: _Row, why: str) -> None:
        problems.append(ImportProblem(row.line, row.text, why, sheet))

    for item in logical:
        ids: list[str] = []
        for row in item.rows:
            ids += [i for i in _ids(row.cell(ind)) if i not in ids]
        if item.figures is not None and _merged_with_numbers(item.figures, t):
            problem(
                item.figures,
                "the row is merged with the column-number row (its other"
                " cells read 2, 3, 4 …): it holds no figures of its own; the figures may"
                " be on the next line",
            )
            continue
        if len(ids) > 1:
            shown = ", ".join(f"[{i}]" for i in ids)
            problem(
                item.first,
                f"several indicator ids in one row ({shown}): cannot tell"
                " which indicator the figures belong to",
            )
            continue
        errors: list[str] = []
        target: dict[str, Reading] = {}
        if item.target is not None:
            target = _readings(item.target, t, "target line ", errors)
        figures: dict[str, Reading] = {}
        if item.figures is not None:
            figures = _readings(item.figures, t, "", errors)
        if not ids:
            pair = (
                f" (with its অর্জন line {item.figures.line})"
                if item.target is not None and item.figures is not None
                else ""
            )
            why = f"figures without an indicator id{pair}{_activity_hint(item.first, t)}"
            problem(item.first, "; ".join([why, *errors]))
            continue
        if errors:
            bad = (
                item.target
                if item.target is not None and all(e.startswith("target line") for e in errors)
                else (item.figures or item.first)
            )
            problem(bad, "; ".join(errors))
            continue
        ref = f"{kind}/{ids[0]}" if kind else ids[0]
        line_row = item.figures or item.first
        where = _where(t, line_row.line)
        if ref in seen:
            problem(
                line_row,
                f"indicator {ref} was already imported from"
                f" {_where(t, seen[ref])}: give annex='auto' (--annex auto), another"
                " --annex, or choose one table (--table N)",
            )
            continue
        seen[ref] = line_row.line

        notes: list[str] = []
        if item.target is not None and item.figures is not None:
            notes.append(
                f"Target line ({_where(t, item.target.line)}): "
                f"{_figures_text(target) or 'no figures'}."
            )
        elif item.target is not None:
            notes.append(
                f"Only the target line (লক্ষ্যমাত্রা) is printed: "
                f"{_figures_text(target) or 'no figures'}; no achievement line."
            )
        elif not figures:
            notes.append("No figure is printed in this row.")
        status = "reported"
        comment_text = (item.figures or item.first).cell(t.columns.get("comment"))
        if comment_text:
            try:
                comment = parse_reading(comment_text).value
            except ParseError:
                comment = None
            if comment is Marker.NOT_APPLICABLE:
                status = "not_applicable"
            if comment is not Marker.NOT_REPORTED:
                notes.append(f"মন্তব্য: {comment_text}")
        if shifted:
            notes.append(shifted[0].upper() + shifted[1:] + ".")
        claimed = None
        if any(r in figures for r in ("total", "progress_pct", "marks")):
            claimed = Claimed(
                total=figures.get("total"),
                progress_pct=figures.get("progress_pct"),
                marks=figures.get("marks"),
            )
        entries.append(
            ProgressEntry(
                indicator=ref,
                q1=figures.get("q1"),
                q2=figures.get("q2"),
                q3=figures.get("q3"),
                q4=figures.get("q4"),
                status=status,
                claimed=claimed,
                source=f"{name}, {where}",
                note=" ".join(notes),
            )
        )
        entry_lines.append(line_row.line)
    return sorted(skipped)
