"""The evaluation's words in English and Bengali: verdicts, the policy's reason, the labels
of the evaluated columns and of the evaluating officer's signature block. One home, as
:mod:`apacore.words` is for the scorecard's words. In Bengali the evaluated figures
are the evaluator's (মূল্যায়নকারীর), never মূল্যায়িত, which the scorecard already uses for
a scored row (status ``scored``) and, as মূল্যায়নের মান, for its own marks."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from apacore.errors import one_line
from apacore.evaluation.model import Evaluation
from apacore.evaluation.result import EvaluatedIndicator
from apacore.formatting import format_date, format_number, localise_digits
from apacore.numbers import QUARTER_ORDINALS_BN

__all__ = [
    "VERDICT_NAMES",
    "evaluation_label",
    "explain_lines",
    "verdict_name",
    "verdict_reason",
]

VERDICT_NAMES: Mapping[str, tuple[str, str]] = {
    "accepted": ("accepted", "গৃহীত"),
    "revised": ("revised", "সংশোধিত"),
    "not_accepted": ("not accepted", "গৃহীত হয়নি"),
}
"""Each verdict: (English, Bengali)."""

_LABELS: Mapping[str, tuple[str, str]] = {
    "evaluation": ("Evaluation", "মূল্যায়ন"),
    "self_assessed": ("Self-assessed", "স্ব-মূল্যায়িত"),
    "evaluated": ("Evaluated", "মূল্যায়নকারীর"),
    "self_assessed_total": ("Self-assessed total", "স্ব-মূল্যায়িত মোট"),
    "evaluated_total": ("Evaluated total", "মূল্যায়নকারীর মোট"),
    "evaluated_marks": ("Evaluated marks", "মূল্যায়নকারীর নম্বর"),
    "evaluated_grade": ("Evaluated grade", "মূল্যায়নকারীর গ্রেড"),
    "verdict": ("Verdict", "সিদ্ধান্ত"),
    "reason": ("Reason", "কারণ"),
    "difference": ("Difference", "পার্থক্য"),
    "evaluator": ("Evaluated by", "মূল্যায়নকারী"),
    "evaluated_on": ("Evaluated on", "মূল্যায়নের তারিখ"),
    "changed": ("changed", "পরিবর্তিত"),
    "evidence_seen": ("Evidence seen", "যাচাইকৃত প্রমাণক"),
    "ranked_on": ("Ranked on", "ক্রম যার ভিত্তিতে"),
    "office_head": ("Head of the office", "অফিস প্রধান"),
    "evaluating_officer": ("Evaluating officer", "মূল্যায়নকারী কর্মকর্তা"),
    "signature": ("Signature", "স্বাক্ষর"),
    "name_designation": ("Name and designation", "নাম ও পদবি"),
    "date": ("Date", "তারিখ"),
    "seal": ("Seal", "সিল"),
    "revised_readings": ("revised readings", "সংশোধিত অর্জন"),
    "instead_of": ("instead of", "এর পরিবর্তে"),
    "unnamed_evaluator": ("(the evaluating office is not named)", "(মূল্যায়নকারী অফিসের নাম নেই)"),
}

_POLICY_REASONS: Mapping[str, tuple[str, str]] = {
    "evidence": (
        "no evidence where the agreement requires it: counted as not reported"
        " (the ruleset's evidence policy)",
        "চুক্তিতে প্রয়োজনীয় প্রমাণক নেই: অর্জন প্রতিবেদিত নয় বলে গণ্য (নিয়মাবলির প্রমাণক নীতি)",
    ),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "bn" else pair[0]


def evaluation_label(key: str, lang: str = "en") -> str:
    """A label of the evaluation's columns and blocks in ``lang``."""
    return _pick(_LABELS[key], lang)


def verdict_name(verdict: str, lang: str = "en") -> str:
    """``accepted`` / ``গৃহীত`` …"""
    pair = VERDICT_NAMES.get(verdict)
    return verdict if pair is None else _pick(pair, lang)


def verdict_reason(row: EvaluatedIndicator, lang: str = "en") -> str:
    """Why the evaluated figures differ: the evaluator's reason as written, or the policy's
    in ``lang`` (empty for an indicator accepted without remark)."""
    if row.reason:
        return row.reason
    if row.policy is not None:
        return _pick(_POLICY_REASONS[row.policy], lang)
    return ""


def explain_lines(
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
    why = one_line(verdict_reason(row, lang))  # a terminal line: control characters shown
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
