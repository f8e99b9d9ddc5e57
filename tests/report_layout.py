"""What the rendered report looks like to a reader, read from WeasyPrint's laid-out boxes:
the text of every table cell, line by line, and whether any line runs out of its cell or
breaks inside a word (tests/test_report_layout.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import attrs

# a line may end after a space, a slash or a hyphen: anywhere else is inside a word
_TOKENS = re.compile(r"[^\s/\-–]+[/\-–]?|[/\-–]")


@attrs.frozen
class Cell:
    """A table cell as laid out: its lines, and the text that runs past its right edge."""

    page: int
    header: bool
    source: str
    """The cell's text as written in the page."""
    lines: tuple[str, ...]
    overflow: tuple[str, ...]

    def split_words(self) -> tuple[str, ...]:
        """Fragments of a word the cell breaks across two lines (``persons (la`` / ``kh)``)."""
        whole = set(_TOKENS.findall(self.source))
        return tuple(
            piece
            for line in self.lines
            for piece in _TOKENS.findall(line)
            if piece not in whole and piece.rstrip("/-–") not in whole
        )


def _text(element: Any) -> str:
    """An element's text, a line break (``<br>``) as a space."""
    parts = [" " if str(element.tag).endswith("br") else "", element.text or ""]
    for child in element:
        parts += [_text(child), child.tail or ""]
    return "".join(parts)


def _cells(box: Any, page: int, header: bool) -> Iterator[Cell]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TableRowGroupBox):
        header = header or bool(box.is_header)
    if isinstance(box, boxes.TableCellBox):
        right = box.content_box_x() + box.width + 0.5
        lines, overflow = [], []
        for child in box.descendants():
            if isinstance(child, boxes.LineBox):
                texts = [t for t in child.descendants() if isinstance(t, boxes.TextBox)]
                lines.append("".join(t.text for t in texts).strip())
                overflow += [
                    t.text for t in texts if t.position_x + t.width > right and t.text.strip()
                ]
        source = " ".join(_text(box.element).split())
        yield Cell(page, header, source, tuple(line for line in lines if line), tuple(overflow))
        return
    for child in getattr(box, "children", ()):
        yield from _cells(child, page, header)


def laid_out_cells(document: Any) -> list[Cell]:
    """Every table cell of a rendered WeasyPrint ``document``, as laid out on its pages."""
    return [
        cell
        for number, page in enumerate(document.pages, start=1)
        for cell in _cells(page._page_box, number, False)
    ]
