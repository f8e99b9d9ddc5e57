"""How one indicator was worked out, step by step: ``apacore explain`` as text and as data.

The steps are the indicator's trace (:class:`apacore.engine.explain.IndicatorTrace`)
worded in the reader's language; the header and the result line are worded here, once,
for the command line and for a server alike.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from apacore.engine.results import IndicatorResult, Scorecard
from apacore.errors import one_line
from apacore.evaluation.model import Evaluation
from apacore.evaluation.result import EvaluatedIndicator, evaluation_of
from apacore.formatting import format_date, format_number, localise_digits
from apacore.models import UNITS
from apacore.numbers import QUARTER_ORDINALS_BN
from apacore.render.formats import indicator_ref, revision_line, revision_of
from apacore.words import (
    evaluation_label,
    label,
    rounding_name,
    status_name,
    verdict_name,
    verdict_reason,
)

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
            for line in _evaluation_lines(
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


def _evaluation_lines(
    row: EvaluatedIndicator, evaluation: Evaluation, *, places: int, rounding: str, lang: str = "en"
) -> list[str]:
    """Why an indicator's evaluated figures are what they are, for ``apacore explain``: the
    verdict and its reason, the readings the evaluator put in place of the office's, the
    evaluated figures beside the self-assessed ones, and, for a revision, the steps on the
    evaluated readings."""
    bn = lang == "bn"

    def number(value: Fraction | None) -> str:
        if value is None:
            return "-"
        return format_number(value, lang=lang, places=places, mode=rounding)

    who = (
        (evaluation.evaluator or evaluation.evaluator_en)
        if bn
        else (evaluation.evaluator_en or evaluation.evaluator)
    ) or evaluation_label("unnamed_evaluator", lang)
    head = f"{evaluation_label('evaluation', lang).lower()} ({who}, {format_date(evaluation.evaluated_on, lang=lang)}):"
    why = one_line(
        verdict_reason(row.reason, row.policy, lang)
    )  # a terminal line: control characters shown
    lines = [f"{head} {verdict_name(row.verdict, lang)}" + (f": {why}" if why else "")]
    if row.verdict == "accepted":
        lines.append(
            "  অফিসের প্রতিবেদিত সংখ্যাই গৃহীত" if bn else "  the office's figures stand as reported"
        )
        return lines
    own = row.self_assessed.entry.quarters() if row.self_assessed.entry is not None else (None,) * 4
    for q, (new, old) in enumerate(zip(row.revised, own), 1):
        if new is None:
            continue
        was = old.text if old is not None else "-"
        quarter = f"{QUARTER_ORDINALS_BN[q - 1]} কোয়ার্টার" if bn else f"Q{q}"
        lines.append(
            f"  {evaluation_label('revised_readings', lang)}: {quarter} {new.text}"
            + (f" ({was} {evaluation_label('instead_of', lang)})" if bn else f" instead of {was}")
        )
    if row.verdict == "not_accepted":
        lines.append("  প্রতিবেদিত নয় বলে গণ্য (০)" if bn else "  scored as not reported (0)")
    result, mine = row.result, row.self_assessed
    difference = row.difference()
    sign = "+" if difference is not None and difference > 0 else ""
    lines.append(
        (
            f"  {evaluation_label('evaluated', lang)}: স্কোর {number(result.exact('raw_score'))},"
            f" নম্বর {number(result.exact('marks'))} ({evaluation_label('self_assessed', lang)}:"
            f" {number(mine.exact('raw_score'))}, {number(mine.exact('marks'))};"
            f" {evaluation_label('difference', lang)} {sign}{number(difference)})"
        )
        if bn
        else (
            f"  evaluated: raw score {number(result.exact('raw_score'))}, marks"
            f" {number(result.exact('marks'))} (self-assessed: raw score"
            f" {number(mine.exact('raw_score'))}, marks {number(mine.exact('marks'))};"
            f" difference {sign}{number(difference)})"
        )
    )
    trace = result.trace
    if row.verdict == "revised" and trace is not None:
        steps = trace.lines(lang)
        lines += [f"    {localise_digits(str(i), lang)}. {step}" for i, step in enumerate(steps, 1)]
    return lines
