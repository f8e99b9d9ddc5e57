"""The pages' Bengali typeface: Noto Sans Bengali, regular and bold, and its ``@font-face``.

The faces are shipped in ``apacore/report/fonts`` with their licence (SIL Open Font
License 1.1, which allows subsetting and embedding). A page (the report, the batch's
ranking) declares both weights under one family, ``apacore Bengali``, with
``font-synthesis: none``, so bold text is drawn with the bold face and never thickened
from the regular one.

The HTML carries its fonts inside (``data:`` addresses), but only what the page needs:
each face is subset with fontTools to the characters of the page, keeping every glyph
the shaping rules (GSUB, GPOS: all layout features) can make of each cluster of letters,
so conjuncts, reph and vowel signs shape as with the whole font, then compressed (WOFF2
when brotli is installed, WOFF otherwise). Dakop's page: 262 of the 679 glyphs of each
face, 20 KB as WOFF2 or 25 KB as WOFF, for faces of 202 KB and 211 KB. The PDF names the
whole files; WeasyPrint embeds the glyphs it draws.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
import threading
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "ALWAYS",
    "FACES",
    "HINTING_REFERENCE",
    "clusters",
    "embed_faces",
    "face_bytes",
    "faces",
    "page_text",
    "subset",
]

FACES = {400: "NotoSansBengali-Regular.ttf", 700: "NotoSansBengali-Bold.ttf"}
"""The shipped face of each CSS ``font-weight``."""

ALWAYS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "০১২৩৪৫৬৭৮৯।॥"
    + "\u00a0\u00ad\u200b\u200c\u200d\u2010\u2011\u2013\u2014\u2018\u2019\u201c\u201d"
    + "\u2026\u2212\u25cc"
)
"""Characters every subset keeps although the page's source may not spell them: printable
ASCII (CSS escapes such as ``\\22``), Bengali digits and dandas (the ``bengali`` counter
style of the printed page numbers), the joiners, the hyphens and dashes a browser inserts
when it breaks or hyphenates a line, and the dotted circle a shaper draws under a
stray vowel sign."""

HINTING_REFERENCE = (
    "অডতনবভলকইটঠিীৈৗওএ"
    + "".join(chr(c) for c in (*range(0x981, 0x984), 0x9BC, *range(0x9BE, 0x9C5), 0x9C7, 0x9C8))
    + "".join(chr(c) for c in (0x9CB, 0x9CC, 0x9CD, 0x9D7, 0x9E2, 0x9E3))
)
"""Characters whose glyphs every subset keeps (their glyphs only, not what they shape
into): the Bengali letters FreeType's auto-hinter measures to place a font's blue zones,
and the vowel signs and marks. A browser on Linux hints the text with it, from the glyphs
the font holds: without these, Chromium drew the same words of Rangpur's English page a
fraction of a pixel apart from the whole font."""

_PLACEHOLDER = "apacore-face({weight})"
_PLACEHOLDER_RE = re.compile(r"apacore-face\((\d+)\)")
_TAG_RE = re.compile(r"<[^>]*>")
_LOCK = threading.Lock()  # fontTools' tables load lazily: one subsetting at a time


def face_bytes(weight: int) -> bytes:
    """The whole shipped face of ``weight`` (400 or 700), a TrueType file."""
    return resources.files("apacore.report").joinpath("fonts", FACES[weight]).read_bytes()


def faces(embed: str) -> list[dict[str, Any]]:
    """The ``@font-face`` rules' values, one per weight: ``weight`` and ``src``.

    ``embed="data"``: placeholders that :func:`embed_faces` replaces, once the page is
    written, with ``data:`` addresses of the subsets; ``"file"``: the shipped files, by
    ``file:`` address (for WeasyPrint, which embeds the glyphs it draws in the PDF)."""
    if embed == "data":
        return [{"weight": w, "src": _PLACEHOLDER.format(weight=w)} for w in FACES]
    folder = resources.files("apacore.report").joinpath("fonts")
    return [
        {
            "weight": w,
            "src": f'url("{Path(str(folder.joinpath(name))).resolve().as_uri()}") format("truetype")',
        }
        for w, name in FACES.items()
    ]


def page_text(page: str) -> str:
    """The text of the page ``page`` (HTML) that a browser may draw, with the references
    resolved: the content without its tags (so a word split by inline markup stays whole),
    then the tags themselves (attributes, and CSS ``content:`` strings in ``<style>``), a
    superset of what is shown."""
    return (
        html.unescape(_TAG_RE.sub("", page)) + "\n" + html.unescape(" ".join(_TAG_RE.findall(page)))
    )


def clusters(text: str) -> set[str]:
    """The shaping clusters of ``text``: a character with the combining marks after it
    (vowel signs, nukta, hasanta, candrabindu, anusvara, visarga), the joiners, and every
    letter after a hasanta (্) or a zero-width joiner, so that ``ক্ষ`` and ``র্ম`` stay one
    cluster. Bengali conjuncts, reph and the vowel signs' forms are shaped within a
    cluster, so the glyphs a cluster needs are the layout closure of its characters."""
    out: set[str] = set()
    current = ""
    previous = ""
    for char in text:
        joins = (
            unicodedata.category(char) in ("Mn", "Mc")
            or char in "\u200c\u200d"
            or previous in ("\u09cd", "\u200d")
        )
        if joins and current:
            current += char
        else:
            out.add(current)
            current = char
        previous = char
    out.add(current)
    out.discard("")
    return out


def _flavor() -> str:
    try:
        import brotli  # type: ignore[import-not-found,import-untyped,unused-ignore]  # noqa: F401
    except ImportError:
        return "woff"
    return "woff2"


@functools.lru_cache(maxsize=len(FACES))
def _face(weight: int) -> Any:
    from fontTools.ttLib import TTFont

    class Face(TTFont):  # type: ignore[misc]
        def __bool__(self) -> bool:
            # the closure's logging asks ``if font:``, which would list and sort every
            # table (TTFont.__len__) at each step: half the time of a closure
            return True

    return Face(io.BytesIO(face_bytes(weight)))


@functools.lru_cache(maxsize=8192)
def _closure(weight: int, characters: frozenset[str]) -> frozenset[str]:
    """The glyphs (names) of the face of ``weight`` that its layout rules (every feature)
    can produce from ``characters``, with :data:`ALWAYS`."""
    from fontTools import subset as ft_subset

    options = ft_subset.Options()
    options.layout_features = ["*"]
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in characters | set(ALWAYS)))
    subsetter._closure_glyphs(_face(weight))  # the closure step of Subsetter.subset
    return frozenset(subsetter.glyphs_retained)


def _widest(groups: set[str]) -> list[frozenset[str]]:
    """The character sets of ``groups`` that are not within another's: the closure only
    grows with its characters, so those are the only ones to take."""
    kept: list[frozenset[str]] = []
    for letters in sorted({frozenset(g) for g in groups}, key=lambda s: (-len(s), sorted(s))):
        if not any(letters <= wider for wider in kept):
            kept.append(letters)
    return kept


def subset(weight: int, text: str, *, flavor: str | None = None) -> bytes:
    """The face of ``weight`` cut down to what ``text`` needs, compressed as ``flavor``
    (``"woff2"`` when brotli is installed, else ``"woff"``): the glyphs of its characters,
    of :data:`ALWAYS` and of :data:`HINTING_REFERENCE`, and every glyph the layout rules
    (all OpenType features: GSUB, GPOS) can make of each shaping cluster
    (:func:`clusters`); lookups stay whole for the glyphs kept. The closure is taken
    cluster by cluster, not over all the characters at once, which would keep every
    conjunct of every pair of letters on the page (Dakop's page: 262 glyphs, not 499, of
    the face's 679). The same page again costs nothing (the last subsets are kept)."""
    with _LOCK:
        glyphs: set[str] = set()
        for letters in _widest(clusters(text)):
            glyphs |= _closure(weight, letters)
    characters = frozenset(text) | frozenset(ALWAYS) | frozenset(HINTING_REFERENCE)
    return _subset(weight, frozenset(glyphs), characters, flavor or _flavor())


@functools.lru_cache(maxsize=16)
def _subset(weight: int, glyphs: frozenset[str], characters: frozenset[str], flavor: str) -> bytes:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.layout_features = ["*"]
    options.layout_closure = False  # the closure is the clusters', in subset()
    options.name_IDs = ["*"]  # the copyright and the licence travel with the font
    options.notdef_outline = True
    options.hinting = False
    options.flavor = flavor
    font = TTFont(io.BytesIO(face_bytes(weight)), recalcBBoxes=False, recalcTimestamp=False)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(glyphs=sorted(glyphs), unicodes=sorted(ord(c) for c in characters))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = flavor
    font.save(out)
    return out.getvalue()


def embed_faces(page: str) -> str:
    """``page`` with each face placeholder of :func:`faces` replaced by a ``data:`` address
    of that face subset to the page's text (:func:`page_text`)."""
    text = page_text(_PLACEHOLDER_RE.sub("", page))
    flavor = _flavor()
    data: dict[str, str] = {}
    for weight in set(_PLACEHOLDER_RE.findall(page)):
        font = base64.b64encode(subset(int(weight), text, flavor=flavor)).decode("ascii")
        data[weight] = f'url("data:font/{flavor};base64,{font}") format("{flavor}")'
    return _PLACEHOLDER_RE.sub(lambda m: data[m.group(1)], page)
