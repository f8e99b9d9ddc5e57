"""apacore need: what each tier still needs, by the indicator's method."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apacore.cli import main
from apacore.office import score_path
from apacore.office.need import need, need_to_dict, render_need

OFFICE = Path(__file__).resolve().parent / "data" / "need-office"


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["need", str(OFFICE), *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _tiers(data: dict, ref: str) -> dict:  # type: ignore[type-arg]
    return next(i for i in data["indicators"] if i["id"] == ref)["tiers"]


def test_sum_tiers_need_what_the_remaining_quarters_must_add(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Tiers 30/25/20/10/5, Q1 5 and Q2 7 (a sum, reported with Bengali digits)."""
    tiers = _tiers(_json(capsys, "[১.১.১]"), "1.1.1")
    got = {k: (v["achievement"], v["remaining"]) for k, v in tiers.items()}
    assert got == {
        "excellent": ("30", "18"),
        "very_good": ("25", "13"),
        "good": ("20", "8"),
        "fair": ("10", "0"),
        "poor": ("5", "0"),
    }
    assert tiers["fair"]["reached"] and not tiers["good"]["reached"]


def test_running_figure_and_average_need_a_figure(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys)
    running = _tiers(data, "1.1.2")
    assert running["excellent"] == {
        "achievement": "90",
        "remaining": "90",
        "reached": False,
        "kind": "figure",
        "marks": "10.00",
    }
    assert running["fair"]["remaining"] == "0"
    mean = _tiers(data, "1.1.3")  # Q1 6, Q2 8: (14 + 2x) / 4 = 10 → x = 13
    assert (mean["excellent"]["remaining"], mean["very_good"]["remaining"]) == ("13", "9")


def test_deadline_gives_the_date_and_days_left(capsys: pytest.CaptureFixture[str]) -> None:
    tiers = _tiers(_json(capsys), "1.1.4")
    assert tiers["excellent"]["deadline"] == "2025-01-15"
    assert tiers["excellent"]["remaining"] == "15"  # days after 31/12/2024
    assert tiers["excellent"]["kind"] == "date"


def test_lower_is_better_and_single_target(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys)
    lower = _tiers(data, "1.1.5")  # 2 + 3 = 5 so far; a sum can only grow
    assert lower["excellent"]["remaining"] is None
    assert lower["excellent"]["why"] == "can no longer be reached"
    assert lower["good"]["remaining"] == "0"
    target = _tiers(data, "1.1.6")
    assert target == {
        "target": {
            "achievement": "4",
            "remaining": "2",
            "reached": False,
            "kind": "add",
            "marks": "5.00",
        }
    }


def test_marks_each_indicator_can_still_add() -> None:
    card = score_path(OFFICE)
    data = need_to_dict(card, need(card))
    rows = {i["id"]: i for i in data["indicators"]}
    # 1.1.1: 12 between 10 (70) and 20 (80) → 72 → 7.20 of 10
    assert (rows["1.1.1"]["marks"], rows["1.1.1"]["can_add"]) == ("7.20", "2.80")
    assert data["office_bn"] == "উপজেলা সমবায় কার্যালয়, পরীক্ষা"


def test_no_quarter_left_and_milestones() -> None:
    card = score_path(OFFICE, as_of=4)
    rows = {n.result.ref: n for n in need(card)}
    excellent = rows["1.1.1"].tiers[0]
    assert excellent.remaining is None and excellent.why == "no quarter left"
    dakop = score_path(Path(__file__).resolve().parent.parent / "examples" / "dakop-2024-25")
    milestones = next(
        n for n in need(dakop) if n.result.indicator and n.result.indicator.milestones
    )
    (tier,) = milestones.tiers
    assert tier.kind == "milestones" and tier.achievement == 3 and tier.remaining == 1


def test_table_in_bengali(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["need", str(OFFICE), "1.1.1", "--lang", "bn"]) == 0
    out = capsys.readouterr().out
    assert "অসাধারণ" in out and "১৮" in out and "অর্জিত" in out


def test_unknown_indicator_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["need", str(OFFICE), "9.9.9"]) == 2
    assert "unknown indicator '9.9.9'" in capsys.readouterr().err


def test_a_report_with_bengali_ids_fiscal_year_and_quarter_loads() -> None:
    from apacore.loading.agreements import load_office

    report = load_office(OFFICE).report
    assert report is not None
    assert (report.fiscal_year, report.quarter) == ("2024-25", 2)
    assert report.entries[0].indicator == "1.1.1"  # written "[১.১.১]"


def test_arguments_an_officer_types_take_bengali_digits() -> None:
    from apacore.cli import build_parser

    args = build_parser().parse_args(
        ["import", "t.tsv", "--quarter", "২", "--fiscal-year", "২০২৪-২৫"]
    )
    assert (args.quarter, args.fiscal_year) == (2, "2024-25")
    args = build_parser().parse_args(
        ["new", "--template", "t", "--fiscal-year", "২০২৪-২৫", "--office", "x"]
    )
    assert args.fiscal_year == "2024-25"


def test_bengali_table_says_why_in_bengali() -> None:
    """A tier with no answer says why in the officer's language: the Bengali table has no
    English sentence (the JSON keeps its English ``why``)."""
    card = score_path(OFFICE, as_of=4)
    needs = need(card)
    bn = render_need(card, needs, lang="bn")
    assert "no quarter left" not in bn and "আর কোনো কোয়ার্টার বাকি নেই" in bn
    assert "no quarter left" in render_need(card, needs, lang="en")
