"""`apacore.importer`: progress tables from the seed texts, TSV/CSV/XLSX fixtures, problems."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from apacore.errors import ApacoreError, ReportError
from apacore.importer import ImportProblem, ImportResult, import_table
from apacore.importer.tables import _quarter_of
from apacore.loading.convert import read_toml, structure
from apacore.models import ProgressEntry, ProgressReport

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
FIXTURES = ROOT / "tests" / "data" / "import"
EXAMPLES = ROOT / "examples"

BANDAR = SEEDS / "000_b89489870499d9c8.txt"
RAIGANJ = SEEDS / "002_61fea8d3656e8689.txt"
PANCHAGARH = SEEDS / "003_7d9e1e7956252ea9.txt"
DAKOP = SEEDS / "004_e9a494c543eaba3d.txt"

# A tab-separated line with a bracketed dotted id: an id-bearing row of a seed's tables.
ID_LINE = re.compile(r"\[\s*[০-৯0-9]+(?:\s*\.\s*[০-৯0-9]+)+\s*\]")


def _id_lines(path: Path) -> set[int]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return {n for n, line in enumerate(lines, 1) if "\t" in line and ID_LINE.search(line)}


def _entry(result: ImportResult, ref: str) -> ProgressEntry:
    found = [e for e in result.entries if e.indicator == ref]
    assert len(found) == 1, f"{ref}: {len(found)} entries"
    return found[0]


def _text(reading: Any) -> str | None:
    return None if reading is None else reading.text


def _example(office: str) -> dict[str, dict[str, Any]]:
    data = read_toml(EXAMPLES / office / "report.toml")
    return {e["indicator"]: e for e in data["entries"]}


def _same_as_example(result: ImportResult, office: str, refs: list[str]) -> None:
    """Every quarter and claimed figure the hand transcription writes, the importer reads."""
    example = _example(office)
    for ref in refs:
        want, got = example[ref], _entry(result, ref)
        compared = 0
        for q in ("q1", "q2", "q3", "q4"):
            if q in want:
                assert _text(getattr(got, q)) == want[q], (ref, q)
                compared += 1
        for key, value in want.get("claimed", {}).items():
            if key == "note":
                continue
            assert got.claimed is not None, ref
            assert _text(getattr(got.claimed, key)) == value, (ref, key)
            compared += 1
        assert compared, f"{ref}: nothing compared"


def _loads(result: ImportResult, tmp_path: Path) -> ProgressReport:
    out = tmp_path / "report.toml"
    out.write_text(result.to_toml(), encoding="utf-8")
    report = structure(read_toml(out), ProgressReport, where=str(out), error=ReportError)
    assert len(report.entries) == len(result.entries)
    assert report.fiscal_year == result.fiscal_year and report.quarter == result.quarter
    for loaded, imported in zip(report.entries, result.entries):
        assert loaded.indicator == imported.indicator
        assert [_text(r) for r in loaded.quarters()] == [_text(r) for r in imported.quarters()]
        assert loaded.status == imported.status
    return report


def _accounted(result: ImportResult) -> set[int]:
    lines = list(result.entry_lines) + [p.line for p in result.problems]
    assert len(lines) == len(set(lines)), "a row was read twice"
    return set(lines)


# --------------------------------------------------------------------------- the seeds


def test_panchagarh_egov_evaluation(tmp_path: Path) -> None:
    result = import_table(PANCHAGARH, annex="egov")
    assert (result.fiscal_year, result.quarter) == ("2024-25", 2)  # read from the document
    assert result.office == "উপজেলা সমবায় কার্যালয়, পঞ্চগড় সদর, পঞ্চগড়"
    assert result.tables_found == 1
    assert len(result.entries) == 9 and len(result.problems) == 1
    # every id-bearing row is an entry or a problem
    assert len(result.entries) + len(result.problems) == len(_id_lines(PANCHAGARH)) == 10
    assert _accounted(result) == _id_lines(PANCHAGARH)
    # [4.1.1]: the total cell "২৮/০৮/২ ৪" (the year broken by the scan) is not guessed
    (problem,) = result.problems
    assert problem.line == 21 and "২৮/০৮/২ ৪" in problem.why and "[৪.১.১]" in problem.text
    rows = [
        "egov/1.1.1",
        "egov/2.1.1",
        "egov/3.1.1",
        "egov/4.1.2",
        "egov/5.1.1",
        "egov/5.1.2",
        "egov/6.1.1",
        "egov/7.1.1",
        "egov/8.1.1",
    ]
    _same_as_example(result, "panchagarh-sadar-2024-25", rows)
    example = _example("panchagarh-sadar-2024-25")
    for ref in rows:  # মন্তব্য প্রযোজ্য নয় → not_applicable, as the transcriber read it
        assert _entry(result, ref).status == example[ref]["status"], ref
    assert _entry(result, "egov/5.1.2").note == "মন্তব্য: প্রযোজ্য নয়"
    assert _entry(result, "egov/2.1.1").source == "003_7d9e1e7956252ea9.txt, line 19"
    # the spanned heading left one empty header cell too many; the number row corrects it
    assert result.tables[0].columns["total"] == 11 and result.tables[0].columns["marks"] == 12
    _loads(result, tmp_path)


def test_dakop_annexes_and_own_indicators(tmp_path: Path) -> None:
    result = import_table(DAKOP, annex="auto")
    assert (result.fiscal_year, result.quarter) == ("2024-25", 2)
    assert result.office == "উপজেলা সমবায় কার্যালয়, দাকোপ, খুলনা"
    assert [t.annex for t in result.tables] == [
        "grs",
        "egov",
        "integrity",
        "integrity",
        "integrity",
        "rti",
        None,
        "charter",
    ]
    assert len(result.entries) == 29 and len(result.problems) == 7
    # the three integrity rows print an activity id (১.৪, ২.১, ৩.১) but no indicator id
    idless = {74, 81, 88}
    assert len(result.entries) + len(result.problems) == len(_id_lines(DAKOP)) + len(idless)
    assert _accounted(result) == _id_lines(DAKOP) | idless
    why = {p.line: p.why for p in result.problems}
    assert "several indicator ids" in why[15]  # GRS [২.২.১] and [২.২.২] share one row
    assert "১.৪ (an activity id)" in why[74]
    # the transcriber corrected these; the importer reports them instead of guessing
    assert '"১২.০৮.২০ ২৪"' in why[141] and '"১২.০৮.২০ ২৪"' in why[143]
    assert '"৯৯%(১০ ৪)"' in why[147] and why[147].startswith("Q2 cell")
    _same_as_example(
        result,
        "dakop-2024-25",
        [
            "1.1.1",
            "1.1.2",
            "1.2.1",
            "2.2.1",
            "2.2.3",
            "2.2.5",
            "2.3.1",
            "3.2.1",
            "3.3.1",
            "egov/1.1.1",
            "egov/2.1.1",
            "egov/4.1.1",
            "egov/4.1.2",
            "egov/7.1.1",
            "egov/8.1.1",
            "rti/1.1.1",
            "rti/2.1.1",
            "charter/1.1.1",
        ],
    )
    assert "2.1.1" not in {e.indicator for e in result.entries}  # line 141: a problem
    _loads(result, tmp_path)


def test_bandar_five_annexes(tmp_path: Path) -> None:
    result = import_table(BANDAR, annex="auto")
    assert (result.fiscal_year, result.quarter) == ("2023-24", 1)
    assert result.tables_found == 6
    assert [t.annex for t in result.tables] == [
        "integrity",
        "integrity",
        "egov",
        "grs",
        "charter",
        "rti",
    ]
    assert len(result.entries) == 16 and len(result.problems) == 8
    # NIS rows print no ids; line 82 holds figures ('-') under no id
    idless = {45, 46, 47, 48, 56, 57, 82}
    assert len(result.entries) + len(result.problems) == len(_id_lines(BANDAR)) + len(idless)
    assert _accounted(result) == _id_lines(BANDAR) | idless
    why = {p.line: p.why for p in result.problems}
    assert "there is no month 20" in why[56]  # ২৩/২০/২০২৩ on the target line
    assert "with its অর্জন line 58" in why[57]
    assert "merged with the column-number row" in why[75]
    # e-Governance: the figures sit one line low in the scan; imported as read, flagged
    assert all(
        "merged with its column-number row" in e.note
        for e in result.entries
        if e.indicator.startswith("egov/")
    )
    assert any("merged with its column-number row" in n for n in result.notes)
    assert result.tables[1].skipped_lines == (55,)  # the section heading ক্রয়ের ক্ষেত্রে শুদ্ধাচার
    _same_as_example(
        result,
        "bandar-2023-24",
        ["grs/1.1.1", "grs/1.2.1", "grs/2.1.1", "charter/1.2.1", "charter/2.1.1", "rti/1.1.1"],
    )
    assert _entry(result, "charter/1.1.1").q1 is None  # blank: not reported
    _loads(result, tmp_path)


def test_bandar_without_annex_reports_duplicate_ids() -> None:
    result = import_table(BANDAR)
    assert all("/" not in e.indicator for e in result.entries)
    duplicates = [p for p in result.problems if "already imported" in p.why]
    assert duplicates and all("--annex auto" in p.why for p in duplicates)
    idless = {45, 46, 47, 48, 56, 57, 82}
    assert _accounted(result) == _id_lines(BANDAR) | idless


def test_raiganj_has_no_progress_table() -> None:
    with pytest.raises(ApacoreError) as err:
        import_table(RAIGANJ, annex="egov")
    message = str(err.value)
    assert "\n" not in message and message.startswith(str(RAIGANJ))
    assert "no progress table" in message and "line 22 has no quarter columns" in message


def test_one_table_of_several(tmp_path: Path) -> None:
    result = import_table(DAKOP, table=2, annex="egov")
    assert result.tables_found == 8
    assert [t.read for t in result.tables] == [False, True] + [False] * 6
    assert len(result.entries) == 10 and not result.problems
    assert {e.indicator for e in result.entries} >= {"egov/1.1.1", "egov/8.1.1"}
    assert result.source.startswith("004_e9a494c543eaba3d.txt, table 2 of 8 (line 35: ই গভর্নেন্স")
    report = _loads(result, tmp_path)
    assert report.source == result.source
    with pytest.raises(ApacoreError, match=r"--table: the file has 8 progress tables .*1 to 8"):
        import_table(DAKOP, table=9)


def test_options_override_the_document() -> None:
    result = import_table(PANCHAGARH, fiscal_year="২০২৪-২০২৫", quarter=3, office="Panchagarh")
    assert (result.fiscal_year, result.quarter, result.office) == ("2024-25", 3, "Panchagarh")
    assert not any("read from the document" in n for n in result.notes)
    assert result.entries[0].indicator == "1.1.1"  # no annex: bare ids


# --------------------------------------------------------------------------- fixtures


def test_broken_rows_are_problems_with_line_numbers(tmp_path: Path) -> None:
    path = FIXTURES / "broken.tsv"
    result = import_table(path)
    assert (result.fiscal_year, result.quarter) == ("2023-24", 1)
    assert [(e.indicator, _text(e.q1)) for e in result.entries] == [("1.1.1", "১"), ("4.1.1", "-")]
    assert result.entry_lines == (7, 13)
    assert _entry(result, "4.1.1").status == "not_applicable"
    why = {p.line: p.why for p in result.problems}
    assert sorted(why) == [8, 9, 11, 12, 14]
    assert why[8] == 'Q1 cell: cannot read "২৩/২০/২০২৩" as a date: there is no month 20'
    assert why[9] == 'Q1 cell: cannot read "abc" as a number, date or marker'
    assert why[11] == "figures without an indicator id"
    assert "[3.1.1], [3.1.2]" in why[12]
    assert "June 2023 has 30 days" in why[14] and '"৫,১২,২১"' in why[14]  # both cells named
    problem = next(p for p in result.problems if p.line == 9)
    assert isinstance(problem, ImportProblem)
    assert problem.text.startswith("[২.১.১] letters | সংখ্যা | ৪ | abc")
    assert str(problem) == f"line 9: {problem.why}"
    assert result.tables[0].skipped_lines == (10,)  # the section heading: no id, no figure
    # nothing dropped: every row of the table with an id or a figure is accounted for
    assert len(result.entries) + len(result.problems) == 7
    text = result.to_toml()
    assert "5 problems" in text and "line 8: Q1 cell" in text
    report = _loads(result, tmp_path)
    assert "5 problems" in report.note and "line 14:" in report.note


def test_integrity_target_and_achievement_lines(tmp_path: Path) -> None:
    result = import_table(FIXTURES / "integrity.tsv", annex="auto")
    assert (result.fiscal_year, result.quarter) == ("2024-25", 2)
    assert result.office == "উপজেলা সমবায় কার্যালয়, নমুনা"
    assert [e.indicator for e in result.entries] == [
        "integrity/1.1.1",
        "integrity/1.2.1",
        "integrity/2.1.1",
    ]
    first = _entry(result, "integrity/1.1.1")
    assert [_text(q) for q in first.quarters()] == ["১", "১", None, None]  # the অর্জন line
    assert first.claimed is not None and _text(first.claimed.total) == "২"
    assert _text(first.claimed.marks) == "২"
    assert first.note == "Target line (line 8): Q1 ১, Q2 ১, Q3 ১, Q4 ১, total ৪."
    assert first.source == "integrity.tsv, line 9"
    target_only = _entry(result, "integrity/1.2.1")
    assert target_only.quarters() == (None, None, None, None)
    assert target_only.note.startswith("Only the target line")
    dated = _entry(result, "integrity/2.1.1")
    assert _text(dated.q1) == "২৫/০৭/২৪" and _text(dated.q2) == "--"
    (problem,) = result.problems
    assert problem.line == 14 and "with its অর্জন line 15" in problem.why
    assert result.tables[0].skipped_lines == (11,)
    _loads(result, tmp_path)


def test_csv(tmp_path: Path) -> None:
    result = import_table(FIXTURES / "progress.csv", annex="grs")
    assert (result.fiscal_year, result.quarter) == ("2024-25", 2)
    assert [e.indicator for e in result.entries] == ["grs/1.1.1", "grs/1.2.1", "grs/2.2.1"]
    # a quoted cell spanning two lines: the row is numbered by its first line
    assert result.entry_lines == (5, 6, 9)
    monthly = _entry(result, "grs/1.2.1")
    assert [_text(q) for q in monthly.quarters()] == ["৩", "৩", "-", "-"]
    assert monthly.claimed is not None and _text(monthly.claimed.progress_pct) == "৫০%"
    (problem,) = result.problems
    assert problem.line == 8 and problem.why.startswith('Q2 cell: cannot read "৫,১২,২১"')
    _loads(result, tmp_path)


def test_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "egov"
    sheet.append(["ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা ২০২৪-২০২৫"])
    sheet.append(["মাসের নাম: অক্টোবর-ডিসেম্বর, ২০২৪"])
    sheet.append(
        [
            "কার্যক্রম",
            "কর্মসম্পাদন সূচক",
            "একক",
            "লক্ষ্যমাত্রা",
            "১ম কোয়ার্টার",
            "২য় কোয়ার্টার",
            "৩য় কোয়ার্টার",
            "৪র্থ কোয়ার্টার",
            "মোট অর্জন",
            "অর্জনের শতকরা হার",
        ]
    )
    sheet.append([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    sheet.append(
        [
            "[৪.১]",
            "[৪.১.১] নথির তালিকা",
            "তারিখ",
            "৩১/০৮/২৪",
            dt.datetime(2024, 8, 29),
            "-",
            None,
            None,
            "২৯/০৮/২৪",
            1,
        ]
    )
    sheet.append(["", "[4.1.2] e-file notes", "%", 1, 0.25, 0.25, None, None, 0.5, 0.5])
    for cell in ("E6", "F6", "I6", "J6", "J5", "D6"):
        sheet[cell].number_format = "0%"
    sheet.append(["", "[5.1.1] portal", "সংখ্যা", 4, 1, 1.5, None, None, "bad", "50%"])
    path = tmp_path / "progress.xlsx"
    book.save(path)

    result = import_table(path, annex="egov")
    assert (result.fiscal_year, result.quarter) == ("2024-25", 2)
    e411, e412 = result.entries
    assert _text(e411.q1) == "29/08/2024" and _text(e411.q2) == "-"
    assert e411.claimed is not None and _text(e411.claimed.progress_pct) == "100%"
    assert [_text(q) for q in e412.quarters()] == ["25%", "25%", None, None]
    assert e412.source == "progress.xlsx, sheet egov, row 6"
    (problem,) = result.problems
    assert (problem.sheet, problem.line) == ("egov", 7) and 'cannot read "bad"' in problem.why
    assert str(problem).startswith("sheet egov, row 7: ")
    _loads(result, tmp_path)


def test_xlsx_without_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # `import openpyxl` now fails
    with pytest.raises(ApacoreError) as err:
        import_table(path)
    assert (
        str(err.value) == f"{path}: reading .xlsx files needs openpyxl: pip install apacore[xlsx]"
    )


# --------------------------------------------------------------------------- headers, options


def _table_file(tmp_path: Path, title: str, quarter_header: str, *, name: str = "t.tsv") -> Path:
    lines = [
        title,
        "",
        "\t".join(["কর্মসম্পাদন সূচক", "একক", "লক্ষ্যমাত্রা", quarter_header, "মোট অর্জন"]),
        "\t".join(["[১.১.১] সূচক", "সংখ্যা", "৪", "১", "১"]),
    ]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "header",
    [
        "১ম কোয়ার্টার",
        "১ম কোয়াটার",
        "১ম কোয়াটার জুনাই- সেপ্টেম্বর/২ ০২৪",
        "১ম ত্রৈমাসিক",
        "১ম ত্রৈমাসিকে অর্জন",
        "১ম ট্রেমাসিকে অর্জন",
        "১ম ত্রৈমাসি কে অর্জন",
        "১ম ত্রৈমাস",
        "১ম ত্রেমাসিক",
        "প্রথম ত্রৈমাসিক",
        "Q1",
        "1st quarter",
    ],
)
def test_quarter_header_spellings(tmp_path: Path, header: str) -> None:
    assert _quarter_of(header) == {1}
    path = _table_file(tmp_path, "২০২৪-২০২৫, অক্টোবর-ডিসেম্বর", header)
    result = import_table(path)
    assert _text(result.entries[0].q1) == "১"
    assert result.tables[0].columns["q1"] == 4


@pytest.mark.parametrize(
    ("title", "quarter"),
    [
        ("মাসের নামঃ জুলাই-সেপ্টেম্বর/২০২৩খ্রিঃ", 1),
        ("২য় ত্রৈমাসিক (অক্টোবর/২৪- ডিসেম্বর/২৪)", 2),
        ("অক্টোবর, ২০২৪ হতে ডিসেম্বর, ২০২৪ পর্যন্ত", 2),
        ("ত্রৈমাসিকের নাম: জানুয়ারি-মার্চ, ২০২৫", 3),
        ("এপ্রিল-জুন/২০২৫", 4),
        ("(৪র্থ কোয়ার্টার)", 4),
        ("Report for April-June 2025", 4),
    ],
)
def test_quarter_read_from_the_document(tmp_path: Path, title: str, quarter: int) -> None:
    path = _table_file(tmp_path, f"{title} ২০২৪-২০২৫", "১ম কোয়ার্টার")
    result = import_table(path, fiscal_year="2024-25")
    assert result.quarter == quarter
    assert any(n.startswith(f"quarter {quarter} read from the document") for n in result.notes)


def test_unknown_fiscal_year_or_quarter_is_one_line_error(tmp_path: Path) -> None:
    path = _table_file(tmp_path, "অগ্রগতি প্রতিবেদন", "১ম কোয়ার্টার")
    with pytest.raises(ApacoreError) as err:
        import_table(path, quarter=1)
    message = str(err.value)
    assert message.startswith(f"{path}: cannot tell the fiscal year") and "--fiscal-year" in message
    assert "\n" not in message
    with pytest.raises(ApacoreError, match=r"cannot tell the quarter: .*--quarter"):
        import_table(path, fiscal_year="2024-25")
    both = _table_file(tmp_path, "জুলাই-সেপ্টেম্বর এবং অক্টোবর-ডিসেম্বর", "১ম কোয়ার্টার", name="both.tsv")
    with pytest.raises(ApacoreError, match="several quarters equally often"):
        import_table(both, fiscal_year="2024-25")


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [
        ({"quarter": 5}, "--quarter"),
        ({"fiscal_year": "2024"}, "--fiscal-year"),
        ({"fiscal_year": "2024-26"}, "--fiscal-year"),
        ({"annex": "Bad Kind"}, "--annex"),
        ({"table": 0}, "--table"),
    ],
)
def test_bad_options(kwargs: dict[str, Any], where: str) -> None:
    with pytest.raises(ApacoreError) as err:
        import_table(PANCHAGARH, **kwargs)
    assert str(err.value).startswith(f"{where}: ")


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ApacoreError, match=r"cannot import a \.pdf"):
        import_table(tmp_path / "report.pdf")
    with pytest.raises(ApacoreError, match="cannot read"):
        import_table(tmp_path / "missing.tsv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"caf\xe9")
    with pytest.raises(ApacoreError, match="not UTF-8"):
        import_table(latin)


def test_fiscal_year_option_forms() -> None:
    for text in ("2024-25", "2024-2025", "২০২৪-২৫", "২০২৪-২০২৫"):
        assert import_table(PANCHAGARH, fiscal_year=text).fiscal_year == "2024-25"


# --------------------------------------------------------------------------- end to end

UNKNOWN_TO_AGREEMENT = {
    "panchagarh-sadar-2024-25": [],
    "dakop-2024-25": ["grs/2.1.1"],  # printed with its name only; the agreement has 2.2.1
}


@pytest.mark.parametrize(
    ("office", "seed", "annex"),
    [
        ("panchagarh-sadar-2024-25", PANCHAGARH, "egov"),
        ("dakop-2024-25", DAKOP, "auto"),
    ],
)
def test_imported_report_scores_like_the_transcription(
    tmp_path: Path, office: str, seed: Path, annex: str
) -> None:
    """The imported report, next to the example's agreement, scores every row it holds
    as the hand transcription does, wherever both have the same figures."""
    from apacore.loading.agreements import indicator_refs, load_office
    from apacore.office import score_path

    result = import_table(seed, annex=annex)
    transcribed = score_path(EXAMPLES / office)
    files = load_office(EXAMPLES / office)
    known = set(indicator_refs(files.agreement, files.ruleset))
    unknown = [e.indicator for e in result.entries if e.indicator not in known]
    # rows the document prints that the agreement does not have (validation names them)
    assert unknown == UNKNOWN_TO_AGREEMENT[office]
    kept = [(e, n) for e, n in zip(result.entries, result.entry_lines) if e.indicator in known]
    result = attrs.evolve(
        result, entries=tuple(e for e, _ in kept), entry_lines=tuple(n for _, n in kept)
    )
    (tmp_path / "agreement.toml").write_bytes((EXAMPLES / office / "agreement.toml").read_bytes())
    (tmp_path / "report.toml").write_text(result.to_toml(), encoding="utf-8")
    imported = score_path(tmp_path)
    example = _example(office)
    same = 0
    for entry in result.entries:
        want = example.get(entry.indicator)
        if want is None:
            continue
        quarters = [_text(q) for q in entry.quarters()[: result.quarter]]
        if quarters != [want.get(f"q{n}") for n in range(1, result.quarter + 1)]:
            continue  # the transcriber corrected or left out a figure: not comparable
        got, ref = imported.indicator(entry.indicator), transcribed.indicator(entry.indicator)
        assert (got.achievement, got.raw_score, got.marks) == (
            ref.achievement,
            ref.raw_score,
            ref.marks,
        ), entry.indicator
        same += 1
    assert same >= 5


def test_bandar_shifted_egov_table_fails_loudly_when_scored(tmp_path: Path) -> None:
    """Bandar's e-Governance figures sit one line low (see docs/import.md): imported as
    read and flagged, they then fail scoring with an error naming the row, not silently."""
    from apacore.office import score_path

    result = import_table(BANDAR, annex="auto")
    # RTI [2.1.1] and [2.2.1] have no weight in any seed, so the agreement leaves them out
    keep = tuple(e for e in result.entries if e.indicator not in ("rti/2.1.1", "rti/2.2.1"))
    result = attrs.evolve(result, entries=keep, entry_lines=())
    (tmp_path / "agreement.toml").write_bytes(
        (EXAMPLES / "bandar-2023-24" / "agreement.toml").read_bytes()
    )
    (tmp_path / "report.toml").write_text(result.to_toml(), encoding="utf-8")
    with pytest.raises(ReportError, match=r"egov/3\.1\.1: Q1 figure '১' is not a date"):
        score_path(tmp_path)


def test_a_plugin_annex_type_is_recognised_by_its_title(tmp_path: Path) -> None:
    """``annex="auto"`` reads the titles of every registered annex type, not a fixed list."""
    from apacore import hookimpl, using_plugin
    from apacore.plugins.registry import AnnexType

    class Climate:
        @hookimpl
        def register_annex_types(self, register: Any) -> None:
            register(AnnexType(kind="climate", name_en="Climate plan", titles=[r"জলবায়ু"]))

    text = (FIXTURES / "integrity.tsv").read_text("utf-8")
    _, _, rest = text.partition("\n")
    path = tmp_path / "climate.tsv"
    path.write_text("জলবায়ু কর্মপরিকল্পনা বাস্তবায়ন অগ্রগতি, ২০২৪-২০২৫\n" + rest, "utf-8")
    before = import_table(path, annex="auto")
    assert before.entries[0].indicator == "1.1.1"  # no annex type knows the title yet
    with using_plugin(Climate(), name="climate-plugin"):
        result = import_table(path, annex="auto")
    assert [e.indicator for e in result.entries][:2] == ["climate/1.1.1", "climate/1.2.1"]


def test_an_annex_title_that_is_not_a_pattern_names_its_plugin(tmp_path: Path) -> None:
    from apacore import hookimpl, using_plugin
    from apacore.errors import PluginError
    from apacore.plugins.registry import AnnexType

    class Broken:
        @hookimpl
        def register_annex_types(self, register: Any) -> None:
            register(AnnexType(kind="broken", name_en="Broken", titles=["(unclosed"]))

    with using_plugin(Broken(), name="broken-titles"), pytest.raises(PluginError) as info:
        import_table(FIXTURES / "integrity.tsv", annex="auto")
    assert str(info.value).startswith(
        "plugin broken-titles: annex type 'broken' has a title pattern that is not a regular"
        " expression: missing ), unterminated subpattern"
    )


# --------------------------------------------------------------------------- malformed input

_CSV = (FIXTURES / "progress.csv").read_text("utf-8")


def test_csv_unclosed_quote_is_an_error_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(_CSV.replace('"১,২৫,০০০/-"', '"১,২৫,০০০/-'), "utf-8")
    with pytest.raises(ApacoreError) as info:
        import_table(path)
    assert str(info.value) == (
        f"{path}: line 8: not valid CSV (',' expected after '\"'): a quote (\") in this row"
        ' does not close its cell (a cell with a quote inside is written "like ""this""")'
    )
    path.write_text(_CSV.replace(",২,--,১,", ',"২,--,১,'), "utf-8")
    with pytest.raises(ApacoreError) as info:
        import_table(path)
    assert str(info.value) == (
        f'{path}: line 9: a quote (") opened on this row is never closed: the rest of the'
        " file, to line 9, would be read into one cell"
    )


def test_csv_ragged_row_is_a_problem_not_shifted_figures(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(_CSV.replace(",২,--,১,", ",২,-,-,১,"), "utf-8")
    result = import_table(path)
    assert "2.2.1" not in [e.indicator for e in result.entries]
    problem = result.problems[-1]
    assert str(problem) == (
        "line 9: the row has 12 cells but the header has 11: a comma or tab inside a figure"
        ' shifts every cell after it (quote such figures: "1,250")'
    )


def _xlsx_book() -> Any:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "grs"
    sheet.append(["অভিযোগ প্রতিকার ব্যবস্থা কর্মপরিকল্পনা ২০২৪-২০২৫"])
    sheet.append(["মাসের নাম: অক্টোবর-ডিসেম্বর, ২০২৪"])
    sheet.append(["কর্মসম্পাদন সূচক", "১ম কোয়ার্টার", "২য় কোয়ার্টার", "মোট অর্জন"])
    sheet.append(["[১.১.১] অভিযোগ নিষ্পত্তিকৃত", 3, 4, 7])
    sheet.append(["[১.২.১] প্রতিবেদন", 1, 2, 3])
    return book


def _saved_book(path: Path) -> Path:
    _xlsx_book().save(path)
    return path


def test_xlsx_formula_without_a_saved_value_is_a_problem(tmp_path: Path) -> None:
    book = _xlsx_book()
    book.active["D5"] = "=B5+C5"  # openpyxl saves no cached value
    path = tmp_path / "formula.xlsx"
    book.save(path)
    result = import_table(path)
    assert [e.indicator for e in result.entries] == ["1.1.1"]
    assert str(result.problems[0]) == (
        "sheet grs, row 5: cell D5 holds the formula =B5+C5 without a saved value (open and"
        " save the file in Excel, or type the figure)"
    )


def test_xlsx_merged_figure_cells_are_a_problem(tmp_path: Path) -> None:
    book = _xlsx_book()
    book.active.merge_cells("B4:C4")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    result = import_table(path)
    assert [e.indicator for e in result.entries] == ["1.2.1"]
    assert str(result.problems[0]) == (
        "sheet grs, row 4: cells B4:C4 are merged into one: which column the figure in B4"
        " belongs to cannot be told"
    )


def test_xlsx_hidden_sheet_is_reported_not_read(tmp_path: Path) -> None:
    book = _xlsx_book()
    hidden = book.copy_worksheet(book.active)
    hidden.title = "old"
    hidden.sheet_state = "hidden"
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    result = import_table(path)
    assert [e.indicator for e in result.entries] == ["1.1.1", "1.2.1"]
    assert [str(p) for p in result.problems] == [
        "sheet old, row 3: the sheet is hidden: its progress table was not read (unhide the"
        " sheet to import it)"
    ]
    book.active.sheet_state = "hidden"
    book.active = 1
    hidden.sheet_state = "visible"
    book.worksheets[0].sheet_state = "hidden"
    only_hidden = tmp_path / "only-hidden.xlsx"
    book.remove(hidden)
    book.create_sheet("empty")
    book.save(only_hidden)
    with pytest.raises(ApacoreError) as info:
        import_table(only_hidden)
    assert str(info.value) == (
        f"{only_hidden}: sheet grs, row 3: the sheet is hidden: its progress table was not"
        " read (unhide the sheet to import it)"
    )


def test_a_table_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apacore import limits

    monkeypatch.setattr(limits, "MAX_TABLE_BYTES", 100)
    monkeypatch.setattr("apacore.importer.files.MAX_TABLE_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text(_CSV, "utf-8")
    with pytest.raises(ApacoreError) as info:
        import_table(path)
    size = path.stat().st_size
    assert str(info.value) == (
        f"{path}: is {size:,} bytes; apacore reads files of at most 100 bytes (see docs/limits.md)"
    )


def test_a_workbook_that_unpacks_too_far_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _saved_book(tmp_path / "bomb.xlsx")
    monkeypatch.setattr("apacore.importer.files.MAX_XLSX_UNPACKED_BYTES", 1000)
    with pytest.raises(ApacoreError, match=r"bomb.xlsx: unpacks to [\d,]+ bytes; apacore reads"):
        import_table(path)


def test_a_workbook_whose_sheets_unpack_too_far_is_refused_before_they_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _saved_book(tmp_path / "rows.xlsx")
    monkeypatch.setattr("apacore.importer.xlsx.MAX_SHEET_XML_BYTES", 500)

    def no_parse(*args: Any) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr("apacore.importer.xlsx._shared_strings", no_parse)
    with pytest.raises(ApacoreError) as info:
        import_table(path)
    assert re.fullmatch(
        rf"{re.escape(str(path))}: its sheets unpack to [\d,]+ bytes; apacore reads sheets of"
        r" at most 500 bytes unpacked \(see docs/limits.md\)",
        str(info.value),
    )


def test_xlsx_cells_as_they_show(tmp_path: Path) -> None:
    """Numbers exact, percentages, dates (1900 and 1904 systems), booleans, shared and
    inline strings, blank rows kept as one blank row between tables."""
    book = _xlsx_book()
    sheet = book.active
    sheet["A8"] = "after a gap"
    sheet["B8"] = 0.1
    sheet["C8"] = 0.25
    sheet["C8"].number_format = "0%"
    sheet["D8"] = dt.date(2024, 12, 31)
    sheet["E8"] = True
    sheet["F8"] = "   "
    path = tmp_path / "cells.xlsx"
    book.save(path)
    from apacore.importer.xlsx import read_workbook

    ((_, rows, _),) = read_workbook(path)
    assert [line for line, _, _ in rows] == [1, 2, 3, 4, 5, 6, 8]
    assert rows[-2][1] == ()
    assert rows[-1][1] == ("after a gap", "0.1", "25%", "31/12/2024", "TRUE")
    book.epoch = dt.datetime(1904, 1, 1)
    book.save(path)
    ((_, rows, _),) = read_workbook(path)
    assert rows[-1][1][3] == "31/12/2024"


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ("কর্মসম্পাদন সূচক,১ম কোয়ার্টার\n".encode("utf-16-le"), "UTF-16LE"),
        ("কর্মসম্পাদন সূচক,১ম কোয়ার্টার\n".encode("utf-16-be"), "UTF-16BE"),
        ("Indicator,Q1\n[1.1.1] x,3\n".encode("utf-16-le"), "UTF-16LE"),
        ("Indicator,Q1\n".encode("utf-16"), "UTF-16"),
        (b"\t" * 200 + b"\n", None),  # a TSV of empty cells
        ("কর্মসম্পাদন সূচক\t১ম কোয়ার্টার\n".encode(), None),
        (b"ab", None),
    ],
)
def test_utf16_is_told_from_utf8(data: bytes, named: str | None) -> None:
    from apacore.importer.files import _utf16

    assert _utf16(data) == named
