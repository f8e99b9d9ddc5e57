"""Reading files into rows of cells: tab-separated text, CSV and Excel workbooks."""

from __future__ import annotations

import csv
import importlib
import io
import zipfile
from pathlib import Path

from apacore.errors import ApacoreError
from apacore.limits import (
    MAX_TABLE_BYTES,
    MAX_XLSX_UNPACKED_BYTES,
    check_regular_file,
    check_size,
)
from apacore.values import frozen

# --------------------------------------------------------------------------- reading files


@frozen
class _Row:
    line: int
    cells: tuple[str, ...]
    # Cells whose text cannot be trusted (0-based column, why): an Excel formula without
    # a saved value, a cell merged into its neighbour. Reported if a figure column.
    flaws: tuple[tuple[int, str], ...] = ()

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


@frozen
class _Segment:
    sheet: str
    rows: tuple[_Row, ...]
    hidden: bool = False  # a hidden worksheet: its tables are reported, not read


def _decode(path: Path) -> str:
    try:
        size = check_regular_file(path, where=str(path), error=ApacoreError)
        check_size(size, MAX_TABLE_BYTES, where=str(path), error=ApacoreError)
        raw = path.read_bytes()
    except OSError as exc:
        raise ApacoreError(f"cannot read: {exc.strerror or exc}", where=str(path)) from None
    utf16 = _utf16(raw)
    if utf16 is not None:
        raise ApacoreError(
            f"is {utf16} text, not UTF-8: save it as UTF-8 (in Excel: CSV UTF-8)",
            where=str(path),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApacoreError(f"not UTF-8 text (byte {exc.start})", where=str(path)) from None


def _utf16(raw: bytes) -> str | None:
    """``UTF-16`` (with its byte-order mark), ``UTF-16LE`` or ``UTF-16BE`` (without)
    when ``raw`` looks like it, else None. Without a mark, UTF-16 is told by its high
    bytes: NUL for Latin text, 0x09 for Bengali, in every other byte (at the odd places
    for little-endian); such text decodes as UTF-8 full of NULs and tabs and would be
    "no progress table found"."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = raw[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    for name, high, low in (
        ("UTF-16LE", sample[1::2], sample[0::2]),
        ("UTF-16BE", sample[0::2], sample[1::2]),
    ):
        if sum(1 for b in high if b in (0, 9)) * 2 >= pairs and high.count(0) * 10 >= pairs:
            return name
        # Bengali alone (U+0980 to U+09FF): 0x09 then 0x80..0xFF; a TSV of empty cells
        # is tabs at both places
        if high.count(9) * 10 >= pairs * 9 and sum(1 for b in low if b >= 0x80) * 2 >= pairs:
            return name
    return None


def _read_text(path: Path) -> list[_Segment]:
    lines = _decode(path).split("\n")
    rows = [_Row(n, tuple(line.rstrip("\r").split("\t"))) for n, line in enumerate(lines, 1)]
    return [_Segment("", tuple(rows))]


def _read_csv(path: Path) -> list[_Segment]:
    # strict: an unclosed quote is an error, not a field that swallows the rest of the file
    reader = csv.reader(io.StringIO(_decode(path), newline=""), strict=True)
    rows: list[_Row] = []
    last = 0
    try:
        for cells in reader:
            rows.append(_Row(last + 1, tuple(cells)))
            last = reader.line_num
    except csv.Error as exc:
        why = (
            f'a quote (") opened on this row is never closed: the rest of the file, to'
            f" line {reader.line_num}, would be read into one cell"
            if "unexpected end of data" in str(exc)
            else f'not valid CSV ({exc}): a quote (") in this row does not close its cell'
            ' (a cell with a quote inside is written "like ""this""")'
        )
        raise ApacoreError(f"line {last + 1}: {why}", where=str(path)) from None
    return [_Segment("", tuple(rows))]


def _read_xlsx(path: Path) -> list[_Segment]:
    try:
        importlib.import_module("openpyxl")  # its number formats and date arithmetic
    except ImportError:
        raise ApacoreError(
            "reading .xlsx files needs openpyxl: pip install apacore[xlsx]", where=str(path)
        ) from None
    try:
        size = check_regular_file(path, where=str(path), error=ApacoreError)
    except OSError as exc:
        raise ApacoreError(f"cannot read: {exc.strerror or exc}", where=str(path)) from None
    check_size(size, MAX_TABLE_BYTES, where=str(path), error=ApacoreError)
    _check_unpacked(path)
    from apacore.importer.xlsx import read_workbook

    return [
        _Segment(title, tuple(_Row(line, cells, flaws) for line, cells, flaws in rows), hidden)
        for title, rows, hidden in read_workbook(path)
    ]


def _check_unpacked(path: Path) -> None:
    """Refuse a workbook that unpacks to more than the limit (before openpyxl unpacks it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl says what is wrong with it
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ApacoreError(
            f"unpacks to {unpacked:,} bytes; apacore reads workbooks of at most"
            f" {MAX_XLSX_UNPACKED_BYTES:,} bytes unpacked (see docs/limits.md)",
            where=str(path),
        )


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
