"""Exact totals, the one rounding at output, and report checks found in review."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import apacore
from apacore.errors import ApacoreError, ReportError
from apacore.formatting import round_value
from apacore.loading.convert import structure
from apacore.render.formats import render


def _score(tmp_path: Path, agreement: str, report: str | None = None) -> apacore.Scorecard:
    (tmp_path / "agreement.toml").write_text(agreement, encoding="utf-8")
    if report is not None:
        (tmp_path / "report.toml").write_text(report, encoding="utf-8")
    return apacore.score_path(tmp_path)


def _indicator(i: int, weight: int, body: str, area_ids: str = "1.1") -> str:
    return f"""
[[areas.activities.indicators]]
id = "{area_ids}.{i}"
name_bn = "সূচক {i}"
weight = {weight}
source = "test"
{body}"""


DATES = 'unit = "date"\nmethod = "date"\ntiers = ["01/08/24", "07/08/24", "13/08/24", "19/08/24", "25/08/24"]'
HEAD = """
fiscal_year = "2024-25"
{scope}
[office]
name_bn = "উপজেলা সমবায় কার্যালয়"
level = "upazila"
[[areas]]
id = "1"
name_bn = "ক্ষেত্র"
weight = {weight}
[[areas.activities]]
id = "1.1"
name_bn = "কার্যক্রম"
"""


def _annexes() -> str:
    out = ""
    for kind in ("integrity", "egov", "grs", "charter", "rti"):
        out += f"""
[[annexes]]
kind = "{kind}"
total = 10
[[annexes.areas]]
id = "1"
name_bn = "ক"
weight = 10
[[annexes.areas.activities]]
id = "1.1"
name_bn = "ক"
[[annexes.areas.activities.indicators]]
id = "1.1.1"
name_bn = "ক"
unit = "count"
method = "sum"
weight = 10
target = 1
source = "test"
"""
    return out


def test_round_value_rounds_fractions_exactly() -> None:
    assert round_value(Fraction(323, 8), 2) == Decimal("40.38")
    assert round_value(Fraction(1, 8), 2, "half_even") == Decimal("0.12")
    assert round_value(Fraction(-1, 8), 2) == Decimal("-0.13")
    assert round_value(Decimal("2.675"), 2) == Decimal("2.68")


def test_a_grade_boundary_is_reached_exactly(tmp_path: Path) -> None:
    """Three deadlines 4, 4 and 7 days late of 6-day brackets, one count, five annexes at
    100: the exact total is 96, which is excellent (a 28-digit sum would read 95.99…)."""
    agreement = (
        HEAD.format(scope="", weight=70)
        + "".join(_indicator(i, 16, DATES) for i in (1, 2, 3))
        + _indicator(4, 22, 'unit = "count"\nmethod = "sum"\ntarget = 1')
        + _annexes()
    )
    report = 'fiscal_year = "2024-25"\nquarter = 1\n' + "".join(
        f'[[entries]]\nindicator = "{ref}"\nq1 = "{q1}"\n'
        for ref, q1 in [
            ("1.1.1", "05/08/24"),
            ("1.1.2", "05/08/24"),
            ("1.1.3", "08/08/24"),
            ("1.1.4", "1"),
        ]
        + [(f"{k}/1.1.1", "1") for k in ("integrity", "egov", "grs", "charter", "rti")]
    )
    card = _score(tmp_path, agreement, report)
    assert card.exact("total_marks") == 96
    assert card.grade == "excellent"
    assert json.loads(render(card, "json"))["total"]["marks"] == "96.00"


def test_totals_round_once_from_exact_values(tmp_path: Path) -> None:
    tiers = 'unit = "date"\nmethod = "date"\ntiers = ["01/08/24", "04/08/24", "07/08/24", "10/08/24", "13/08/24"]'
    agreement = (
        HEAD.format(scope='scope = "partial"', weight=51)
        + "".join(_indicator(i, 16, tiers) for i in (1, 2, 3))
        + _indicator(4, 3, 'unit = "count"\nmethod = "sum"\ntarget = 8')
    )
    report = 'fiscal_year = "2024-25"\nquarter = 1\n' + "".join(
        f'[[entries]]\nindicator = "1.1.{i}"\nq1 = "{q1}"\n'
        for i, q1 in [(1, "03/08/24"), (2, "06/08/24"), (3, "09/08/24"), (4, "1")]
    )
    card = _score(tmp_path, agreement, report)
    assert card.exact("total_marks") == Fraction(323, 8)
    assert json.loads(render(card, "json"))["total"]["marks"] == "40.38"


def test_a_completion_date_after_its_quarter_is_refused(tmp_path: Path) -> None:
    agreement = HEAD.format(scope='scope = "partial"', weight=10) + _indicator(1, 10, DATES)
    report = 'fiscal_year = "2024-25"\nquarter = 1\n[[entries]]\nindicator = "1.1.1"\nq1 = "০১/১০/২০২৪"\n'
    with pytest.raises(
        ReportError, match=r"\$\.entries\[0\]\.q1: date '০১/১০/২০২৪' is after the end of Q1"
    ):
        _score(tmp_path, agreement, report)


GRS = """
fiscal_year = "2023-24"
scope = "partial"
[office]
name_bn = "উপজেলা সমবায় কার্যালয়"
level = "upazila"
[[annexes]]
kind = "grs"
standard = true
"""


def test_a_reported_substitute_is_used_when_the_main_row_has_no_figures(tmp_path: Path) -> None:
    report = (
        'fiscal_year = "2023-24"\nquarter = 2\n'
        '[[entries]]\nindicator = "grs/1.1.1"\nq1 = "-"\nq2 = "-"\n'
        '[[entries]]\nindicator = "grs/1.1.1.1"\nq2 = "১"\n'
    )
    card = _score(tmp_path, GRS, report)
    assert card.indicator("grs/1.1.1").status == "substituted"
    assert card.indicator("grs/1.1.1.1").status == "scored"


def test_main_row_and_substitute_both_reported_is_an_error(tmp_path: Path) -> None:
    report = (
        'fiscal_year = "2023-24"\nquarter = 2\n'
        '[[entries]]\nindicator = "grs/1.1.1"\nq1 = "৯০%"\n'
        '[[entries]]\nindicator = "grs/1.1.1.1"\nq2 = "১"\n'
    )
    with pytest.raises(ReportError, match=r"both grs/1\.1\.1 and its substitute grs/1\.1\.1\.1"):
        _score(tmp_path, GRS, report)


def test_rounding_places_are_bounded() -> None:
    with pytest.raises(ApacoreError, match=r"\$\.rounding_places: must be 0 to 10, got -2"):
        structure({"rounding_places": -2}, apacore.Policies, where="t")


def test_scorecard_json_carries_the_apacore_version(tmp_path: Path) -> None:
    agreement = HEAD.format(scope='scope = "partial"', weight=10) + _indicator(1, 10, DATES)
    card = _score(tmp_path, agreement)
    assert json.loads(render(card, "json"))["apacore_version"] == apacore.__version__
