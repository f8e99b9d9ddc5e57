"""The printable report: structure, self-containedness, Bengali digits, the ruleset's hash,
atomic writing, and (where WeasyPrint is installed) the PDF's text."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import apacore
from apacore.audit import audit_office
from apacore.cli import main
from apacore.errors import ApacoreError
from apacore.report import report_path

ROOT = Path(__file__).resolve().parent.parent
DAKOP = ROOT / "examples" / "dakop-2024-25"


class _Page(HTMLParser):
    """Tags, attributes and text of a page, and whether its tags are balanced."""

    VOID = frozenset({"meta", "br", "rect", "img", "link", "hr", "input", "col"})

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.unbalanced: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.in_style = tag == "style"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced.append(tag)
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            self.text.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def dakop_bn(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, _Page]:
    out = tmp_path_factory.mktemp("report") / "r.html"
    assert main(["report", str(DAKOP), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    return html, _parse(html)


def test_report_is_one_balanced_bengali_page(dakop_bn: tuple[str, _Page]) -> None:
    html, page = dakop_bn
    assert html.startswith("<!DOCTYPE html>")
    assert page.tags[0] == ("html", {"lang": "bn"})
    assert not page.unbalanced and not page.stack
    names = [t for t, _ in page.tags]
    assert names.count("svg") == 1 and names.count("rect") == 2 * 5  # 5 annexes
    # a progress table for each annex and each of the office's three areas
    assert len([a for t, a in page.tags if t == "table" and a.get("class") == "progress"]) == 8


def test_report_loads_nothing_from_outside(dakop_bn: tuple[str, _Page]) -> None:
    html, page = dakop_bn
    names = {t for t, _ in page.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed"}
    for _, attrs in page.tags:
        for key, value in attrs.items():
            assert key != "src" and not key.startswith("on")
            if key == "href":
                assert value is not None and value.startswith("#")
    # the Bengali font is inside the page; outside it, no address of anything
    assert re.search(r'url\("data:font/woff2?;base64,[A-Za-z0-9+/=]{1000,}"\)', html)
    rest = re.sub(r"base64,[A-Za-z0-9+/=]+", "", html)
    assert not re.search(r"https?:|//|file:|@import|url\((?!\"data:)", rest)


def test_report_shows_names_totals_in_bengali_digits_and_the_hash(
    dakop_bn: tuple[str, _Page],
) -> None:
    html, page = dakop_bn
    text = " ".join(page.text)
    assert "উপজেলা সমবায় কার্যালয়, দাকোপ, খুলনা" in text
    assert "তথ্য বাতায়ন হালনাগাদকৃত" in text  # an indicator's name
    assert "কর্মসম্পাদন সূচক" in text and "অর্জনের শতকরা হার" in text and "মন্তব্য" in text
    total = re.search(r'<tr class="total" id="total">(.*?)</tr>', html, re.S)
    assert total is not None and "১৩.৫৩ / ৩০.০০" in total.group(1)
    assert "20.50" not in text and "২০.৫০ / ৫০.০০ × ১০.০০ = ৪.১০" in text
    from apacore.loading.rulesets import load_ruleset

    sha = load_ruleset("2024-25").sha256
    assert sha in text and f'content="{sha}"' in html
    assert "স্বাক্ষর" in text or "প্রস্তুতকারী" in text


def test_report_in_english(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(DAKOP), "-o", str(out), "--lang", "en"]) == 0
    html = out.read_text(encoding="utf-8")
    page = _parse(html)
    assert page.tags[0] == ("html", {"lang": "en"})
    text = " ".join(page.text)
    assert "Upazila Cooperative Office, Dakop, Khulna" in text
    assert "13.53 / 30.00" in text and "১৩.৫৩" not in text


def test_report_lists_audit_findings_in_the_reports_language(dakop_bn: tuple[str, _Page]) -> None:
    html, _ = dakop_bn
    findings = re.search(r'<table class="findings">(.*?)</table>', html, re.S)
    assert findings is not None and "১৩৯" in findings.group(1)  # the office's 139%
    assert "শতকরা হার নিজের সংখ্যার সাথে মেলে না" in findings.group(1)  # a reason, in Bengali
    assert "does not match" not in findings.group(1)


def test_report_names_annex_rows_by_the_annex_never_its_code(dakop_bn: tuple[str, _Page]) -> None:
    _, page = dakop_bn
    text = " ".join(page.text)
    assert "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা [৪.১.২]" in text  # an audit finding's row
    assert not re.search(r"\b(egov|integrity|grs|charter|rti)/", text)


def test_report_lists_missing_evidence_as_the_audit_does(tmp_path: Path) -> None:
    """One definition: a reported figure without an evidence reference where the agreement
    requires one (Bandar's agreement requires evidence; Dakop's transcription states none)."""
    out = tmp_path / "r.html"
    assert main(["report", str(ROOT / "examples" / "bandar-2023-24"), "-o", str(out)]) == 0
    evidence = re.search(r'<table class="evidence">(.*?)</table>', out.read_text("utf-8"), re.S)
    assert evidence is not None
    rows = re.findall(r"<tr>", evidence.group(1))
    audit = audit_office(
        apacore.load_office(ROOT / "examples" / "bandar-2023-24"),
        apacore.score_path(ROOT / "examples" / "bandar-2023-24"),
        kinds=("evidence",),
    )
    assert len(audit) == 9 and len(rows) - 1 == len(audit)  # a heading row, then one a finding
    assert "হালনাগাদকৃত ডাটাবেজ আপলোডের" in evidence.group(1)


def test_report_refuses_other_formats_and_leaves_no_file(tmp_path: Path) -> None:
    assert main(["report", str(DAKOP), "-o", str(tmp_path / "r.docx")]) == 2
    assert list(tmp_path.iterdir()) == []


def test_report_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r.html"
    out.write_text("old", encoding="utf-8")
    import apacore.atomic as atomic

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(ApacoreError, match="cannot write: No space left on device"):
        report_path(DAKOP, out, replace=True)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_report_replaces_a_file_only_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As import, new and batch do: an existing file is kept unless --force says otherwise."""
    out = tmp_path / "r.html"
    out.write_text("old", encoding="utf-8")
    assert main(["report", str(DAKOP), "-o", str(out)]) == 2
    assert capsys.readouterr().err.endswith(f"{out}: exists already; use --force to replace it\n")
    assert out.read_text(encoding="utf-8") == "old"
    assert main(["report", str(DAKOP), "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        done = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
        )
        return done.stdout.decode("utf-8")
    pypdf = pytest.importorskip("pypdf", reason="neither pdftotext nor pypdf is installed")
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages)


def _pdf_fonts(path: Path) -> str:
    if shutil.which("pdffonts"):
        done = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True)
        return done.stdout.decode("utf-8")
    pypdf = pytest.importorskip("pypdf", reason="neither pdffonts nor pypdf is installed")
    names = []
    for page in pypdf.PdfReader(str(path)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        names += [str(f.get_object()["/BaseFont"]) for f in fonts.values()]
    return " ".join(names)


def test_pdf_holds_the_office_and_the_totals(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", reason="the pdf extra (WeasyPrint) is not installed")
    out = tmp_path / "r.pdf"
    assert main(["report", str(DAKOP), "-o", str(out), "--lang", "en"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    text = _pdf_text(out)
    assert "Upazila Cooperative Office, Dakop, Khulna" in text
    assert "13.53 / 30.00" in text
    # the Bengali font travels inside the PDF (subset), so Bengali shapes without a system font
    assert "apacore-Bengali" in _pdf_fonts(out)  # the shipped Noto Sans Bengali, embedded


def test_pdf_without_weasyprint_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import builtins

    real = builtins.__import__

    def no_weasyprint(name: str, *args: object, **kwargs: object) -> object:
        if name == "weasyprint":
            raise ImportError(name)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    assert main(["report", str(DAKOP), "-o", str(tmp_path / "r.pdf")]) == 2
    assert "apacore[pdf]" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_report_onto_a_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-o r.html`` where ``r.html`` is a folder: the one-line error, exit 2, no traceback
    and nothing left behind (it was an IsADirectoryError from os.replace)."""
    folder = tmp_path / "r.html"
    folder.mkdir()
    assert main(["report", str(DAKOP), "-o", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err == f"apacore: error: {folder}: is a folder; give a file name\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"] and not any(folder.iterdir())
