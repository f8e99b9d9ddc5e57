"""How one indicator was worked out, step by step: ``apacore explain`` as text and as data.

The steps are the indicator's trace (:class:`apacore.engine.explain.IndicatorTrace`)
worded in the reader's language; the header and the result line are worded here, once,
for the command line and for a server alike.
"""

from __future__ import annotations

from typing import Any

from apacore.engine.results import IndicatorResult, Scorecard
from apacore.evaluation.result import evaluation_of
from apacore.evaluation.words import explain_lines
from apacore.formatting import format_number, localise_digits
from apacore.models import UNITS
from apacore.render.formats import indicator_ref, revision_line, revision_of
from apacore.words import label, rounding_name, status_name

__all__ = ["explanation_lines", "explanation_text", "explanation_to_dict"]


def _names(result: IndicatorResult, lang: str) -> tuple[str, str]:
    trace = result.trace
    if trace is None:
        return result.method, result.rule
    return trace.method_name(lang), trace.rule_name(lang)


def _steps(result: IndicatorResult, lang: str) -> list[str]:
    trace = result.trace
    return list(result.explanation if trace is None else trace.lines(lang))


def _rounded(card: Scorecard, result: IndicatorResult, name: str, lang: str) -> str:
    value = result.exact(name)
    if value is None:
        return "-"
    return format_number(value, lang=lang, places=card.places, mode=card.rounding)


def explanation_lines(card: Scorecard, ref: str, lang: str = "en") -> list[str]:
    """The lines ``apacore explain`` prints for indicator ``ref`` of ``card``, in ``lang``."""
    result = card.indicator(ref)
    bn = lang == "bn"
    method, rule = _names(result, lang)
    lines = [
        f"{indicator_ref(result.ref, lang)} {result.name_bn}"
        + (f" ({result.name_en})" if result.name_en and not bn else "")
    ]
    weight = "-" if result.weight is None else format_number(result.weight, lang=lang)
    lines.append(
        f"  মান {weight}, একক {UNITS.get(result.unit, result.unit)}, পদ্ধতি {method},"
        f" নিয়ম {rule}, অবস্থা {status_name(result.status, lang)}"
        if bn
        else f"  weight {weight}, unit {result.unit}, method {method},"
        f" rule {rule}, status {result.status}"
    )
    revised = revision_of(card, ref)
    if revised is not None:  # the original beside the revised values (docs/cli.md)
        lines.append(f"  {revision_line(revised, card, lang)}")
    for i, line in enumerate(_steps(result, lang), 1):
        lines.append(f"  {localise_digits(str(i), lang)}. {line}")
    if result.raw_score is not None:
        raw = _rounded(card, result, "raw_score", lang)
        marks = _rounded(card, result, "marks", lang)
        places = localise_digits(str(card.places), lang)
        lines.append(
            f"  ফলাফল: কাঁচা স্কোর {raw}, নম্বর {marks}"
            f" (একবার রাউন্ড করা, {rounding_name(card.rounding, lang)},"
            f" {places} দশমিক ঘর)"
            if bn
            else f"  result: raw score {raw}, marks {marks}"
            f" (rounded once, {rounding_name(card.rounding, lang)}, {card.places} places)"
        )
    evaluated = evaluation_of(card)
    if evaluated is not None:  # why the evaluated figures differ (docs/cli.md)
        row = evaluated.indicator(ref)
        lines += [
            f"  {line}"
            for line in explain_lines(
                row, evaluated.evaluation, places=card.places, rounding=card.rounding, lang=lang
            )
        ]
    lines.append(
        f"  {label('ruleset', lang) if bn else 'ruleset'}"
        f" {localise_digits(card.ruleset['fiscal_year'], lang)}"
        f" v{localise_digits(card.ruleset['version'], lang)} sha256 {card.ruleset['sha256']}"
    )
    return lines


def explanation_text(card: Scorecard, ref: str, lang: str = "en") -> str:
    """``apacore explain``'s output: :func:`explanation_lines`, one a line."""
    return "".join(f"{line}\n" for line in explanation_lines(card, ref, lang))


def explanation_to_dict(card: Scorecard, ref: str, lang: str = "en") -> dict[str, Any]:
    """The explanation as plain data: the indicator, its method and rule named in
    ``lang``, the steps worded in ``lang``, and its figures rounded once as the text
    shows them (ASCII digits, None where there is none)."""
    result = card.indicator(ref)
    method, rule = _names(result, lang)

    def figure(name: str) -> str | None:
        value = result.exact(name)
        if value is None:
            return None
        return format_number(value, places=card.places, mode=card.rounding)

    return {
        "indicator": result.ref,
        "name_bn": result.name_bn,
        "name_en": result.name_en,
        "weight": None if result.weight is None else format(result.weight, "f"),
        "unit": result.unit,
        "method": method,
        "rule": rule,
        "status": result.status,
        "steps": _steps(result, lang),
        "raw_score": figure("raw_score"),
        "marks": figure("marks"),
        "rounding": {"mode": card.rounding, "places": card.places},
        "ruleset": dict(card.ruleset),
    }
