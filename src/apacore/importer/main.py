"""The import itself: :func:`import_table` reads a file's progress tables into an :class:`~apacore.importer.result.ImportResult`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from apacore.errors import ApacoreError, ParseError
from apacore.importer.document import (
    _check_fiscal_year,
    _detect_fiscal_year,
    _detect_office,
    _detect_quarter,
)
from apacore.importer.files import _read, _Row
from apacore.importer.result import ImportedTable, ImportProblem, ImportResult
from apacore.importer.rows import (
    _FIGURE_ROLES,
    _activity_hint,
    _figures_text,
    _logical_rows,
    _merged_with_numbers,
    _readings,
    _where,
)
from apacore.importer.tables import _find_tables, _ids, _Table, _title_and_annex
from apacore.importer.text import _s
from apacore.models import Claimed, ProgressEntry
from apacore.numbers import Marker, Reading, parse_quarter, parse_reading

ANNEX_AUTO: Final = "auto"
"""``annex="auto"``: take each table's annex from the title above it (the ``titles`` of its :class:`~apacore.plugins.registry.AnnexType`)."""


# --------------------------------------------------------------------------- the import


def import_table(
    path: Path | str,
    *,
    fiscal_year: str | None = None,
    quarter: int | str | None = None,
    annex: str | None = None,
    office: str | None = None,
    table: int | None = None,
) -> ImportResult:
    """Read the progress table(s) of ``path`` (``.tsv``, ``.txt``, ``.csv``, ``.xlsx``).

    ``fiscal_year`` (``"2024-25"``, ``"২০২৪-২০২৫"``) and ``quarter`` (1-4, or text such as
    ``"২য় কোয়ার্টার"`` or ``"দ্বিতীয়"``) default to what the document
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
    if isinstance(quarter, str):  # as the command line reads it: "২য় কোয়ার্টার", "দ্বিতীয়"
        quarter = parse_quarter(quarter) or quarter
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
    hidden: list[ImportProblem] = []
    for seg in segments:
        for t in _find_tables(seg):
            if seg.hidden and t.is_progress:  # reported, never read (nor left out) silently
                header = seg.rows[t.header_index]
                hidden.append(
                    ImportProblem(
                        header.line,
                        header.text,
                        "the sheet is hidden: its progress table was not read (unhide the"
                        " sheet to import it)",
                        seg.sheet,
                    )
                )
                continue
            (found if t.is_progress else not_progress).append(t)
    if not found and hidden:
        raise ApacoreError(str(hidden[0]), where=str(path))
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
    problems: list[ImportProblem] = list(hidden)
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


def _untrusted(row: _Row, t: _Table) -> list[str]:
    """Why cells of ``row`` that matter (the id and the figures) cannot be trusted: more
    cells than the header (an unquoted comma or tab shifted them), a formula without a
    saved value, a merged cell. Such a row is a problem, never read as blank."""
    header = t.segment.rows[t.header_index]
    width = len(header.cells)
    filled = len(row.cells)
    while filled and not row.cells[filled - 1].strip():
        filled -= 1
    why = []
    if filled > width:
        why.append(
            f"the row has {filled} cells but the header has {width}: a comma or tab inside"
            ' a figure shifts every cell after it (quote such figures: "1,250")'
        )
    wanted = {t.columns[r] for r in (*_FIGURE_ROLES, "indicator") if r in t.columns}
    why += [flaw for col, flaw in row.flaws if col in wanted]
    return why


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
        flawed = [(row, why) for row in item.rows for why in _untrusted(row, t)]
        if flawed:
            problem(flawed[0][0], "; ".join(why for _, why in flawed))
            continue
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
