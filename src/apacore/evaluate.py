"""The skeleton ``apacore evaluate`` writes for the evaluating office.

Every indicator of the office's report is listed as accepted, with the office's own
figures, its evidence and what ``apacore audit`` found as comments beside it (a cell that
does not follow from the office's own numbers comes with the value it would be). Loaded
unchanged, it gives an evaluated total equal to the self-assessed one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable

from apacore.audit import audit_evidence, audit_scorecard
from apacore.audit_text import reason
from apacore.engine.results import IndicatorResult, Scorecard
from apacore.findings import Finding
from apacore.formatting import format_number, format_value
from apacore.loading.agreements import OfficeFiles

__all__ = ["skeleton_text"]

_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _toml_str(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _comment(text: str) -> str:
    """``text`` fit for one TOML comment line (control characters written visibly)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", " ".join(text.split()))


def _figure(result: IndicatorResult, name: str, card: Scorecard) -> str:
    value = result.exact(name)
    if value is None:
        return "-"
    return format_number(value, places=card.places, mode=card.rounding)


def _row_comments(result: IndicatorResult, card: Scorecard, found: Iterable[Finding]) -> list[str]:
    entry = result.entry
    lines = []
    if entry is not None:
        figures = [f'q{q} "{r.text}"' for q, r in enumerate(entry.quarters(), 1) if r is not None]
        claimed = entry.claimed
        if claimed is not None:
            figures += [
                f'{key} "{getattr(claimed, key).text}"'
                for key in ("total", "progress_pct", "marks")
                if getattr(claimed, key) is not None
            ]
        status = "" if entry.status == "reported" else f" ({entry.status})"
        lines.append(f"the office wrote{status}: {', '.join(figures) or 'no figures'}")
    achievement = result.achievement
    shown = "-" if achievement is None else format_value(achievement)
    lines.append(
        f"scored on them: achievement {shown}, progress {_figure(result, 'progress_pct', card)}%,"
        f" raw score {_figure(result, 'raw_score', card)}, marks {_figure(result, 'marks', card)}"
        f" ({result.status})"
    )
    indicator = result.indicator
    evidence = entry.evidence if entry is not None else ()
    if evidence:
        lines.extend(f"evidence: {e}" for e in evidence)
    elif indicator is not None and indicator.evidence:
        lines.append(f"evidence: none listed; the agreement requires: {indicator.evidence}")
    for f in found:
        lines.append(
            f"audit ({f.kind}): {f.figure}: the office wrote {f.office}, it would be"
            f" {f.apacore}: {reason(f)}"
        )
    return [f"# {_comment(line)}" for line in lines]


def skeleton_text(office: OfficeFiles, card: Scorecard, *, today: dt.date) -> str:
    """The skeleton ``evaluation.toml`` for the office's report, scored as ``card``."""
    report = office.report
    assert report is not None  # the command refuses an office without one
    findings: dict[str, list[Finding]] = {}
    for f in audit_scorecard(card) + audit_evidence(card):
        findings.setdefault(f.indicator, []).append(f)
    results = {r.ref: r for r in card.indicators()}
    name = office.agreement.office.name_bn
    out = [
        f"# Evaluation of {_comment(name)}: fiscal year {report.fiscal_year}, Q{report.quarter}.",
        f"# A skeleton written by `apacore evaluate` on {today.isoformat()}: every indicator of the",
        "# report is listed as accepted, and loaded unchanged it gives the office's own total.",
        "# For each indicator decide the verdict:",
        '#   "accepted"      the office\'s figures stand;',
        '#   "revised"       give the readings you accept (q1 … q4, in report.toml\'s forms;',
        "#                   a quarter not given keeps the office's) and the reason;",
        '#   "not_accepted"  the figures do not count (scored as not reported); give the reason.',
        "# evidence_seen lists the evidence you examined. The comments under each entry are",
        "# the office's own figures, its evidence and what `apacore audit` found.",
        "",
        f"fiscal_year = {_toml_str(report.fiscal_year)}",
        f"quarter = {report.quarter}",
        'evaluator = ""          # the evaluating office, as it signs',
        'officer = ""            # the evaluating officer: name and designation',
        f"evaluated_on = {today.isoformat()}",
    ]
    for entry in report.entries:
        result = results.get(entry.indicator)
        out += ["", "[[entries]]", f"indicator = {_toml_str(entry.indicator)}"]
        if result is not None:
            title = result.name_bn or result.name_en
            out.append(f"# {_comment(title)}")
            out += _row_comments(result, card, findings.get(entry.indicator, ()))
        out += ['verdict = "accepted"', 'reason = ""', "evidence_seen = []"]
    return "\n".join(out) + "\n"
