"""The skeleton ``apacore evaluate`` writes for the evaluating office.

Every indicator of the office's report is listed as accepted, with the office's own
figures, its evidence and what ``apacore audit`` found as comments beside it (a cell that
does not follow from the office's own numbers comes with the value it would be). Loaded
unchanged, it gives an evaluated total equal to the self-assessed one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable

from apacore.audit import audit_evidence, audit_scorecard
from apacore.audit.findings import Finding
from apacore.audit.text import figure_label, kind_label, reason
from apacore.engine.results import IndicatorResult, Scorecard
from apacore.formatting import format_number, format_value
from apacore.loading.agreements import OfficeFiles
from apacore.render.formats import digits_in
from apacore.words import status_name

__all__ = ["skeleton", "skeleton_text"]

_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _toml_str(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _comment(text: str) -> str:
    """``text`` fit for one TOML comment line (control characters written visibly)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", " ".join(text.split()))


def _figure(result: IndicatorResult, name: str, card: Scorecard, lang: str) -> str:
    value = result.exact(name)
    if value is None:
        return "-"
    return format_number(value, places=card.places, mode=card.rounding, lang=lang)


_WORDS = {
    # key: (English, Bengali)
    "wrote": ("the office wrote", "অফিসের লেখা"),
    "no_figures": ("no figures", "কোনো সংখ্যা নেই"),
    "scored": (
        "scored on them: achievement {a}, progress {p}%, raw score {r}, marks {m} ({s})",
        "এ অনুযায়ী: অর্জন {a}, অগ্রগতি {p}%, স্কোর {r}, নম্বর {m} ({s})",
    ),
    "evidence": ("evidence", "প্রমাণক"),
    "no_evidence": (
        "evidence: none listed; the agreement requires: {e}",
        "প্রমাণক: উল্লেখ নেই; চুক্তিতে চাওয়া হয়েছে: {e}",
    ),
    "audit": (
        "audit ({k}): {f}: the office wrote {o}, it would be {a}: {why}",
        "নিরীক্ষা ({k}): {f}: অফিসের লেখা {o}, হওয়ার কথা {a}: {why}",
    ),
}


def _word(key: str, lang: str, **values: str) -> str:
    english, bengali = _WORDS[key]
    return (bengali if lang == "bn" else english).format(**values)


def _row_comments(
    result: IndicatorResult, card: Scorecard, found: Iterable[Finding], lang: str
) -> list[str]:
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
        status = "" if entry.status == "reported" else f" ({status_name(entry.status, lang)})"
        shown_figures = ", ".join(figures) or _word("no_figures", lang)
        lines.append(f"{_word('wrote', lang)}{status}: {shown_figures}")
    achievement = result.achievement
    lines.append(
        _word(
            "scored",
            lang,
            a="-" if achievement is None else format_value(achievement, lang=lang),
            p=_figure(result, "progress_pct", card, lang),
            r=_figure(result, "raw_score", card, lang),
            m=_figure(result, "marks", card, lang),
            s=status_name(result.status, lang),
        )
    )
    indicator = result.indicator
    evidence = entry.evidence if entry is not None else ()
    if evidence:
        lines.extend(f"{_word('evidence', lang)}: {e}" for e in evidence)
    elif indicator is not None and indicator.evidence:
        lines.append(_word("no_evidence", lang, e=indicator.evidence))
    for f in found:
        lines.append(
            _word(
                "audit",
                lang,
                k=kind_label(f.kind, lang),
                f=figure_label(f.figure, lang),
                o=f.office,
                a=digits_in(f.apacore, lang),
                why=reason(f, lang),
            )
        )
    return [f"# {_comment(line)}" for line in lines]


def skeleton_text(office: OfficeFiles, card: Scorecard, *, today: dt.date, lang: str = "en") -> str:
    """The skeleton ``evaluation.toml`` for the office's report, scored as ``card``; the
    comments beside each row in ``lang`` (the header and the keys stay English: they are
    the file's)."""
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
            out += _row_comments(result, card, findings.get(entry.indicator, ()), lang)
        out += ['verdict = "accepted"', 'reason = ""', "evidence_seen = []"]
    return "\n".join(out) + "\n"


def skeleton(
    path: str | os.PathLike[str], *, lang: str = "en", today: dt.date | None = None
) -> str:
    """The skeleton ``evaluation.toml`` for the office in ``path`` (``apacore evaluate``):
    its own figures scored (an ``evaluation.toml`` already beside them is not read). An
    office without a report is an error: there is nothing to evaluate."""
    from pathlib import Path

    from apacore.errors import ApacoreError
    from apacore.loading.agreements import load_office
    from apacore.office import score_files

    office = load_office(Path(path))
    if office.report is None:
        raise ApacoreError("has no report.toml to evaluate", where=str(path))
    card = score_files(office, as_of=office.report.quarter, evaluation=False)
    return skeleton_text(office, card, today=today or dt.date.today(), lang=lang)
