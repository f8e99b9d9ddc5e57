"""apacore audit: every kind of finding, each with a case that must be found and one that must not."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from apacore.audit import FINDING_KINDS, Finding, audit_office
from apacore.builtins.methods import BUILTIN_METHODS
from apacore.cli import main
from apacore.engine.scorecard import score_agreement
from apacore.loading.agreements import load_office
from apacore.loading.rulesets import load_ruleset, load_ruleset_dir
from apacore.models import Indicator

OFFICE = Path(__file__).parent / "data" / "audit-office"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "office"
    shutil.copytree(OFFICE, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _audit(folder: Path, ruleset_folder: Path | None = None) -> list[Finding]:
    ruleset = load_ruleset_dir(ruleset_folder) if ruleset_folder else None
    office = load_office(folder, ruleset=ruleset)
    card = score_agreement(office.agreement, office.report, office.ruleset)
    return audit_office(office, card)


def _keys(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.kind, f.indicator, f.figure) for f in findings}


def test_one_of_each_kind() -> None:
    assert _keys(_audit(OFFICE)) == {
        ("cell", "2.2.4", "q2"),
        ("figure", "2.1.1", "total"),
        ("evidence", "2.1.1", "evidence"),
        ("target", "egov/2.1.1", "target"),
        ("review", "2.2.2", "target"),
        ("review", "2.2.2", "tiers"),
    }


# --------------------------------------------------------------------------- cells


def test_cell_names_its_count_and_base() -> None:
    cell = [f for f in _audit(OFFICE) if f.kind == "cell"][0]
    assert (cell.office, cell.apacore) == ("৯৯%(১০৪)", "95% (94.55%)")
    assert cell.reason == (
        "the percentage does not match its own count: 104 of 110 is 94.55%, not 99%"
        " (110 is the count its target stands for)"
    )


@pytest.mark.parametrize(
    "cell",
    [
        "৯৫%(১০৪)",  # 94.55 rounded
        "৯৪%(১০৪)",  # 94.55 cut
        "৯৪.৫%(১০৪)",  # 94.545… at one place, rounded half-up
        "৯৪.৫৪%(১০৪)",  # cut at two places
        "৫২%(১০৪)",  # 104 of the base 200 that 110 = 55 % implies
        "৯৯%(১০৯)",  # the other reading of Dakop's cell: 99.09 %
    ],
)
def test_a_cell_only_rounded_or_cut_is_not_flagged(tmp_path: Path, cell: str) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "report.toml", 'q2 = "৯৯%(১০৪)"', f'q2 = "{cell}"')
    assert not [f for f in _audit(folder) if f.kind == "cell"]


@pytest.mark.parametrize("cell", ["৯৬%(১০৪)", "৯৪.৪%(১০৪)", "৫৩%(১০৪)"])
def test_a_cell_beyond_rounding_is_flagged(tmp_path: Path, cell: str) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "report.toml", 'q2 = "৯৯%(১০৪)"', f'q2 = "{cell}"')
    assert [f.office for f in _audit(folder) if f.kind == "cell"] == [cell]


def test_a_cell_without_a_base_is_not_checked(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "agreement.toml", 'target_count = "১১০"\n', "")
    _edit(folder / "agreement.toml", 'cumulative = "increments"\n', 'cumulative = "running"\n')
    assert not [f for f in _audit(folder) if f.kind == "cell"]


# --------------------------------------------------------------------------- figures


def test_a_deadline_not_met_may_write_its_total_as_dash(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "report.toml", 'q1 = "১২.০৮.২০২৪"\n', 'q1 = "-"\n')
    assert not [f for f in _audit(folder) if f.kind == "figure"]


def test_a_completed_deadline_whose_total_is_dash() -> None:
    finding = [f for f in _audit(OFFICE) if f.kind == "figure"][0]
    assert (finding.office, finding.apacore) == ("-", "12/08/2024")
    assert finding.reason == "completed on 12/08/2024, but the total is written '-'"


def test_a_sum_of_same_base_percentages_is_blamed_on_the_wrong_cell(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "report.toml").read_text(encoding="utf-8")
    text = text.replace(
        'q2 = "৯৯%(১০৪)"\n', 'q2 = "৯৯%(১০৪)"\n[entries.claimed]\nprogress_pct = "১৩৯%"\n', 1
    )
    (folder / "report.toml").write_text(text, encoding="utf-8")
    finding = [f for f in _audit(folder) if f.kind == "figure" and f.indicator == "2.2.4"][0]
    assert finding.reason == (
        "the sum of the quarterly percentages (৪০%(৪৪) + ৯৯%(১০৪)),"
        " but Q2's ৯৯%(১০৪): 104 of 110 is 94.55%, not 99%"
    )


def test_methods_say_whether_quarters_add_up() -> None:
    methods = {m.name: m.adds_quarters for m in BUILTIN_METHODS}
    assert methods["date"] is None and methods["milestones"] is None
    row = Indicator(
        id="1.1.1",
        name_bn="x",
        unit="percent",
        method="cumulative",
        weight=1,
        target=100,
        source="t",
    )
    add_sum, add_avg, add_cum = methods["sum"], methods["average"], methods["cumulative"]
    assert add_sum is not None and add_avg is not None and add_cum is not None
    assert (add_sum(row), add_avg(row), add_cum(row)) == (True, False, False)
    counts = Indicator(
        id="1.1.1", name_bn="x", unit="count", method="cumulative", weight=1, target=4, source="t"
    )
    assert add_cum(counts) is True


# --------------------------------------------------------------------------- evidence


def test_evidence_given_is_not_flagged(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(
        folder / "report.toml", 'q1 = "১২.০৮.২০২৪"\n', 'q1 = "১২.০৮.২০২৪"\nevidence = ["স্মারক ১২"]\n'
    )
    assert not [f for f in _audit(folder) if f.kind == "evidence"]


def test_evidence_is_not_asked_for_a_row_not_reported(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "report.toml", 'q1 = "১২.০৮.২০২৪"\n', 'q1 = "-"\n')
    assert not [f for f in _audit(folder) if f.kind == "evidence"]


# --------------------------------------------------------------------------- targets


def test_a_standard_target_kept_is_not_flagged(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "agreement.toml", 'target = "৩"', 'target = "৪"')
    assert not [f for f in _audit(folder) if f.kind == "target"]


def test_a_different_target_is_accepted_and_reported() -> None:
    finding = [f for f in _audit(OFFICE) if f.kind == "target"][0]
    assert (finding.office, finding.apacore) == ("3", "4")
    assert "offices may adapt it" in finding.reason


# --------------------------------------------------------------------------- review


def _ruleset_with(tmp_path: Path, review: str) -> Path:
    folder = tmp_path / "2024-25"
    shutil.copytree(load_ruleset("2024-25").path, folder)
    _edit(folder / "ruleset.toml", "[review]", f"[review]\n{review}")
    return folder


def test_review_weight_limit_from_the_ruleset(tmp_path: Path) -> None:
    assert not [f for f in _audit(OFFICE) if f.figure == "weight"]  # no limit shipped
    rs = _ruleset_with(tmp_path, "max_indicator_weight = 8")
    found = [f for f in _audit(OFFICE, rs) if f.figure == "weight"]
    # the agreement's own rows weigh 10 each; the standard egov plan is not reviewed
    assert {f.indicator for f in found} == {"2.2.4", "2.1.1", "2.2.2", "egov/2.1.1"}
    assert found[0].reason == "weight 10 is above the 8 the guidelines allow for one indicator"


def test_review_excellent_equal_to_poor(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(
        folder / "agreement.toml", '["৩২", "৩১.৫", "৩১", "৩০", "২৯"]', '["৩২", "-", "-", "-", "৩২"]'
    )
    found = [f for f in _audit(folder) if f.kind == "review" and f.figure == "tiers"]
    assert [f.reason for f in found][-1] == (
        "the excellent value 32 equals the poor one: every achievement that meets poor is excellent"
    )


def test_review_tiers_a_unit_apart_are_fine(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "agreement.toml", '"৩১.৫", "৩১", "৩০", "২৯"]', '"৩১", "৩০", "২৯", "২৮"]')
    assert not [f for f in _audit(folder) if f.figure == "tiers"]


def test_review_previous_actual_not_beaten_is_fine(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder / "agreement.toml", '"2023-24" = "৩৫"', '"2023-24" = "৩২"')
    assert not [f for f in _audit(folder) if f.figure == "target" and f.kind == "review"]


def test_review_off_where_the_ruleset_says_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "2024-25"
    shutil.copytree(load_ruleset("2024-25").path, folder)
    text = (folder / "ruleset.toml").read_text(encoding="utf-8")
    start = text.index("[review]")
    end = text.index("[[grades]]")
    (folder / "ruleset.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    assert not [f for f in _audit(OFFICE, folder) if f.kind == "review"]


# --------------------------------------------------------------------------- command line


def test_kind_filter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(OFFICE), "--format", "json", "--kind", "evidence,target"]) == 1
    kinds = [f["kind"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert kinds == ["evidence", "target"]
    assert set(FINDING_KINDS) == {"figure", "cell", "evidence", "target", "review", "calendar"}


def test_kind_filter_nothing_found_is_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "examples/panchagarh-sadar-2024-25", "--kind", "evidence"]) == 0
    assert "0 finding(s)" in capsys.readouterr().out


def test_unknown_kind_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(OFFICE), "--kind", "figure,bogus"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "apacore: error: --kind: unknown finding kind bogus"
        " (known: figure, cell, evidence, target, review, calendar)\n"
    )


def test_agreement_without_report_is_reviewed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(tmp_path)
    (folder / "report.toml").unlink()
    assert main(["audit", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "finding(s) in the agreement\n" in out
    assert "[review] 2.2.2 target: office 32" in out and "[cell]" not in out


# --------------------------------------------------------------------------- values, rendered once


EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.mark.parametrize(
    "office", sorted(p.name for p in EXAMPLES.iterdir() if (p / "agreement.toml").is_file())
)
def test_every_reason_renders_in_both_languages(office: str) -> None:
    """A finding is a code and its figures; Bengali reasons carry Bengali digits only."""
    from apacore.audit.text import MESSAGES, reason

    findings = _audit(EXAMPLES / office)
    for f in findings:
        assert f.code in MESSAGES
        english, bengali = reason(f, "en"), reason(f, "bn")
        assert english == f.reason and bengali != english
        assert not re.search(r"[0-9]", bengali), bengali


def test_bengali_output_digits_follow_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(OFFICE), "--lang", "bn", "--kind", "cell,target"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "উপজেলা সমবায় কার্যালয়, ২০২৪-২৫, ২য় কোয়ার্টার পর্যন্ত: প্রতিবেদন ও চুক্তিতে ২টি পর্যবেক্ষণ",
        "  [ঘর] ২.২.৪ ২য় কোয়ার্টার: দপ্তর ৯৯%(১০৪), apacore ৯৫% (৯৪.৫৫%) — শতকরা হার নিজের"
        " সংখ্যার সাথে মেলে না: ১১০-এর মধ্যে ১০৪ হলো ৯৪.৫৫%, ৯৯% নয় (১১০ হলো লক্ষ্যমাত্রার সংখ্যা)",
        "  [লক্ষ্যমাত্রা] ই-গভর্ন্যান্স ও উদ্ভাবন ২.১.১ লক্ষ্যমাত্রা: দপ্তর ৩, apacore ৪ — আদর্শ"
        " কর্মপরিকল্পনার"
        " লক্ষ্যমাত্রা ৪; দপ্তরের ৩ (দপ্তর তা নিজের মতো করে নিতে পারে)",
    ]


def test_json_keeps_the_code_and_gives_the_reason_in_the_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["audit", str(OFFICE), "--format", "json", "--lang", "bn", "--kind", "cell"]) == 1
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["code"] == "cell_share_target"
    assert finding["apacore"] == "95% (94.55%)"  # data stays ASCII; only the sentence is Bengali
    assert finding["reason"].startswith("শতকরা হার নিজের সংখ্যার সাথে মেলে না: ১১০-এর মধ্যে ১০৪")
