"""apacore-rules-extra: worked examples of both rules, an agreement that uses them, the
one-line errors, and the plugin's registration (entry point, `apacore plugins`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import apacore_rules_extra
import pytest

import apacore
from apacore.cli import main
from apacore.engine.scorecard import score_agreement
from apacore.errors import AgreementError, ScoringError
from apacore.models import Indicator
from apacore.plugins.contract import Achievement, RuleContext
from apacore.plugins.host import DEFAULT_PLUGINS, get_registry
from apacore.testing import entry_point_tests

DATA = Path(__file__).parent / "data"
DISTRIBUTION = "apacore-rules-extra"
ENTRY_POINT = "rules-extra"


def _indicator(**kw: object) -> Indicator:
    fields: dict[str, object] = dict(
        id="2.1.1",
        name_bn="নির্বাচনী ক্যালেন্ডার সংকলিত",
        unit="date",
        method="date",
        weight=Decimal(2),
        source="test",
    )
    fields.update(kw)
    return Indicator(**fields)  # type: ignore[arg-type]


def _score(rule: str, ind: Indicator, value: object) -> Fraction:
    result = (
        get_registry()
        .rule(rule)
        .score(ind, Achievement(value=value, explanation="test"), RuleContext())
    )  # type: ignore[arg-type]
    assert isinstance(result.raw, Fraction)
    return result.raw


GRACE = _indicator(
    target=dt.date(2024, 8, 12), rule="deadline_grace", rule_params={"grace_days": "7"}
)


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        (dt.date(2024, 8, 1), Fraction(100)),  # early
        (dt.date(2024, 8, 12), Fraction(100)),  # on the day
        (dt.date(2024, 8, 13), Fraction(600, 7)),  # 1 day late: 100 × 6/7 = 85.714…
        (dt.date(2024, 8, 15), Fraction(400, 7)),  # 3 days late: 100 × 4/7 = 57.142…
        (dt.date(2024, 8, 18), Fraction(100, 7)),  # 6 days late: 100 × 1/7
        (dt.date(2024, 8, 19), Fraction(0)),  # 7 days late: the grace period is over
        (dt.date(2024, 12, 31), Fraction(0)),
        (None, Fraction(0)),  # not completed
    ],
)
def test_deadline_grace_worked_examples(
    rules_extra: str, done: dt.date | None, expected: Fraction
) -> None:
    assert _score("deadline_grace", GRACE, done) == expected


def test_deadline_grace_explains_itself(rules_extra: str) -> None:
    result = (
        get_registry()
        .rule("deadline_grace")
        .score(GRACE, Achievement(value=dt.date(2024, 8, 15), explanation=""), RuleContext())
    )
    assert result.bracket == (
        "done 15/08/2024, 3 days after 12/08/2024, within the 7-day grace period"
    )
    assert result.formula.startswith("100 × (7 − 3) / 7 = 57.142857")


def test_grace_days_may_be_written_in_bengali_digits(rules_extra: str) -> None:
    ind = _indicator(
        target=dt.date(2024, 8, 12), rule="deadline_grace", rule_params={"grace_days": "১০"}
    )
    assert _score("deadline_grace", ind, dt.date(2024, 8, 17)) == 50


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, r"^2\.1\.1: rule 'deadline_grace' needs rule_params\.grace_days"),
        ({"grace_days": "0"}, r"grace_days must be a whole number of days > 0, got '0'"),
        ({"grace_days": "-3"}, r"got '-3'"),
        ({"grace_days": "7.5"}, r"got '7\.5'"),
        ({"grace_days": "a week"}, r"got 'a week'"),
        ({"grace_days": "7", "grace": "2"}, r"unknown rule_params grace \(rule 'deadline_grace'"),
    ],
)
def test_deadline_grace_rejects_bad_grace_days(
    rules_extra: str, params: dict[str, str], message: str
) -> None:
    ind = _indicator(target=dt.date(2024, 8, 12), rule="deadline_grace", rule_params=params)
    with pytest.raises(ScoringError, match=message) as info:
        _score("deadline_grace", ind, dt.date(2024, 8, 13))
    assert "\n" not in str(info.value)


def test_deadline_grace_needs_a_date_target(rules_extra: str) -> None:
    ind = _indicator(
        unit="count",
        method="sum",
        target=Decimal(4),
        rule="deadline_grace",
        rule_params={"grace_days": "7"},
    )
    with pytest.raises(ScoringError, match="needs a date target"):
        _score("deadline_grace", ind, Decimal(4))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 0),
        (Decimal(0), 0),
        (Decimal("0.00"), 0),
        (Decimal(1), 100),
        (Decimal("0.5"), 100),
        (Decimal(12), 100),
        (dt.date(2024, 9, 1), 100),
    ],
)
def test_yes_no_worked_examples(rules_extra: str, value: object, expected: int) -> None:
    ind = _indicator(unit="count", method="sum", rule="yes_no")
    assert _score("yes_no", ind, value) == expected


def test_yes_no_refuses_what_it_cannot_mean(rules_extra: str) -> None:
    count = _indicator(unit="count", method="sum", rule="yes_no")
    with pytest.raises(ScoringError, match="achievement -1 is negative"):
        _score("yes_no", count, Decimal(-1))
    lower = _indicator(
        unit="count",
        method="sum",
        rule="yes_no",
        tiers=[Decimal(0), Decimal(1), Decimal(2), None, None],
    )
    with pytest.raises(ScoringError, match="cannot score an indicator where lower is better"):
        _score("yes_no", lower, Decimal(0))
    dated = _indicator(
        unit="dated_count", method="milestones", rule="yes_no", milestones=[dt.date(2024, 9, 30)]
    )
    with pytest.raises(ScoringError, match="not dated milestones"):
        _score("yes_no", dated, (dt.date(2024, 9, 1),))


def test_an_agreement_using_both_rules_scores_exactly(rules_extra: str) -> None:
    office = apacore.load_office(DATA / "grace-office")
    card = score_agreement(office.agreement, office.report, office.ruleset)
    rows = {r.ref: r for r in card.indicators()}
    assert rows["1.1.1"].rule == "deadline_grace"
    assert rows["1.1.1"].raw_score == Decimal(400) / Decimal(7)  # 3 of 7 days late
    assert rows["1.1.1"].marks == Decimal(16) / Decimal(7)  # 4 × 4/7
    assert (rows["1.1.2"].raw_score, rows["1.1.2"].marks) == (100, 3)  # Q1 0 + Q2 1: done
    assert (rows["1.1.3"].raw_score, rows["1.1.3"].marks) == (100, 2)  # on the day
    assert rows["1.1.4"].status == "not_reported" and rows["1.1.4"].marks == 0
    assert card.total_marks == Decimal(51) / Decimal(7) and card.total_max == 10


def test_the_score_command_uses_the_rules(
    rules_extra: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", str(DATA / "grace-office"), "1.1.1"]) == 0
    out = capsys.readouterr().out
    assert "rule deadline_grace" in out and "raw score 57.14, marks 2.29" in out


def test_a_missing_grace_period_is_caught_when_the_agreement_loads(
    rules_extra: str, tmp_path: Path
) -> None:
    text = (DATA / "grace-office" / "agreement.toml").read_text("utf-8")
    (tmp_path / "agreement.toml").write_text(
        text.replace('rule_params = { grace_days = "১০" }\n', ""), "utf-8"
    )
    with pytest.raises(AgreementError) as info:
        apacore.load_office(tmp_path)
    assert str(info.value) == (
        f"{tmp_path / 'agreement.toml'} (checked by plugin rules-extra):"
        " $.areas[0].activities[0].indicators[2] [1.1.3]: rule 'deadline_grace' needs"
        " rule_params.grace_days, the whole days after the target over which the score falls"
        ' to 0 (e.g. rule_params = { grace_days = "7" })'
    )


def test_without_the_plugin_the_rules_are_unknown(tmp_path: Path) -> None:
    with pytest.raises(AgreementError, match="unknown scoring rule 'deadline_grace'"):
        apacore.load_office(DATA / "grace-office")


def test_its_names_do_not_clash_with_apacores(rules_extra: str) -> None:
    registry = get_registry()  # builds: a clash would be a PluginError naming both plugins
    ours = {name for (what, name), owner in registry.owners.items() if owner == rules_extra}
    assert ours == {"yes_no", "deadline_grace"}
    builtin = {name for (what, name), owner in registry.owners.items() if owner in DEFAULT_PLUGINS}
    assert not ours & builtin


# --- the installed package ---------------------------------------------------------------


TestPackage = entry_point_tests(
    DISTRIBUTION,
    ENTRY_POINT,
    apacore_rules_extra,
    expect=["registers: rule deadline_grace, rule yes_no"],
)
