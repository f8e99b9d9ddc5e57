"""The printed report as the form: the progress tables' columns (method, the five tiers as
the agreement states them, the evidence the report records), the dated signature blocks
with the evaluating officer's, the date it was made, continuation pages that keep the annex
title and the activity, and headers and figures that fit their columns in both languages.

The page's structure is read from the HTML (:mod:`html.parser`); its layout from
WeasyPrint's laid-out boxes (:mod:`tests.report_layout`) and ``pdftotext``."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from apacore.cli import main
from apacore.office import score_office
from apacore.report import build_context, render_html
from apacore.report.signatures import made_on
from tests.report_layout import laid_out_cells

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
OFFICES = (
    "dakop-2024-25",
    "raiganj-2024-25",
    "panchagarh-sadar-2024-25",
    "bandar-2023-24",
    "rangpur-sadar-2023-24",
)
TIERS_BN = ("অসাধারণ", "অতি উত্তম", "উত্তম", "চলতি মান", "চলতি মানের নিম্নে")
DAY = dt.date(2025, 1, 5)


class _Tables(HTMLParser):
    """Each ``table.progress``: its header cells and its body rows (cells' text, with the
    ``tbody`` each row is in), and the text of the elements with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, list]] = []
        self.by_id: dict[str, list[str]] = {}
        self._stack: list[tuple[str, str]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._group = 0
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("br", "col", "meta", "rect"):
            return
        self._stack.append((tag, a.get("id") or ""))
        if a.get("id"):
            self.by_id[a["id"] or ""] = []
        if tag == "table":
            self._in = "progress" in (a.get("class") or "")
            if self._in:
                self.tables.append({"head": [], "rows": []})
        elif self._in and tag == "tbody":
            self._group += 1
        elif self._in and tag == "tr":
            self._row = []
        elif self._in and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._in = False
        elif tag == "tr" and self._row is not None and self._in:
            head = any(t == "thead" for t, _ in self._stack)
            if head:
                self.tables[-1]["head"] += self._row
            else:
                self.tables[-1]["rows"].append((self._group, self._row))
            self._row = None
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        for _, ident in self._stack:
            if ident:
                self.by_id[ident].append(data)

    def text(self, ident: str) -> str:
        return " ".join("".join(self.by_id[ident]).split())


def _page(office: str, lang: str = "bn", today: dt.date = DAY, fonts: str = "data") -> str:
    scored = score_office(EXAMPLES / office)
    context = build_context(
        scored.scorecard, scored.office, lang, notices=scored.notices(lang), today=today
    )
    return render_html(context, fonts=fonts)


@functools.cache
def _document(office: str, lang: str) -> Any:
    """The report of ``office`` in ``lang`` as WeasyPrint lays it out (made once)."""
    from weasyprint import HTML

    return HTML(string=_page(office, lang, fonts="file"), base_url=None).render()


def _parsed(office: str, lang: str = "bn") -> _Tables:
    parser = _Tables()
    parser.feed(_page(office, lang))
    return parser


@pytest.mark.parametrize("office", OFFICES)
def test_every_progress_table_has_the_method_tiers_and_evidence_columns(office: str) -> None:
    page = _parsed(office)
    assert page.tables
    for table in page.tables:
        head = table["head"]
        for word in ("গণনা পদ্ধতি", "লক্ষ্যমাত্রা", *TIERS_BN, "প্রমাণক"):
            assert word in head, (office, word)
        assert head.index("গণনা পদ্ধতি") < head.index("একক") < head.index("লক্ষ্যমাত্রা")


def _row(page: _Tables, ref: str) -> list[str]:
    return next(
        cells
        for table in page.tables
        for _, cells in table["rows"]
        if any(c.startswith(ref + " ") for c in cells)
    )


def test_raiganj_tiers_are_printed_as_the_agreement_states_them() -> None:
    """Raiganj's e-Governance [2.1.1]: tiers ["৪","-","২","১","-"]; a date row as written."""
    page = _parsed("raiganj-2024-25")
    row = _row(page, "[২.১.১]")
    at = row.index("সমষ্টি")  # the method, then unit, weight and the five tiers
    assert row[at + 3 : at + 8] == ["৪", "-", "২", "১", "-"]
    dates = _row(page, "[৩.১.১]")
    at = dates.index("তারিখ")
    assert dates[at + 3 : at + 8] == ["১৫/০৪/২০২৫", "-", "২৯/০৪/২০২৫", "০৫/০৫/২০২৫", "২২/০৫/২০২৫"]


def test_an_indicator_without_tiers_shows_its_single_target_across_them() -> None:
    page = _parsed("dakop-2024-25")
    row = _row(page, "[১.১.২]")
    assert "লক্ষ্যমাত্রা: ১০০" in row and not any(c in TIERS_BN for c in row)


def test_dakop_records_no_evidence_and_every_row_says_so() -> None:
    page = _parsed("dakop-2024-25")
    for table in page.tables:
        for _, cells in table["rows"][:-1]:  # the last row is the total
            assert "উল্লেখ নেই" in cells
    assert "evidence-recorded" not in _page("dakop-2024-25")


@pytest.mark.parametrize("office", ["panchagarh-sadar-2024-25", "raiganj-2024-25"])
def test_the_evidence_column_cites_the_evidence_the_report_records(office: str) -> None:
    files = score_office(EXAMPLES / office).office
    assert files.report is not None
    recorded = [e for entry in files.report.entries for e in entry.evidence]
    html = _page(office)
    page = _parsed(office)
    cited = [
        n.strip()
        for table in page.tables
        for _, cells in table["rows"][:-1]
        for n in cells[-2].split(",")
        if cells[-2] != "উল্লেখ নেই"
    ]
    from apacore.numbers import to_bengali_digits

    assert cited == [to_bengali_digits(str(i)) for i in range(1, len(recorded) + 1)]
    from markupsafe import escape

    for text in recorded:  # each listed in full (escaped as the template escapes)
        assert str(escape(text)) in html


def test_three_dated_signature_blocks_and_a_place_for_the_seal() -> None:
    page = _parsed("raiganj-2024-25")  # no evaluation: the officer's block is blank
    blocks = ("sign-prepared-by", "sign-head-of-office", "sign-evaluating-officer")
    for ident in blocks:
        text = page.text(ident)
        assert "স্বাক্ষর" in text and "তারিখ" in text and "সিল" in text, ident
        assert "নাম ও পদবি" in text
    assert page.text("sign-evaluating-officer").startswith("মূল্যায়নকারী কর্মকর্তা")
    assert "প্রস্তুত" in page.text("sign-prepared-by")


def test_the_evaluating_officers_block_is_filled_from_the_evaluation() -> None:
    page = _parsed("dakop-2024-25")  # its evaluation.toml names the officer and the date
    text = page.text("sign-evaluating-officer")
    assert "মূল্যায়নকারী কর্মকর্তা" in text
    assert "২৮/০১/২০২৫" in text and "জেলা সমবায় কার্যালয়, খুলনা" in text


def test_the_date_the_report_was_made_is_in_the_pages_language() -> None:
    assert "প্রস্তুতের তারিখ: ০৫/০১/২০২৫" in _parsed("dakop-2024-25").text("made-on")
    assert "Made on 05/01/2025" in _parsed("dakop-2024-25", "en").text("made-on")


def test_the_date_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1736035200")  # 2025-01-05 00:00 UTC
    assert made_on() == DAY
    assert made_on(dt.date(2024, 7, 1)) == dt.date(2024, 7, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert made_on() == dt.date.today()


def test_a_bad_source_date_epoch_is_one_line_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    out = tmp_path / "r.html"
    assert main(["report", str(EXAMPLES / "dakop-2024-25"), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "SOURCE_DATE_EPOCH" in err and "'yesterday'" in err and len(err.splitlines()) == 1
    assert not out.exists()


# --------------------------------------------------------------------------- layout


def _weasyprint() -> None:
    pytest.importorskip("weasyprint", reason="the pdf extra (WeasyPrint) is not installed")


@pytest.mark.parametrize("lang", ["bn", "en"])
@pytest.mark.parametrize("office", OFFICES)
def test_no_header_or_figure_runs_out_of_its_column_or_breaks_inside_a_word(
    office: str, lang: str
) -> None:
    """Every cell's lines stay inside it; a line breaks at a space, a slash or a hyphen,
    never inside a word (``persons (la`` / ``kh)``), except a word wider than its column
    as the source wrote it (Panchagarh's ``অনলাইনরিপোর্টম্যানেজমেন্টসফটওয়্যার``)."""
    _weasyprint()
    cells = laid_out_cells(_document(office, lang))
    assert cells
    for cell in cells:
        assert not cell.overflow, (cell.page, cell.lines)
        split = [p for p in cell.split_words() if len(cell.source) and not _long_word(cell, p)]
        assert not split, (cell.page, cell.lines)


def _long_word(cell: object, piece: str) -> bool:
    source: str = cell.source  # type: ignore[attr-defined]
    return any(piece in word and len(word) > 20 for word in source.split())


@pytest.mark.parametrize("office", OFFICES)
def test_an_activity_is_never_cut_from_its_rows_and_the_title_repeats(office: str) -> None:
    """An activity's rows are on one page (so its cell is beside them), and every page with
    rows of a progress table carries that table's title and its column heads (the five
    tiers, the method, the evidence) in the repeated header."""
    _weasyprint()
    from weasyprint.formatting_structure import boxes

    pages: dict[int, set[int]] = {}
    heads: dict[int, list[str]] = {}

    def walk(box: Any, page: int, table: list[str]) -> None:
        element = getattr(box, "element", None)
        if isinstance(box, boxes.TableBox) and "progress" in (element.get("class") or ""):
            table = [""]
        if isinstance(box, boxes.TableRowGroupBox) and table:
            if box.is_header and box.children:
                table[0] = " ".join("".join(element.itertext()).split())
            elif "activity" in (element.get("class") or "") and box.children:
                pages.setdefault(id(element), set()).add(page)
                heads.setdefault(page, []).append(table[0])
        for child in getattr(box, "children", ()):
            walk(child, page, table)

    for number, page in enumerate(_document(office, "bn").pages, start=1):
        walk(page._page_box, number, [])
    assert pages
    assert all(len(on) == 1 for on in pages.values()), "an activity's rows span two pages"
    for on_page in heads.values():
        for head in on_page:  # the header laid out on this page, above these rows
            assert head.startswith(("সংযোজনী:", "অফিসের নিজস্ব")), head
            assert all(w in head for w in (*TIERS_BN, "গণনা পদ্ধতি", "প্রমাণক")), head


@pytest.fixture(scope="module")
def english_pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Dakop's English PDF, page by page, as ``pdftotext -layout`` reads it."""
    _weasyprint()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = tmp_path_factory.mktemp("en") / "dakop-en.pdf"
    assert main(["report", str(EXAMPLES / "dakop-2024-25"), "-o", str(out), "--lang", "en"]) == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [p for p in text.split("\f") if p.strip()]


def test_the_summary_flows_into_the_tables_no_page_holds_only_the_chart(
    english_pages: list[str],
) -> None:
    """Dakop's English page 2 held only the chart: the first progress table follows it."""
    pages = english_pages
    chart = next(i for i, p in enumerate(pages) if "Marks against the maximum" in p)
    assert "The office's own indicators" in pages[chart]
    assert "Excellent" not in pages[0] or "Summary" in pages[0]


def test_the_english_progress_headers_are_whole_words(english_pages: list[str]) -> None:
    pages = english_pages
    tables = [p for p in pages if "Progress by quarter" in p]
    assert tables
    for page in tables:
        for word in ("Method", "excellent", "Achieved", "Evidence", "Remarks", "Weight"):
            assert word in page, word
        assert "persons (lakh)" not in page or "(la\n" not in page


def test_an_activity_longer_than_a_part_is_cut_and_each_part_names_it() -> None:
    from apacore.models import Activity
    from apacore.report.progress import GROUP_ROWS, Row, _groups

    act = Activity(id="1.1", name_bn="কার্যক্রম", indicators=())
    row = Row(
        ref="[১.১.১]", name="", method="", unit="", weight="", tiers=(), target="",
        quarters=("", "", "", ""), achievement="", progress_pct="", progress_marks="",
        evidence="", remarks="", status="scored",
    )  # fmt: skip
    groups = _groups([(act, row)] * (GROUP_ROWS + 2) + [(None, row)], "bn")
    assert [len(g.rows) for g in groups] == [GROUP_ROWS, 2, 1]
    assert [g.continued for g in groups] == [False, True, False]
    assert groups[0].activity == groups[1].activity == "[১.১] কার্যক্রম"


def test_report_path_takes_the_date(tmp_path: Path) -> None:
    from apacore.report import report_path

    out = tmp_path / "r.html"
    context = report_path(EXAMPLES / "raiganj-2024-25", out, today=DAY)
    assert "০৫/০১/২০২৫" in context.made_on and "০৫/০১/২০২৫" in out.read_text("utf-8")
