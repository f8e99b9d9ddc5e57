"""The PDF of a page (the report, the batch's ranking): WeasyPrint, with text that copies out.

WeasyPrint writes each glyph with one ToUnicode entry, the text of the first cluster it was
drawn for. Bengali shaping breaks that: a pre-base vowel sign (ি, ে, ৈ) is drawn before the
consonant it follows in the text, a reph (র্) after the letter it precedes, and a conjunct
is one glyph for several letters; the same glyph then stands for different text in
different words. ``pdftotext`` gave ``ক র্ষিসম্পাদন`` for কর্মসম্পাদন.

The standard remedy (ISO 32000-1, 14.9.4) is a marked-content span whose ``/ActualText``
carries the text in logical order: ``/Span <</ActualText <FEFF…>>> BDC … EMC``. A reader
that honours it (poppler's ``pdftotext`` and viewers, MuPDF, Acrobat) copies that text and
ignores the glyphs' ToUnicode inside the span. WeasyPrint has no hook for it, so while
:func:`pdf_bytes` runs, its line-drawing function (``weasyprint.draw.text.draw_first_line``,
the same name and arguments in every release from 63 to 70; apacore needs 66) is wrapped to
put each line of text in such a span, unless the line is plain ASCII (Latin letters, digits and signs are one
glyph per character, or a ligature such as ``fi`` that always stands for the same letters,
so their ToUnicode entries are right, and a span would cost viewers the position of each
letter). The wrapper is installed once and acts only inside :func:`pdf_bytes`
(a context variable), so another WeasyPrint user in the same process is left alone.
"""

from __future__ import annotations

import contextvars
import functools
from typing import Any

from apacore.errors import ApacoreError

__all__ = ["actual_text", "pdf_bytes"]

_SPANS: contextvars.ContextVar[bool] = contextvars.ContextVar("apacore_actual_text", default=False)


def actual_text(text: str) -> bytes:
    """The ``/ActualText`` property list for ``text``: a PDF text string in UTF-16BE with
    its byte-order mark, written in hex (no escaping needed)."""
    data = b"\xfe\xff" + text.encode("utf-16-be")
    return b"<</ActualText <" + data.hex().upper().encode("ascii") + b">>>"


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))
"""Break controls that draw nothing (soft hyphen, zero-width space, word joiner, BOM):
left out of the copied text, where they would break a search. The joiners (ZWJ, ZWNJ)
stay: they are part of a Bengali word's spelling (র‍্যাব)."""


def _line_text(textbox: Any) -> str:
    """The text of the line WeasyPrint has just drawn from ``textbox``, in logical order:
    its layout's text up to the start of the layout's second line (a UTF-8 offset),
    without :data:`_INVISIBLE` characters."""
    layout = textbox.pango_layout
    _, index = layout.get_first_line()
    text: str = layout.text
    if index is not None:
        text = text.encode("utf-8")[:index].decode("utf-8", "ignore")
    return text.rstrip("\n").translate(_INVISIBLE)


def _spanned(draw_first_line: Any) -> Any:
    @functools.wraps(draw_first_line)
    def draw(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
        if not _SPANS.get():
            return draw_first_line(stream, textbox, *args, **kwargs)
        mark = len(stream.stream)
        result = draw_first_line(stream, textbox, *args, **kwargs)
        text = _line_text(textbox)
        if len(stream.stream) > mark and not text.isascii():  # the line's glyphs, in a span
            stream.stream[mark:mark] = [b"/Span", actual_text(text), b"BDC"]
            stream.stream.append(b"EMC")
        return result

    draw.apacore_spanned = True  # type: ignore[attr-defined]
    return draw


def _install(weasyprint_draw_text: Any) -> None:
    current = getattr(weasyprint_draw_text, "draw_first_line", None)
    if current is None:
        raise ApacoreError(
            "this WeasyPrint has no draw.text.draw_first_line: the PDF's text would not copy "
            "out; use WeasyPrint 66 to 70 (pip install 'apacore[pdf]')",
            where="-o",
        )
    if not getattr(current, "apacore_spanned", False):
        weasyprint_draw_text.draw_first_line = _spanned(current)


def pdf_bytes(html: str) -> bytes:
    """The PDF of the self-contained page ``html`` (WeasyPrint, the optional ``pdf`` extra),
    every line of text in an ``/ActualText`` span."""
    try:
        import weasyprint  # type: ignore[import-untyped,import-not-found,unused-ignore]
        import weasyprint.draw.text  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        raise ApacoreError(
            "writing a PDF needs WeasyPrint: pip install 'apacore[pdf]' (or write .html)",
            where="-o",
        ) from None
    _install(weasyprint.draw.text)
    token = _SPANS.set(True)
    try:
        data: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf()
    finally:
        _SPANS.reset(token)
    return data
