"""No silent surprises: what a person should know about a score that the score itself hides.

Each notice is one line for standard error (the command's exit status does not change):

- ``--as-of`` goes past the report's quarter: the later quarters have no figures and count
  as not reported, though the header says "as of Q3";
- an ``--as-of`` date is scored as of the end of its quarter (quarters are the unit);
- the agreement still holds values a template carried over from another office or decided
  (``apacore new`` marks them ``CARRIED OVER`` / ``DECIDED`` in their notes);
- the grade comes from bands the ruleset marks as unverified;
- there is no progress report: every indicator is scored as not reported (0).
"""

from __future__ import annotations

import datetime as dt
import re

from apacore.engine.scorecard import Scorecard
from apacore.formatting import format_date, localise_digits
from apacore.loading.agreements import OfficeFiles
from apacore.models import Agreement
from apacore.words import quarter_name, tier_name

__all__ = ["TEMPLATE_MARKS", "notices"]

TEMPLATE_MARKS = re.compile(r"\bCARRIED OVER\b|\bDECIDED\b")
"""How a template marks a value that is not the office's own (in capitals, in its note)."""


def _as_of(
    requested: int | dt.date | None, card: Scorecard, files: OfficeFiles, lang: str
) -> list[str]:
    out = []
    bn = lang == "bn"
    q = card.as_of_quarter
    if isinstance(requested, dt.date) and requested != card.as_of:
        out.append(
            f"--as-of {format_date(requested, lang=lang)} তার কোয়ার্টারের শেষ দিন"
            f" {format_date(card.as_of, lang=lang)} ({quarter_name(q, lang)}) পর্যন্ত"
            " মূল্যায়িত হয়েছে: apacore পুরো কোয়ার্টার ধরে মূল্যায়ন করে"
            if bn
            else f"--as-of {requested.isoformat()} is scored as of the end of its quarter,"
            f" {format_date(card.as_of)} (Q{q}): apacore scores whole quarters"
        )
    report = files.report
    if requested is not None and report is not None and q > report.quarter:
        first, last = report.quarter + 1, q
        if bn:
            later = quarter_name(first, lang) + (
                "" if first == last else f" থেকে {quarter_name(last, lang)}"
            )
            out.append(
                f"--as-of {quarter_name(last, lang)} প্রতিবেদনের কোয়ার্টার"
                f" ({quarter_name(report.quarter, lang)}) পেরিয়ে গেছে: {later}-এর কোনো"
                " সংখ্যা নেই, তাই প্রতিবেদিত নয় ধরা হয়েছে"
            )
        else:
            later = f"Q{first} has" if first == last else f"Q{first}-Q{last} have"
            out.append(
                f"--as-of Q{last} goes past the report's quarter (Q{report.quarter}):"
                f" {later} no figures and count as not reported"
            )
    return out


def _template_values(agreement: Agreement, where: str, lang: str) -> list[str]:
    carried: list[str] = []
    decided: list[str] = []
    for area in agreement.areas:
        for ind in area.indicators():
            marks = set(TEMPLATE_MARKS.findall(ind.note))
            if "DECIDED" in marks:
                decided.append(ind.id)
            elif marks:
                carried.append(ind.id)
    if not carried and not decided:
        return []
    if lang == "bn":
        parts = []
        if carried:
            parts.append(f"{_n(len(carried))}টি অন্য অফিস থেকে আনা ({_some(carried, lang)})")
        if decided:
            parts.append(f"{_n(len(decided))}টি টেমপ্লেটের নির্ধারিত ({_some(decided, lang)})")
        return [
            f"{where}: কিছু সূচকে এখনো টেমপ্লেটের মান, অফিসের নিজের নয়: "
            + "; ".join(parts)
            + " (নোটে CARRIED OVER / DECIDED লেখা আছে; নিজের মান বসিয়ে নোটটি মুছুন)"
        ]
    parts = []
    if carried:
        parts.append(f"{len(carried)} carried over from another office ({_some(carried, lang)})")
    if decided:
        parts.append(f"{len(decided)} decided by the template ({_some(decided, lang)})")
    return [
        f"{where}: indicators still hold a template's values, not the office's own: "
        + "; ".join(parts)
        + " (their notes say CARRIED OVER / DECIDED; replace the value and the note)"
    ]


def _n(count: int) -> str:
    return localise_digits(str(count), "bn")


def _some(ids: list[str], lang: str) -> str:
    shown = ", ".join(ids[:4]) + (", …" if len(ids) > 4 else "")
    return localise_digits(shown, lang)


def notices(
    files: OfficeFiles,
    card: Scorecard,
    requested: int | dt.date | None = None,
    lang: str = "en",
) -> list[str]:
    """The notices for ``card``, scored from ``files`` with ``--as-of`` ``requested``, in
    ``lang`` (``en`` or ``bn``: the officer reads them as the output they came with)."""
    out = _as_of(requested, card, files, lang)
    if files.report is None:
        out.append(
            f"{files.agreement_name}: পাশে কোনো report.toml নেই: প্রতিটি সূচক প্রতিবেদিত নয়"
            " (০) ধরে মূল্যায়ন করা হয়েছে"
            if lang == "bn"
            else f"{files.agreement_name}: no report.toml beside it: every indicator is scored"
            " as not reported (0)"
        )
    out += _template_values(files.agreement, files.agreement_name, lang)
    if card.grade_unverified:
        out.append(
            f"গ্রেড '{tier_name(str(card.grade), lang)}' যাচাই না করা সীমা থেকে (ভারতের আরএফডি"
            " চর্চা; বাংলাদেশের কোনো সূত্রে সীমা নেই): রায় নয়, ইঙ্গিত হিসেবে পড়ুন"
            if lang == "bn"
            else f"grade {card.grade!r} comes from unverified bands (India's RFD practice; no"
            " Bangladesh source gives bands): read it as an indication, not a verdict"
        )
    return out
