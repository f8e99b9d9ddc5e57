"""Reading files into rows of cells: tab-separated text, CSV and Excel workbooks."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
from decimal import Decimal
from pathlib import Path
from typing import Final

import attrs

from apacore.errors import ApacoreError
from apacore.importer.text import _one_line

SUFFIXES: Final = (".tsv", ".txt", ".csv", ".xlsx")
"""The file types :func:`import_table` reads."""


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
