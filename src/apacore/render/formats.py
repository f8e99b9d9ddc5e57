"""Writing a scorecard out: JSON (the stable contract), table, CSV, Markdown; English or Bengali.

This is the one place where numbers are rounded: once, to the ruleset's places, with
its rounding mode (half-up by default). The JSON contract is documented in docs/cli.md.
Tables are aligned by display width (:func:`display_width`: the columns a terminal draws,
which for Bengali are fewer than its code points) and shorten indicator names to the terminal's width; CSV starts
with a UTF-8 byte-order mark so that Excel reads it as UTF-8 (``bom=False`` leaves it out).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from apacore.engine.scorecard import IndicatorResult, Scorecard, SectionResult
from apacore.evaluation.result import Evaluated, EvaluatedIndicator, evaluation_of
from apacore.formatting import BOM, format_date, format_number, format_value, terminal_columns
from apacore.models import AppliedRevision
from apacore.numbers import to_ascii_digits, to_bengali_digits
from apacore.words import (
    evaluation_label,
    label,
    quarter_name,
    status_name,
    verdict_name,
    verdict_reason,
)

__all__ = [
    "FORMATS",
    "annex_short_name",
    "digits_in",
    "display_width",
    "figure_text",
    "fit",
    "indicator_ref",
    "render",
    "revision_line",
    "revision_of",
    "rounded_view",
    "scorecard_to_dict",
    "text_table",
    "with_original",
]

FORMATS = ("table", "json", "csv", "md")
"""The UTF-8 byte-order mark that tells Excel (on Windows) a CSV file is UTF-8."""


def _num(
    obj: IndicatorResult | SectionResult | Scorecard, name: str, card: Scorecard
) -> str | None:
    value = obj.exact(name)
    if value is None:
        return None
    return format_number(value, places=card.places, mode=card.rounding)


WRITTEN_PLACES = 5
"""A figure with at most this many decimals is shown as written (0.00080 stays 0.00080);
one with more was computed (a mean, a share) and is rounded once to the ruleset's places."""


def figure_text(value: Any, card: Scorecard, lang: str = "en") -> str:
    """A target, achievement or tier value as a person reads it: as written where it was
    written, rounded once where apacore computed more decimals than a form carries."""
    if isinstance(value, (Decimal, Fraction)) and not isinstance(value, bool):
        exact = Fraction(value)
        scaled = exact * 10**WRITTEN_PLACES
        if scaled.denominator != 1:
            return format_number(exact, lang=lang, places=card.places, mode=card.rounding)
    return format_value(value, lang=lang)


def _value(value: Any, card: Scorecard) -> Any:
    """Targets and achievements as written (0.00080 stays 0.00080); a figure apacore
    computed with more decimals than a form carries (a mean) is rounded once."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        if (Fraction(value) * 10**WRITTEN_PLACES).denominator != 1:
            return format_number(value, places=card.places, mode=card.rounding)
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_value(v, card) for v in value]
    return str(value)


def _indicator(r: IndicatorResult, card: Scorecard, ev: Evaluated | None) -> dict[str, Any]:
    return {
        "id": r.ref,
        "name_bn": r.name_bn,
        "name_en": r.name_en,
        "weight": _num(r, "weight", card),
        "method": r.method,
        "unit": r.unit,
        "rule": r.rule,
        "target": _value(r.target, card),
        "quarters": [None if q is None else q.text for q in r.quarters],
        "achievement": _value(r.achievement, card),
        "progress_pct": _num(r, "progress_pct", card),
        "progress_marks": _num(r, "progress_marks", card),
        "raw_score": _num(r, "raw_score", card),
        "marks": _num(r, "marks", card),
        "status": r.status,
        "status_bn": status_name(r.status, "bn"),
        "evaluated": None if ev is None else _evaluated(ev.indicator(r.ref), card),
        "revision": _revision(revision_of(card, r.ref), card),
    }


def revision_of(card: Scorecard, ref: str) -> AppliedRevision | None:
    """The approved target revision scoring applied to indicator ``ref``, if any."""
    for applied in card.revisions:
        if applied.ref == ref:
            return applied
    return None


def _revision(applied: AppliedRevision | None, card: Scorecard) -> dict[str, Any] | None:
    """An indicator's revised targets with the original values (the JSON's ``revision``)."""
    if applied is None:
        return None
    revision, changed = applied.revision, applied.revision.changed()
    return {
        "approved_by": revision.approved_by,
        "approved_on": revision.approved_on.isoformat(),
        "reason": revision.reason,
        "original": {k: _value(getattr(applied.original, k), card) for k in changed},
        "revised": {k: _value(getattr(applied.revised, k), card) for k in changed},
    }


def revision_line(applied: AppliedRevision, card: Scorecard, lang: str = "en") -> str:
    """The revision in one sentence: what changed from what to what, who approved it, when
    and why (``apacore explain``)."""

    def shown(value: Any) -> str:
        if isinstance(value, tuple):
            return " / ".join("-" if v is None else figure_text(v, card, lang) for v in value)
        return "-" if value is None else figure_text(value, card, lang)

    revision = applied.revision
    names = {"tiers": ("tiers", "স্তর"), "target": ("target", "লক্ষ্যমাত্রা"), "weight": ("weight", "মান")}
    bn = lang == "bn"
    changes = "; ".join(
        f"{names[k][1 if bn else 0]} {shown(getattr(applied.original, k))} → {shown(getattr(applied.revised, k))}"
        for k in revision.changed()
    )
    when = format_date(revision.approved_on, lang=lang)
    if bn:
        return (
            f"সংশোধিত লক্ষ্যমাত্রা: {changes}; অনুমোদন {revision.approved_by}, {when}: {revision.reason}"
        )
    return f"revised targets: {changes}; approved by {revision.approved_by} on {when}: {revision.reason}"


def with_original(
    shown: str, r: IndicatorResult, name: str, card: Scorecard, lang: str, words: str = ""
) -> str:
    """A target or weight cell with the original value beside a revised one."""
    applied = revision_of(card, r.ref)
    if applied is None:
        return shown
    before = applied.original.annual_target if name == "target" else applied.original.weight
    after = applied.revised.annual_target if name == "target" else applied.revised.weight
    if before == after:
        return shown
    return f"{shown} ({label('original', words or lang)} {figure_text(before, card, lang)})"


def _evaluated(row: EvaluatedIndicator, card: Scorecard) -> dict[str, Any]:
    """An indicator as the evaluator decided it (the JSON contract's ``evaluated``)."""
    evaluated = row.result
    difference = row.difference()
    return {
        "verdict": row.verdict,
        "reason": verdict_reason(row.reason, row.policy, "en"),
        "reason_bn": verdict_reason(row.reason, row.policy, "bn"),
        "achievement": _value(evaluated.achievement, card),
        "progress_pct": _num(evaluated, "progress_pct", card),
        "progress_marks": _num(evaluated, "progress_marks", card),
        "raw_score": _num(evaluated, "raw_score", card),
        "marks": _num(evaluated, "marks", card),
        "status": evaluated.status,
        "difference": None if difference is None else _rounded(difference, card),
        "evidence_seen": list(row.evidence_seen),
    }


def _rounded(value: Fraction, card: Scorecard) -> str:
    return format_number(value, places=card.places, mode=card.rounding)


def _evaluation(card: Scorecard, ev: Evaluated) -> dict[str, Any]:
    """The scorecard's ``evaluation``: who evaluated, when, the evaluated total."""
    evaluated = ev.card
    difference = (evaluated.exact("total_marks") or 0) - (card.exact("total_marks") or 0)
    return {
        "evaluator": ev.evaluation.evaluator,
        "evaluated_on": ev.evaluation.evaluated_on.isoformat(),
        "quarter": ev.evaluation.quarter,
        "total": {
            "marks": _num(evaluated, "total_marks", evaluated),
            "progress_marks": _num(evaluated, "total_progress_marks", evaluated),
            "max": _num(evaluated, "total_max", evaluated),
            "grade": evaluated.grade,
        },
        "changed": ev.changed,
        "grade_bn": evaluated.grade_bn,
        "difference": _rounded(Fraction(difference), card),
        "evaluator_en": ev.evaluation.evaluator_en,
        "officer": ev.evaluation.officer,
        "evidence_policy": ev.evidence_policy,
    }


def _section(s: SectionResult, card: Scorecard, ev: Evaluated | None) -> dict[str, Any]:
    return {
        "kind": s.kind,
        "id": s.key,
        "name_bn": s.name_bn,
        "name_en": s.name_en,
        "title_bn": section_title(s, "bn"),
        "title_en": section_title(s, "en"),
        "weight": _num(s, "weight", card),
        "max": _num(s, "max", card),
        "marks": _num(s, "marks", card),
        "progress_marks": _num(s, "progress_marks", card),
        "apa_weight": _num(s, "apa_weight", card),
        "converted_max": _num(s, "converted_max", card),
        "converted_marks": _num(s, "converted_marks", card),
        "converted_progress_marks": _num(s, "converted_progress_marks", card),
        "indicators": [_indicator(r, card, ev) for r in s.indicators],
    }


def scorecard_to_dict(card: Scorecard) -> dict[str, Any]:
    """The JSON contract: plain data, decimals as exact strings rounded once."""
    from apacore._version import __version__

    ev = evaluation_of(card)
    return {
        "apacore_version": __version__,
        "office": card.office,
        "office_bn": card.office_bn or card.office,
        "office_level": card.office_level,
        "fiscal_year": card.fiscal_year,
        "as_of": {"quarter": card.as_of_quarter, "date": card.as_of.isoformat()},
        "scope": card.scope,
        "ruleset": dict(card.ruleset),
        "total": {
            "marks": _num(card, "total_marks", card),
            "progress_marks": _num(card, "total_progress_marks", card),
            "max": _num(card, "total_max", card),
            "grade": card.grade,
        },
        # beside the total, which the 0.1 contract fixes: the grade's Bengali name and
        # whether its bands are unverified
        "grade_bn": card.grade_bn,
        "grade_unverified": card.grade_unverified,
        "sections": [_section(s, card, ev) for s in card.sections],
        "evaluation": None if ev is None else _evaluation(card, ev),
    }


def rounded_view(card: Scorecard) -> dict[str, Any]:
    """The scorecard as :func:`scorecard_to_dict` gives it, with every number a
    :class:`~decimal.Decimal` rounded once (``rounded_view(card)``): for Python callers who
    want the figures a person sees, without parsing strings."""

    def convert(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: convert(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v, key) for v in value]
        if isinstance(value, str) and key in _NUMERIC_KEYS:
            return Decimal(value)
        return value

    return dict(convert(scorecard_to_dict(card)))


_NUMERIC_KEYS = frozenset(
    {
        "weight", "max", "marks", "progress_marks", "progress_pct", "raw_score", "apa_weight",
        "converted_max", "converted_marks", "converted_progress_marks", "difference",
    }
)  # fmt: skip


def section_title(section: SectionResult, lang: str) -> str:
    """An area or annex as a person names it: the annex's name (never its code), the
    area's number and name."""
    name = (
        (section.name_bn or section.name_en)
        if lang == "bn"
        else (section.name_en or section.name_bn)
    )
    if section.kind == "area":
        return f"{label('area', lang)} [{digits_in(section.key, lang)}] {name}".strip()
    return name or f"{label('annex', lang)} {section.key}"


def annex_short_name(kind: str, lang: str) -> str:
    """An annex kind as a column head or before an id names it: its code in English
    (``egov``), its registered Bengali name in Bengali (``ই-গভর্ন্যান্স ও উদ্ভাবন``; the
    Bengali fallback for an annex type registered without one), never its code."""
    if lang != "bn":
        return kind
    from apacore.plugins.contract import bengali_fallback
    from apacore.plugins.host import get_registry

    registered = get_registry().annex_types.get(kind)
    return (
        registered.bengali_name if registered is not None else bengali_fallback("annex type", kind)
    )


def indicator_ref(ref: str, lang: str) -> str:
    """An indicator reference as ``lang`` prints it: ``egov/1.1.1`` in English;
    ``ই-গভর্ন্যান্স ও উদ্ভাবন ১.১.১`` in Bengali (the annex's short name and the id in
    Bengali digits), an office's own row as its id (``২.২.৪``)."""
    kind, _, ident = ref.rpartition("/")
    if not kind or lang != "bn":
        return digits_in(ref, lang)
    return f"{annex_short_name(kind, lang)} {digits_in(ident, lang)}"


def digits_in(text: str, lang: str) -> str:
    """``text`` with its digits in ``lang``'s form, whatever form they were written in
    (unlike :func:`apacore.formatting.localise_digits`, Bengali digits become ASCII in
    English)."""
    text = to_ascii_digits(text)
    return to_bengali_digits(text) if lang == "bn" else text


# --------------------------------------------------------------------------- tables


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal, as terminals draw it: a wide character two, a
    non-spacing mark, an enclosing mark or a format character none, anything else one.

    Bengali's spacing vowel signs (``া``, ``ি``, ``ো``: Unicode category Mc) take a column
    each, as glibc's ``wcwidth``, xterm, VTE and tmux draw them (``মূল্যায়িত`` is 7 columns:
    measured in tmux). wcwidth's own answer for them has changed between its releases
    (1 column up to 0.2.8, none from 0.2.9, grapheme rules from 0.5.3), so the width of an
    Mc character is decided here and wcwidth answers only for the rest (wide characters,
    zero-width ones), where every release from 0.2.6 agrees: the table's alignment does
    not depend on the day wcwidth was installed (``tests/test_display_width.py``).
    """
    if text.isascii() and text.isprintable():
        return len(text)  # what wcwidth says, without importing it (JSON and CSV never do)
    if _OTHER.search(text) is None:
        # no wide character among them: a mark or a joiner none, anything else one (what
        # every wcwidth release and glibc say, Mc aside), without importing wcwidth (a
        # tenth of a cold ``score`` that prints a Bengali table)
        return len(text) - len(_ZERO.findall(text))
    from wcwidth import wcwidth

    return sum(1 if unicodedata.category(c) == "Mc" else max(wcwidth(c), 0) for c in text)


def _char_class(chars: Iterable[str]) -> str:
    """``chars`` for a regular expression's ``[...]``, runs of code points as ranges (a
    class of single characters took a millisecond of every start to compile)."""
    points = sorted(map(ord, chars))
    runs: list[list[int]] = []
    for p in points:
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in runs)


_OWN = [chr(c) for c in range(0x0980, 0x0A00) if unicodedata.category(chr(c)) != "Cn"]
_OTHER = re.compile(f"[^\\x20-\\x7e\\u200c\\u200d\\u0964\\u0965\\u2026{_char_class(_OWN)}]")
"""A character whose width :func:`display_width` leaves to wcwidth: any but printable
ASCII, the assigned ones of the Bengali block, the joiners, the dandas (``।``, shared
with Devanagari) and the ``…`` that shortens a cell."""
_ZERO = re.compile(
    "[\\u200c\\u200d"
    + _char_class(c for c in _OWN if unicodedata.category(c) in ("Mn", "Me", "Cf"))
    + "]"
)
"""Those of them that take no column: Bengali's non-spacing marks and the joiners."""


def _joins(c: str) -> bool:
    """A character that must stay with the one before it (a vowel sign, a virama's
    partner, a joiner): shortening never cuts between them."""
    return unicodedata.category(c) in ("Mn", "Mc", "Me") or c in "\u200c\u200d"


def fit(text: str, width: int) -> str:
    """``text`` shortened with ``…`` to at most ``width`` columns, cut between whole
    letters (never between a consonant and its vowel sign or after a virama)."""
    if display_width(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    cut = total = 0
    for i in range(1, len(text) + 1):
        total += display_width(text[i - 1])  # widths add up, character by character
        if i < len(text) and (_joins(text[i]) or text[i - 1] == "\u09cd"):
            continue  # inside a cluster
        if total > width - 1:
            break
        cut = i
    return text[:cut].rstrip() + "…"


def text_table(
    head: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Iterable[int] = ()
) -> list[str]:
    """Lines of a table aligned by display width; ``numeric`` columns to the right."""
    rows = [list(r) for r in rows]
    right = set(numeric)
    widths = [max(display_width(str(x)) for x in col) for col in zip(head, *rows)]

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, (cell, w) in enumerate(zip(cells, widths)):
            pad = " " * (w - display_width(cell))
            out.append(pad + cell if i in right else cell + pad)
        return "  ".join(out).rstrip()

    return [line(head), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _columns(lang: str, card: Scorecard) -> list[str]:
    evaluated = (
        [evaluation_label("verdict", lang), evaluation_label("evaluated_marks", lang)]
        if evaluation_of(card) is not None
        else []
    )
    return [
        label("id", lang),
        label("indicator", lang),
        label("weight", lang),
        label("target", lang),
        label("achievement", lang),
        label("progress_pct", lang),
        label("progress_marks", lang),
        label("raw_score", lang),
        label("marks", lang),
        label("status", lang),
        *evaluated,
    ]


_NUMERIC_COLUMNS = {2, 3, 4, 5, 6, 7, 8, 11}
"""The columns aligned right (11: the evaluated marks, shown when there is an evaluation)."""


def _rows(
    card: Scorecard, lang: str, figures: str | None = None
) -> list[tuple[SectionResult, list[str]]]:
    """Each indicator's row, words in ``lang`` and figures in ``figures``' digits (default
    ``lang``'s)."""
    digits = figures or lang
    ev = evaluation_of(card)
    out = []
    for section in card.sections:
        for r in section.indicators:
            evaluated = []
            if ev is not None:
                row = ev.indicator(r.ref)
                evaluated = [
                    verdict_name(row.verdict, lang),
                    _shown(row.result, "marks", card, digits),
                ]
            name = (r.name_bn or r.name_en) if lang == "bn" else (r.name_en or r.name_bn)
            out.append(
                (
                    section,
                    [
                        indicator_ref(r.ref, lang),
                        name,
                        with_original(
                            _shown(r, "weight", card, digits), r, "weight", card, digits, lang
                        ),
                        with_original(
                            figure_text(r.target, card, digits), r, "target", card, digits, lang
                        ),
                        figure_text(r.achievement, card, digits),
                        _shown(r, "progress_pct", card, digits),
                        _shown(r, "progress_marks", card, digits),
                        _shown(r, "raw_score", card, digits),
                        _shown(r, "marks", card, digits),
                        status_name(r.status, lang),
                        *evaluated,
                    ],
                )
            )
    return out


def _shown(
    obj: IndicatorResult | SectionResult | Scorecard, name: str, card: Scorecard, lang: str
) -> str:
    value = obj.exact(name)
    if value is None:
        return "-"
    return format_number(value, lang=lang, places=card.places, mode=card.rounding)


def _summary(card: Scorecard, lang: str) -> list[tuple[str, str]]:
    grade = card.grade_bn if lang == "bn" and card.grade_bn else card.grade
    if grade and card.grade_unverified:
        grade += f" ({label('grade_unverified', lang)})"
    office = (card.office_bn or card.office) if lang == "bn" else card.office
    ruleset = card.ruleset
    out = [
        (label("office", lang), office),
        (label("fiscal_year", lang), digits_in(card.fiscal_year, lang)),
        (
            label("as_of", lang),
            f"{quarter_name(card.as_of_quarter, lang)} ({format_date(card.as_of, lang=lang)})",
        ),
        (
            label("ruleset", lang),
            # the hash stays in ASCII digits: it is compared, not read
            f"{digits_in(ruleset.get('fiscal_year', ''), lang)}"
            f" v{digits_in(ruleset.get('version', ''), lang)}"
            f" sha256:{ruleset.get('sha256', '')[:16]}…",
        ),
    ]
    for s in card.sections:
        title = section_title(s, lang)
        if s.weight is None:
            out.append((title, label("no_weights", lang)))
            continue
        marks = " / ".join(_shown(s, k, card, lang) for k in ("marks", "max"))
        converted = " / ".join(
            _shown(s, k, card, lang) for k in ("converted_marks", "converted_max")
        )
        out.append((title, f"{marks}  →  {converted}"))

    def n(name: str) -> str:
        return _shown(card, name, card, lang)

    ev = evaluation_of(card)
    out.append(
        (
            label("total", lang) if ev is None else evaluation_label("self_assessed_total", lang),
            f"{n('total_marks')} / {n('total_max')}"
            f" ({label('progress_marks', lang)}: {n('total_progress_marks')})",
        )
    )
    out.append((label("grade", lang), grade or "-"))
    if ev is not None:
        out += _evaluation_summary(card, ev, lang)
    return out


def _evaluation_summary(card: Scorecard, ev: Evaluated, lang: str) -> list[tuple[str, str]]:
    """The evaluation's lines of the summary: who, when, the evaluated total and grade."""
    evaluated, evaluation = ev.card, ev.evaluation
    evaluator = (
        (evaluation.evaluator_en or evaluation.evaluator)
        if lang == "en"
        else (evaluation.evaluator or evaluation.evaluator_en)
    ) or evaluation_label("unnamed_evaluator", lang)
    grade = evaluated.grade_bn if lang == "bn" and evaluated.grade_bn else evaluated.grade

    def n(name: str) -> str:
        return _shown(evaluated, name, card, lang)

    difference = (evaluated.exact("total_marks") or 0) - (card.exact("total_marks") or 0)
    sign = "+" if difference > 0 else ""
    changed = digits_in(str(ev.changed), lang)
    return [
        (
            evaluation_label("evaluator", lang),
            f"{evaluator}, {format_date(evaluation.evaluated_on, lang=lang)}",
        ),
        (
            evaluation_label("evaluated_total", lang),
            f"{n('total_marks')} / {n('total_max')}"
            f" ({label('progress_marks', lang)}: {n('total_progress_marks')};"
            f" {evaluation_label('difference', lang)}"
            f" {sign}{format_number(difference, lang=lang, places=card.places, mode=card.rounding)};"
            f" {changed} {evaluation_label('changed', lang)})",
        ),
        (evaluation_label("evaluated_grade", lang), grade or "-"),
    ]


def _table(card: Scorecard, lang: str, width: int | None) -> str:
    head = _columns(lang, card)
    rows = [cells for _, cells in _rows(card, lang)]
    if width is None:
        width = terminal_columns(120)
    # the name column takes what the others leave of the terminal's width (at least 16)
    others = sum(
        max(display_width(x) for x in col) + 2 for i, col in enumerate(zip(head, *rows)) if i != 1
    )
    room = max(16, width - others)
    for cells in rows:
        cells[1] = fit(cells[1], room)
    lines = [f"{k}: {v}" for k, v in _summary(card, lang)]
    lines.append("")
    lines.extend(text_table(head, rows, numeric=_NUMERIC_COLUMNS))
    return "\n".join(lines) + "\n"


def _markdown(card: Scorecard, lang: str) -> str:
    head = _columns(lang, card)
    lines = [f"- **{k}**: {v}" for k, v in _summary(card, lang)]
    lines.append("")
    lines.append("| " + " | ".join(head) + " |")
    lines.append(
        "|" + "".join("---:|" if i in _NUMERIC_COLUMNS else "---|" for i in range(len(head)))
    )
    for _, row in _rows(card, lang):
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines) + "\n"


def _csv(card: Scorecard, lang: str, bom: bool) -> str:
    import csv  # each format imports what it writes with (a cold ``apacore score``)

    from apacore.render.spreadsheet import write_row

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    write_row(writer, [label("section", lang), *_columns(lang, card)])
    # figures in ASCII digits whatever the language, so that a spreadsheet reads them as
    # numbers (Bengali digits are text to Excel); the words stay in ``lang``; no cell
    # that a spreadsheet would run as a formula (render.spreadsheet)
    for section, row in _rows(card, lang, figures="en"):
        write_row(writer, [section_title(section, lang), *row])
    return (BOM if bom else "") + buf.getvalue()


def render(
    card: Scorecard,
    fmt: str = "table",
    lang: str = "en",
    *,
    width: int | None = None,
    bom: bool = True,
) -> str:
    """The scorecard as text in ``fmt`` (table, json, csv, md) and ``lang`` (en, bn).

    ``width``: the table's width in columns (default: the terminal's); indicator names are
    shortened to fit. ``bom``: start CSV with a UTF-8 byte-order mark (for Excel).
    """
    if fmt == "json":
        import json

        return json.dumps(scorecard_to_dict(card), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(card, lang, bom)
    if fmt == "md":
        return _markdown(card, lang)
    return _table(card, lang, width)
