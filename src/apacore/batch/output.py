"""Writing a batch out: JSON, JSON lines, CSV and the roll-up table; the atomic file write.

The JSON contract is documented in docs/cli.md (``apacore batch``). Every writer gives
the text as a stream of pieces, so a large batch is never held as one string.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from apacore.batch import OfficeError
from apacore.batch.rollup import Grouping, RankedOffice, Ranking, Summary
from apacore.formatting import BOM
from apacore.numbers import to_bengali_digits
from apacore.render.formats import text_table
from apacore.render.spreadsheet import write_row
from apacore.words import evaluation_label, label

__all__ = [
    "BATCH_FORMATS",
    "PAGE_SUFFIXES",
    "batch_chunks",
    "batch_meta",
    "batch_summary",
    "batch_to_dict",
]

BATCH_FORMATS = ("table", "csv", "json", "jsonl")

PAGE_SUFFIXES = (".html", ".htm", ".pdf")
"""An ``-o`` file of one of these names is written as the page to publish
(:mod:`apacore.report.ranking`), whatever ``--format``."""


# --------------------------------------------------------------------------- JSON


def _head(ranking: Ranking, errors: Sequence[OfficeError], meta: dict[str, Any]) -> dict[str, Any]:
    return {
        **meta,
        "count": {
            "offices": len(ranking.offices),
            "ranked": len(ranking.ranked),
            "not_ranked": len(ranking.not_ranked),
            "errors": len(errors),
        },
        "summary": None if ranking.overall is None else ranking.overall.to_dict(),
        "groups": [g.to_dict() for g in ranking.groups],
    }


def batch_to_dict(
    ranking: Ranking, errors: Sequence[OfficeError], meta: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A batch as plain data: the document ``apacore batch --format json`` writes (which
    writes it piece by piece, one office a line, never holding it whole)."""
    return {
        **_head(ranking, errors, meta or {}),
        "offices": [o.to_dict() for o in ranking.offices],
        "errors": [e.to_dict() for e in errors],
    }


def _json_chunks(
    ranking: Ranking, errors: Sequence[OfficeError], meta: dict[str, Any]
) -> Iterator[str]:
    text = json.dumps(_head(ranking, errors, meta), ensure_ascii=False, indent=2)
    yield text[: text.rindex("}")].rstrip() + ',\n  "offices": ['
    for i, office in enumerate(ranking.offices):
        yield ("," if i else "") + "\n    " + json.dumps(office.to_dict(), ensure_ascii=False)
    yield ("\n  " if ranking.offices else "") + '],\n  "errors": ['
    for i, error in enumerate(errors):
        yield ("," if i else "") + "\n    " + json.dumps(error.to_dict(), ensure_ascii=False)
    yield ("\n  " if errors else "") + "]\n}\n"


def _jsonl_chunks(ranking: Ranking, errors: Sequence[OfficeError]) -> Iterator[str]:
    for office in ranking.offices:
        yield json.dumps(office.to_dict(), ensure_ascii=False) + "\n"
    for error in errors:
        yield json.dumps(error.to_dict(), ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- CSV


def _section_ids(offices: Iterable[RankedOffice]) -> list[str]:
    """Every section id of the batch, in the order they first appear."""
    seen: dict[str, None] = {}
    for office in offices:
        for section in office.record.sections:
            seen.setdefault(section.id, None)
    return list(seen)


CSV_COLUMNS = (
    "rank",
    "group",
    "group_rank",
    "path",
    "name_bn",
    "name_en",
    "office_level",
    "fiscal_year",
    "as_of_quarter",
    "as_of_date",
    "scope",
    "total_marks",
    "total_progress_marks",
    "total_max",
    "grade",
    "evaluated_marks",
    "evaluated_max",
    "evaluated_grade",
    "ranked_on",
    "not_ranked",
    "notices",
)
"""The first columns: ``total_*`` and ``grade`` are the office's own (self-assessed);
``evaluated_*`` are blank without an evaluation; ``ranked_on`` says which total ``rank``
is of (``evaluated`` or ``self_assessed``)."""


def _csv_chunks(ranking: Ranking, errors: Sequence[OfficeError], bom: bool) -> Iterator[str]:
    sections = _section_ids(ranking.offices)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")

    def flush() -> str:
        text = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return text

    write_row(
        writer,
        [
            *CSV_COLUMNS,
            *(f"marks:{s}" for s in sections),
            "ruleset_version",
            "ruleset_sha256",
            "error",
        ],
    )
    yield (BOM if bom else "") + flush()
    for office in ranking.offices:
        r = office.record
        marks = {s.id: s.converted_marks for s in r.sections}
        write_row(
            writer,
            [
                office.rank,
                office.group,
                office.group_rank,
                r.path,
                r.name_bn,
                r.name_en,
                r.office_level,
                r.fiscal_year,
                r.as_of["quarter"],
                r.as_of["date"],
                r.scope,
                r.total["marks"],
                r.total["progress_marks"],
                r.total["max"],
                r.total["grade"],
                *(_evaluated(r.evaluation, k) for k in ("marks", "max", "grade")),
                r.ranked_on,
                office.not_ranked or "",
                " | ".join(r.notices),
                *(marks.get(s) for s in sections),
                r.ruleset["version"],
                r.ruleset["sha256"],
                "",
            ],
        )
        yield flush()
    blank = len(CSV_COLUMNS) - 4 + len(sections) + 2
    for error in errors:
        write_row(writer, ["", "", "", error.path, *([""] * blank), error.error])
        yield flush()


def _evaluated(evaluation: dict[str, Any] | None, key: str) -> str | None:
    total: str | None = None if evaluation is None else evaluation["total"][key]
    return total


# --------------------------------------------------------------------------- table


def _local(text: object, lang: str) -> str:
    if text is None:
        return "-"
    return to_bengali_digits(str(text)) if lang == "bn" else str(text)


def _count(n: int, lang: str) -> str:
    """``1 office``, ``2 offices``."""
    return label("one_office" if n == 1 else "n_offices", lang, n=_local(n, lang))


def _grade(grade: str | None, grade_bn: str | None, lang: str) -> str:
    if lang == "bn" and grade_bn:
        return grade_bn
    return grade or "-"


def _ranking_rows(
    offices: Sequence[RankedOffice], sections: list[str], lang: str, grouped: bool
) -> tuple[list[str], list[list[str]], set[int]]:
    head = [
        label("rank", lang),
        *([label("group_rank", lang)] if grouped else []),
        label("office", lang),
    ]
    first_number = len(head)
    annexes = {s.id for o in offices for s in o.record.sections if s.kind != "area"}
    head += [
        label("total", lang),
        label("max", lang),
        label("grade", lang),
        evaluation_label("ranked_on", lang),
        *(_section_head(s, lang, annexes) for s in sections),
    ]
    numeric = {
        i
        for i in range(len(head))
        if i >= first_number and i not in (first_number + 2, first_number + 3)
    }
    rows = []
    for office in offices:
        r = office.record
        name = _name(office, lang)
        marks = {s.id: s.converted_marks for s in r.sections}
        if r.evaluation is not None:  # the figures ranked on
            marks = dict(r.evaluation["sections"])
        rows.append(
            [
                _local(office.rank, lang),
                *([_local(office.group_rank, lang)] if grouped else []),
                name,
                _local(r.ranked_total()["marks"], lang),
                _local(r.ranked_total()["max"], lang),
                _grade(r.ranked_total()["grade"], r.ranked_grade_bn, lang),
                evaluation_label(r.ranked_on, lang),
                *(_local(marks.get(s), lang) for s in sections),
            ]
        )
    return head, rows, numeric


def _summary_rows(summaries: Sequence[tuple[str, Summary]], lang: str) -> list[str]:
    head = [
        label("group", lang),
        label("office_count", lang),
        label("mean", lang),
        label("median", lang),
        label("min", lang),
        label("max", lang),
        label("grades", lang),
    ]
    rows = []
    for name, s in summaries:
        grades = ", ".join(
            f"{_grade(g.grade, g.grade_bn, lang) if g.grade else label('no_grade', lang)}"
            f" {_local(g.count, lang)}"
            for g in s.grades
        )
        rows.append(
            [
                name,
                _local(s.count, lang),
                _local(s.mean, lang),
                _local(s.median, lang),
                _local(s.min, lang),
                _local(s.max, lang),
                grades,
            ]
        )
    return text_table(head, rows, numeric={1, 2, 3, 4, 5})


def _section_head(section: str, lang: str, annexes: set[str]) -> str:
    """A section column's head: an area's number, an annex by its short name in Bengali
    (:func:`apacore.render.formats.annex_short_name`), by its code in English."""
    if section not in annexes:
        return _local(section, lang)
    from apacore.render.formats import annex_short_name

    return annex_short_name(section, lang)


def _legend(offices: Sequence[RankedOffice], sections: list[str], lang: str) -> str:
    """What the section columns are: each office's own areas by number, and the annexes
    by name (``egov`` e-Governance and Innovation action plan; …)."""
    areas: list[str] = []
    annexes: dict[str, str] = {}
    for office in offices:
        for s in office.record.sections:
            if s.kind == "area":
                if s.id not in areas:
                    areas.append(s.id)
            elif s.id not in annexes:
                annexes[s.id] = (
                    (s.name_bn or s.name_en) if lang == "bn" else (s.name_en or s.name_bn)
                )
    parts = []
    if areas:
        parts.append(f"{', '.join(_local(a, lang) for a in areas)} {label('own_areas', lang)}")
    # in Bengali the column is headed by the annex's name: the legend names it once more
    parts += [
        annexes[k] if lang == "bn" else f"{k} {annexes[k]}".strip()
        for k in sections
        if k in annexes
    ]
    return "; ".join(parts)


def _table_chunks(
    ranking: Ranking, errors: Sequence[OfficeError], lang: str, title: str
) -> Iterator[str]:
    scored, failed = len(ranking.offices), len(errors)
    yield (
        f"{title}: {_count(scored + failed, lang)},"
        f" {label('batch_scored', lang, n=_local(scored, lang))},"
        f" {label('batch_not_scored', lang, n=_local(failed, lang))}\n"
    )
    sections = _section_ids(ranking.offices)
    legend = _legend(ranking.offices, sections, lang)
    if legend:
        yield f"{label('converted', lang)}: {legend}\n"
    if ranking.grouping is None:
        if ranking.ranked:
            head, rows, numeric = _ranking_rows(ranking.ranked, sections, lang, grouped=False)
            yield "\n" + "\n".join(text_table(head, rows, numeric=numeric)) + "\n"
    else:
        for summary in ranking.groups:
            members = ranking.in_group(summary.group)
            name = summary.group if summary.group is not None else label("no_group", lang)
            yield (
                f"\n{label('group', lang)} {_group_name(name, ranking.grouping, lang)}"
                f" ({_grouping(ranking.grouping, lang)}):"
                f" {_count(len(members), lang)}\n"
            )
            head, rows, numeric = _ranking_rows(members, sections, lang, grouped=True)
            yield "\n".join(text_table(head, rows, numeric=numeric)) + "\n"
    yield from _not_ranked_chunks(ranking, lang)
    if ranking.overall is not None:
        summaries = [(g.group or label("no_group", lang), g) for g in ranking.groups]
        summaries.append((label("all_offices", lang), ranking.overall))
        yield f"\n{label('summary', lang)}\n" + "\n".join(_summary_rows(summaries, lang)) + "\n"
    if errors:
        yield f"\n{label('not_scored', lang)}: {_local(failed, lang)}\n"
        for error in errors:
            yield f"  {error.path}: {error.error}\n"


def _not_ranked_chunks(ranking: Ranking, lang: str) -> Iterator[str]:
    """The offices scored but not ranked, each with why; then every office's warnings."""
    if ranking.not_ranked:
        head = [label("office", lang), label("total", lang), label("max", lang),
                evaluation_label("ranked_on", lang), label("reason", lang)]  # fmt: skip
        rows = [
            [
                _name(o, lang),
                _local(o.record.ranked_total()["marks"], lang),
                _local(o.record.ranked_total()["max"], lang),
                evaluation_label(o.record.ranked_on, lang),
                o.why(lang),
            ]
            for o in ranking.not_ranked
        ]
        yield (
            f"\n{label('not_ranked', lang)}: {_count(len(rows), lang)}\n"
            + "\n".join(text_table(head, rows, numeric={1, 2}))
            + "\n"
        )
    noticed = [o for o in ranking.offices if o.record.notices]
    if noticed:
        yield f"\n{label('notices', lang)}\n"
        for o in noticed:
            lines = o.record.notices_bn if lang == "bn" else o.record.notices
            for line in lines:
                yield f"  {_name(o, lang)}: {line}\n"


def _group_name(name: str, grouping: Grouping, lang: str) -> str:
    """A group's name: a fiscal year in the table's digits; a folder's name as it is."""
    return _local(name, lang) if grouping.field == "fiscal_year" else name


def _grouping(grouping: Grouping, lang: str) -> str:
    """How the offices are grouped, as a reader of ``lang`` says it."""
    if lang != "bn":
        return grouping.spec
    if grouping.level is not None:
        return label("group_level", lang, n=_local(grouping.level, lang))
    return label(f"group_{grouping.field}", lang)


def _name(office: RankedOffice, lang: str) -> str:
    r = office.record
    return r.name_bn if lang == "bn" or not r.name_en else r.name_en


def batch_meta(
    tree: str,
    as_of: str | None,
    grouping: Grouping | None,
    *,
    skipped: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """What heads a batch's JSON: apacore's version, the tree, the ``as_of`` asked for (as
    given), the grouping and the folders the walk skipped, each with why."""
    from apacore._version import __version__
    from apacore.errors import printable

    return {
        "apacore_version": __version__,
        "tree": printable(tree),
        "as_of": as_of,
        "group_by": None if grouping is None else grouping.spec,
        "skipped": [{"path": path, "why": why} for path, why in skipped],
    }


def batch_summary(
    tree: str,
    scored: int,
    errors: Sequence[OfficeError],
    written: object | None,
    *,
    listed: bool = False,
    lang: str = "en",
) -> str:
    """What a batch says on standard error when it is done: each office not scored (unless
    the output ``listed`` them) and, when it wrote a file, the counts, in ``lang``."""
    lines = [] if listed else [f"apacore: error: {error.error}" for error in errors]
    if written is not None:
        from apacore.errors import printable

        counts = (
            f"{label('batch_scored', lang, n=_local(scored, lang))},"
            f" {label('batch_not_scored', lang, n=_local(len(errors), lang))}"
            if lang == "bn"
            else f"{scored} offices scored, {len(errors)} not"
        )
        wrote = label("wrote", lang, path=str(written))
        lines.append(f"{printable(tree)}: {counts}; {wrote}")
    return "".join(f"{line}\n" for line in lines)


def batch_chunks(
    fmt: str,
    ranking: Ranking,
    errors: Sequence[OfficeError],
    *,
    lang: str = "en",
    meta: dict[str, Any] | None = None,
    bom: bool = True,
) -> Iterator[str]:
    """The batch written in ``fmt`` (table, csv, json, jsonl), piece by piece.

    ``meta`` heads the JSON document (and titles the table with its ``tree``); ``bom``
    starts the CSV with a byte-order mark for Excel; ``lang`` (en, bn) is the table's.
    """
    meta = meta or {}
    if fmt == "json":
        return _json_chunks(ranking, errors, meta)
    if fmt == "jsonl":
        return _jsonl_chunks(ranking, errors)
    if fmt == "csv":
        return _csv_chunks(ranking, errors, bom)
    if fmt == "table":
        return _table_chunks(ranking, errors, lang, str(meta.get("tree", "batch")))
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(BATCH_FORMATS)})")
