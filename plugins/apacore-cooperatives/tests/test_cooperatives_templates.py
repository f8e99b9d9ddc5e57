"""apacore-cooperatives' templates: registered for 2023-24 and 2024-25, `apacore new` writes
complete agreements that validate and score as they are, and the templates say where every
number comes from (Rangpur Sadar 2023-24, Dakop 2024-25; carried-over weights marked)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import apacore_cooperatives
import attrs
import pytest

import apacore
from apacore.cli import main
from apacore.engine.scorecard import score_agreement
from apacore.loading.agreements import load_agreement
from apacore.loading.rulesets import load_ruleset
from apacore.loading.templates import available_templates
from apacore.models import Agreement, Indicator

YEARS = ("2023-24", "2024-25")

# Dakop 2024-25 id -> the same indicator in Rangpur Sadar 2023-24 (whose weight is carried over)
COUNTERPARTS = {
    "1.1.1": "1.1.2",
    "1.1.2": "1.1.1",
    "1.2.1": "1.2.1",
    "1.2.2": "1.2.2",
    "2.1.1": "2.1.1",
    "2.1.2": "2.1.3",
    "2.2.1": "2.2.1",
    "2.2.2": "2.2.2",
    "2.2.3": "2.2.3",
    "2.2.4": "2.2.4",
    "2.2.5": "2.2.5",
    "2.3.1": "2.3.1",
    "2.3.2": "2.3.2",
    "3.1.1": "3.1.1",
    "3.2.1": "3.2.1",
    "3.3.1": "3.3.1",
}
NEW_IN_2024_25 = {"2.1.3": 4, "2.2.6": 4}  # weights decided, as the template's note says


def _indicators(agreement: Agreement) -> dict[str, Indicator]:
    return {i.id: i for area in agreement.areas for i in area.indicators()}


def test_both_years_are_registered_for_the_shipped_rulesets(cooperatives: str) -> None:
    templates = available_templates()
    for fy in YEARS:
        plugin, template = templates[("cooperatives-upazila", fy)]
        assert plugin == cooperatives
        assert template.level == "upazila"
        assert template.path.is_file(), "the template TOML must ship as package data"
        assert template.ruleset_version == load_ruleset(fy).version


@pytest.mark.parametrize("fy", YEARS)
def test_apacore_new_writes_an_agreement_that_apacore_score_accepts(
    new_office: Callable[..., Path], fy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = new_office(fy, office="উপজেলা সমবায় কার্যালয়, নতুন")
    office = apacore.load_office(folder)
    ruleset = load_ruleset(fy)
    agreement = office.agreement
    assert agreement.scope == "complete" and agreement.ruleset_sha256 == ruleset.sha256
    assert sum(a.weight for a in agreement.areas) == 70
    assert [a.kind for a in agreement.annexes] == list(ruleset.spec.annex_weights)
    assert all(a.standard for a in agreement.annexes)
    card = score_agreement(agreement, None, office.ruleset)
    assert card.total_max == 100 and card.total_marks == 0
    capsys.readouterr()
    assert main(["score", str(folder)]) == 0
    assert "Total: 0.00 / 100.00" in capsys.readouterr().out


def test_every_indicator_carries_its_evidence_or_says_why_not(
    new_office: Callable[..., Path],
) -> None:
    for fy in YEARS:
        for ind in _indicators(load_agreement(new_office(fy, name=fy) / "agreement.toml")).values():
            assert ind.evidence or "No seed gives its Annex 2 evidence" in ind.note, ind.id
            assert ind.unit and ind.method and ind.weight


def test_2023_24_is_rangpur_sadars_office_indicators(
    new_office: Callable[..., Path], examples: Path
) -> None:
    rangpur = load_agreement(examples / "rangpur-sadar-2023-24" / "agreement.toml")
    written = load_agreement(new_office("2023-24") / "agreement.toml")
    assert [(a.id, a.weight) for a in written.areas] == [("1", 24), ("2", 24), ("3", 22)]
    assert [attrs.evolve(a, activities=()) for a in written.areas] == [
        attrs.evolve(a, activities=()) for a in rangpur.areas
    ]
    expected = {
        k: attrs.evolve(i, actuals={}, projections={}) for k, i in _indicators(rangpur).items()
    }
    assert _indicators(written) == expected  # Rangpur's office history is left out


def test_2024_25_is_dakops_indicators_with_marked_weights(
    new_office: Callable[..., Path], examples: Path
) -> None:
    dakop = _indicators(load_agreement(examples / "dakop-2024-25" / "agreement.toml"))
    rangpur = _indicators(load_agreement(examples / "rangpur-sadar-2023-24" / "agreement.toml"))
    written = load_agreement(new_office("2024-25") / "agreement.toml")
    rows = _indicators(written)
    assert set(rows) == set(dakop) == set(COUNTERPARTS) | set(NEW_IN_2024_25)
    for ident, row in rows.items():
        theirs = dakop[ident]
        for key in ("name_bn", "unit", "method", "target", "target_count", "cumulative"):
            assert getattr(row, key) == getattr(theirs, key), (ident, key)
        assert theirs.weight is None  # Dakop prints no weight: none can be "read from Dakop"
        if ident in COUNTERPARTS:
            source = rangpur[COUNTERPARTS[ident]]
            assert (row.weight, row.evidence, row.responsible) == (
                source.weight,
                source.evidence,
                source.responsible,
            )
            assert "CARRIED OVER from Rangpur Sadar 2023-24" in row.note
            assert "UNVERIFIED for 2024-25" in row.note
            assert "001_b744ee39b081aad3.txt" in row.source and "weight" in row.source
        else:
            assert row.weight == NEW_IN_2024_25[ident]
            assert "DECIDED, not read" in row.note and "weight decided" in row.source
    for area in written.areas:
        assert area.weight == sum(i.weight for i in area.indicators() if i.weight)
    assert [a.weight for a in written.areas] == [22, 26, 22]


def test_2024_25_states_how_every_weight_was_decided() -> None:
    from apacore.loading.convert import read_toml

    note = read_toml(apacore_cooperatives.template_path("2024-25"))["note"]
    for phrase in (
        "NO WEIGHTS",
        "CARRIED OVER",
        "DECIDED, not read",
        "[২.১.৩] = 4",
        "[২.২.৬] = 4",
        "22 + 26 + 22 = 70",
    ):
        assert phrase in note


def test_the_2024_25_skeleton_scores_dakops_q2_figures(
    new_office: Callable[..., Path], examples: Path, tmp_path: Path
) -> None:
    """Dakop's own Q2 figures, scored under the template's weights (carried over, unverified)."""
    folder = new_office("2024-25")
    report = (examples / "dakop-2024-25" / "report.toml").read_text("utf-8")
    entries = report.split("[[entries]]")
    own = [
        e
        for e in entries[1:]
        if 'indicator = "' in e and "/" not in e.split('indicator = "')[1].split('"')[0]
    ]
    # the report must be the new office's own (apacore checks its `office`): Dakop's
    # figures are reported under the new office's name
    header = re.sub(r'(?m)^office = ".*"$', 'office = "উপজেলা সমবায় কার্যালয়, নতুন"', entries[0])
    (folder / "report.toml").write_text(header + "".join("[[entries]]" + e for e in own), "utf-8")
    office = apacore.load_office(folder)
    card = score_agreement(office.agreement, office.report, office.ruleset)
    r = card.indicator("2.2.2")  # 13 + 9 = 22 inspections of a target of 32
    assert (r.achievement, r.raw_score, r.marks) == (22, Decimal("68.75"), Decimal("1.375"))
    r = card.indicator("2.2.4")  # 44 + 104 societies of the 110 that 55% stands for
    assert r.achievement == Decimal(148) / Decimal(200) * 100  # % of the base 200
    assert r.raw_score == 100
    r = card.indicator("1.2.1")  # (0.00032 + 0.00043) lakh of 0.00090
    assert r.raw_score == Decimal(75) / Decimal(90) * 100
    assert card.indicator("2.1.1").raw_score == 100  # done 12/08/2024, on the target date
