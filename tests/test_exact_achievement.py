"""An achievement that is a quotient (a mean, a share of a base) is scored exactly: rules,
progress and ``apacore need`` compute with the Fraction, never its 28-digit rounding."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import apacore
from apacore.cli import main
from apacore.plugins.contract import Achievement

DAKOP = Path(__file__).resolve().parent.parent / "examples" / "dakop-2024-25"

HEAD = """
fiscal_year = "2024-25"
scope = "partial"
[office]
name_bn = "উপজেলা সমবায় কার্যালয়"
level = "upazila"
[[areas]]
id = "1"
name_bn = "ক্ষেত্র"
weight = 10
[[areas.activities]]
id = "1.1"
name_bn = "কার্যক্রম"
[[areas.activities.indicators]]
id = "1.1.1"
name_bn = "সূচক"
weight = 10
source = "test"
"""


def _score(folder: Path, body: str, quarters: list[str]) -> apacore.IndicatorResult:
    (folder / "agreement.toml").write_text(HEAD + body, encoding="utf-8")
    cells = "".join(f'q{q} = "{v}"\n' for q, v in enumerate(quarters, 1))
    report = f'fiscal_year = "2024-25"\nquarter = {len(quarters)}\n'
    report += f'[[entries]]\nindicator = "1.1.1"\n{cells}'
    (folder / "report.toml").write_text(report, encoding="utf-8")
    return apacore.score_path(folder).indicator("1.1.1")


def test_dakop_share_of_a_base_is_scored_exactly() -> None:
    """2.2.3: 5 + 5 societies of a base of 48 / 92 % is 115/6 %, against a target of 92 %."""
    result = apacore.score_path(DAKOP).indicator("2.2.3")
    achievement = Fraction(115, 6)
    assert result.achievement == Decimal("19.16666666666666666666666667")  # shown as before
    assert result.exact("achievement") == achievement
    expected = achievement / 92 * 100  # = 10 of the 48 societies the target stands for
    assert expected == Fraction(125, 6)
    assert result.exact("progress_pct") == expected
    assert result.exact("raw_score") == expected  # single target: min(A / T, 1) × 100


def test_need_on_a_share_of_a_base_is_a_whole_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["need", str(DAKOP), "2.2.3"]) == 0
    table = capsys.readouterr().out
    row = next(line for line in table.splitlines() if line.strip().startswith("target"))
    # in the indicator's unit (percent, as "92" and "so far"); the quarters' own figure a
    # whole count: 48 − 10 societies, not 38.00
    assert row.split()[1:3] == ["92", "72.83"]
    assert "(38 in the quarters' figures)" in row


def test_a_mean_between_tiers_interpolates_exactly(tmp_path: Path) -> None:
    """The mean of 1, 1, 2 is 4/3: between good (1 → 80) and very good (1.5 → 90)."""
    body = 'unit = "count"\nmethod = "average"\ntiers = [2, "1.5", 1, "0.5", "0.25"]\n'
    result = _score(tmp_path, body, ["1", "1", "2"])
    assert result.exact("achievement") == Fraction(4, 3)
    raw = 80 + Fraction(10) * (Fraction(4, 3) - 1) / Fraction(1, 2)
    assert result.exact("raw_score") == raw == Fraction(260, 3)
    assert result.exact("progress_pct") == Fraction(4, 3) / 2 * 100
    assert result.trace is not None  # the trace's rule (the slow path) agrees
    assert "86.666667" in " ".join(result.explanation)


@settings(max_examples=40, deadline=None)
@given(
    base=st.integers(1, 400),
    target=st.integers(1, 100),
    counts=st.lists(st.integers(0, 60), min_size=1, max_size=4),
)
def test_cumulative_toward_a_base_progress_is_exact(
    base: int, target: int, counts: list[int]
) -> None:
    body = (
        f'unit = "percent"\nmethod = "cumulative"\ncumulative = "increments"\n'
        f'base = {base}\ntarget = "{target}%"\n'
    )
    with tempfile.TemporaryDirectory() as folder:
        result = _score(Path(folder), body, [str(c) for c in counts])
    progress = Fraction(sum(counts), base) * 100 / target * 100
    assert result.exact("achievement") == Fraction(sum(counts), base) * 100
    assert result.exact("progress_pct") == progress
    assert result.exact("raw_score") == min(progress, Fraction(100))


def test_a_plugin_exact_must_stand_behind_its_value() -> None:
    from apacore.plugins.contract import exact_problem

    value = Decimal(1) / Decimal(3)
    assert exact_problem(Achievement(value, exact=Fraction(1, 3))) is None
    assert exact_problem(Achievement(Decimal(5))) is None
    assert Achievement(Decimal("2.5")).exact_value == Fraction(5, 2)
    assert Achievement(value, exact=Fraction(1, 3)).exact_value == Fraction(1, 3)
    assert "does not round" in (exact_problem(Achievement(value, exact=Fraction(1, 2))) or "")
    assert "not a Fraction" in (exact_problem(Achievement(value, exact=0.5)) or "")  # type: ignore[arg-type]
    assert "not a finite Decimal" in (exact_problem(Achievement(None, exact=Fraction(1))) or "")


def test_a_plugin_exact_beyond_the_limits_is_refused() -> None:
    from apacore.plugins.contract import exact_problem

    huge = Fraction(10**200 + 1, 10**200)
    why = exact_problem(Achievement(Decimal(1), exact=huge)) or ""
    assert "beyond apacore's limit" in why
    # a plugin may round to fewer places than the context: within one unit of the last digit
    assert exact_problem(Achievement(Decimal("0.33"), exact=Fraction(1, 3))) is None
    assert exact_problem(Achievement(Decimal("0.35"), exact=Fraction(1, 3))) is not None
