"""The report's fonts and text: the HTML carries subsets of the regular and the bold face
that shape the page exactly as the whole font does; the PDF's text copies out in the order
it is read (``/ActualText`` spans), in Bengali and in English."""

from __future__ import annotations

import base64
import html
import io
import os
import re
import shutil
import subprocess
import types
import zlib
from pathlib import Path

import pytest

from apacore.cli import main
from apacore.errors import ApacoreError
from apacore.report import pdf as report_pdf
from apacore.report import typeface

ROOT = Path(__file__).resolve().parent.parent
DAKOP = ROOT / "examples" / "dakop-2024-25"
CHROMIUM = "/usr/bin/chromium"
BENGALI_WORD = re.compile(r"[\u0980-\u09ff\u200c\u200d]+")
FACE_RE = re.compile(
    r'font-weight: (\d+); font-style: normal;\s+src: url\("data:font/(woff2?);base64,'
    r'([A-Za-z0-9+/=]+)"\) format\("(woff2?)"\)'
)


def _report(folder: Path, name: str, *args: str) -> Path:
    out = folder / name
    assert main(["report", str(DAKOP), "-o", str(out), *args]) == 0
    return out


@pytest.fixture(scope="module")
def dakop_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _report(tmp_path_factory.mktemp("html"), "r.html").read_text("utf-8")


def _shown_text(page: str) -> str:
    """The page's text as a reader sees it: tags are separators, references resolved
    (the ``<style>`` stays in: its ``content:`` strings are the printed footers)."""
    return html.unescape(re.sub(r"<[^>]*>", " ", page))


def _faces(page: str) -> dict[int, bytes]:
    found = {int(m[1]): base64.b64decode(m[3]) for m in FACE_RE.finditer(page)}
    for m in FACE_RE.finditer(page):
        assert m[2] == m[4]  # the address's type is the format named
    return found


# --- the HTML: subset fonts -------------------------------------------------------------


def test_clusters_keep_conjuncts_reph_and_vowel_signs_together() -> None:
    assert typeface.clusters("কর্মসম্পাদন") == {"ক", "র্ম", "স", "ম্পা", "দ", "ন"}
    assert typeface.clusters("ক্ষেত্র") == {"ক্ষে", "ত্র"}
    assert typeface.clusters("র‍্যাব") == {"র‍্যা", "ব"}  # ZWJ keeps the ya-phala
    assert typeface.clusters("a-b") == {"a", "-", "b"}


@pytest.mark.parametrize(
    "flavor",
    [
        "woff",
        pytest.param(
            "woff2",
            marks=pytest.mark.allow_skip(reason="WOFF2 needs brotli, which the pdf extra brings"),
        ),
    ],
)
def test_dakop_html_is_at_most_150_kb_with_either_compression(
    flavor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WOFF (zlib, always there) under the README's install; WOFF2 where brotli is
    installed (the pdf extra brings it)."""
    if flavor == "woff2":
        pytest.importorskip("brotli", reason="WOFF2 needs brotli (the pdf extra)")
    monkeypatch.setattr(typeface, "_flavor", lambda: flavor)
    page = _report(tmp_path, "r.html").read_bytes()
    assert len(page) <= 150 * 1024, len(page)
    faces = _faces(page.decode("utf-8"))
    assert sorted(faces) == [400, 700]
    magic = {"woff": b"wOFF", "woff2": b"wOF2"}[flavor]
    assert all(data[:4] == magic for data in faces.values())


def test_every_character_of_the_page_is_in_both_subsets(dakop_html: str) -> None:
    from fontTools.ttLib import TTFont

    shown = set(_shown_text(FACE_RE.sub("", dakop_html)))
    assert {"ক", "্", "ষ", "ি", "১"} <= shown
    for weight, data in _faces(dakop_html).items():
        whole = set(map(chr, TTFont(io.BytesIO(typeface.face_bytes(weight))).getBestCmap()))
        subset = TTFont(io.BytesIO(data))
        cmap = set(map(chr, subset.getBestCmap()))
        assert shown & whole <= cmap, sorted(shown & whole - cmap)
        assert (
            len(subset.getGlyphOrder())
            < len(TTFont(io.BytesIO(typeface.face_bytes(weight))).getGlyphOrder()) // 2
        )
        # the real bold face for weight 700: the shipped Bold, not the regular thickened
        style = subset["name"].getDebugName(2)
        assert (style, subset["OS/2"].usWeightClass) == (
            ("Bold", 700) if weight == 700 else ("Regular", 400)
        )


def test_the_page_is_the_same_bytes_each_time(dakop_html: str, tmp_path: Path) -> None:
    assert _report(tmp_path, "again.html").read_text("utf-8") == dakop_html


def test_the_page_draws_bold_with_the_bold_face(dakop_html: str) -> None:
    assert "font-synthesis: none" in dakop_html
    assert re.search(r"th \{[^}]*font-weight: bold", dakop_html)


def test_the_page_loads_nothing_from_outside(dakop_html: str) -> None:
    rest = FACE_RE.sub("", dakop_html)
    assert "data:" not in rest and "apacore-face" not in rest
    assert not re.search(r"https?:|//|file:|@import|url\(|<(link|script|img|iframe)", rest)


@pytest.mark.parametrize(
    ("office", "lang"), [("dakop-2024-25", "bn"), ("rangpur-sadar-2023-24", "en")]
)
def test_the_subset_shapes_like_the_whole_font_in_chromium(
    office: str, lang: str, tmp_path: Path
) -> None:
    """The page drawn by Chromium with the subsets and with the whole faces: the same
    pixels, conjuncts, reph and vowel signs included (no Bengali font on the system to
    fall back on, so a missing glyph would show). Rangpur's English page has only a few
    Bengali words: it drew them apart by a fraction of a pixel until the subsets kept
    :data:`~apacore.report.typeface.HINTING_REFERENCE`."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("needs playwright (the test extra)")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"needs Debian's chromium ({CHROMIUM})")

    def whole(m: re.Match[str]) -> str:
        data = base64.b64encode(typeface.face_bytes(int(m[1]))).decode("ascii")
        return (
            f"font-weight: {m[1]}; font-style: normal;\n"
            f'  src: url("data:font/ttf;base64,{data}") format("truetype")'
        )

    out = tmp_path / "r.html"
    assert main(["report", str(ROOT / "examples" / office), "-o", str(out), "--lang", lang]) == 0
    subset_html = out.read_text("utf-8")
    with_whole = FACE_RE.sub(whole, subset_html)
    assert len(with_whole) > len(subset_html) + 200_000
    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            for page_html in (subset_html, with_whole):
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                page.set_content(page_html)
                page.evaluate("document.fonts.ready")
                shots.append(page.screenshot(full_page=True))
                # both faces drawn: the headings with the bold one, not a thickened regular
                loaded = page.evaluate(
                    "[...document.fonts].filter(f => f.status == 'loaded')"
                    ".map(f => f.family + ' ' + f.weight)"
                )
                assert sorted(loaded) == ["apacore Bengali 400", "apacore Bengali 700"]
        finally:
            browser.close()
    assert shots[0] == shots[1]


# --- the PDF: text that copies out ------------------------------------------------------


def _pdftotext(pdf: Path, *args: str) -> str:
    done = subprocess.run(
        ["pdftotext", *args, str(pdf), "-"], capture_output=True, check=True, text=True
    )
    return done.stdout


def test_bengali_pdf_text_copies_out_as_written(dakop_pdfs: tuple[Path, Path]) -> None:
    text = _pdftotext(dakop_pdfs[0])
    for written in (
        "বার্ষিক কর্মসম্পাদন চুক্তি",  # the title
        "উপজেলা সমবায় কার্যালয়, দাকোপ, খুলনা",  # the office
        "সারসংক্ষেপ",  # a heading
        "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা",  # table cells: an annex, an indicator
        "সমবায় সমিতি পরিদর্শন সম্পাদিত",
        "১৩.৫৩ / ৩০.০০",  # the total
    ):
        assert written in text, written
    for scrambled in ("ক র্ষিসম্পাদন", "উপ জেলা স বায়"):
        assert scrambled not in text
    pages = [p for p in _pdftotext(dakop_pdfs[0], "-layout").split("\f") if p.strip()]
    for page in pages:  # the footer, on every page
        foot = page.rstrip().splitlines()[-1]
        assert "উপজেলা সমবায় কার্যালয়, দাকোপ, খুলনা" in foot and "পৃষ্ঠা" in foot


def test_every_bengali_word_of_the_pdf_is_a_word_of_the_page(
    dakop_pdfs: tuple[Path, Path], dakop_html: str
) -> None:
    """The words ``pdftotext -layout`` reads from the PDF are exactly the Bengali words
    of the page: none scrambled, none missing (WeasyPrint's ToUnicode alone gave 400
    words that are not on the page, such as ``কমর্থ`` and ``উপ``)."""
    page_words = set(BENGALI_WORD.findall(_shown_text(FACE_RE.sub("", dakop_html))))
    pdf_words = set(BENGALI_WORD.findall(_pdftotext(dakop_pdfs[0], "-layout")))
    assert sorted(pdf_words - page_words) == []
    assert sorted(page_words - pdf_words) == []


def test_english_pdf_words_and_numbers_copy_out(dakop_pdfs: tuple[Path, Path]) -> None:
    text = _pdftotext(dakop_pdfs[1], "-layout")
    for written in (
        "Annual Performance Agreement",
        "Upazila Cooperative Office, Dakop, Khulna",
        "উপজেলা সমবায় কার্যালয়, দাকোপ, খুলনা",  # the office's Bengali name, under it
        "13.53 / 30.00",
        "20.50 / 50.00 × 10.00 = 4.10",
    ):
        assert written in text, written


def test_the_pdf_embeds_the_bold_face(dakop_pdfs: tuple[Path, Path]) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    fonts = subprocess.run(
        ["pdffonts", str(dakop_pdfs[0])], capture_output=True, check=True, text=True
    ).stdout
    assert re.search(r"\+apacore-Bengali-Bold ", fonts)
    assert re.search(r"\+apacore-Bengali ", fonts)


def test_a_soft_hyphen_or_word_joiner_is_not_copied_out(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", reason="the pdf extra (WeasyPrint) is not installed")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    face = typeface.faces("file")[0]["src"]
    page = (
        f'<html><head><style>@font-face {{ font-family: "b"; src: {face}; }}</style></head>'
        '<body style="font-family: b"><p>কর্ম\u00adসম্পাদন ১২.০৮.\u2060২০২৪ র\u200d্যাব</p>'
        "</body></html>"
    )
    out = tmp_path / "p.pdf"
    out.write_bytes(report_pdf.pdf_bytes(page))
    assert _pdftotext(out).strip() == "কর্মসম্পাদন ১২.০৮.২০২৪ র\u200d্যাব"


def test_actual_text_is_utf16_with_its_byte_order_mark() -> None:
    assert report_pdf.actual_text("কি") == b"<</ActualText <FEFF099509BF>>>"


def test_a_weasyprint_without_the_line_drawer_is_one_line_error() -> None:
    with pytest.raises(ApacoreError, match="WeasyPrint 66 to 70"):
        report_pdf._install(types.SimpleNamespace())


def _streams(pdf: bytes) -> bytes:
    """Every stream of ``pdf``, inflated where it is compressed."""
    out = []
    for data in re.findall(rb"stream\r?\n(.*?)endstream", pdf, flags=re.S):
        try:
            out.append(zlib.decompress(data))
        except zlib.error:
            out.append(data)
    return b"\n".join(out)


def test_the_spans_are_only_inside_apacore_pdfs() -> None:
    """Each Bengali line in a span of its own; the wrapper leaves WeasyPrint as it was for
    any other caller in the process, and plain ASCII lines without a span."""
    weasyprint = pytest.importorskip("weasyprint", reason="the pdf extra is not installed")
    face = typeface.faces("file")[0]["src"]
    page = (
        f'<html><head><style>@font-face {{ font-family: "b"; src: {face}; }}</style></head>'
        '<body style="font-family: b"><p>কর্মসম্পাদন</p><p>Dakop 13.53</p></body></html>'
    )
    ours = _streams(report_pdf.pdf_bytes(page))
    span = rb"/Span\s+" + re.escape(report_pdf.actual_text("কর্মসম্পাদন")) + rb"\s+BDC"
    assert ours.count(b"/ActualText") == 1 and re.search(span, ours) and b"EMC" in ours
    assert b"/ActualText" not in _streams(weasyprint.HTML(string=page).write_pdf())
