"""The printed report as the official form: a footer on every page naming the office, the
fiscal year, the period and the page in the page's language; numbers and dates whole."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from apacore.cli import main
from apacore.report.context import css_string

ROOT = Path(__file__).resolve().parent.parent
DAKOP = ROOT / "examples" / "dakop-2024-25"


def test_a_css_string_cannot_end_the_style_or_the_string() -> None:
    assert css_string('a"b\\c</style>\n') == '"a\\22 b\\5c c\\3c /style\\3e \\a "'
    assert css_string("উপজেলা সমবায় কার্যালয়, দাকোপ") == '"উপজেলা সমবায় কার্যালয়, দাকোপ"'


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture(scope="module")
def dakop_pdf(dakop_pdfs: tuple[Path, Path]) -> tuple[Path, Path]:
    return dakop_pdfs  # tests/conftest.py: rendered once for every module that reads it


def test_every_page_names_the_office_period_and_page_in_bengali(
    dakop_pdf: tuple[Path, Path],
) -> None:
    from apacore.numbers import to_bengali_digits

    pages = _pages(dakop_pdf[0])
    n = len(pages)
    assert n >= 2
    for i, page in enumerate(pages, start=1):
        foot = page.rstrip().splitlines()[-1]
        assert f"পৃষ্ঠা {to_bengali_digits(str(i))} / {to_bengali_digits(str(n))}" in foot
        assert "২০২৪-২৫" in foot  # the words are drawn too (below), but pdftotext
        # cannot yet read Bengali words back from WeasyPrint's PDF in order (issue 19, item 3)


def test_the_footer_names_the_office_year_and_period(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(DAKOP), "-o", str(out)]) == 0
    html = out.read_text("utf-8")
    footer = '"উপজেলা সমবায় কার্যালয়, দাকোপ, খুলনা · অর্থবছর ২০২৪-২৫ · ২য় কোয়ার্টার"'
    assert f"@bottom-left {{ content: {footer};" in html
    assert 'content: "পৃষ্ঠা" " " counter(page, bengali) " / " counter(pages, bengali);' in html


def test_every_page_is_numbered_in_english_in_the_english_report(
    dakop_pdf: tuple[Path, Path],
) -> None:
    pages = _pages(dakop_pdf[1])
    for i, page in enumerate(pages, start=1):
        foot = page.rstrip().splitlines()[-1]
        assert f"Page {i} of {len(pages)}" in foot and "Dakop" in foot and "2024-25" in foot


def test_a_date_is_never_broken_across_lines(dakop_pdf: tuple[Path, Path]) -> None:
    """Dakop's [2.1.1] was done on ১২.০৮.২০২৪: the cell holds it whole, not ১২.০৮.২০২ / ৪."""
    text = "\n".join(_pages(dakop_pdf[0]))
    assert "১২.০৮.২০২৪" in text
    assert "১২.০৮.২০২\n" not in text
