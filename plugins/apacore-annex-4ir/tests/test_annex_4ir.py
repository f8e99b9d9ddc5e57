"""apacore-annex-4ir: an agreement with the plugin's annex loads, is scored, and its marks
are converted like a built-in annex's; the honest limits; the plugin's registration."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import apacore_annex_4ir
import pytest

import apacore
from apacore.cli import main
from apacore.engine.scorecard import score_agreement
from apacore.errors import AgreementError
from apacore.loading.rulesets import load_ruleset
from apacore.plugins.host import DEFAULT_PLUGINS, get_registry
from apacore.testing import entry_point_tests

DATA = Path(__file__).parent / "data"
OFFICE = DATA / "fourth-ir-office"
DISTRIBUTION = "apacore-annex-4ir"
ENTRY_POINT = "annex-4ir"


def test_the_annex_is_scored_and_converted_exactly(annex_4ir: str) -> None:
    office = apacore.load_office(OFFICE)  # the ruleset of its fiscal year, as shipped
    assert office.ruleset.fiscal_year == "2024-25"
    assert office.ruleset.annex("fourth_ir") is None  # the ruleset knows nothing of it
    card = score_agreement(office.agreement, office.report, office.ruleset)
    (section,) = card.sections
    assert (section.kind, section.key) == ("annex", "fourth_ir")
    assert section.name_bn == "চতুর্থ শিল্প বিপ্লব (৪IR) কর্মপরিকল্পনা"
    rows = {r.ref: (r.raw_score, r.marks) for r in section.indicators}
    assert rows == {
        "fourth_ir/1.1.1": (90, Decimal("3.6")),  # 1 + 1 + 1 = 3 workshops: very good tier
        "fourth_ir/1.1.2": (85, Decimal("5.1")),  # 17 persons: 80 + 10 × (17 − 16) / (18 − 16)
        "fourth_ir/2.1.1": (100, 5),  # done 20/03/2025, target 31/03/2025
        "fourth_ir/2.2.1": (50, Decimal("2.5")),  # 2 of 4 reviews held on time (as of Q3)
    }
    obtained = sum((m for _, m in rows.values()), Decimal(0))
    assert obtained == section.marks == Decimal("16.2")
    assert section.weight == 20 and section.apa_weight == 5
    # the conversion of a built-in annex: obtained / annex total × APA weight
    assert section.converted_marks == obtained / section.weight * section.apa_weight
    assert section.converted_marks == Decimal("4.05")
    assert section.converted_max == 5
    assert card.total_marks == Decimal("4.05") and card.total_max == 5
    assert section.explanation == ("converted = 16.2 / 20 × 5 = 4.05",)


def test_the_score_command_shows_the_annex(
    annex_4ir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", str(OFFICE), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"fourth_ir"' in out and '"4.05"' in out


def test_a_ministry_ruleset_may_give_the_annex_its_own_weight(
    annex_4ir: str, tmp_path: Path
) -> None:
    """Listed in the ruleset's [annex_weights], that weight wins over the plugin's 5."""
    shipped = load_ruleset("2024-25").path
    folder = tmp_path / "2024-25"
    (folder / "annexes").mkdir(parents=True)
    text = (shipped / "ruleset.toml").read_text("utf-8")
    text = text.replace("governance_weight = 30", "governance_weight = 34")
    text = text.replace("[annex_weights]", "[annex_weights]\nfourth_ir = 4", 1)
    (folder / "ruleset.toml").write_text(text, "utf-8")
    for annex in (shipped / "annexes").glob("*.toml"):
        (folder / "annexes" / annex.name).write_text(annex.read_text("utf-8"), "utf-8")
    ruleset = load_ruleset(folder)
    assert ruleset.spec.annex_weights["fourth_ir"] == 4
    office = apacore.load_office(OFFICE, ruleset=ruleset)
    card = score_agreement(office.agreement, office.report, ruleset)
    assert card.sections[0].converted_marks == Decimal("16.2") / 20 * 4


def test_a_complete_agreement_must_still_total_100(annex_4ir: str, tmp_path: Path) -> None:
    """70 + the five annexes' 30 + this annex's 5 is 105: refused, as the README says."""
    rows = (OFFICE / "agreement.toml").read_text("utf-8").split("[[annexes]]", 1)[1]
    text = (
        """fiscal_year = "2024-25"
scope = "complete"

[office]
name_bn = "উপজেলা সমবায় কার্যালয়, উদাহরণ"
level = "upazila"

[[areas]]
id = "1"
name_bn = "সমবায় গঠন"
weight = 70

[[areas.activities]]
id = "1.1"
name_bn = "নিবন্ধন"

[[areas.activities.indicators]]
id = "1.1.1"
name_bn = "নিবন্ধন আবেদন নিষ্পত্তিকৃত"
unit = "percent"
method = "cumulative"
weight = 70
target = "১০০%"
source = "test"
"""
        + "".join(
            f'\n[[annexes]]\nkind = "{k}"\nstandard = true\n'
            for k in load_ruleset("2024-25").spec.annex_weights
        )
        + "\n[[annexes]]"
        + rows
    )
    (tmp_path / "agreement.toml").write_text(text, "utf-8")
    with pytest.raises(AgreementError, match=r": \$: weights add up to 105, not 100$"):
        apacore.load_office(tmp_path)


def test_there_is_no_standard_plan_of_it(annex_4ir: str, tmp_path: Path) -> None:
    text = (OFFICE / "agreement.toml").read_text("utf-8").split("[[annexes]]", 1)[0]
    (tmp_path / "agreement.toml").write_text(
        text + '[[annexes]]\nkind = "fourth_ir"\nstandard = true\n', "utf-8"
    )
    with pytest.raises(
        AgreementError, match="has no standard 'fourth_ir' plan; give the office's own rows"
    ):
        apacore.load_office(tmp_path)


def test_without_the_plugin_the_annex_is_unknown() -> None:
    with pytest.raises(
        AgreementError,
        match=r"\$\.annexes\[0\]\.kind: unknown annex kind"
        r" 'fourth_ir' \(known: charter, egov",
    ):
        apacore.load_office(OFFICE)


def test_its_names_do_not_clash_with_apacores(annex_4ir: str) -> None:
    registry = get_registry()  # builds: a clash would be a PluginError naming both plugins
    ours = {(what, name) for (what, name), owner in registry.owners.items() if owner == annex_4ir}
    assert ours == {("annex type", "fourth_ir")}
    builtin = {name for (what, name), owner in registry.owners.items() if owner in DEFAULT_PLUGINS}
    assert "fourth_ir" not in builtin
    assert registry.annex_types["fourth_ir"] is apacore_annex_4ir.ANNEX_TYPE


# --- the installed package ---------------------------------------------------------------


TestPackage = entry_point_tests(
    DISTRIBUTION, ENTRY_POINT, apacore_annex_4ir, expect=["registers: annex fourth_ir"]
)
