"""The rendering of traces: how an indicator's figures were reached, in English or Bengali.

Scoring records an :class:`IndicatorTrace` (inputs, the method's step, the rule's bracket
and formula, marks, progress, the ruleset's hash) with exact values; nothing is worded or
rounded while scoring. :meth:`IndicatorTrace.lines` words it, step by step, in the
reader's language, numbers through :mod:`apacore.formatting` (exact where they terminate,
else six places and ``…``; Bengali digits and dd/mm/yyyy dates in Bengali). Steps from a
plugin's method or rule carry the plugin's own wording (:class:`apacore.trace.Text`) and
fall back to English where it gives no Bengali.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from apacore.numbers import Reading
from apacore.plugins.contract import RuleTrace
from apacore.trace import Step, Text, render_text
from apacore.values import frozen

__all__ = ["INDICATOR_TEXTS", "SECTION_TEXTS", "IndicatorTrace"]

INDICATOR_TEXTS: Mapping[str, Text] = {
    "inputs": Text(en="inputs: {shown} (as of {q:quarter})", bn="তথ্য: {shown} ({q:quarter} পর্যন্ত)"),
    "none_reported": Text(en="none reported", bn="কিছু লেখা নেই"),
    "method": Text(en="method {method}: {step}", bn="পদ্ধতি {method}: {step}"),
    "rule": Text(
        en="rule {rule}: {bracket}; raw score = {formula}",
        bn="নিয়ম {rule}: {bracket}; কাঁচা স্কোর = {formula}",
    ),
    "not_reported": Text(
        en="not reported: 0 in the evaluation (flagged, never guessed)",
        bn="প্রতিবেদন নেই: মূল্যায়নে ০ (চিহ্নিত, অনুমান করা হয়নি)",
    ),
    "no_weight": Text(
        en="no weight in the document: a raw score and progress, but no marks",
        bn="দলিলে মান নেই: কাঁচা স্কোর ও অগ্রগতি আছে, নম্বর নেই",
    ),
    "marks": Text(
        en="marks = weight {weight} × raw {raw} / 100 = {marks}",
        bn="নম্বর = মান {weight} × কাঁচা স্কোর {raw} / ১০০ = {marks}",
    ),
    "progress_marks": Text(
        en="; progress marks = {weight} × min({pct}, 100) / 100 = {progress_marks}",
        bn="; অগ্রগতির নম্বর = {weight} × ন্যূনতম({pct}, ১০০) / ১০০ = {progress_marks}",
    ),
    "not_applicable": Text(
        en="does not apply to this office (leaves its container's total)",
        bn="এই কার্যালয়ে প্রযোজ্য নয় (মোট থেকে বাদ)",
    ),
    "substituted": Text(en="replaced by its substitute indicator", bn="বিকল্প সূচক দিয়ে প্রতিস্থাপিত"),
}
"""The wording of an indicator's explanation around the method's and rule's own steps."""

SECTION_TEXTS: Mapping[str, Text] = {
    "no_weights": Text(
        en="no weights in the document: scores and progress only, left out of the total",
        bn="দলিলে মান নেই: শুধু স্কোর ও অগ্রগতি, মোটে গণ্য নয়",
    ),
    "none_applies": Text(
        en="no indicator applies: the section leaves the total",
        bn="কোনো সূচক প্রযোজ্য নয়: অংশটি মোট থেকে বাদ",
    ),
    "rescaled": Text(
        en="not applicable rows removed: marks rescaled {obtained} × {weight} / {applicable} = {marks}",
        bn="অপ্রযোজ্য সারি বাদ: নম্বর পুনর্মাপিত {obtained} × {weight} / {applicable} = {marks}",
    ),
    "rescaled_area": Text(
        en="not applicable rows removed: area {area} rescaled {obtained} × {weight} / {applicable}"
        " = {marks}",
        bn="অপ্রযোজ্য সারি বাদ: ক্ষেত্র {area} পুনর্মাপিত {obtained} × {weight} / {applicable} = {marks}",
    ),
    "excluded": Text(
        en="not applicable rows removed: the maximum is {applicable}",
        bn="অপ্রযোজ্য সারি বাদ: সর্বোচ্চ {applicable}",
    ),
    "converted": Text(
        en="converted = {marks} / {weight} × {apa_weight} = {converted}",
        bn="রূপান্তরিত = {marks} / {weight} × {apa_weight} = {converted}",
    ),
}
"""The wording of a section's explanation."""


def _inputs(quarters: tuple[Reading | None, ...], lang: str) -> str:
    shown = ", ".join(
        render_text(Text(en="{q:quarter} {text}"), {"q": i, "text": repr(r.text)}, lang)
        for i, r in enumerate(quarters, 1)
        if r is not None
    )
    return shown or render_text(INDICATOR_TEXTS["none_reported"], {}, lang)


@frozen(kw_only=True)
class IndicatorTrace:
    """How one indicator's figures were reached, as data (exact values, no words)."""

    ref: str
    status: str
    """``scored``, ``not_reported``, ``not_applicable`` or ``substituted``."""
    ruleset_sha256: str
    """The hash of the ruleset the figures come from."""
    quarter: int = 4
    """The as-of quarter."""
    inputs: tuple[Reading | None, ...] = ()
    """The quarterly figures used, as written."""
    method: str = ""
    method_bn: str = ""
    """The method's Bengali name (সমষ্টি …), where it has one."""
    achievement: Step | None = None
    """The calculation method's step."""
    rule: str = ""
    rule_bn: str = ""
    """The rule's Bengali name (একক লক্ষ্যমাত্রা …), where it has one."""
    rule_trace: RuleTrace | None = None
    """The scoring rule's bracket and formula."""
    weight: Decimal | None = None
    raw: Fraction | None = None
    marks: Fraction | None = None
    progress: Step | None = None
    """The rule's progress step."""
    pct: Fraction | None = None
    progress_marks: Fraction | None = None

    def method_name(self, lang: str = "en") -> str:
        """The method as ``lang`` names it: its Bengali name in Bengali, where it has one."""
        return self.method_bn if lang == "bn" and self.method_bn else self.method

    def rule_name(self, lang: str = "en") -> str:
        """The rule as ``lang`` names it: its Bengali name in Bengali, where it has one."""
        return self.rule_bn if lang == "bn" and self.rule_bn else self.rule

    def lines(self, lang: str = "en") -> tuple[str, ...]:
        """The explanation, step by step, in ``lang`` (``en`` or ``bn``)."""
        texts = INDICATOR_TEXTS
        values: dict[str, Any]
        if self.status in ("not_applicable", "substituted"):
            return (render_text(texts[self.status], {}, lang),)
        out = [
            render_text(
                texts["inputs"], {"shown": _inputs(self.inputs, lang), "q": self.quarter}, lang
            )
        ]
        if self.achievement is not None:
            pieces = {"method": self.method_name(lang), "step": self.achievement.render(lang)}
            out.append(_verbatim(texts["method"], pieces, lang))
        if self.status == "not_reported":
            out.append(render_text(texts["not_reported"], {}, lang))
        elif self.rule_trace is not None:
            pieces = {
                "rule": self.rule_name(lang),
                "bracket": self.rule_trace.bracket.render(lang),
                "formula": self.rule_trace.formula.render(lang),
            }
            out.append(_verbatim(texts["rule"], pieces, lang))
        if self.weight is None:
            out.append(render_text(texts["no_weight"], {}, lang))
        else:
            values = {"weight": self.weight, "raw": self.raw, "marks": self.marks}
            out.append(render_text(texts["marks"], values, lang))
        if self.progress is not None:
            line = self.progress.render(lang)
            if self.weight is not None and self.pct is not None:
                values = {
                    "weight": self.weight,
                    "pct": self.pct,
                    "progress_marks": self.progress_marks,
                }
                line += render_text(texts["progress_marks"], values, lang)
            out.append(line)
        return tuple(out)


def _verbatim(text: Text, values: Mapping[str, str], lang: str) -> str:
    """``text`` filled with already rendered pieces (names and steps stay as they are)."""
    return text.template(lang).format(**values)
