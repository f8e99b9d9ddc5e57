"""Reading the document around the tables: fiscal year, quarter and office."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Final

from apacore.errors import ApacoreError
from apacore.importer.files import _Segment
from apacore.importer.tables import _quarter_of
from apacore.importer.text import _norm, _rx, _s
from apacore.numbers import FISCAL_YEAR_RE, fiscal_year_of, parse_fiscal_year, to_ascii_digits

_MONTHS_START: Final = {
    "জুলাই": 1,
    "জুনাই": 1,
    "অক্টোবর": 2,
    "জানুয়ারি": 3,
    "জানুয়ারী": 3,
    "এপ্রিল": 4,
    "july": 1,
    "jul": 1,
    "october": 2,
    "oct": 2,
    "january": 3,
    "jan": 3,
    "april": 4,
    "apr": 4,
}
_MONTHS_END: Final = {
    "সেপ্টেম্বর": 1,
    "ডিসেম্বর": 2,
    "মার্চ": 3,
    "জুন": 4,
    "september": 1,
    "sept": 1,
    "sep": 1,
    "december": 2,
    "dec": 2,
    "march": 3,
    "mar": 3,
    "june": 4,
    "jun": 4,
}


def _alternation(words: Iterable[str]) -> str:
    return "|".join(
        sorted((re.escape(unicodedata.normalize("NFC", w)) for w in words), key=len, reverse=True)
    )


_MONTH_RANGE_RE: Final = _rx(
    rf"(?P<a>{_alternation(_MONTHS_START)})[^-–—\n]{{0,16}}?(?:[-–—]|হতে|থেকে|\bto\b)\s*"
    rf"(?P<b>{_alternation(_MONTHS_END)})"
)
_OFFICE_RE: Final = _rx(
    r"(?:কার্যালয়ের|ইউনিটের|অফিসের|দপ্তরের|সংস্থার)\s*নাম\s*[:ঃ]\s*(?P<name>.+)"
    r"|^\s*office(?:\s*name)?\s*:\s*(?P<en>.+)"
)


# --------------------------------------------------------------------------- document header


def _check_fiscal_year(text: str) -> str:
    fy = parse_fiscal_year(text)
    if fy is None:
        raise ApacoreError(
            f"{text!r} is not a fiscal year: write it as 2024-25 (or 2024-2025, ২০২৪-২০২৫)",
            where="--fiscal-year",
        )
    return fy


def _prose(segments: Sequence[_Segment]) -> list[tuple[int, str]]:
    """Rows with at most one filled cell: titles, subjects, dates, signatures."""
    out = []
    for seg in segments:
        for row in seg.rows:
            if len(row.filled) == 1:
                out.append((row.line, _norm(row.cells[row.filled[0]])))
    return out


def _detect_fiscal_year(segments: Sequence[_Segment]) -> tuple[str | None, str]:
    counts: Counter[str] = Counter()
    for seg in segments:
        for row in seg.rows:
            for cell in row.cells:
                for m in FISCAL_YEAR_RE.finditer(to_ascii_digits(cell)):
                    fy = fiscal_year_of(m)
                    if fy is not None:
                        counts[fy] += 1
    if not counts:
        return None, "no fiscal year (such as ২০২৪-২০২৫) in the document"
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        seen = ", ".join(f"{fy} ×{n}" for fy, n in ranked)
        return None, f"the document names several fiscal years equally often ({seen})"
    best, n = ranked[0]
    others = "; also " + ", ".join(f"{fy} ×{k}" for fy, k in ranked[1:]) if len(ranked) > 1 else ""
    return best, f"fiscal year {best} read from the document ({n} mention{_s(n)}{others})"


def _detect_quarter(segments: Sequence[_Segment]) -> tuple[int | None, str]:
    votes: Counter[int] = Counter()
    first: dict[int, tuple[int, str]] = {}
    for line, text in _prose(segments):
        found: set[int] = set()
        for m in _MONTH_RANGE_RE.finditer(text):
            a = _MONTHS_START[unicodedata.normalize("NFC", m["a"]).casefold()]
            b = _MONTHS_END[unicodedata.normalize("NFC", m["b"]).casefold()]
            if a == b:
                found.add(a)
        found |= _quarter_of(text)
        for q in found:
            votes[q] += 1
            first.setdefault(q, (line, text))
    if not votes:
        return None, "no quarter (such as জুলাই-সেপ্টেম্বর or ২য় ত্রৈমাসিক) in the document"
    ranked = votes.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        seen = ", ".join(f"Q{q} ×{n} (line {first[q][0]})" for q, n in ranked)
        return None, f"the document names several quarters equally often ({seen})"
    q, n = ranked[0]
    line, text = first[q]
    others = ("; also " + ", ".join(f"Q{k} ×{c}" for k, c in ranked[1:])) if len(ranked) > 1 else ""
    return q, (
        f"quarter {q} read from the document ({n} line{_s(n)}, first line {line}: "
        f"{text[:60]!r}{others})"
    )


def _detect_office(segments: Sequence[_Segment]) -> tuple[str, str]:
    for line, text in _prose(segments):
        m = _OFFICE_RE.search(text)
        if m:
            name = (m["name"] or m["en"] or "").replace("*", "").strip(" ,।.;:")
            if name:
                return name, f"office read from line {line}"
    return "", ""
