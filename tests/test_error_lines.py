"""Errors an officer can act on: the line of the file and the indicator besides ``$.path``,
and in Bengali with ``--lang bn``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import apacore
from apacore.cli import main
from apacore.loading.lines import indicator_of, line_of

ROOT = Path(__file__).resolve().parent.parent
DAKOP = ROOT / "examples" / "dakop-2024-25"

AGREEMENT = """\
fiscal_year = "2024-25"   # line 1

[office]
name_bn = "x"

[[areas]]
id = "1"
weight = 30
note = \"\"\"
[[areas]]
weight = 1
\"\"\"

[[areas.activities]]
id = "1.1"

[[areas.activities.indicators]]
id = "1.1.1"
weight = 10

[[areas.activities.indicators]]
id = "1.1.2"
tiers = ["৪", "-", "২", "১", "-"]

[[areas]]
id = "2"

[[annexes]]
kind = "egov"
standard = false

[[annexes.areas]]
id = "1"

[[annexes.areas.activities]]
id = "1.1"

[[annexes.areas.activities.indicators]]
id = "2.1.1"
target = { value = "4" }
"""


@pytest.mark.parametrize(
    ("path", "line", "indicator"),
    [
        ("$.fiscal_year", 1, ""),
        ("$.office.name_bn", 4, ""),
        ("$.areas[0].weight", 8, ""),
        ("$.areas[0].activities[0].indicators[0].weight", 19, "1.1.1"),
        ("$.areas[0].activities[0].indicators[1].tiers[2]", 23, "1.1.2"),
        ("$.areas[0].activities[0].indicators[1]", 21, "1.1.2"),
        ("$.areas[1]", 25, ""),
        ("$.annexes[0].standard", 30, ""),
        ("$.annexes[0].areas[0].activities[0].indicators[0].target.value", 40, "egov/2.1.1"),
    ],
)
def test_a_path_is_found_on_its_line_with_its_indicator(
    path: str, line: int, indicator: str
) -> None:
    from apacore.loading.convert import tomllib  # tomli on Python 3.10

    assert line_of(AGREEMENT, path) == line
    assert indicator_of(tomllib.loads(AGREEMENT), path) == indicator


def test_text_inside_a_multiline_string_is_no_table() -> None:
    # the note's "[[areas]]" does not count: the second area is on line 25
    assert line_of(AGREEMENT, "$.areas[1].id") == 26


@given(st.integers(0, 30), st.sampled_from(["q1", "q2", "status"]), st.booleans())
def test_the_kth_entry_is_found_however_many_come_before(k: int, key: str, comments: bool) -> None:
    lines = ['fiscal_year = "2024-25"', "quarter = 2"]
    expected = status = 0
    for i in range(31):
        lines += ["", "# a comment" if comments else "", "[[entries]]", f'indicator = "1.1.{i}"']
        lines += ['q1 = "১"', 'q2 = "২"', 'status = "reported"']
        if i == k:
            status = len(lines)
            expected = status - {"q1": 2, "q2": 1, "status": 0}[key]
        lines += ["[entries.claimed]", 'total = "৩"']
    assert line_of("\n".join(lines), f"$.entries[{k}].{key}") == expected
    assert line_of("\n".join(lines), f"$.entries[{k}].claimed.total") == status + 2


def _bad_q2(tmp_path: Path, file: str, indicator: str, q2: str) -> tuple[Path, int]:
    """A copy of Dakop whose ``file`` gives the entry of ``indicator`` the Q2 reading
    ``q2``; the copy and the line of that reading."""
    office = tmp_path / "dakop"
    shutil.copytree(DAKOP, office)
    path = office / file
    text = path.read_text("utf-8")
    start = text.index(f'indicator = "{indicator}"')
    at = text.index("q2 = ", start)
    text = text[:at] + f'q2 = "{q2}"' + text[text.index("\n", at) :]
    path.write_text(text, "utf-8")
    return office, text[:at].count("\n") + 1


def _bad_dakop(tmp_path: Path) -> tuple[Path, int]:
    return _bad_q2(tmp_path, "report.toml", "egov/2.1.1", "বারো কোটি")


def test_an_error_in_a_report_names_its_line_and_indicator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, line = _bad_dakop(tmp_path)
    assert main(["score", str(office)]) == 2
    assert capsys.readouterr().err == (
        f"apacore: error: {office}/report.toml:{line}: $.entries[19].q2 (egov/2.1.1):"
        ' cannot read "বারো কোটি" as a number, date or marker\n'
    )


def test_with_lang_bn_the_error_is_bengali(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, line = _bad_dakop(tmp_path)
    assert main(["score", str(office), "--lang", "bn"]) == 2
    from apacore.numbers import to_bengali_digits

    bn_line = to_bengali_digits(str(line))
    assert capsys.readouterr().err == (
        f"apacore: error: {office}/report.toml, লাইন {bn_line}: $.entries[19].q2"
        ' (সূচক egov/2.1.1): "বারো কোটি" সংখ্যা, তারিখ বা চিহ্ন হিসেবে পড়া যায় না\n'
    )


def test_an_error_in_a_text_names_its_line_too() -> None:
    agreement = (DAKOP / "agreement.toml").read_text("utf-8")
    report = (DAKOP / "report.toml").read_text("utf-8").replace("quarter = 2", "quarter = 7")
    with pytest.raises(apacore.ApacoreError) as info:
        apacore.load_office_texts(agreement, report, report_name="upload")
    assert apacore.error_line(info.value) == "upload:6: $.quarter: must be 1, 2, 3 or 4, got 7"
    assert info.value.line == 6 and info.value.path == "$.quarter"


@pytest.mark.parametrize("command", ["score", "audit", "report"])
def test_an_error_in_an_evaluation_names_its_line_and_indicator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    office, line = _bad_q2(tmp_path, "evaluation.toml", "2.2.4", "বারো")
    args = [command, str(office)] + (
        ["-o", str(tmp_path / "r.html"), "--lang", "en"] if command == "report" else []
    )
    assert main(args) == 2
    assert capsys.readouterr().err == (
        f"apacore: error: {office}/evaluation.toml:{line}: $.entries[1].q2 (2.2.4):"
        ' cannot read "বারো" as a number, date or marker\n'
    )
    assert not (tmp_path / "r.html").exists()


def test_an_evaluation_checked_against_the_report_names_its_line_in_bengali(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = tmp_path / "dakop"
    shutil.copytree(DAKOP, office)
    evaluation = office / "evaluation.toml"
    text = evaluation.read_text("utf-8").replace('indicator = "2.2.5"', 'indicator = "2.2.99"')
    evaluation.write_text(text, "utf-8")
    line = text[: text.index('indicator = "2.2.99"')].count("\n") + 1
    assert main(["score", str(office), "--lang", "bn"]) == 2
    from apacore.numbers import to_bengali_digits

    assert capsys.readouterr().err == (
        f"apacore: error: {office}/evaluation.toml, লাইন {to_bengali_digits(str(line))}:"
        " $.entries[2].indicator: অজানা সূচক '2.2.99'\n"
    )


def test_an_evaluation_given_as_text_names_its_line() -> None:
    from apacore.office import score_office

    office = apacore.load_office(DAKOP)
    text = (DAKOP / "evaluation.toml").read_text("utf-8").replace("quarter = 2", "quarter = 9")
    with pytest.raises(apacore.ApacoreError) as info:
        score_office(office, evaluation=text)
    assert apacore.error_line(info.value) == (
        "evaluation.toml:7: $.quarter: must be 1, 2, 3 or 4, got 9"
    )
