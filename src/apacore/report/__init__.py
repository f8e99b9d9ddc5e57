"""The printable quarterly progress report: one self-contained HTML page, or a PDF.

``apacore report PATH -o FILE.html`` lays the scorecard out as the official forms do (a
progress table per annex and for the office's own indicators), with a summary page, the
annexes' conversion into the 30 governance marks, a bar chart, the audit's findings, the
indicators whose evidence is missing, the ruleset's identity and a signature block.

The HTML embeds its CSS and a Bengali font (Noto Sans Bengali, regular and bold, SIL OFL
1.1, shipped in ``apacore/report/fonts`` with its licence) subset to the page's characters
(:mod:`apacore.report.typeface`), and loads nothing from outside: no script, no link, no
remote image. A PDF is made from the same page by WeasyPrint (the optional ``pdf`` extra),
with the same font, so conjuncts shape on a machine with no Bengali font, and its text
copies out in the order it is read (:mod:`apacore.report.pdf`).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from apacore.atomic import write_atomic
from apacore.errors import ApacoreError
from apacore.formatting import localise_digits
from apacore.words import quarter_name

from .context import ReportContext, build_context
from .pdf import pdf_bytes
from .typeface import embed_faces, faces

__all__ = ["FORMATS", "build_context", "render_html", "report_path", "write_report"]

FORMATS = (".html", ".htm", ".pdf")


def template(name: str) -> Any:
    """The page template ``name`` of ``apacore/report/templates`` (jinja2, autoescaped,
    every variable required): the report's and the batch's ranking page."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("apacore.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(name)


def render_html(context: ReportContext, *, fonts: str = "data") -> str:
    """The report page (autoescaped jinja2 template ``report.html.j2``): with ``fonts=
    "data"`` one file, its fonts subset inside it; with ``"file"``, for WeasyPrint, naming
    the shipped font files (:func:`apacore.report.typeface.faces`)."""
    lang = context.lang
    quarters = [quarter_name(q, lang) for q in range(1, 5)]
    numbers = [localise_digits(str(n), lang) for n in range(1, 20)]
    page: str = template("report.html.j2").render(
        r=context, fonts=faces(fonts), quarters=quarters, column_numbers=numbers
    )
    return embed_faces(page) if fonts == "data" else page


def write_report(context: ReportContext, output: Path, *, replace: bool = False) -> None:
    """Write the report to ``output``: HTML, or PDF when the name ends in ``.pdf``, through
    a temporary file and a rename (:func:`apacore.atomic.write_atomic`: a reader never sees
    half a report; an existing file is replaced only with ``replace``)."""
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise ApacoreError(f"write a .html or a .pdf file, got {output.name!r}", where="-o")
    if suffix == ".pdf":
        data = pdf_bytes(render_html(context, fonts="file"))
    else:
        data = render_html(context).encode("utf-8")
    write_atomic(output, data, replace=replace)


def report_path(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    lang: str = "bn",
    as_of: int | dt.date | str | None = None,
    replace: bool = False,
    today: dt.date | None = None,
) -> ReportContext:
    """Load and score the office at ``path`` and write its report to ``output``, with the
    warnings ``apacore report`` gives printed on the page; ``today``: the date it is made
    (default: ``SOURCE_DATE_EPOCH``'s day, else today)."""
    from apacore.office import score_office

    result = score_office(path, as_of=as_of)
    context = build_context(
        result.scorecard, result.office, lang, notices=result.notices(lang), today=today
    )
    write_report(context, Path(output), replace=replace)
    return context
