"""Reading ``evaluation.toml`` strictly and checking it against the report it evaluates.

Every form of ``report.toml`` applies to the revised readings (Bengali digits, markers,
dates); every mistake is one :class:`~apacore.errors.EvaluationError` naming the file and
the ``$.path``: an unknown indicator, an indicator listed twice, a revision without
readings, a missing reason, a fiscal year or quarter that is not the report's, a revised
reading that would not be a valid reading of the report in its place.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apacore.errors import EvaluationError, ReportError
from apacore.evaluation.model import Evaluation
from apacore.loading.agreements import OfficeFiles, check_reading, indicator_refs
from apacore.models import quarter_end

__all__ = ["check_evaluation", "evaluation_from", "load_evaluation"]


def load_evaluation(path: Path) -> Evaluation:
    """An evaluation file, structured strictly."""
    from apacore.loading.convert import read_toml, structure

    data = read_toml(path, error=EvaluationError)
    return structure(data, Evaluation, where=str(path), error=EvaluationError)


def evaluation_from(
    source: str | Mapping[str, Any], *, name: str = "evaluation.toml"
) -> Evaluation:
    """An evaluation from its TOML text (or the data parsed from it), read as strictly as
    the file; ``name`` is what messages call it (a server's request, a test)."""
    from apacore.loading.convert import check_data, parse_toml, structure

    data: Mapping[str, Any]
    if isinstance(source, str):
        data = parse_toml(source, where=name, error=EvaluationError)
    elif isinstance(source, Mapping):
        check_data(source, where=name, error=EvaluationError)
        data = source
    else:
        raise EvaluationError(
            f"expected TOML text or a mapping, got {type(source).__name__}", where=name
        )
    return structure(data, Evaluation, where=name, error=EvaluationError)


def check_evaluation(evaluation: Evaluation, office: OfficeFiles, *, where: str) -> None:
    """The evaluation fits the office's report: the same year and quarter, known
    indicators each listed once, revised readings valid where the report would hold them."""
    report = office.report
    if report is None:
        raise EvaluationError(
            "evaluates a progress report, but there is no report.toml beside it", where=where
        )
    if evaluation.fiscal_year != report.fiscal_year:
        raise EvaluationError(
            f"is for {evaluation.fiscal_year}, but the report is for {report.fiscal_year}",
            where=where,
            path="$.fiscal_year",
        )
    if evaluation.quarter != report.quarter:
        raise EvaluationError(
            f"evaluates Q{evaluation.quarter}, but the report covers quarters 1 to"
            f" {report.quarter}",
            where=where,
            path="$.quarter",
        )
    spec = office.ruleset.spec
    end = quarter_end(spec.starts, evaluation.quarter)
    if evaluation.evaluated_on <= end:
        raise EvaluationError(
            f"{evaluation.evaluated_on.isoformat()} is not after the end of Q{evaluation.quarter}"
            f" ({end.isoformat()}), the period it evaluates",
            where=where,
            path="$.evaluated_on",
        )
    refs = indicator_refs(office.agreement, office.ruleset)
    from apacore.loading.validation import check_references  # not needed when cached

    listed = [entry.indicator for entry in evaluation.entries]
    check_references(
        listed,
        refs,
        base="$.entries",
        where=where,
        error=EvaluationError,
        twice="has a verdict twice",
    )
    for i, entry in enumerate(evaluation.entries):
        path = f"$.entries[{i}]"
        for q, reading in enumerate(entry.quarters(), start=1):
            if reading is None:
                continue
            try:
                check_reading(reading, q, evaluation.quarter, spec, where=where, entry=path)
            except ReportError as exc:
                why = exc.why.replace("in a report that covers", "in an evaluation of")
                raise EvaluationError(why, where=exc.where, path=exc.path) from None
