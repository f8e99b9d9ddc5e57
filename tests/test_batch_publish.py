"""A roll-up a district can publish: only comparable offices ranked, the others listed with
the reason, each office's warnings carried, linked office folders followed (loops once),
anything skipped named."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import attrs
import pytest

from apacore.batch import OfficeRecord, find_tree
from apacore.batch.rollup import rank_offices
from apacore.cli import main
from tests.synthetic_offices import write_synthetic_offices

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _batch_json(tree: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    status = main(["batch", str(tree), "--format", "json", "--quiet", *args])
    assert status == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_examples_rank_no_office_without_a_report_against_one_with(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = _batch_json(EXAMPLES, capsys)
    offices = {o["path"]: o for o in data["offices"]}
    rangpur = offices["rangpur-sadar-2023-24"]
    assert rangpur["rank"] is None and rangpur["not_ranked"]["reason"] == "no_report"
    assert offices["raiganj-2024-25"]["not_ranked"]["reason"] == "nothing_reported"
    # the others are partial agreements: no total out of a whole agreement to compare
    for path in ("dakop-2024-25", "bandar-2023-24", "panchagarh-sadar-2024-25"):
        assert offices[path]["not_ranked"]["reason"] == "partial"
    assert data["count"]["ranked"] == 0 and data["summary"] is None
    # each office carries the warnings apacore score gives for it
    assert main(["score", str(EXAMPLES / "rangpur-sadar-2023-24")]) == 0
    warnings = [
        line.removeprefix("apacore: warning: ")
        for line in capsys.readouterr().err.splitlines()
        if line.startswith("apacore: warning: ")
    ]

    def tail(line: str) -> str:  # the folder as the command was given it
        return line[line.find("rangpur-sadar") :] if "agreement.toml" in line else line

    assert [tail(n) for n in warnings] == [tail(n) for n in rangpur["notices"]]
    assert len(rangpur["notices_bn"]) == len(rangpur["notices"]) == 2
    assert offices["dakop-2024-25"]["notices"] == []


def _record(path: str, **changes: Any) -> OfficeRecord:
    base = OfficeRecord(
        path=path,
        name_bn=path,
        name_en=path,
        office_level="upazila",
        fiscal_year="2024-25",
        as_of={"quarter": 2, "date": "2024-12-31"},
        scope="complete",
        ruleset={"fiscal_year": "2024-25", "version": "1", "sha256": "0" * 64},
        total={"marks": "50.00", "progress_marks": "50.00", "max": "100.00", "grade": None},
        grade_bn=None,
        sections=(),
    )
    total = dict(base.total)
    if "marks" in changes:
        total["marks"] = changes.pop("marks")
    if "max" in changes:
        total["max"] = changes.pop("max")
    return attrs.evolve(base, total=total, **changes)


def test_only_comparable_offices_are_ranked_and_the_others_say_why() -> None:
    records = [
        _record("a", marks="60.00"),
        _record("b", marks="70.00"),
        _record("c", marks="90.00", fiscal_year="2023-24"),
        _record("d", marks="95.00", as_of={"quarter": 4, "date": "2025-06-30"}),
        _record("e", marks="5.73", max="30.00"),
        _record("f", marks="0.00", has_report=False, reported=False),
        _record("g", marks="0.00", reported=False),
        _record("h", marks="99.00", scope="partial"),
    ]
    ranking = rank_offices(records)
    assert [(o.record.path, o.rank) for o in ranking.ranked] == [("b", 1), ("a", 2)]
    why = {o.record.path: (o.not_ranked, o.why("en")) for o in ranking.not_ranked}
    assert why == {
        "c": (
            "other_period",
            "2023-24, Q2, out of 100.00; the ranked offices: 2024-25, Q2, out of 100.00",
        ),
        "d": (
            "other_period",
            "2024-25, Q4, out of 100.00; the ranked offices: 2024-25, Q2, out of 100.00",
        ),
        "e": (
            "other_period",
            "2024-25, Q2, out of 30.00; the ranked offices: 2024-25, Q2, out of 100.00",
        ),
        "f": ("no_report", "no progress report: nothing to rank"),
        "g": ("nothing_reported", "the report gives no figure for any indicator"),
        "h": ("partial", "a partial agreement: its total is not out of the whole agreement"),
    }
    assert ranking.overall is not None and ranking.overall.count == 2
    assert (
        "২০২৩-২৪, ২য় কোয়ার্টার, সর্বোচ্চ ১০০.০০"
        in dict((o.record.path, o.why("bn")) for o in ranking.not_ranked)["c"]
    )


def test_the_most_common_period_is_ranked_ties_to_the_later() -> None:
    records = [
        _record("a"),
        _record("b", as_of={"quarter": 3, "date": "2025-03-31"}),
    ]
    ranking = rank_offices(records)
    assert [o.record.path for o in ranking.ranked] == ["b"]


def _office(folder: Path, source: Path = EXAMPLES / "dakop-2024-25") -> Path:
    shutil.copytree(source, folder)
    return folder


def test_a_tree_of_linked_offices_is_scored_in_full(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "district"
    tree.mkdir()
    offices = sorted(p for p in EXAMPLES.iterdir() if (p / "agreement.toml").is_file())
    for example in offices:
        (tree / example.name).symlink_to(example, target_is_directory=True)
    data = _batch_json(tree, capsys)
    assert sorted(o["path"] for o in data["offices"]) == [p.name for p in offices]
    assert len(offices) == 5
    assert data["skipped"] == []


def test_a_link_loop_is_walked_once_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "district"
    _office(tree / "upazila" / "dakop")
    (tree / "upazila" / "back").symlink_to(tree, target_is_directory=True)
    (tree / "again").symlink_to(tree / "upazila" / "dakop", target_is_directory=True)
    found = find_tree(tree)
    assert found.offices == [tree / "again"] or [p.name for p in found.offices] == ["again"]
    skipped = dict(found.skipped)
    assert skipped == {"upazila/back": "the same folder as ., already walked",
                       "upazila/dakop": "the same folder as again, already walked"}  # fmt: skip
    status = main(["batch", str(tree), "--format", "json"])
    captured = capsys.readouterr()
    assert status == 0
    assert (
        f"apacore: warning: {tree}: skipped upazila/back: the same folder as ., already walked"
        in (captured.err)
    )
    assert json.loads(captured.out)["skipped"] == [{"path": p, "why": w} for p, w in found.skipped]


def test_folders_that_look_like_offices_but_are_not_are_named(tmp_path: Path) -> None:
    tree = tmp_path / "district"
    _office(tree / "good")
    only_report = tree / "only-report"
    only_report.mkdir()
    shutil.copy(EXAMPLES / "dakop-2024-25" / "report.toml", only_report / "report.toml")
    upper = _office(tree / "upper")
    os.rename(upper / "agreement.toml", upper / "agreement.TOML")
    found = find_tree(tree)
    assert [p.name for p in found.offices] == ["good"]
    assert dict(found.skipped) == {
        "only-report": "holds report.toml but no agreement.toml",
        "upper": "holds agreement.TOML, not agreement.toml",
    }


def test_a_tree_with_nothing_but_skipped_folders_says_what_it_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "district"
    upper = _office(tree / "upper")
    os.rename(upper / "agreement.toml", upper / "agreement.TOML")
    assert main(["batch", str(tree)]) == 2
    err = capsys.readouterr().err
    assert "skipped upper: holds agreement.TOML, not agreement.toml" in err
    assert err.rstrip().endswith("no folder below it holds an agreement.toml")


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six comparable synthetic offices and Rangpur (no report)."""
    root = tmp_path_factory.mktemp("district") / "district"
    write_synthetic_offices(root, 6, seed=3)
    shutil.copytree(EXAMPLES / "rangpur-sadar-2023-24", root / "rangpur")
    return root


def test_the_ranking_page_has_bars_a_heat_map_and_laggards_in_bengali(
    district: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import re

    data = _batch_json(district, capsys)
    out = tmp_path / "ranking.html"
    assert main(["batch", str(district), "--lang", "bn", "-o", str(out), "--quiet"]) == 0
    html = out.read_text("utf-8")
    assert '<html lang="bn">' in html and "<script" not in html
    ranked = [o for o in data["offices"] if o["rank"] is not None]
    assert len(ranked) == 6
    bars = re.findall(r'class="bar-val" style="width: ([0-9.]+)px"', html)
    for office, width in zip(ranked, bars):  # total / max × 240, two decimals
        share = float(office["total"]["marks"]) / float(office["total"]["max"])
        assert abs(float(width) - share * 240) < 0.01
    heat = re.search(r'<table class="heat" id="heat-map">(.*?)</table>', html, re.S)
    assert heat is not None
    assert heat.group(1).count("<tr>") == 1 + 7  # the heading, every office scored
    assert "তথ্য অধিকার" in heat.group(1)  # annexes by their Bengali names, no code
    assert not re.search(r">(egov|rti|grs|charter|integrity)<", html)
    laggards = re.search(r'<table class="laggards" id="laggards">(.*?)</table>', html, re.S)
    assert laggards is not None and laggards.group(1).count("<tr>") == 5
    not_ranked = re.search(r'<table class="not-ranked" id="not-ranked">(.*?)</table>', html, re.S)
    assert not_ranked is not None
    assert "কোনো অগ্রগতি প্রতিবেদন নেই" in not_ranked.group(1)
    for table in ("ranking", "heat-map", "laggards", "not-ranked"):  # figures in Bengali
        found = re.search(rf'<table class="[a-z-]+" id="{table}">(.*?)</table>', html, re.S)
        assert found is not None
        assert not re.search(r"[0-9]", re.sub(r"<[^>]+>", " ", found.group(1))), table


def test_a_laggard_is_below_half_of_the_annex_lowest_first(district: Path) -> None:
    from fractions import Fraction

    from apacore.batch import find_offices, score_many
    from apacore.report.ranking import ranking_page

    records = [r for r in score_many(find_offices(district), root=district, workers=1)]
    ranking = rank_offices(records)  # type: ignore[arg-type]
    page = ranking_page(ranking, [], tree="district", lang="en")
    for lag in page.laggards:
        shares = [Fraction(*map(int, f.replace(".", "").split(" / "))) for _, f in lag.offices]
        assert shares == sorted(shares) and all(s < Fraction(1, 2) for s in shares)


def test_the_ranking_pdf_holds_the_ranking_as_text(district: Path, tmp_path: Path) -> None:
    import subprocess

    pytest.importorskip("weasyprint", reason="the pdf extra (WeasyPrint) is not installed")
    out = tmp_path / "ranking.pdf"
    assert main(["batch", str(district), "--lang", "bn", "-o", str(out), "--quiet"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, check=True, text=True
        ).stdout
        assert "১০০.০০" in text and str(district) in text
