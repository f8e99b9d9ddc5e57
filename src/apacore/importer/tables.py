"""Finding tables in rows: header rows, column roles, quarter columns, the annex a title names."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Final

from apacore.errors import ParseError, PluginError
from apacore.importer.files import _Row, _Segment
from apacore.importer.text import _norm, _rx, _s
from apacore.numbers import (
    QUARTER_RE,
    Marker,
    ordinal_quarter,
    parse_id,
    parse_reading,
    to_ascii_digits,
)
from apacore.plugins.host import get_registry
from apacore.values import frozen

# --------------------------------------------------------------------------- header patterns

_QUARTER_RE: Final = QUARTER_RE

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


def annex_titles() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """``annex="auto"``: each annex kind with one pattern of its title words, from the
    ``titles`` of the registered annex types (a plugin's annex is recognised the same way).
    A pattern that is not a valid regular expression is an error naming its plugin."""
    registry = get_registry()
    return _compiled_titles(
        tuple(
            (kind, t.titles, registry.owner("annex type", kind))
            for kind, t in registry.annex_types.items()
            if t.titles
        )
    )


@functools.lru_cache(maxsize=4)
def _compiled_titles(
    titles: tuple[tuple[str, tuple[str, ...], str], ...],
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for kind, patterns, plugin in titles:
        try:
            out.append((kind, _rx("|".join(f"(?:{p})" for p in patterns))))
        except (re.error, TypeError) as exc:
            raise PluginError(
                f"annex type {kind!r} has a title pattern that is not a regular expression: {exc}",
                where=f"plugin {plugin}",
            ) from None
    return tuple(out)


_TARGET_WORDS: Final = {_norm(w) for w in ("লক্ষ্যমাত্রা", "target")}
_ACHIEVED_WORDS: Final = {_norm(w) for w in ("অর্জন", "achievement", "actual")}
_LABEL_TARGET_RE: Final = _rx(r"লক্ষ্যমাত্রা|target")
_LABEL_ACHIEVED_RE: Final = _rx(r"অর্জন|achievement|actual")

_DIGITS: Final = "0-9০-৯"
_BRACKET_ID_RE: Final = re.compile(rf"\[\s*([{_DIGITS}]+(?:\s*\.\s*[{_DIGITS}]+)+)\s*\]")
_LEADING_ID_RE: Final = re.compile(rf"^\s*([{_DIGITS}]+(?:\.[{_DIGITS}]+)+)(?=\s|$)")
_SMALL_INT_RE: Final = re.compile(r"[0-9]{1,3}")


# --------------------------------------------------------------------------- finding tables


@frozen
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
        quarter = ordinal_quarter(m["ord"])
        if quarter is None:  # a scan's ordinal not the digit's own (২ম): the digit counts
            quarter = int(to_ascii_digits(m["ord"][0]))
        found.add(quarter)
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
        kinds = [kind for kind, pattern in annex_titles() if pattern.search(text)]
        if len(kinds) == 1:
            return text, kinds[0]
        if re.search(r"[^\W\d_]", text):
            lettered = True
    if previous is not None and not lettered:
        return "", previous_annex  # the table goes on after a page number: same annex
    return "", None
