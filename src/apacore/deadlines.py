"""The calendar's findings (``apacore audit``, kind ``calendar``): a progress report or an
evaluation dated after its due date in the ruleset's ``[calendar]``, and, as of a date,
one that was due by then and is not there."""

from __future__ import annotations

import datetime as dt

from apacore.audit.findings import Finding
from apacore.engine.results import Scorecard
from apacore.errors import EvaluationError
from apacore.evaluation.loading import check_evaluation, load_evaluation
from apacore.evaluation.model import Evaluation
from apacore.evaluation.result import evaluation_of
from apacore.loading.agreements import OfficeFiles

__all__ = ["audit_calendar"]


def _evaluation(office: OfficeFiles, card: Scorecard) -> Evaluation | None:
    """The office's evaluation: the one the card carries, or the file beside the report
    (a card scored as of another quarter carries none)."""
    scored = evaluation_of(card)
    if scored is not None:
        return scored.evaluation
    path = office.evaluation_path()
    if path is None or office.report is None:
        return None
    try:
        evaluation = load_evaluation(path)
        check_evaluation(evaluation, office, where=str(path))
    except EvaluationError as exc:
        raise office.locate(exc) from None
    return evaluation


def audit_calendar(
    office: OfficeFiles, card: Scorecard, as_of: dt.date | None = None
) -> list[Finding]:
    """The calendar findings of ``office`` scored as ``card``; with ``as_of`` (a date) also
    the reports and evaluations due by then that are missing."""
    calendar = office.ruleset.spec.calendar
    if calendar is None:
        return []
    findings = []
    report = office.report
    if report is not None and report.submitted_on is not None:
        due = calendar.reports[report.quarter - 1]
        if report.submitted_on > due:
            findings.append(
                Finding(
                    kind="calendar",
                    indicator="report.toml",
                    figure="submitted_on",
                    office=report.submitted_on.isoformat(),
                    apacore=due.isoformat(),
                    code="report_late",
                    values={
                        "quarter": f"q{report.quarter}",
                        "due": due,
                        "submitted": report.submitted_on,
                    },
                )
            )
    evaluation = _evaluation(office, card)
    if evaluation is not None:
        due_ev = calendar.evaluation_due(evaluation.quarter)
        day = evaluation.evaluated_on
        if due_ev is not None and day > due_ev:
            findings.append(
                Finding(
                    kind="calendar",
                    indicator="evaluation.toml",
                    figure="evaluated_on",
                    office=day.isoformat(),
                    apacore=due_ev.isoformat(),
                    code="evaluation_late",
                    values={"quarter": f"q{evaluation.quarter}", "due": due_ev, "submitted": day},
                )
            )
    if as_of is None:
        return findings
    covers = report.quarter if report is not None else 0
    for q, due in enumerate(calendar.reports, start=1):
        if due < as_of and covers < q:
            findings.append(
                Finding(
                    kind="calendar",
                    indicator="report.toml",
                    figure="quarter",
                    office=str(covers) if covers else "-",
                    apacore=str(q),
                    code="report_overdue",
                    values={
                        "quarter": f"q{q}",
                        "due": due,
                        "covers": f"q{covers}" if covers else "-",
                    },
                )
            )
    for q in (2, 4):
        due_q = calendar.evaluation_due(q)
        evaluated = evaluation is not None and evaluation.quarter >= q
        if due_q is not None and due_q < as_of and covers >= q and not evaluated:
            findings.append(
                Finding(
                    kind="calendar",
                    indicator="evaluation.toml",
                    figure="evaluated_on",
                    office="-",
                    apacore=due_q.isoformat(),
                    code="evaluation_overdue",
                    values={"quarter": f"q{q}", "due": due_q},
                )
            )
    return findings
