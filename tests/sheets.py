"""Random hostile ``.xlsx`` workbooks for the importer's fuzz (tests/test_fuzz.py and
benchmarks/fuzz.py): a small progress table, then cells far away (Z200000, XFD7), blank
and whitespace cells, numbers, dates, formulas without a saved value, shared strings,
and merged ranges up to XFD1048576, written as the XML Excel writes. Every workbook is a
few kilobytes: what it costs to read must follow what it holds, not where it reaches.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

import attrs

MAX_ROW = 1_048_576
MAX_COLUMN = 16_384

_TABLE = [
    ["অভিযোগ প্রতিকার ব্যবস্থা কর্মপরিকল্পনা ২০২৪-২০২৫"],
    ["মাসের নাম: অক্টোবর-ডিসেম্বর, ২০২৪"],
    ["কর্মসম্পাদন সূচক", "১ম কোয়ার্টার", "২য় কোয়ার্টার", "মোট অর্জন"],
    ["[১.১.১] অভিযোগ নিষ্পত্তিকৃত", 3, 4, 7],
    ["[১.২.১] প্রতিবেদন", 1, 2, 3],
]

_TEXTS = ["", " ", "\t", "x", "৩", "=1+1", "[১.৩.১] সূচক", "-", "৫০%", "\u200b", "  ৭  "]


@attrs.frozen
class Cell:
    row: int
    column: int
    kind: str
    """``s`` (a shared string), ``inlineStr``, ``n`` (a number), ``d`` (a number as a
    date), ``b``, ``f`` (a formula without a saved value), ``e`` (an error)."""
    value: str

    @property
    def holds_something(self) -> bool:
        """Whether a reader must keep it: text that is not blank, any figure, a formula."""
        return self.kind not in ("s", "inlineStr") or bool(self.value.strip())


@attrs.frozen
class Sheet:
    cells: tuple[Cell, ...]
    merged: tuple[tuple[int, int, int, int], ...]

    @property
    def extent(self) -> tuple[int, int]:
        """(rows holding something, the widest column holding something)."""
        kept = [c for c in self.cells if c.holds_something]
        return len({c.row for c in kept}), max((c.column for c in kept), default=0)


def letters(column: int) -> str:
    """``28`` → ``AB`` (openpyxl's, not the reader's own: the test does not trust it)."""
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(column))


def _far(rng: random.Random) -> tuple[int, int]:
    row = rng.choice([6, 7, 60_000, 200_000, MAX_ROW, rng.randint(6, MAX_ROW)])
    column = rng.choice([1, 2, 5, 26, 1000, 1001, MAX_COLUMN, rng.randint(1, MAX_COLUMN)])
    return row, column


def random_sheet(rng: random.Random) -> Sheet:
    """A progress table with hostile additions, chosen by ``rng``."""
    cells = []
    if rng.random() < 0.8:
        for r, row in enumerate(_TABLE, 1):
            for c, value in enumerate(row, 1):
                kind = "n" if isinstance(value, int) else "s"
                cells.append(Cell(r, c, kind, str(value)))
    for _ in range(rng.randrange(12)):
        row, column = _far(rng)
        kind = rng.choice(["s", "inlineStr", "n", "d", "b", "f", "e"])
        value = {
            "n": rng.choice(["0.1", "-3", "1e400", "25", "nan", "1" * 60]),
            "d": rng.choice(["45657", "-1", "3000000", "0.5"]),
            "b": rng.choice(["0", "1"]),
            "f": rng.choice(["SUM(B4:C4)", "B5+C5", ""]),
            "e": "#DIV/0!",
        }.get(kind, rng.choice(_TEXTS))
        cells.append(Cell(row, column, kind, value))
    merged = []
    for _ in range(rng.randrange(4)):
        (r1, c1), (r2, c2) = _far(rng), _far(rng)
        if rng.random() < 0.3:
            r1, c1 = rng.randint(1, 6), rng.randint(1, 5)
        merged.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    # one cell per place, in the order Excel writes them
    unique = {(c.row, c.column): c for c in cells}
    return Sheet(tuple(unique[k] for k in sorted(unique)), tuple(merged))


def _cell_xml(cell: Cell, strings: dict[str, int]) -> str:
    ref = f"{letters(cell.column)}{cell.row}"
    if cell.kind == "s":
        index = strings.setdefault(cell.value, len(strings))
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'
    if cell.kind == "inlineStr":
        text = escape(cell.value)
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if cell.kind == "d":
        return f'<c r="{ref}" s="1"><v>{cell.value}</v></c>'
    if cell.kind == "f":
        return f'<c r="{ref}"><f>{escape(cell.value)}</f></c>'
    if cell.kind in ("b", "e"):
        return f'<c r="{ref}" t="{cell.kind}"><v>{escape(cell.value)}</v></c>'
    return f'<c r="{ref}"><v>{escape(cell.value)}</v></c>'


def _rows_xml(cells: Iterable[Cell], strings: dict[str, int]) -> str:
    out, row = [], None
    for cell in cells:
        if cell.row != row:
            out.append(("</row>" if row is not None else "") + f'<row r="{cell.row}">')
            row = cell.row
        out.append(_cell_xml(cell, strings))
    return "".join(out) + ("</row>" if row is not None else "")


def xlsx(sheet: Sheet) -> bytes:
    """The workbook holding ``sheet`` (named ``grs``), as Excel lays it out."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    strings: dict[str, int] = {}
    rows = _rows_xml(sheet.cells, strings)
    merged = "".join(
        f'<mergeCell ref="{letters(c1)}{r1}:{letters(c2)}{r2}"/>' for r1, c1, r2, c2 in sheet.merged
    )
    worksheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{rows}'
        f"</sheetData>"
        + (f'<mergeCells count="{len(sheet.merged)}">{merged}</mergeCells>' if merged else "")
        + "</worksheet>"
    )
    shared = "".join(
        f'<si><t xml:space="preserve">{escape(s)}</t></si>'
        for s, _ in sorted(strings.items(), key=lambda kv: kv[1])
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{pkg}"><Relationship Id="r1" Type="{rel}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            f'<sheet name={quoteattr("grs")} sheetId="1" r:id="rS"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{pkg}">'
            f'<Relationship Id="rS" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rT" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rY" Type="{rel}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": worksheet,
        "xl/sharedStrings.xml": f'<sst xmlns="{main}">{shared}</sst>',
        "xl/styles.xml": (
            f'<styleSheet xmlns="{main}"><cellXfs count="2"><xf numFmtId="0"/>'
            '<xf numFmtId="14"/></cellXfs></styleSheet>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()
