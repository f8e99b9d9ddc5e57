"""Writing the report: what an import read, as ``report.toml`` text."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from decimal import Decimal

from apacore.values import frozen

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from apacore.errors import ReportError
from apacore.importer.text import _one_line, _s, _sentence
from apacore.loading.convert import structure
from apacore.models import ProgressEntry, ProgressReport
from apacore.toml_text import toml_string

# --------------------------------------------------------------------------- results


@frozen
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


@frozen(kw_only=True)
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


@frozen(kw_only=True)
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
            f"fiscal_year = {toml_string(self.fiscal_year)}",
            f"quarter = {self.quarter}",
        ]
        if self.office:
            out.append(f"office = {toml_string(self.office)}")
        out.append(f"source = {toml_string(self.source)}")
        out.append(f"note = {toml_string(self.note)}")
        for entry in self.entries:
            out += ["", "[[entries]]", f"indicator = {toml_string(entry.indicator)}"]
            for key, reading in zip(("q1", "q2", "q3", "q4"), entry.quarters()):
                if reading is not None:
                    out.append(f"{key} = {toml_string(reading.text)}")
            out.append(f"status = {toml_string(entry.status)}")
            out.append(f"source = {toml_string(entry.source)}")
            if entry.note:
                out.append(f"note = {toml_string(entry.note)}")
            claimed = entry.claimed
            if claimed is not None:
                out += ["", "[entries.claimed]"]
                for key in ("total", "progress_pct", "marks"):
                    reading = getattr(claimed, key)
                    if reading is not None:
                        out.append(f"{key} = {toml_string(reading.text)}")
        if self.problems:
            out += ["", "# Rows not imported:"]
            for p in self.problems:
                out.append(f"# {_one_line(str(p))}")
                out.append(f"#     {_one_line(p.text)[:160]}")
        return "\n".join(out) + "\n"

    def summary(self, file: str, written: str | None = None) -> str:
        """What the import read, for standard error: the count of entries, tables and
        rows not read (and the file ``written``), then each row not read; ``file`` is the
        name the reader gave the table."""
        from apacore.errors import one_line

        lines = [
            f"{one_line(file)}: {len(self.entries)} entries from {self.tables_found} table(s),"
            f" {len(self.problems)} row(s) not read" + (f"; wrote {written}" if written else "")
        ]
        lines += [f"  {one_line(file)}: {one_line(problem)}" for problem in self.problems]
        return "".join(f"{line}\n" for line in lines)

    def report(self) -> ProgressReport:
        """The result as a :class:`~apacore.models.ProgressReport`, through its own TOML."""
        data = tomllib.loads(self.to_toml(), parse_float=Decimal)
        return structure(data, ProgressReport, where=f"import of {self.file}", error=ReportError)
