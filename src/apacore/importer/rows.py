"""Reading a table's rows: ids, figures and the office's own claimed figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from apacore.errors import ParseError
from apacore.importer.files import _Row
from apacore.importer.tables import (
    _ACHIEVED_WORDS,
    _LABEL_ACHIEVED_RE,
    _LABEL_TARGET_RE,
    _LEADING_ID_RE,
    _TARGET_WORDS,
    _ids,
    _is_column_numbers,
    _is_int,
    _Table,
)
from apacore.importer.text import _norm
from apacore.numbers import Reading, parse_reading, to_ascii_digits
from apacore.values import frozen

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


@frozen
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
