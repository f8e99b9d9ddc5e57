"""Only true statements on the printed report: evidence as report.toml records it, an office
without a report (or with nothing reported) said to be so, every warning on the page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from apacore.cli import main
from apacore.loading.agreements import load_office
from apacore.office import score_office
from apacore.report import build_context

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _html(tmp_path: Path, office: Path, *args: str) -> str:
    out = tmp_path / f"{office.name}.html"
    assert main(["report", str(office), "-o", str(out), *args]) == 0
    return out.read_text("utf-8")


def _text(html: str, pattern: str) -> str:
    m = re.search(pattern, html, re.S)
    assert m is not None, pattern
    return re.sub(r"<[^>]+>", " ", m.group(1))


def test_dakop_records_no_evidence_and_the_page_claims_none(tmp_path: Path) -> None:
    """Dakop's report.toml notes that its tables attach no evidence: no entry lists any."""
    html = _html(tmp_path, EXAMPLES / "dakop-2024-25")
    assert "প্রমাণক সংযুক্ত আছে" not in html
    note = _text(html, r'<p class="evidence-note">(.*?)</p>')
    assert note == "প্রতিবেদনে প্রতিবেদিত ৩২টি সূচকের কোনোটির প্রমাণক উল্লেখ নেই।"


def test_the_evidence_note_counts_what_the_report_lists(tmp_path: Path) -> None:
    office = tmp_path / "dakop"
    shutil.copytree(EXAMPLES / "dakop-2024-25", office)
    report = office / "report.toml"
    text = report.read_text("utf-8")
    first = text.index("[[entries]]")
    report.write_text(
        text[:first]
        + text[first:].replace("[[entries]]\n", '[[entries]]\nevidence = ["স্মারক ১"]\n', 1),
        "utf-8",
    )
    files = load_office(office)
    result = score_office(files)
    en = build_context(result.scorecard, files, "en").evidence_note
    bn = build_context(result.scorecard, files, "bn").evidence_note
    assert en == "The report lists evidence for 1 of its 32 reported indicators."
    assert bn == "প্রতিবেদনে প্রতিবেদিত ৩২টি সূচকের ১টির প্রমাণক উল্লেখ আছে।"


def test_every_reported_indicator_with_evidence_is_said_so(tmp_path: Path) -> None:
    """Panchagarh's report lists evidence for the rows it reports."""
    files = load_office(EXAMPLES / "panchagarh-sadar-2024-25")
    result = score_office(files)
    reported = [r for r in result.scorecard.indicators() if r.status in ("scored", "substituted")]
    listed = [r for r in reported if (e := files.report.entry(r.ref)) and e.evidence]  # type: ignore[union-attr]
    note = build_context(result.scorecard, files, "en").evidence_note
    if len(listed) == len(reported):
        assert (
            note
            == f"The report lists evidence for each of its {len(reported)} reported indicators."
        )
    else:
        assert (
            note
            == f"The report lists evidence for {len(listed)} of its {len(reported)} reported indicators."
        )


def test_an_office_without_a_report_gets_a_page_that_says_so(tmp_path: Path) -> None:
    html = _html(tmp_path, EXAMPLES / "rangpur-sadar-2023-24")
    subtitle = _text(html, r'<p class="sub">(.*?)</p>')
    assert subtitle == "কোনো অগ্রগতি প্রতিবেদন নেই: শুধু চুক্তি, ২০২৩-২৪ অর্থবছর"
    assert "ত্রৈমাসিক অগ্রগতি প্রতিবেদন" not in subtitle
    assert "কোনো অগ্রগতি প্রতিবেদন (report.toml) নেই" in _text(
        html, r'<p class="status-note"[^>]*>(.*?)</p>'
    )
    grade = _text(html, r"<strong>গ্রেড:</strong>(.*?)</p>")
    assert grade.split()[0] == "-" and "গ্রেড দেওয়া হয়নি" in grade
    assert "কোনো সূচক প্রতিবেদিত হয়নি" in _text(html, r'<p class="evidence-note">(.*?)</p>')


def test_a_report_with_nothing_reported_says_so(tmp_path: Path) -> None:
    office = tmp_path / "panchagarh"
    shutil.copytree(EXAMPLES / "panchagarh-sadar-2024-25", office)
    report = office / "report.toml"
    text = report.read_text("utf-8")
    head = text[: text.index("[[entries]]")]
    report.write_text(head, "utf-8")
    html = _html(tmp_path, office, "--lang", "en")
    assert "reports no figure for any indicator" in _text(
        html, r'<p class="status-note"[^>]*>(.*?)</p>'
    )
    assert "not graded" in _text(html, r"<strong>Grade:</strong>(.*?)</p>")


@pytest.mark.parametrize("lang", ["bn", "en"])
def test_every_warning_the_command_gives_is_on_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    html = _html(tmp_path, EXAMPLES / "rangpur-sadar-2023-24", "--lang", lang)
    warnings = [
        line.removeprefix("apacore: warning: ")
        for line in capsys.readouterr().err.splitlines()
        if line.startswith("apacore: warning: ")
    ]
    assert len(warnings) >= 2
    on_page = re.findall(r"<li>(.*?)</li>", _text_block(html))
    import html as html_module

    assert [html_module.unescape(w) for w in on_page] == warnings


def _text_block(html: str) -> str:
    m = re.search(r'<div class="notices" id="notices">(.*?)</div>', html, re.S)
    assert m is not None
    return m.group(1)


def test_evidence_without_figures_is_said_as_it_is() -> None:
    """Raiganj's report prints no progress figure but lists evidence letters for 3 rows."""
    files = load_office(EXAMPLES / "raiganj-2024-25")
    result = score_office(files)
    assert build_context(result.scorecard, files, "en").evidence_note == (
        "No figure is reported; the report lists evidence for 3 indicators."
    )
    assert build_context(result.scorecard, files, "bn").status_note.startswith(
        "অগ্রগতি প্রতিবেদনে ২য় কোয়ার্টার পর্যন্ত কোনো সূচকের কোনো সংখ্যা নেই"
    )
