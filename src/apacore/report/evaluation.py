"""The printable report's evaluation: the self-assessed and evaluated columns, the reasons
and the two signature blocks (the office's head, the evaluating officer), as text values in
the report's language. The template lays them out; nothing here computes a score."""

from __future__ import annotations

from apacore.engine.scorecard import Scorecard
from apacore.errors import one_line
from apacore.evaluation.result import evaluation_of
from apacore.formatting import format_date, format_number
from apacore.render.formats import digits_in, section_title
from apacore.values import frozen
from apacore.words import evaluation_label, verdict_name, verdict_reason

__all__ = ["EvaluationPart", "evaluation_part"]


@frozen(kw_only=True)
class EvaluationRow:
    """One indicator: its marks as the office gave them and as the evaluator decided."""

    section: str
    ref: str
    name: str
    self_assessed: str
    evaluated: str
    difference: str
    verdict: str
    reason: str
    changed: bool


@frozen(kw_only=True)
class EvaluationPart:
    """The report's evaluation section."""

    labels: dict[str, str]
    evaluator: str
    officer: str
    evaluated_on: str
    self_total: str
    evaluated_total: str
    difference: str
    evaluated_grade: str
    changed: str
    rows: tuple[EvaluationRow, ...]


_LABELS = (
    "evaluation", "self_assessed", "evaluated", "self_assessed_total", "evaluated_total",
    "verdict", "reason", "difference", "evaluator", "evaluated_on", "changed",
    "office_head", "evaluating_officer", "signature", "name_designation", "date", "seal",
    "evaluated_grade",
)  # fmt: skip


def evaluation_part(card: Scorecard, lang: str) -> EvaluationPart | None:
    """The evaluation section of ``card``'s report in ``lang``; None without an evaluation."""
    ev = evaluation_of(card)
    if ev is None:
        return None

    def number(value: object) -> str:
        if value is None:
            return "-"
        return format_number(value, lang=lang, places=card.places, mode=card.rounding)  # type: ignore[arg-type]

    def signed(value: object) -> str:
        text = number(value)
        return f"+{text}" if value is not None and value > 0 else text  # type: ignore[operator]

    rows = []
    for section in card.sections:
        for own in section.indicators:
            row = ev.indicator(own.ref)
            name = (own.name_bn or own.name_en) if lang == "bn" else (own.name_en or own.name_bn)
            rows.append(
                EvaluationRow(
                    section=section_title(section, lang),
                    ref=digits_in(own.ref.split("/")[-1], lang),
                    name=name,
                    self_assessed=number(own.exact("marks")),
                    evaluated=number(row.result.exact("marks")),
                    difference=signed(row.difference()),
                    verdict=verdict_name(row.verdict, lang),
                    reason=one_line(verdict_reason(row.reason, row.policy, lang)),
                    changed=row.changed,
                )
            )
    evaluation, evaluated = ev.evaluation, ev.card
    evaluator = (
        (evaluation.evaluator or evaluation.evaluator_en)
        if lang == "bn"
        else (evaluation.evaluator_en or evaluation.evaluator)
    )
    grade = evaluated.grade_bn if lang == "bn" and evaluated.grade_bn else evaluated.grade
    total = evaluated.exact("total_marks") or 0
    return EvaluationPart(
        labels={k: evaluation_label(k, lang) for k in _LABELS},
        evaluator=evaluator or evaluation_label("unnamed_evaluator", lang),
        officer=evaluation.officer,
        evaluated_on=format_date(evaluation.evaluated_on, lang=lang),
        self_total=f"{number(card.exact('total_marks'))} / {number(card.exact('total_max'))}",
        evaluated_total=f"{number(total)} / {number(evaluated.exact('total_max'))}",
        difference=signed(total - (card.exact("total_marks") or 0)),
        evaluated_grade=grade or "-",
        changed=digits_in(str(ev.changed), lang),
        rows=tuple(rows),
    )
