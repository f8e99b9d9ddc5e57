"""The district's roll-up as a page: ``apacore batch TREE -o ranking.html`` (or ``.pdf``).

The ranking of the comparable offices with a bar for each total against its maximum, a
heat map of every office's APA marks per annex (the share of the annex's maximum), the
laggards of each annex (the ranked offices below half of its maximum, lowest first), the
offices not ranked with the reason, every office's warnings, the offices not scored and
the folders skipped. Everything is text here, in the page's language; the template only
lays it out. Figures are the batch's as published (rounded once, as in its JSON).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from apacore.batch import OfficeError, OfficeRecord
from apacore.batch.output import PAGE_SUFFIXES
from apacore.batch.rollup import RankedOffice, Ranking
from apacore.formatting import format_date
from apacore.render.formats import digits_in
from apacore.values import frozen
from apacore.words import label, skipped_reason

from .signatures import made_on

__all__ = [
    "LAGGARD_SHARE",
    "PAGE_SUFFIXES",
    "RankingPage",
    "ranking_bytes",
    "ranking_html",
    "ranking_page",
]

LAGGARD_SHARE = Fraction(1, 2)
"""A ranked office is a laggard of an annex when its APA marks there are below this share
of the annex's maximum."""

BAR_WIDTH = 240
"""Width of a full bar (the office's maximum), in CSS pixels."""


@frozen(kw_only=True)
class BarRow:
    rank: str
    office: str
    total: str
    max: str
    grade: str
    width: str
    """The bar's width in pixels, two decimals (total / max × :data:`BAR_WIDTH`)."""


@frozen(kw_only=True)
class HeatCell:
    text: str
    shade: str
    """A CSS colour: white for 0 % of the annex's maximum, dark green for 100 %."""
    dark: bool
    """Whether the text is drawn light on the dark shade."""


@frozen(kw_only=True)
class HeatRow:
    rank: str
    office: str
    cells: tuple[HeatCell, ...]


@frozen(kw_only=True)
class Laggards:
    annex: str
    offices: tuple[tuple[str, str], ...]
    """(office, "marks / max") lowest share first."""


@frozen(kw_only=True)
class RankingPage:
    """Everything the ranking template needs, as text."""

    lang: str
    labels: dict[str, str]
    title: str
    subtitle: str
    generated: str
    bar_width: int
    bars: tuple[BarRow, ...]
    annexes: tuple[str, ...]
    heat: tuple[HeatRow, ...]
    laggards: tuple[Laggards, ...]
    not_ranked: tuple[tuple[str, str, str], ...]
    """(office, total / max, why)."""
    notices: tuple[tuple[str, str], ...]
    errors: tuple[tuple[str, str], ...]
    skipped: tuple[tuple[str, str], ...]


def _name(record: OfficeRecord, lang: str) -> str:
    return record.name_bn if lang == "bn" or not record.name_en else record.name_en


def _text(value: object, lang: str) -> str:
    return "-" if value is None else digits_in(str(value), lang)


def _share(marks: str | None, maximum: str | None) -> Fraction | None:
    if marks is None or maximum is None or Decimal(maximum) == 0:
        return None
    return Fraction(Decimal(marks)) / Fraction(Decimal(maximum))


def _shade(share: Fraction) -> tuple[str, bool]:
    """White (0) to the report's green #2f6f4f (1), by linear steps of each channel."""
    share = min(max(share, Fraction(0)), Fraction(1))
    rgb = [round(255 + (end - 255) * share) for end in (0x2F, 0x6F, 0x4F)]
    return "#" + "".join(f"{c:02x}" for c in rgb), share > Fraction(1, 2)


def _annex_columns(offices: Sequence[RankedOffice], lang: str) -> list[tuple[str, str]]:
    """(kind, name) of every annex in the batch, in the order first met."""
    seen: dict[str, str] = {}
    for o in offices:
        for s in o.record.sections:
            if s.kind == "annex" and s.id not in seen:
                seen[s.id] = (s.name_bn or s.name_en) if lang == "bn" else (s.name_en or s.name_bn)
    return list(seen.items())


def ranking_page(
    ranking: Ranking,
    errors: Sequence[OfficeError],
    *,
    tree: str,
    lang: str = "bn",
    skipped: Sequence[tuple[str, str]] = (),
    today: dt.date | None = None,
) -> RankingPage:
    """The page's content for a batch's ``ranking`` (and its ``errors``) in ``lang``."""
    today = made_on(today)  # SOURCE_DATE_EPOCH's day where it is set
    bars = []
    for o in ranking.ranked:
        r = o.record
        total = r.ranked_total()  # the evaluated total where there is an evaluation
        share = _share(total["marks"], total["max"]) or Fraction(0)
        width = Decimal(share.numerator * BAR_WIDTH) / Decimal(share.denominator)
        bars.append(
            BarRow(
                rank=_text(o.rank, lang),
                office=_name(r, lang),
                total=_text(total["marks"], lang),
                max=_text(total["max"], lang),
                grade=(r.ranked_grade_bn if lang == "bn" and r.ranked_grade_bn else total["grade"])
                or "-",
                width=format(width.quantize(Decimal("0.01")), "f"),
            )
        )
    columns = _annex_columns(ranking.offices, lang)
    heat = []
    for o in (*ranking.ranked, *ranking.not_ranked):
        sections = {s.id: s for s in o.record.sections if s.kind == "annex"}
        cells = []
        for kind, _ in columns:
            s = sections.get(kind)
            cell_share = None if s is None else _share(s.converted_marks, s.converted_max)
            if s is None or cell_share is None:
                cells.append(HeatCell(text="", shade="#ffffff", dark=False))
                continue
            shade, dark = _shade(cell_share)
            cells.append(HeatCell(text=_text(s.converted_marks, lang), shade=shade, dark=dark))
        heat.append(
            HeatRow(rank=_text(o.rank, lang), office=_name(o.record, lang), cells=tuple(cells))
        )
    laggards = []
    for kind, name in columns:
        behind: list[tuple[Fraction, str, str, str]] = []
        for o in ranking.ranked:
            s = next((s for s in o.record.sections if s.kind == "annex" and s.id == kind), None)
            lag = None if s is None else _share(s.converted_marks, s.converted_max)
            if s is not None and lag is not None and lag < LAGGARD_SHARE:
                figure = f"{_text(s.converted_marks, lang)} / {_text(s.converted_max, lang)}"
                behind.append((lag, o.record.path, _name(o.record, lang), figure))
        behind.sort()
        laggards.append(Laggards(annex=name, offices=tuple((n, f) for _, _, n, f in behind)))
    not_ranked = tuple(
        (
            _name(o.record, lang),
            f"{_text(o.record.ranked_total()['marks'], lang)}"
            f" / {_text(o.record.ranked_total()['max'], lang)}",
            o.why(lang),
        )
        for o in ranking.not_ranked
    )
    notices = tuple(
        (_name(o.record, lang), line)
        for o in ranking.offices
        for line in (o.record.notices_bn if lang == "bn" else o.record.notices)
    )
    count = len(ranking.offices) + len(errors)
    return RankingPage(
        lang=lang,
        labels={k: label(k, lang) for k in _LABELS},
        title=label("ranking_title", lang),
        subtitle=label(
            "ranking_subtitle",
            lang,
            tree=tree,
            n=digits_in(str(count), lang),
            ranked=digits_in(str(len(ranking.ranked)), lang),
        ),
        generated=label("generated_on", lang, date=format_date(today, lang=lang)),
        bar_width=BAR_WIDTH,
        bars=tuple(bars),
        annexes=tuple(name for _, name in columns),
        heat=tuple(heat),
        laggards=tuple(laggards),
        not_ranked=not_ranked,
        notices=notices,
        errors=tuple((e.path, e.error) for e in errors),
        skipped=tuple((path, skipped_reason(why, lang)) for path, why in skipped),
    )


_LABELS = (
    "rank", "office", "total", "max", "grade", "heat_map", "heat_map_note", "laggards",
    "laggards_note", "laggards_none", "not_ranked", "reason", "notices", "not_scored",
    "skipped", "ranking", "none_ranked",
)  # fmt: skip


def ranking_html(page: RankingPage, *, fonts: str = "data") -> str:
    """The ranking page (autoescaped jinja2 template ``ranking.html.j2``)."""
    from apacore.report import template
    from apacore.report.typeface import embed_faces, faces

    context: dict[str, Any] = {"p": page, "fonts": faces(fonts)}
    html = str(template("ranking.html.j2").render(**context))
    return embed_faces(html) if fonts == "data" else html


def ranking_bytes(page: RankingPage, suffix: str) -> bytes:
    """The page as an HTML file, or a PDF (WeasyPrint, the ``pdf`` extra) for ``.pdf``."""
    if suffix.lower() == ".pdf":
        from apacore.report.pdf import pdf_bytes

        return pdf_bytes(ranking_html(page, fonts="file"))
    return ranking_html(page).encode("utf-8")
