"""Approved target revisions (issue 18): scored with the revised values, the original
shown beside them everywhere, equal to editing the agreement."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apacore.cli import main
from apacore.office import score_path

BASE = Path(__file__).parent / "catalogue" / "_base"

REVISION = """
[[revisions]]
indicator = "1.1.1"
tiers = [{tiers}]
approved_by = "জেলা সমবায় কার্যালয়, নমুনা"
approved_on = 2024-09-25
reason = "two unions merged: fewer societies to register"
"""


def _office(tmp_path: Path, tiers: str = "20, 16, 12, 8, 4", name: str = "office") -> Path:
    folder = tmp_path / name
    shutil.copytree(BASE, folder)
    with (folder / "agreement.toml").open("a", encoding="utf-8") as f:
        f.write(REVISION.format(tiers=tiers))
    return folder


def test_the_hand_worked_revision(tmp_path: Path) -> None:
    """docs/scoring.md: 15 societies against the revised tiers 20/16/12/8/4 lie between
    good (12 → 80) and very good (16 → 90): 80 + 10 × 3/4 = 87.5, marks 8.75, progress
    15 / 20 = 75 %; against the signed tiers 30/25/20/10/5 it was 75 and 7.5."""
    signed = score_path(BASE).indicator("1.1.1")
    revised = score_path(_office(tmp_path)).indicator("1.1.1")
    assert (signed.raw_score, signed.marks, signed.progress_pct) == (75, Decimal("7.5"), 50)
    assert (revised.raw_score, revised.marks, revised.progress_pct) == (
        Decimal("87.5"),
        Decimal("8.75"),
        75,
    )


def _edited(tmp_path: Path, tiers: str) -> Path:
    folder = tmp_path / "edited"
    shutil.copytree(BASE, folder)
    text = (folder / "agreement.toml").read_text("utf-8")
    (folder / "agreement.toml").write_text(
        text.replace("tiers = [30, 25, 20, 10, 5]", f"tiers = [{tiers}]"), "utf-8"
    )
    return folder


@st.composite
def descending_tiers(draw: st.DrawFn) -> str:
    values = sorted(draw(st.lists(st.integers(1, 60), min_size=5, max_size=5, unique=True)))
    return ", ".join(str(v) for v in reversed(values))


@given(tiers=descending_tiers())
def test_a_revision_scores_as_the_edited_agreement(
    tiers: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("revision")
    revised, edited = score_path(_office(tmp, tiers)), score_path(_edited(tmp, tiers))
    figures = ("raw_score", "marks", "progress_pct", "progress_marks")
    for a, b in zip(revised.indicators(), edited.indicators()):
        assert [a.exact(f) for f in figures] == [b.exact(f) for f in figures]
    assert revised.exact("total_marks") == edited.exact("total_marks")
    assert len(revised.revisions) == 1 and edited.revisions == ()


def test_every_output_shows_the_original(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _office(tmp_path)
    assert main(["score", str(folder), "--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)["sections"][0]["indicators"][0]
    assert row["revision"] == {
        "approved_by": "জেলা সমবায় কার্যালয়, নমুনা",
        "approved_on": "2024-09-25",
        "reason": "two unions merged: fewer societies to register",
        "original": {"tiers": ["30", "25", "20", "10", "5"]},
        "revised": {"tiers": ["20", "16", "12", "8", "4"]},
    }
    assert row["target"] == "20" and row["marks"] == "8.75"
    assert main(["score", str(folder)]) == 0
    assert "20 (original 30)" in capsys.readouterr().out
    assert main(["score", str(folder), "--lang", "bn"]) == 0
    assert "২০ (মূল ৩০)" in capsys.readouterr().out
    assert main(["explain", str(folder), "1.1.1"]) == 0
    assert "revised targets: tiers 30 / 25 / 20 / 10 / 5 → 20 / 16 / 12 / 8 / 4" in (
        capsys.readouterr().out
    )
    page = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(page)]) == 0
    assert "২০ (মূল ৩০)" in page.read_text("utf-8")
    assert main(["score", str(BASE), "--format", "json"]) == 0
    plain = json.loads(capsys.readouterr().out)["sections"][0]["indicators"][0]
    assert plain["revision"] is None


def test_a_weight_revision_that_keeps_the_total(tmp_path: Path) -> None:
    folder = tmp_path / "weights"
    shutil.copytree(BASE, folder)
    with (folder / "agreement.toml").open("a", encoding="utf-8") as f:
        for ref, weight in (("1.1.1", 12), ("1.1.2", 8)):
            f.write(
                f'\n[[revisions]]\nindicator = "{ref}"\nweight = {weight}\n'
                'approved_by = "জেলা"\napproved_on = 2024-09-01\nreason = "re-weighted"\n'
            )
    card = score_path(folder)
    assert [r.weight for r in card.indicators()][:2] == [12, 8]
    assert card.indicator("1.1.1").marks == Decimal("9")  # 12 × 75 / 100
    assert {a.ref: a.original.weight for a in card.revisions} == {"1.1.1": 10, "1.1.2": 10}


def test_a_row_of_a_standard_plan_can_be_revised(tmp_path: Path) -> None:
    """The ruleset's standard e-Governance plan (``standard = true``): [5.1.1]'s target 4
    revised to 2; its 2 updates are then 100 %, marks 6 (were 3), 1.2 APA marks."""
    (tmp_path / "agreement.toml").write_text(
        'fiscal_year = "2024-25"\nscope = "partial"\n[office]\nname_bn = "অফিস"\n'
        'level = "upazila"\n[[annexes]]\nkind = "egov"\nstandard = true\n'
        '[[revisions]]\nindicator = "egov/5.1.1"\ntarget = "২"\napproved_by = "জেলা"\n'
        'approved_on = 2024-09-10\nreason = "the portal was down for six months"\n',
        "utf-8",
    )
    (tmp_path / "report.toml").write_text(
        'fiscal_year = "2024-25"\nquarter = 2\n[[entries]]\nindicator = "egov/5.1.1"\n'
        'q1 = "১"\nq2 = "১"\n',
        "utf-8",
    )
    card = score_path(tmp_path)
    row = card.indicator("egov/5.1.1")
    assert (row.target, row.raw_score, row.marks) == (2, 100, 6)
    assert card.total_marks == Decimal("1.2")
    (applied,) = card.revisions
    assert (applied.original.target, applied.revised.target) == (4, 2)
