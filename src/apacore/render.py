"""Writing a scorecard out: JSON (the stable contract), table, CSV, Markdown; English or Bengali.

This is the one place where numbers are rounded: once, to the ruleset's places, with
its rounding mode (half-up by default). The JSON contract is documented in docs/cli.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from apacore.formatting import format_number, format_value, round_value
from apacore.numbers import to_bengali_digits
from apacore.scorecard import IndicatorResult, Scorecard, SectionResult

__all__ = ["FORMATS", "exact_value", "figure_text", "render", "round_value", "scorecard_to_dict"]

FORMATS = ("table", "json", "csv", "md")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")

LABELS = {
    "en": {
        "office": "Office",
        "fiscal_year": "Fiscal year",
        "as_of": "As of",
        "ruleset": "Ruleset",
        "total": "Total",
        "grade": "Grade",
        "indicator": "Indicator",
        "weight": "Weight",
        "target": "Target",
        "achievement": "Achievement",
        "progress_pct": "Progress %",
        "progress_marks": "Progress marks",
        "raw_score": "Raw score",
        "marks": "Marks",
        "status": "Status",
        "section": "Section",
        "converted": "APA marks",
        "max": "Max",
        "quarter": "Q",
        "scored": "scored",
        "not_reported": "not reported",
        "not_applicable": "not applicable",
        "substituted": "substituted",
        "area": "Area",
        "annex": "Annex",
        "no_weights": "no weights in the document: scores and progress only, not in the total",
    },
    "bn": {
        "office": "অফিস",
        "fiscal_year": "অর্থবছর",
        "as_of": "পর্যন্ত",
        "ruleset": "নিয়মাবলি",
        "total": "মোট",
        "grade": "গ্রেড",
        "indicator": "কর্মসম্পাদন সূচক",
        "weight": "সূচকের মান",
        "target": "লক্ষ্যমাত্রা",
        "achievement": "মোট অর্জন",
        "progress_pct": "অর্জনের শতকরা হার",
        "progress_marks": "অর্জিত মান (অগ্রগতি)",
        "raw_score": "প্রাপ্ত স্কোর",
        "marks": "অর্জিত মান",
        "status": "অবস্থা",
        "section": "ক্ষেত্র",
        "converted": "এপিএ নম্বর",
        "max": "সর্বোচ্চ",
        "quarter": "কোয়ার্টার",
        "scored": "মূল্যায়িত",
        "not_reported": "প্রতিবেদিত নয়",
        "not_applicable": "প্রযোজ্য নয়",
        "substituted": "বিকল্প সূচক",
        "area": "কর্মসম্পাদনের ক্ষেত্র",
        "annex": "সংযোজনী",
        "no_weights": "দলিলে মান নেই: শুধু স্কোর ও অগ্রগতি, মোটে গণ্য নয়",
    },
}


def exact_value(obj: IndicatorResult | SectionResult | Scorecard, name: str) -> Fraction | None:
    """The exact value of a result's field ``name`` (None where the field is None), read from
    the result's exact mapping where it keeps one, else from the field itself."""
    exact = getattr(obj, "exact", None)
    if isinstance(exact, Mapping) and exact.get(name) is not None:
        return Fraction(exact[name])
    value = getattr(obj, name)
    return None if value is None else Fraction(value)


def _num(
    obj: IndicatorResult | SectionResult | Scorecard, name: str, card: Scorecard
) -> str | None:
    value = exact_value(obj, name)
    if value is None:
        return None
    return format(round_value(value, card.places, card.rounding), "f")


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
    """Targets and achievements are shown exactly as they are (0.00080 stays 0.00080)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_value(v, card) for v in value]
    return str(value)


def _indicator(r: IndicatorResult, card: Scorecard) -> dict[str, Any]:
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
    }


def _section(s: SectionResult, card: Scorecard) -> dict[str, Any]:
    return {
        "kind": s.kind,
        "id": s.key,
        "name_bn": s.name_bn,
        "name_en": s.name_en,
        "weight": _num(s, "weight", card),
        "max": _num(s, "max", card),
        "marks": _num(s, "marks", card),
        "progress_marks": _num(s, "progress_marks", card),
        "apa_weight": _num(s, "apa_weight", card),
        "converted_max": _num(s, "converted_max", card),
        "converted_marks": _num(s, "converted_marks", card),
        "converted_progress_marks": _num(s, "converted_progress_marks", card),
        "indicators": [_indicator(r, card) for r in s.indicators],
    }


def scorecard_to_dict(card: Scorecard) -> dict[str, Any]:
    """The JSON contract: plain data, decimals as exact strings rounded once."""
    from apacore import __version__

    return {
        "apacore_version": __version__,
        "office": card.office,
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
        "sections": [_section(s, card) for s in card.sections],
    }


def _localise(text: str | None, lang: str) -> str:
    if text is None:
        return "-"
    return to_bengali_digits(text) if lang == "bn" else text


def _cell(value: Any, lang: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ", ".join(_cell(v, lang) for v in value)
    text = str(value)
    if lang == "bn" and _ISO.match(text):  # dates as on the forms: dd/mm/yyyy
        text = f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return _localise(text, lang)


def _rows(card: Scorecard, lang: str) -> tuple[list[str], list[list[str]]]:
    lab = LABELS[lang]
    head = [
        lab["indicator"],
        lab["weight"],
        lab["target"],
        lab["achievement"],
        lab["progress_pct"],
        lab["progress_marks"],
        lab["raw_score"],
        lab["marks"],
        lab["status"],
    ]
    data = scorecard_to_dict(card)
    rows = []
    for section in data["sections"]:
        for ind in section["indicators"]:
            rows.append(
                [
                    _cell(ind["id"], lang),
                    _cell(ind["weight"], lang),
                    _cell(ind["target"], lang),
                    _cell(ind["achievement"], lang),
                    _cell(ind["progress_pct"], lang),
                    _cell(ind["progress_marks"], lang),
                    _cell(ind["raw_score"], lang),
                    _cell(ind["marks"], lang),
                    lab[ind["status"]],
                ]
            )
    return head, rows


def _summary(card: Scorecard, lang: str) -> list[tuple[str, str]]:
    lab = LABELS[lang]
    data = scorecard_to_dict(card)
    total = data["total"]
    grade = card.grade_bn if lang == "bn" and card.grade_bn else card.grade
    out = [
        (lab["office"], card.office_bn if lang == "bn" and card.office_bn else card.office),
        (lab["fiscal_year"], _localise(card.fiscal_year, lang)),
        (
            lab["as_of"],
            f"Q{_cell(card.as_of_quarter, lang)} ({_cell(data['as_of']['date'], lang)})",
        ),
        (
            lab["ruleset"],
            # the hash stays in ASCII digits: it is compared, not read
            f"{_localise(card.ruleset['fiscal_year'], lang)}"
            f" v{_localise(card.ruleset['version'], lang)} sha256:{card.ruleset['sha256'][:16]}…",
        ),
    ]
    for s in data["sections"]:
        label = lab["area"] if s["kind"] == "area" else lab["annex"]
        if s["weight"] is None:
            out.append((f"{label} {_localise(s['id'], lang)}", lab["no_weights"]))
            continue
        out.append(
            (
                f"{label} {_localise(s['id'], lang)}",
                _localise(
                    f"{s['marks']} / {s['max']}  →  {s['converted_marks']} / {s['converted_max']}",
                    lang,
                ),
            )
        )
    out.append(
        (
            lab["total"],
            _localise(
                f"{total['marks']} / {total['max']}"
                f" ({lab['progress_marks']}: {total['progress_marks']})",
                lang,
            ),
        )
    )
    out.append((lab["grade"], grade or "-"))
    return out


def _table(card: Scorecard, lang: str) -> str:
    head, rows = _rows(card, lang)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    lines = [f"{k}: {v}" for k, v in _summary(card, lang)]
    lines.append("")
    lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


def _markdown(card: Scorecard, lang: str) -> str:
    head, rows = _rows(card, lang)
    lines = [f"- **{k}**: {v}" for k, v in _summary(card, lang)]
    lines.append("")
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines) + "\n"


def _csv(card: Scorecard, lang: str) -> str:
    head, rows = _rows(card, lang)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([LABELS[lang]["section"], *head])
    data = scorecard_to_dict(card)
    i = 0
    for section in data["sections"]:
        for _ in section["indicators"]:
            writer.writerow([section["id"], *rows[i]])
            i += 1
    return buf.getvalue()


def render(card: Scorecard, fmt: str = "table", lang: str = "en") -> str:
    """The scorecard as text in ``fmt`` (table, json, csv, md) and ``lang`` (en, bn)."""
    if fmt == "json":
        return json.dumps(scorecard_to_dict(card), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(card, lang)
    if fmt == "md":
        return _markdown(card, lang)
    return _table(card, lang)
