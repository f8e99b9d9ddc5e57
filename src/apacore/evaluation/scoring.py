"""Scoring an evaluation on top of the engine.

The evaluated score is the engine's score of the **evaluated report**: the office's report
with every ``revised`` indicator's readings replaced by the evaluator's (the quarters it
gives; the others, the status, the evidence and the claimed figures as the office wrote
them) and every ``not_accepted`` indicator's entry removed, so that it scores as not
reported. An indicator the evaluation does not mention is accepted as reported. Where the
ruleset's ``policies.evidence`` is ``not_reported``, a figure whose indicator requires
evidence and that has none (in the report's ``evidence`` or the evaluation's
``evidence_seen``) and that the evaluator did not revise counts as not reported too. Nothing
else differs: a revision is exactly an edit of the report, and an evaluation that accepts
everything gives the self-assessed scorecard (tests/test_evaluation_properties.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from apacore.engine.results import Scorecard
from apacore.engine.scorecard import score_agreement
from apacore.errors import ApacoreError, EvaluationError
from apacore.evaluation.loading import check_evaluation, load_evaluation
from apacore.evaluation.model import Evaluation, EvaluationEntry
from apacore.evaluation.result import Evaluated, EvaluatedIndicator
from apacore.loading.agreements import OfficeFiles, indicator_refs
from apacore.models import Indicator, ProgressEntry, ProgressReport
from apacore.numbers import Marker
from apacore.values import frozen

__all__ = ["Verdict", "evaluated_report", "score_evaluation", "with_evaluation"]


@frozen
class Verdict:
    """The verdict that applies to one indicator: the evaluator's, or the evidence policy's."""

    verdict: str
    reason: str = ""
    policy: str | None = None
    entry: EvaluationEntry | None = None


def _has_figure(entry: ProgressEntry, quarter: int) -> bool:
    return any(
        r is not None and not isinstance(r.value, Marker) for r in entry.quarters()[:quarter]
    )


def _unevidenced(
    entry: ProgressEntry, verdict: EvaluationEntry | None, indicator: Indicator | None, quarter: int
) -> bool:
    """A figure its indicator needs evidence for, with none in the report or the evaluation."""
    return (
        indicator is not None
        and bool(indicator.evidence)
        and entry.status == "reported"
        and not entry.evidence
        and (verdict is None or (verdict.verdict == "accepted" and not verdict.evidence_seen))
        and _has_figure(entry, quarter)
    )


def revised_entry(entry: ProgressEntry | None, verdict: EvaluationEntry) -> ProgressEntry:
    """``entry`` with the evaluator's readings in place of the office's, quarter by quarter
    (a new entry where the office reported none)."""
    own = entry.quarters() if entry is not None else (None,) * 4
    q1, q2, q3, q4 = (r if r is not None else o for r, o in zip(verdict.quarters(), own))
    if entry is None:
        return ProgressEntry(indicator=verdict.indicator, q1=q1, q2=q2, q3=q3, q4=q4)
    return attrs.evolve(entry, q1=q1, q2=q2, q3=q3, q4=q4)


def evaluated_report(
    report: ProgressReport,
    evaluation: Evaluation,
    *,
    refs: Mapping[str, Indicator] | None = None,
    evidence_policy: str = "evaluator",
) -> tuple[ProgressReport, dict[str, Verdict]]:
    """The report as the evaluator decided it, and the verdict of every indicator that is
    not simply accepted. ``refs`` (the agreement's indicators by reference) is needed only
    for the ``not_reported`` evidence policy."""
    entries: list[ProgressEntry] = []
    verdicts: dict[str, Verdict] = {}
    for entry in report.entries:
        verdict = evaluation.entry(entry.indicator)
        if verdict is not None and verdict.verdict == "revised":
            entries.append(revised_entry(entry, verdict))
            verdicts[entry.indicator] = Verdict("revised", verdict.reason, None, verdict)
        elif verdict is not None and verdict.verdict == "not_accepted":
            verdicts[entry.indicator] = Verdict("not_accepted", verdict.reason, None, verdict)
        elif evidence_policy == "not_reported" and _unevidenced(
            entry, verdict, (refs or {}).get(entry.indicator), evaluation.quarter
        ):
            verdicts[entry.indicator] = Verdict("not_accepted", "", "evidence", verdict)
        else:
            entries.append(entry)
            if verdict is not None:
                verdicts[entry.indicator] = Verdict("accepted", verdict.reason, None, verdict)
    for verdict in evaluation.entries:  # verdicts on indicators the office did not report
        if report.entry(verdict.indicator) is None:
            if verdict.verdict == "revised":
                entries.append(revised_entry(None, verdict))
            verdicts[verdict.indicator] = Verdict(verdict.verdict, verdict.reason, None, verdict)
    return attrs.evolve(report, entries=tuple(entries)), verdicts


def _locate(error: ApacoreError, evaluation: Evaluation, where: str) -> ApacoreError:
    """An error raised while scoring a revised reading, pointed at the evaluation's entry."""
    if error.where:
        return error
    for i, entry in enumerate(evaluation.entries):
        if re.search(rf"(^|\s){re.escape(entry.indicator)}\b", error.why):
            quarter = re.search(r"\bQ([1-4]) figure\b", error.why)
            path = f"$.entries[{i}]" + (f".q{quarter[1]}" if quarter else "")
            return EvaluationError(error.why, where=where, path=path)
    return EvaluationError(error.why, where=where)


def score_evaluation(
    card: Scorecard, office: OfficeFiles, evaluation: Evaluation, *, where: str
) -> Scorecard:
    """``card`` (the office's self-assessed scorecard) carrying ``evaluation`` scored
    (:class:`~apacore.evaluation.result.Evaluated`). The evaluation is of its quarter: a
    card scored as of another quarter is returned as it is (``apacore.office.notices`` says so)."""
    if office.report is None or card.as_of_quarter != evaluation.quarter:
        return card
    policy = office.ruleset.spec.policies.evidence
    refs = indicator_refs(office.agreement, office.ruleset)
    report, verdicts = evaluated_report(
        office.report, evaluation, refs=refs, evidence_policy=policy
    )
    try:
        evaluated = score_agreement(
            office.agreement, report, office.ruleset, as_of=card.as_of_quarter
        )
    except ApacoreError as exc:
        raise _locate(exc, evaluation, where) from None
    accepted = Verdict("accepted")
    rows = {}
    for own, result in zip(card.indicators(), evaluated.indicators()):
        verdict = verdicts.get(own.ref, accepted)
        entry = verdict.entry
        rows[own.ref] = EvaluatedIndicator(
            ref=own.ref,
            verdict=verdict.verdict,
            reason=verdict.reason,
            policy=verdict.policy,
            revised=entry.quarters() if entry is not None else (None,) * 4,
            evidence_seen=entry.evidence_seen if entry is not None else (),
            result=result,
            self_assessed=own,
        )
    scored = Evaluated(
        evaluation=evaluation, path=where, card=evaluated, indicators=rows, evidence_policy=policy
    )
    return attrs.evolve(card, evaluation=scored)


def with_evaluation(card: Scorecard, office: OfficeFiles) -> Scorecard:
    """``card`` with the ``evaluation.toml`` beside the office's report scored onto it, if
    there is one (loaded and checked strictly; a mistake is one error naming the file)."""
    path = office.evaluation_path()
    if path is None:
        return card
    from apacore.evaluation import cache

    assert office.agreement_path is not None  # an office from files: it has an evaluation path
    files = (path, office.agreement_path, office.report_path)
    cache_key = cache.key(*files)
    evaluation = cache.fetch(cache_key, office.ruleset.sha256)
    try:
        if evaluation is None:
            evaluation = load_evaluation(path)
            check_evaluation(evaluation, office, where=str(path))
            cache.store(cache_key, evaluation, office.ruleset.sha256, files=files)
        return score_evaluation(card, office, evaluation, where=str(path))
    except EvaluationError as exc:  # its line and indicator, as a report's error names them
        raise office.locate(exc) from None
