"""Scoring a whole (synthetic) agreement: methods, rules, substitution, rescaling, totals."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from apacore.engine.scorecard import Scorecard, score_agreement
from apacore.errors import ApacoreError, ReportError
from apacore.loading.agreements import load_office
from apacore.loading.rulesets import Ruleset, load_ruleset
from apacore.models import Policies
from apacore.office import score_path
from apacore.render.formats import render, rounded_view, scorecard_to_dict

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return load_ruleset(DATA / "mini-ruleset")


@pytest.fixture(scope="module")
def card(ruleset: Ruleset) -> Scorecard:
    office = load_office(DATA / "mini-office", ruleset=ruleset)
    return score_agreement(office.agreement, office.report, office.ruleset)


def test_cumulative_counts_toward_a_base(card: Scorecard) -> None:
    r = card.indicator("1.1.1")
    # 48 + 73 societies of 200 = 60.5 %; between poor (60) and fair (70): 60.5
    assert r.achievement == Decimal("60.5")
    assert r.raw_score == Decimal("60.5")
    assert r.marks == Decimal("24.2")


def test_persons_in_lakh_keep_their_digits(card: Scorecard) -> None:
    r = card.indicator("1.1.2")
    assert r.achievement == Decimal("0.00070")
    assert r.raw_score == 90
    data = scorecard_to_dict(card)
    row = [i for s in data["sections"] for i in s["indicators"] if i["id"] == "1.1.2"][0]
    assert row["target"] == "0.00080" and row["achievement"] == "0.00070"


def test_date_tier_over_whole_days(card: Scorecard) -> None:
    r = card.indicator("1.1.3")
    assert r.raw_score == 96  # 2 days after 26/07 of a 5-day bracket: 100 − 10 × 2/5


def test_not_reported_is_zero_and_flagged(card: Scorecard) -> None:
    r = card.indicator("egov/1.1.1")
    assert r.status == "not_reported" and r.marks == 0
    assert any("never guessed" in line for line in r.explanation)


def test_progress_is_not_the_evaluation(card: Scorecard) -> None:
    r = card.indicator("egov/1.1.3")
    assert r.progress_pct == Decimal("31.25") and r.raw_score == 0


def test_substitute_takes_the_weight_of_the_replaced_row(card: Scorecard) -> None:
    assert card.indicator("grs/1.1.1").status == "substituted"
    sub = card.indicator("grs/1.1.1.1")
    assert sub.weight == 15 and sub.marks == Decimal("7.5")


def test_not_applicable_rows_rescale_their_annex(card: Scorecard) -> None:
    grs = [s for s in card.sections if s.key == "grs"][0]
    assert card.indicator("grs/2.1.1").status == "not_applicable"
    # (7.5 + 3.5) × 25 / 20 = 13.75; converted 13.75 / 25 × 4 = 2.2
    assert grs.max == 25 and grs.marks == Decimal("13.75")
    assert grs.converted_marks == Decimal("2.2")


def test_totals_and_grade(card: Scorecard) -> None:
    assert card.total_max == 100
    assert card.total_marks == Decimal("62.5")
    assert card.grade == "poor"
    assert card.ruleset["sha256"] == load_ruleset(DATA / "mini-ruleset").sha256


def test_exclude_policy_drops_the_weight_from_the_maximum(ruleset: Ruleset) -> None:
    spec = attrs.evolve(ruleset.spec, policies=Policies(not_applicable="exclude"))
    office = load_office(DATA / "mini-office", ruleset=ruleset)
    card = score_agreement(office.agreement, office.report, attrs.evolve(ruleset, spec=spec))
    grs = [s for s in card.sections if s.key == "grs"][0]
    assert grs.max == 20 and grs.marks == 11


def test_as_of_an_earlier_quarter_ignores_later_figures(ruleset: Ruleset) -> None:
    office = load_office(DATA / "mini-office", ruleset=ruleset)
    card = score_agreement(office.agreement, office.report, ruleset, as_of=1)
    assert card.indicator("egov/1.1.2").achievement == 1
    import datetime as dt

    assert (
        score_agreement(
            office.agreement, office.report, ruleset, as_of=dt.date(2024, 9, 30)
        ).as_of_quarter
        == 1
    )
    with pytest.raises(ApacoreError, match="outside fiscal year"):
        score_agreement(office.agreement, office.report, ruleset, as_of=dt.date(2026, 1, 1))


def test_json_contract(card: Scorecard) -> None:
    data = json.loads(render(card, "json"))
    assert set(data) >= {"office", "fiscal_year", "as_of", "ruleset", "total", "sections"}
    assert data["total"] == {
        "marks": "62.50",
        "progress_marks": data["total"]["progress_marks"],
        "max": "100.00",
        "grade": "poor",
    }
    ind = data["sections"][0]["indicators"][0]
    assert set(ind) >= {
        "id",
        "weight",
        "method",
        "unit",
        "target",
        "achievement",
        "progress_pct",
        "progress_marks",
        "raw_score",
        "marks",
        "status",
    }


@pytest.mark.parametrize("fmt", ["table", "csv", "md", "json"])
@pytest.mark.parametrize("lang", ["en", "bn"])
def test_every_format_and_language_renders(card: Scorecard, fmt: str, lang: str) -> None:
    text = render(card, fmt, lang)
    if lang == "en" or fmt == "json":  # the JSON's ids are data, as the files write them
        assert "grs/1.1.1.1" in text
    else:  # an annex row by the annex's Bengali name, never its code
        assert "অভিযোগ প্রতিকার ব্যবস্থা ১.১.১.১" in text and "grs/" not in text
    if lang == "bn" and fmt in ("table", "md"):
        assert "৬২.৫০" in text  # the total, in Bengali digits


def test_unknown_indicator_in_a_report_is_one_line(tmp_path: Path, ruleset: Ruleset) -> None:
    for name in ("agreement.toml", "report.toml"):
        (tmp_path / name).write_text((DATA / "mini-office" / name).read_text("utf-8"), "utf-8")
    report = tmp_path / "report.toml"
    report.write_text(
        report.read_text("utf-8").replace('indicator = "1.1.3"', 'indicator = "9.9.9"'), "utf-8"
    )
    with pytest.raises(ReportError) as info:
        load_office(tmp_path, ruleset=ruleset)
    assert str(info.value) == f"{report}:18: $.entries[2].indicator: unknown indicator '9.9.9'"


@given(
    st.lists(st.sampled_from(["score100", "score0", "na"]), min_size=3, max_size=3),
    st.sampled_from(["rescale", "exclude"]),
)
def test_rescaling_conserves_the_container_weight(kinds: list[str], policy: str) -> None:
    """With every applicable row at 100, rescale earns the full weight; exclude its share."""
    from apacore.engine.plan import section_result as _section
    from apacore.engine.scorecard import IndicatorResult

    weights = [Decimal(5), Decimal(8), Decimal(12)]
    results = []
    for k, w in zip(kinds, weights):
        status = "not_applicable" if k == "na" else "scored"
        raw = Decimal(100) if k == "score100" else Decimal(0)
        results.append(
            IndicatorResult(
                ref="x",
                id="x",
                section="s",
                area="1",
                name_bn="",
                name_en="",
                weight=w,
                method="sum",
                unit="count",
                rule="tiers",
                target=None,
                achievement=None,
                progress_pct=None,
                progress_marks=Decimal(0),
                raw_score=raw if status == "scored" else None,
                marks=w * raw / 100 if status == "scored" else Decimal(0),
                status=status,
                explanation=(),
            )
        )
    section = _section("annex", "s", "", "", Decimal(25), Decimal(10), results, policy)
    applicable = sum((w for k, w in zip(kinds, weights) if k != "na"), Decimal(0))
    earned = sum((w for k, w in zip(kinds, weights) if k == "score100"), Decimal(0))
    if applicable == 0:
        assert section.max == 0 and section.marks == 0
    elif policy == "rescale":
        assert section.max == 25
        assert section.marks == earned * 25 / applicable
        if earned == applicable:
            assert section.marks == 25 and section.converted_marks == 10
    else:
        assert section.max == applicable and section.marks == earned
    assert 0 <= section.marks <= section.max


def test_to_dict_equals_the_json_and_rounded_view_holds_decimals(card: Scorecard) -> None:
    assert scorecard_to_dict(card) == json.loads(render(card, "json"))
    rounded = rounded_view(card)
    assert rounded["total"]["marks"] == Decimal("62.50")
    ind = rounded["sections"][0]["indicators"][0]
    assert isinstance(ind["raw_score"], Decimal) and ind["raw_score"].as_tuple().exponent == -2


def test_rules_are_named_in_bengali_in_bengali_explanations() -> None:
    """A rule's ``name_bn`` is what a Bengali explanation says; a row left out of the score
    (not applicable) still knows its method's and rule's names."""
    root = Path(__file__).resolve().parent.parent / "examples"
    dakop = score_path(root / "dakop-2024-25")
    trace = dakop.indicator("1.1.1").trace
    assert trace is not None and (trace.rule, trace.rule_bn) == ("single_target", "একক লক্ষ্যমাত্রা")
    assert any("নিয়ম একক লক্ষ্যমাত্রা:" in line for line in trace.lines("bn"))
    assert any("rule single_target:" in line for line in trace.lines("en"))
    left_out = [
        r.trace
        for s in score_path(root / "panchagarh-sadar-2024-25").sections
        for r in s.indicators
        if r.status == "not_applicable"
    ]
    assert left_out and all(t is not None and t.rule_bn and t.method for t in left_out)
