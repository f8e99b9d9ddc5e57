"""What the printable report shows, as plain text values: the template only lays them out.

Every number and date is written here, once, through :mod:`apacore.formatting` (rounded to
the ruleset's places, digits in the report's language); every word comes from
:mod:`apacore.words`. The template receives strings and never computes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from apacore.audit import audit_evidence, audit_scorecard
from apacore.audit.text import figure_label, reason
from apacore.engine.scorecard import IndicatorResult, Scorecard, SectionResult
from apacore.formatting import format_date, format_number
from apacore.loading.agreements import OfficeFiles
from apacore.models import TIER_KEYS
from apacore.render.formats import digits_in, section_title
from apacore.values import frozen
from apacore.words import label, quarter_name, tier_name

from .chart import Bar, bar_chart
from .evaluation import EvaluationPart, evaluation_part
from .progress import EvidenceItem, Table, name_in, progress_tables, ref_text
from .signatures import SignatureBlock, made_on, signature_blocks

__all__ = ["ReportContext", "build_context"]


@frozen(kw_only=True)
class SummaryRow:
    title: str
    weight: str
    max: str
    marks: str
    progress_marks: str
    apa_weight: str
    converted_max: str
    converted_marks: str
    converted_progress_marks: str
    note: str


@frozen(kw_only=True)
class ReportContext:
    """Everything the template needs."""

    lang: str
    labels: dict[str, str]
    office: str
    office_other: str
    title: str
    subtitle: str
    as_of: str
    summary: tuple[SummaryRow, ...]
    total: SummaryRow
    grade: str
    grade_note: str
    summary_note: str
    conversions: tuple[tuple[str, str], ...]
    chart: Any
    tables: tuple[Table, ...]
    evidence: tuple[EvidenceItem, ...]
    """The evidence the progress report records, numbered as the tables cite it."""
    tier_names: tuple[str, ...]
    """The five tier headings, best first (অসাধারণ … চলতি মানের নিম্নে)."""
    findings: tuple[dict[str, str], ...]
    missing_evidence: tuple[dict[str, str], ...]
    footer: str
    sha256: str
    evaluation: EvaluationPart | None = None
    """The superior office's evaluation, when there is one (:mod:`.evaluation`)."""
    signatures: tuple[SignatureBlock, ...] = ()
    """The preparer's, the head of office's and the evaluating officer's blocks."""
    made_on: str = ""
    """The date the report was made, said in its language."""
    notices: tuple[str, ...] = ()
    """Every warning the command gives for this score (:meth:`ScoredOffice.notices`)."""
    status_note: str = ""
    """Said first when there is no report, or when it reports nothing."""
    evidence_note: str = ""
    """What the report records of evidence, counted: never more than it records."""
    page_footer: str = ""
    """Every printed page's footer, a CSS string (escaped): office, fiscal year, period."""
    page_number: str = '"" counter(page) " / " counter(pages)'
    """The page's number and count as CSS content, in the page's digits and words."""


def _indicator_label(card: Scorecard, ref: str, lang: str) -> str:
    """An indicator reference as a reader of the page knows it: ``[২.২.৩]``, and an annex's
    row by the annex's name (``ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা [৪.১.২]``), never its code."""
    kind, annex_row, ident = ref.rpartition("/")
    if not annex_row:
        return ref_text(ident, lang)
    section = next((s for s in card.sections if s.kind == "annex" and s.key == kind), None)
    name = section_title(section, lang) if section is not None else kind
    return f"{name} {ref_text(ident, lang)}"


class _Numbers:
    """Rounded once, to the ruleset's places, digits following the language."""

    def __init__(self, card: Scorecard, lang: str) -> None:
        self.card, self.lang = card, lang

    def __call__(self, value: Fraction | None, suffix: str = "") -> str:
        if value is None:
            return "-"
        text = format_number(
            value, lang=self.lang, places=self.card.places, mode=self.card.rounding
        )
        return text + suffix

    def of(self, obj: IndicatorResult | SectionResult | Scorecard, name: str) -> str:
        return self(obj.exact(name))


def _summary_row(section: SectionResult, num: _Numbers, lang: str) -> SummaryRow:
    note = label("no_weights", lang) if section.weight is None else ""
    return SummaryRow(
        title=section_title(section, lang),
        weight=num.of(section, "weight"),
        max=num.of(section, "max"),
        marks=num.of(section, "marks"),
        progress_marks=num.of(section, "progress_marks"),
        apa_weight=num.of(section, "apa_weight"),
        converted_max=num.of(section, "converted_max"),
        converted_marks=num.of(section, "converted_marks"),
        converted_progress_marks=num.of(section, "converted_progress_marks"),
        note=note,
    )


_REPORTED = ("scored", "substituted")
"""The statuses of a row with figures reported (the others: not reported, not applicable)."""


def _evidence_note(card: Scorecard, files: OfficeFiles, lang: str) -> str:
    """What the report records of evidence, counted from report.toml's ``evidence``."""
    report = files.report
    reported = [r for r in card.indicators() if r.status in _REPORTED]
    if report is None:
        return label("evidence_nothing_reported", lang)
    if not reported:
        with_evidence = sum(
            bool(e.evidence) for r in card.indicators() if (e := report.entry(r.ref)) is not None
        )
        if with_evidence:
            return label("evidence_without_figures", lang, k=digits_in(str(with_evidence), lang))
        return label("evidence_nothing_reported", lang)
    listed = 0
    for r in reported:
        entry = report.entry(r.ref)
        listed += entry is not None and bool(entry.evidence)
    n, k = digits_in(str(len(reported)), lang), digits_in(str(listed), lang)
    if listed == len(reported):
        return label("evidence_all", lang, n=n)
    if listed == 0:
        return label("evidence_no_list", lang, n=n)
    return label("evidence_some", lang, n=n, k=k)


def _nothing_reported(card: Scorecard, files: OfficeFiles) -> bool:
    return files.report is None or not any(r.status in _REPORTED for r in card.indicators())


def build_context(
    card: Scorecard,
    files: OfficeFiles,
    lang: str = "bn",
    *,
    notices: Sequence[str] = (),
    today: dt.date | None = None,
) -> ReportContext:
    """The report's content for ``card`` (scored from ``files``) in ``lang``; ``notices``
    are the command's warnings (:meth:`apacore.office.ScoredOffice.notices`), printed on
    the page as on standard error; ``today``: the date it is made (:func:`.made_on`)."""
    from apacore._version import __version__

    num = _Numbers(card, lang)
    findings = audit_scorecard(card)
    # one definition of missing evidence, the audit's: a reported figure with no evidence
    # reference where the agreement requires one
    no_evidence = {f.indicator for f in audit_evidence(card)}
    tables, evidence = progress_tables(
        card, files, lang, num, flagged={f.indicator for f in findings}, no_evidence=no_evidence
    )
    summary = tuple(_summary_row(s, num, lang) for s in card.sections)
    total = SummaryRow(
        title=label("total", lang),
        weight="",
        max="",
        marks="",
        progress_marks="",
        apa_weight="",
        converted_max=num.of(card, "total_max"),
        converted_marks=num.of(card, "total_marks"),
        converted_progress_marks=num.of(card, "total_progress_marks"),
        note="",
    )
    conversions = []
    for s in card.sections:
        if s.kind != "annex" or s.weight is None:
            continue
        formula = (
            f"{num.of(s, 'marks')} / {num.of(s, 'weight')} × {num.of(s, 'apa_weight')}"
            f" = {num.of(s, 'converted_marks')}"
        )
        conversions.append((section_title(s, lang), formula))
    bars = [
        Bar(
            label=section_title(s, lang),
            value=s.exact("converted_marks") or Fraction(0),
            maximum=s.exact("converted_max") or Fraction(0),
            text=f"{num.of(s, 'converted_marks')} / {num.of(s, 'converted_max')}",
        )
        for s in card.sections
        if s.weight is not None
    ]
    missing = tuple(
        {
            "ref": digits_in(r.ref.split("/")[-1], lang),
            "section": section_title(next(s for s in card.sections if r in s.indicators), lang),
            "name": name_in(r.name_bn, r.name_en, lang),
            "required": (r.indicator.evidence if r.indicator is not None else "") or "-",
        }
        for r in card.indicators()
        if r.ref in no_evidence
    )
    grade = card.grade_bn if lang == "bn" and card.grade_bn else card.grade
    nothing = _nothing_reported(card, files)
    fy_text = digits_in(card.fiscal_year, lang)
    if files.report is None:
        status_note = label("no_report_note", lang)
    elif nothing:
        status_note = label(
            "nothing_reported_note", lang, quarter=quarter_name(card.as_of_quarter, lang)
        )
    else:
        status_note = ""
    office_bn = card.office_bn or card.office
    office_en = card.office if card.office != card.office_bn else ""
    office, other = (office_bn, office_en) if lang == "bn" else (office_en or office_bn, office_bn)
    quarter = quarter_name(card.as_of_quarter, lang)
    sha = card.ruleset.get("sha256", "")
    evaluation = evaluation_part(card, lang)
    return ReportContext(
        lang=lang,
        labels={k: label(k, lang) for k in _TEMPLATE_LABELS},
        office=office,
        office_other=other if other != office else "",
        title=label("report_title", lang),
        subtitle=label("no_report_title", lang, fy=fy_text)
        if files.report is None
        else label("report_subtitle", lang, fy=fy_text, quarter=quarter),
        as_of=f"{quarter} ({format_date(card.as_of, lang=lang)})",
        summary=summary,
        total=total,
        grade="-" if nothing else grade or "-",
        grade_note=label("not_graded", lang)
        if nothing
        else label("grade_unverified", lang)
        if grade
        else "",
        summary_note=label("summary_note", lang, date=format_date(card.as_of, lang=lang)),
        conversions=tuple(conversions),
        chart=bar_chart(bars),
        tables=tables,
        evidence=evidence,
        tier_names=tuple(tier_name(k, lang) for k in TIER_KEYS),
        findings=tuple(
            {
                "ref": _indicator_label(card, f.indicator, lang),
                "figure": figure_label(f.figure, lang),
                "office": digits_in(f.office, lang),
                "apacore": digits_in(f.apacore, lang),
                "reason": reason(f, lang),
            }
            for f in findings
        ),
        missing_evidence=missing,
        footer=label(
            "computed_by",
            lang,
            version=digits_in(__version__, lang),
            fy=digits_in(card.ruleset.get("fiscal_year", ""), lang),
            rv=digits_in(card.ruleset.get("version", ""), lang),
            sha=sha,  # the hash stays in ASCII: it is compared, not read
        ),
        sha256=sha,
        evaluation=evaluation,
        signatures=signature_blocks(lang, evaluation),
        made_on=label("made_on", lang, date=format_date(made_on(today), lang=lang)),
        notices=tuple(notices),
        status_note=status_note,
        evidence_note=_evidence_note(card, files, lang),
        page_footer=css_string(
            " · ".join(
                (
                    office,
                    label("fiscal_year", lang) + " " + fy_text,
                    quarter_name(card.as_of_quarter, lang),
                )
                if files.report is not None
                else (office, label("fiscal_year", lang) + " " + fy_text)
            )
        ),
        page_number=_page_number(lang),
    )


def css_string(text: str) -> str:
    """``text`` as a CSS string literal, quotes included: safe inside a ``<style>``
    element (a backslash, a quote, a control character or ``<`` written as escapes)."""
    out = []
    for char in text:
        if char in '\\"<>&' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _page_number(lang: str) -> str:
    """``পৃষ্ঠা ১ / ৯`` (Bengali digits: CSS's predefined ``bengali`` counter style) or
    ``page 1 of 9``, as CSS content."""
    style = "bengali" if lang == "bn" else "decimal"
    return (
        f'{css_string(label("page", lang))} " " counter(page, {style})'
        f" {css_string(' ' + label('page_of', lang) + ' ')} counter(pages, {style})"
    )


_TEMPLATE_LABELS = (
    "office", "fiscal_year", "as_of", "ruleset", "total", "grade", "activity", "indicator",
    "unit", "weight", "target", "achievement", "progress_pct", "progress_marks_form",
    "marks", "progress_marks", "remarks", "summary", "conversion", "conversion_formula",
    "chart", "audit", "audit_none", "figure", "office_figure", "apacore_figure", "reason",
    "evidence_missing", "evidence", "notices", "evidence_required", "signature", "name",
    "designation", "date", "prepared_by", "approved_by", "max", "converted", "apa_weight",
    "annex_total", "section", "id", "annex", "progress_by_quarter", "weight_or_total",
    "method", "achievement_form", "evidence_recorded", "continued", "seal", "name_designation",
)  # fmt: skip
