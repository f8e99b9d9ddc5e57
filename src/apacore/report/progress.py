"""The report's progress tables, as the official form lays them out: per annex and per area
of the office's own indicators, one row per indicator, grouped by activity (কার্যক্রম), with
the calculation method (গণনা পদ্ধতি), the five tiers as the agreement states them, the
quarters' figures, the achievement, and the evidence the progress report records.

Every cell is text here (numbers through :mod:`apacore.formatting`, words through
:mod:`apacore.words`); the template only lays the cells out. An activity's rows are one
group, printed as one ``<tbody>`` that does not break across pages; a group longer than
:data:`GROUP_ROWS` is cut into parts, each naming its activity again, so that a page never
starts with an indicator whose activity is on the page before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from apacore.engine.scorecard import IndicatorResult, Scorecard, SectionResult
from apacore.loading.agreements import OfficeFiles
from apacore.models import Activity, Area
from apacore.plugins.annex_plan import plan_annexes
from apacore.plugins.contract import bengali_fallback
from apacore.plugins.host import get_registry
from apacore.render.formats import digits_in, figure_text, revision_of, section_title, with_original
from apacore.values import frozen
from apacore.words import label, status_name, tier_name, unit_name

__all__ = ["GROUP_ROWS", "ActivityGroup", "EvidenceItem", "Row", "Table", "progress_tables"]

GROUP_ROWS = 8
"""The most rows an activity's group holds before it is cut (each part names the activity)."""


@frozen(kw_only=True)
class Row:
    """One indicator row of a progress table, every cell already text."""

    ref: str
    name: str
    method: str
    unit: str
    weight: str
    tiers: tuple[str, ...]
    """The five tier values as the agreement states them (``-`` where it leaves one
    blank); empty for an indicator without tiers, whose :attr:`target` spans the five."""
    target: str
    quarters: tuple[str, str, str, str]
    achievement: str
    progress_pct: str
    progress_marks: str
    evidence: str
    """The numbers of the evidence the report records for it (:class:`EvidenceItem`), or
    that it records none."""
    remarks: str
    status: str


@frozen(kw_only=True)
class ActivityGroup:
    """An activity's consecutive rows: the activity cell spans them."""

    activity: str
    rows: tuple[Row, ...]
    continued: bool = False
    """A later part of an activity cut at :data:`GROUP_ROWS` rows."""


@frozen(kw_only=True)
class Table:
    """A section's progress table (an annex, or one of the office's areas)."""

    key: str
    title: str
    heading: str
    groups: tuple[ActivityGroup, ...]
    total_weight: str
    total_progress_marks: str


@frozen(kw_only=True)
class EvidenceItem:
    """One piece of evidence the progress report records, numbered as the tables cite it."""

    number: str
    section: str
    ref: str
    text: str


def _activities(files: OfficeFiles) -> dict[str, Activity]:
    """Each indicator reference's activity, for the কার্যক্রম column."""
    out: dict[str, Activity] = {}

    def walk(areas: Sequence[Area], prefix: str) -> None:
        for area in areas:
            for act in area.activities:
                for ind in act.indicators:
                    out[prefix + ind.id] = act

    walk(files.agreement.areas, "")
    for plan in plan_annexes(files.agreement, files.ruleset):
        walk(plan.areas, f"{plan.kind}/")
    return out


def name_in(bn: str, en: str, lang: str) -> str:
    """A name in ``lang``, the other language's where it has none."""
    if lang == "en":
        return en or bn
    return bn or en


def ref_text(ident: str, lang: str) -> str:
    """``[২.২.৩]``: an id as the forms print it."""
    return digits_in(f"[{ident}]", lang)


def method_name(method: str, lang: str) -> str:
    """A calculation method as the page names it: its Bengali name in Bengali (the
    Bengali fallback for a plugin's method without one, never its key alone)."""
    registered = get_registry().methods.get(method)
    if lang != "bn":
        return method
    if registered is None:
        return bengali_fallback("calculation method", method)
    return registered.bengali_name


def _tiers(result: IndicatorResult, card: Scorecard, lang: str) -> tuple[str, ...]:
    """The five tier cells as the agreement states them, a revised tier with its original."""
    indicator = result.indicator
    if indicator is None or indicator.tiers is None:
        return ()
    applied = revision_of(card, result.ref)
    before = applied.original.tiers if applied is not None else None
    cells = []
    for i, value in enumerate(indicator.tiers):
        shown = "-" if value is None else figure_text(value, card, lang)
        if before is not None and before[i] != value:
            old = "-" if before[i] is None else figure_text(before[i], card, lang)
            shown = f"{shown} ({label('original', lang)} {old})"
        cells.append(shown)
    return tuple(cells)


def _target(result: IndicatorResult, card: Scorecard, lang: str) -> str:
    """An indicator without tiers: its single target or its milestones, named."""
    indicator = result.indicator
    if indicator is not None and indicator.milestones is not None:
        dates = ", ".join(figure_text(d, card, lang) for d in indicator.milestones)
        return f"{tier_name('milestones', lang)}: {dates}"
    shown = "-" if result.target is None else figure_text(result.target, card, lang)
    shown = with_original(shown, result, "target", card, lang)
    return f"{tier_name('target', lang)}: {shown}"


def _remarks(result: IndicatorResult, lang: str, flagged: set[str], no_evidence: set[str]) -> str:
    notes = []
    if result.status != "scored":
        notes.append(status_name(result.status, lang))
    if result.ref in flagged:
        notes.append(label("see_audit", lang))
    if result.ref in no_evidence:
        notes.append(label("no_evidence", lang))
    return "; ".join(notes)


class _Evidence:
    """The evidence the report records, numbered in the order the tables cite it."""

    def __init__(self, files: OfficeFiles, lang: str) -> None:
        self.files, self.lang = files, lang
        self.items: list[EvidenceItem] = []

    def cite(self, result: IndicatorResult, section: SectionResult) -> str:
        report = self.files.report
        entry = report.entry(result.ref) if report is not None else None
        listed = entry.evidence if entry is not None else ()
        if not listed:
            return label("evidence_none_recorded", self.lang)
        numbers = []
        for text in listed:
            number = digits_in(str(len(self.items) + 1), self.lang)
            numbers.append(number)
            self.items.append(
                EvidenceItem(
                    number=number,
                    section=section_title(section, self.lang),
                    ref=ref_text(result.id, self.lang),
                    text=text,
                )
            )
        return ", ".join(numbers)


def _groups(rows: Sequence[tuple[Activity | None, Row]], lang: str) -> tuple[ActivityGroup, ...]:
    """Consecutive rows of one activity as a group, cut every :data:`GROUP_ROWS` rows."""
    runs: list[tuple[Activity | None, list[Row]]] = []
    for act, row in rows:
        if runs and act is not None and runs[-1][0] is act:
            runs[-1][1].append(row)
        else:
            runs.append((act, [row]))
    groups = []
    for act, run in runs:
        text = (
            ""
            if act is None
            else f"{ref_text(act.id, lang)} {name_in(act.name_bn, act.name_en, lang)}"
        )
        for start in range(0, len(run), GROUP_ROWS):
            groups.append(
                ActivityGroup(
                    activity=text.strip(),
                    rows=tuple(run[start : start + GROUP_ROWS]),
                    continued=start > 0,
                )
            )
    return tuple(groups)


def progress_tables(
    card: Scorecard,
    files: OfficeFiles,
    lang: str,
    number: Any,
    *,
    flagged: set[str],
    no_evidence: set[str],
) -> tuple[tuple[Table, ...], tuple[EvidenceItem, ...]]:
    """The progress tables of ``card`` and the evidence they cite, in ``lang``; ``number``
    writes a figure rounded once (``number(value, suffix)``, ``number.of(obj, name)``)."""
    activities = _activities(files)
    evidence = _Evidence(files, lang)
    tables = []
    for section in card.sections:
        if not section.indicators:
            continue
        rows = []
        for result in section.indicators:
            quarters = ["" if r is None else digits_in(r.text, lang) for r in result.quarters]
            quarters += [""] * (4 - len(quarters))
            pct = result.exact("progress_pct")
            row = Row(
                ref=ref_text(result.id, lang),
                name=name_in(result.name_bn, result.name_en, lang),
                method=method_name(result.method, lang),
                unit=unit_name(result.unit, lang),
                # as the agreement writes them, a revised one with the original beside it
                weight=with_original(
                    figure_text(result.weight, card, lang), result, "weight", card, lang
                ),
                tiers=_tiers(result, card, lang),
                target=_target(result, card, lang),
                quarters=(quarters[0], quarters[1], quarters[2], quarters[3]),
                achievement=figure_text(result.achievement, card, lang),
                progress_pct=number(pct, "%") if pct is not None else "-",
                progress_marks=number.of(result, "progress_marks"),
                evidence=evidence.cite(result, section),
                remarks=_remarks(result, lang, flagged, no_evidence),
                status=result.status,
            )
            rows.append((activities.get(result.ref), row))
        heading = (
            f"{label('own_indicators', lang)}: {section_title(section, lang)}"
            if section.kind == "area"
            else f"{label('annex', lang)}: {section_title(section, lang)}"
        )
        tables.append(
            Table(
                key=section.key,
                title=section_title(section, lang),
                heading=heading,
                groups=_groups(rows, lang),
                total_weight=figure_text(section.weight, card, lang),
                total_progress_marks=number.of(section, "progress_marks"),
            )
        )
    return tuple(tables), tuple(evidence.items)
