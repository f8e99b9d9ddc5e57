"""Reading an ``.xlsx`` workbook: only the cells that hold something, in time bounded by them.

openpyxl's reader makes a cell object for every position of a sheet's used range: one
space typed in Z200000 is 5.2 million cells (no answer), a 2 KB workbook whose merged
range runs to XFD1048576 is 17 billion. This reader walks the sheet's XML once with
expat, keeps the cells that are there, and checks the size of the work before doing it:

* the worksheets and shared strings unpacked: at most :data:`MAX_SHEET_XML_BYTES`
  (known from the archive's directory, before anything is parsed);
* a sheet's table (its rows that hold something, by its widest such row): at most
  :data:`MAX_SHEET_CELLS` cells, and no text beyond column :data:`MAX_SHEET_COLUMNS`;
* merged ranges: the cells they cover in that table count towards the same limit.

A sheet beyond a limit is one error naming the sheet and the limit. XML with a document
type declaration (the way to an entity bomb) is refused. What a cell shows is as before:
numbers exact, percentages as ``25%``, dates day first (openpyxl's date formats).
"""

from __future__ import annotations

import bisect
import datetime as dt
import importlib
import posixpath
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final
from xml.parsers import expat

from apacore.errors import ApacoreError
from apacore.importer.text import _one_line
from apacore.limits import MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, MAX_SHEET_XML_BYTES

__all__ = ["Sheet", "read_workbook"]

SheetRow = tuple[int, tuple[str, ...], tuple[tuple[int, str], ...]]
"""A row as read: its line (row number), its cells' text, and its flawed cells (0-based
column, why: a formula without a saved value, a cell merged into another)."""

Sheet = tuple[str, list[SheetRow], bool]
"""A worksheet as read: its title, its rows, whether it is hidden."""

_MAIN: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
_CELL_RE: Final = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_MAX_ROW: Final = 1_048_576
_MAX_COLUMN: Final = 16_384


class _Refused(Exception):
    """A part that cannot be read (why), raised out of expat's callbacks."""


class _TooBig(_Refused):
    """A sheet beyond apacore's limits (the whole message)."""


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


def _column(letters: str) -> int:
    n = 0
    for c in letters.upper():
        n = n * 26 + ord(c) - 64
    return n


def _letters(column: int) -> str:
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def _cell(ref: str) -> tuple[int, int] | None:
    """``B4`` → (row 4, column 2); None if not a cell of a sheet."""
    m = _CELL_RE.fullmatch(ref.strip())
    if m is None:
        return None
    row, column = int(m.group(2)), _column(m.group(1))
    if not (1 <= row <= _MAX_ROW and 1 <= column <= _MAX_COLUMN):
        return None
    return row, column


def _parse(
    data: bytes,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
) -> None:
    """Run expat over ``data`` with namespaced names (``uri local``); refuse a DTD."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def doctype(*_: object) -> None:
        raise _Refused("holds a document type declaration, which a workbook never has")

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _Refused(f"is not well-formed XML ({exc})") from None


class _Book:
    """The parts of the archive that say which sheets there are and what cells mean."""

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self.archive = archive
        self.path = path
        self.names = set(archive.namelist())

    def read(self, name: str, limit: int) -> bytes:
        try:
            with self.archive.open(name) as f:
                data = f.read(limit + 1)
        except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, EOFError) as exc:
            raise _Refused(f"{name}: cannot be unpacked ({exc})") from None
        if len(data) > limit:
            raise _Refused(f"{name}: unpacks to more than it says")
        return data

    def part(self, name: str) -> bytes:
        info = self.archive.getinfo(name)
        return self.read(name, info.file_size)

    def relations(self, part: str) -> dict[str, tuple[str, str]]:
        """Id → (type, part name) of ``part``'s relationships."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        out: dict[str, tuple[str, str]] = {}
        if rels not in self.names:
            return out

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == f"{_PKG_REL} Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                target = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target))
                )
                out[attrs.get("Id", "")] = (attrs.get("Type", ""), target)

        _parse(self.part(rels), start)
        return out


def _workbook_part(book: _Book) -> str:
    for kind, target in book.relations("").values():
        if kind.endswith("/officeDocument"):
            return target
    return "xl/workbook.xml"


def _sheets(book: _Book, workbook: str) -> tuple[list[tuple[str, str, str]], bool]:
    """[(title, state, part)] in the workbook's order, and whether dates count from 1904."""
    found: list[tuple[str, str, str]] = []
    date1904 = [False]
    rels = book.relations(workbook)

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == f"{_MAIN} sheet":
            target = rels.get(attrs.get(f"{_REL} id", ""))
            if target is not None and target[0].endswith("/worksheet"):
                found.append((attrs.get("name", ""), attrs.get("state", "visible"), target[1]))
        elif name == f"{_MAIN} workbookPr":
            date1904[0] = attrs.get("date1904", "0").lower() in ("1", "true")

    _parse(book.part(workbook), start)
    return found, date1904[0]


def _shared_strings(book: _Book, part: str | None) -> list[str]:
    """The workbook's shared strings (rich text joined, phonetic runs left out)."""
    if part is None or part not in book.names:
        return []
    strings: list[str] = []
    pieces: list[str] = []
    state = {"in_text": False, "phonetic": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == f"{_MAIN} si":
            pieces.clear()
        elif name == f"{_MAIN} rPh":
            state["phonetic"] += 1
        elif name == f"{_MAIN} t" and not state["phonetic"]:
            state["in_text"] = True

    def end(name: str) -> None:
        if name == f"{_MAIN} si":
            strings.append("".join(pieces))
        elif name == f"{_MAIN} rPh":
            state["phonetic"] -= 1
        elif name == f"{_MAIN} t":
            state["in_text"] = False

    def text(data: str) -> None:
        if state["in_text"]:
            pieces.append(data)

    _parse(book.part(part), start, end, text)
    return strings


def _styles(book: _Book, part: str | None) -> list[str]:
    """The number format of each cell style (``s`` of a cell), by index."""
    builtin: dict[int, str] = importlib.import_module("openpyxl.styles.numbers").BUILTIN_FORMATS
    if part is None or part not in book.names:
        return []
    custom: dict[int, str] = {}
    formats: list[str] = []
    depth = {"cellXfs": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == f"{_MAIN} numFmt":
            try:
                custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif name == f"{_MAIN} cellXfs":
            depth["cellXfs"] += 1
        elif name == f"{_MAIN} xf" and depth["cellXfs"]:
            try:
                number = int(attrs.get("numFmtId", "0"))
            except ValueError:
                number = 0
            formats.append(custom.get(number, builtin.get(number, "General")))

    def end(name: str) -> None:
        if name == f"{_MAIN} cellXfs":
            depth["cellXfs"] -= 1

    _parse(book.part(part), start, end)
    return formats


class _SheetReader:
    """One pass over a worksheet's XML: its cells that hold something, by row."""

    def __init__(self, strings: list[str], formats: list[str], date1904: bool) -> None:
        # openpyxl's number formats and Excel's date arithmetic (both calendars)
        numbers = importlib.import_module("openpyxl.styles.numbers")
        dates = importlib.import_module("openpyxl.utils.datetime")

        self.strings = strings
        self.formats = formats
        self.is_date: Callable[[str], bool] = numbers.is_date_format
        self.from_excel: Callable[..., Any] = dates.from_excel
        self.epoch = dates.CALENDAR_MAC_1904 if date1904 else dates.CALENDAR_WINDOWS_1900
        # row → {column: (text, flaw or None)}
        self.rows: dict[int, dict[int, tuple[str, str | None]]] = {}
        self.merged: list[tuple[int, int, int, int, str]] = []
        self._row = 0
        self._column = 0
        self._cell: dict[str, str] | None = None
        self._value: list[str] = []
        self._formula: list[str] | None = None
        self._inline: list[str] = []
        self._into: list[str] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "row":
            number = attrs.get("r")
            self._row = int(number) if number and number.isdigit() else self._row + 1
            if not 1 <= self._row <= _MAX_ROW:
                raise _Refused(f"row {number} is not a row of a sheet")
            self._column = 0
        elif local == "c":
            ref = attrs.get("r")
            if ref is not None:
                place = _cell(ref)
                if place is None:
                    raise _Refused(f"cell {_one_line(ref)[:20]!r} is not a cell of a sheet")
                self._row, self._column = place
            else:
                self._column += 1
            self._cell = attrs
            self._value, self._formula, self._inline = [], None, []
        elif self._cell is not None:
            if local == "v":
                self._into = self._value
            elif local == "f":
                self._formula = []
                self._into = self._formula
            elif local == "t":
                self._into = self._inline
            elif local == "rPh":
                self._into = None
        elif local == "mergeCell":
            self._merge(attrs.get("ref", ""))

    def end(self, name: str) -> None:
        local = name.rpartition(" ")[2]
        if local in ("v", "f", "t"):
            self._into = None
        elif local == "c" and self._cell is not None:
            self._finish()
            self._cell = None

    def text(self, data: str) -> None:
        if self._into is not None:
            self._into.append(data)

    def _merge(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        a, b = _cell(first), _cell(last or first)
        if a is None or b is None:
            raise _Refused(f"merged range {_one_line(ref)[:30]!r} is not a range of a sheet")
        (r1, c1), (r2, c2) = a, b
        self.merged.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2), ref))

    def _finish(self) -> None:
        assert self._cell is not None
        kind = self._cell.get("t", "n")
        raw = "".join(self._value)
        text = self._shown(kind, raw)
        flaw = None
        if self._formula is not None and not raw:
            formula = "=" + "".join(self._formula)
            flaw = (
                f"cell {_letters(self._column)}{self._row} holds the formula"
                f" {_one_line(formula)[:60]} without a saved value (open and save the file in"
                " Excel, or type the figure)"
            )
        if text.strip() or flaw is not None:
            self.rows.setdefault(self._row, {})[self._column] = (text, flaw)

    def _shown(self, kind: str, raw: str) -> str:
        """The text a cell shows, as :func:`_xlsx_text` words it."""
        if kind == "inlineStr":
            return "".join(self._inline)
        if not raw:
            return ""
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError):
                raise _Refused(
                    f"cell {self._where()} names a shared string that is not there"
                ) from None
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
        if kind == "d":
            try:
                return _xlsx_text(dt.datetime.fromisoformat(raw.strip()), "")
            except ValueError:
                return raw
        style = self._cell.get("s", "0") if self._cell else "0"
        number_format = (
            self.formats[int(style)] if style.isdigit() and int(style) < len(self.formats) else ""
        )
        try:
            value: Any = (
                int(raw) if raw.strip().lstrip("-").isdigit() else Decimal(repr(float(raw)))
            )
        except (ValueError, InvalidOperation):
            return raw
        if isinstance(value, Decimal) and not value.is_finite():
            return raw
        if number_format and self.is_date(number_format):
            try:
                return _xlsx_text(self.from_excel(value, self.epoch), number_format)
            except (OverflowError, ValueError, TypeError):
                return "#VALUE!"
        return _xlsx_text(value, number_format or "General")

    def _where(self) -> str:
        return f"{_letters(self._column)}{self._row}"


def _segment(title: str, reader: _SheetReader, hidden: bool) -> Sheet:
    """The sheet as rows of text: its rows that hold something (a blank row where rows are
    missing), as wide as its widest such row; a merged range's covered cells flawed."""
    numbers = sorted(reader.rows)
    width = 0
    for number in numbers:
        widest = max(reader.rows[number])
        if widest > MAX_SHEET_COLUMNS:
            text, _ = reader.rows[number][widest]
            raise _TooBig(
                f"sheet {title}: cell {_letters(widest)}{number} holds"
                f" {_one_line(text)[:30]!r}, beyond column {_letters(MAX_SHEET_COLUMNS)}:"
                f" apacore reads tables of at most {MAX_SHEET_COLUMNS:,} columns"
                " (see docs/limits.md)"
            )
        width = max(width, widest)
    lines = len(numbers) + sum(1 for a, b in zip([0, *numbers], numbers) if b > a + 1)
    covered = 0
    for top, left, bottom, right, _ in reader.merged:
        spanned = bisect.bisect_right(numbers, bottom) - bisect.bisect_left(numbers, top)
        covered += spanned * max(0, min(right, width) - left + 1)
    if lines * width + covered > MAX_SHEET_CELLS:
        raise _TooBig(
            f"sheet {title}: its table is {lines:,} rows by {width:,} columns"
            + (f" with merged ranges over {covered:,} cells" if covered else "")
            + f"; apacore reads sheets of at most {MAX_SHEET_CELLS:,} cells (see docs/limits.md)"
        )
    merged_at: dict[int, list[tuple[int, int, int, int, str]]] = {}
    for merged in reader.merged:
        top, bottom = merged[0], merged[2]
        for number in numbers[
            bisect.bisect_left(numbers, top) : bisect.bisect_right(numbers, bottom)
        ]:
            merged_at.setdefault(number, []).append(merged)
    rows: list[SheetRow] = []
    previous = 0
    for number in numbers:
        if number > previous + 1:
            rows.append((previous + 1, (), ()))
        previous = number
        cells = reader.rows[number]
        texts = [""] * width
        flaws: list[tuple[int, str]] = []
        for top, left, _bottom, right, ref in merged_at.get(number, ()):
            anchor = f"{_letters(left)}{top}"
            why = (
                f"cells {ref} are merged into one: which column the figure in {anchor}"
                " belongs to cannot be told"
            )
            flaws.extend(
                (column - 1, why)
                for column in range(left, min(right, width) + 1)
                if (number, column) != (top, left)
            )
        for column, (text, flaw) in cells.items():
            texts[column - 1] = text
            if flaw is not None:
                flaws.append((column - 1, flaw))
        rows.append((number, tuple(texts), tuple(flaws)))
    return title, rows, hidden


def read_workbook(path: Path) -> list[Sheet]:
    """Every worksheet of the workbook at ``path`` as rows of text (see the module)."""
    where = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ApacoreError(
            f"cannot read as an Excel workbook: {_one_line(str(exc)) or type(exc).__name__}",
            where=where,
        ) from None
    with archive:
        book = _Book(archive, path)
        try:
            workbook = _workbook_part(book)
            if workbook not in book.names:
                raise _Refused("holds no workbook (xl/workbook.xml)")
            sheets, date1904 = _sheets(book, workbook)
            rels = book.relations(workbook)
            parts = {kind.rpartition("/")[2]: target for kind, target in rels.values()}
            strings_part, styles_part = parts.get("sharedStrings"), parts.get("styles")
            to_read = [part for _, _, part in sheets if part in book.names]
            if strings_part in book.names:
                to_read.append(strings_part)
            unpacked = sum(archive.getinfo(part).file_size for part in to_read)
            if unpacked > MAX_SHEET_XML_BYTES:
                raise _TooBig(
                    f"its sheets unpack to {unpacked:,} bytes; apacore reads sheets of at"
                    f" most {MAX_SHEET_XML_BYTES:,} bytes unpacked (see docs/limits.md)"
                )
            strings = _shared_strings(book, strings_part)
            formats = _styles(book, styles_part)
            segments = []
            for title, state, part in sheets:
                reader = _SheetReader(strings, formats, date1904)
                if part in book.names:
                    _parse(book.part(part), reader.start, reader.end, reader.text)
                segments.append(_segment(title, reader, state != "visible"))
        except _TooBig as exc:
            raise ApacoreError(str(exc), where=where) from None
        except _Refused as exc:
            raise ApacoreError(f"cannot read as an Excel workbook: {exc}", where=where) from None
    return segments
