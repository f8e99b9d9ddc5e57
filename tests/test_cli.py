"""Bad input on the command line: one line naming where and why, exit status 2."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import apacore
from apacore.cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "panchagarh-sadar-2024-25"


@pytest.fixture
def office(tmp_path: Path) -> Path:
    folder = tmp_path / "office"
    shutil.copytree(EXAMPLE, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _fails(capsys: pytest.CaptureFixture[str], args: list[str], expected: str) -> str:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("apacore: error: ")
    assert captured.err.count("\n") == 1, captured.err
    assert expected in captured.err, captured.err
    return captured.err


CASES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "broken TOML",
        lambda f: _edit(f / "agreement.toml", '\nscope = "partial"', "\n" + "scope = "),
        "agreement.toml: invalid TOML",
    ),
    (
        "duplicate key",
        lambda f: _edit(
            f / "agreement.toml", 'scope = "partial"', 'scope = "partial"\nscope = "partial"'
        ),
        "agreement.toml: invalid TOML",
    ),
    (
        "wrong type",
        lambda f: _edit(f / "agreement.toml", "weight = 2\n", "weight = true\n"),
        "agreement.toml:55: $.annexes[0].areas[0].activities[1].indicators[0].weight (egov/2.1.1):"
        " expected an exact number, got True",
    ),
    (
        "weights that do not add up",
        lambda f: _edit(f / "agreement.toml", "weight = 2\n", "weight = 3\n"),
        "agreement.toml:26: $.annexes[0].areas[0].weight: indicator weights add up to 51, but the"
        " area's weight is 50",
    ),
    (
        "unknown indicator",
        lambda f: _edit(f / "report.toml", 'indicator = "egov/2.1.1"', 'indicator = "egov/9.9.9"'),
        "report.toml:23: $.entries[1].indicator: unknown indicator 'egov/9.9.9'",
    ),
    (
        "bare annex id",
        lambda f: _edit(f / "report.toml", 'indicator = "egov/2.1.1"', 'indicator = "2.1.1"'),
        "(annex rows are written <kind>/<id>, e.g. egov/1.1.1)",
    ),
    (
        "date outside the fiscal year",
        lambda f: (
            _edit(f / "report.toml", 'total = "২৮/০৮/২৪"\n', 'total = "২৮/০৮/২৪"\n')
            or _edit(f / "report.toml", 'q1 = "২৮/০৮/২৪"', 'q1 = "২৮/০৮/২৩"')
        ),
        "is outside the fiscal year 2024-25",
    ),
    (
        "unreadable figure",
        lambda f: _edit(f / "report.toml", 'q1 = "১"', 'q1 = "এক"'),
        'report.toml:24: $.entries[1].q1 (egov/2.1.1): cannot read "এক"',
    ),
    (
        "wrong fiscal year",
        lambda f: _edit(f / "agreement.toml", 'fiscal_year = "2024-25"', 'fiscal_year = "2019-20"'),
        "no ruleset for fiscal year '2019-20'",
    ),
    (
        "wrong pin",
        lambda f: _edit(
            f / "agreement.toml",
            '\nscope = "partial"',
            '\nscope = "partial"\nruleset_sha256 = "' + "0" * 64 + '"',
        ),
        "agreement.toml:7: $.ruleset_sha256: content hash is",
    ),
    (
        "unknown key",
        lambda f: _edit(
            f / "agreement.toml", '\nscope = "partial"', '\nscope = "partial"\nscore = 100'
        ),
        "agreement.toml: $: unknown key score",
    ),
]


@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_and_exit_2(
    office: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    change: Callable[[Path], None],
    expected: str,
) -> None:
    change(office)
    for command in (["score"], ["audit"], ["explain"]):
        args = [*command, str(office)] + (["egov/2.1.1"] if command == ["explain"] else [])
        _fails(capsys, args, expected)


def test_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _fails(capsys, ["score", str(tmp_path / "nowhere")], "no such file or folder")
    _fails(capsys, ["score", str(tmp_path)], "no agreement.toml in this folder")


def test_bad_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    _fails(capsys, ["score", str(EXAMPLE), "--as-of", "Q7"], "--as-of")
    _fails(capsys, ["score", str(EXAMPLE), "--as-of", "২ম"], "--as-of")


def test_as_of_as_the_forms_write_it(capsys: pytest.CaptureFixture[str]) -> None:
    """The quarter as the Bengali output names it (``২য় কোয়ার্টার``) is read back."""
    outputs = []
    for as_of in ("Q1", "১ম কোয়ার্টার", "১ম ত্রৈমাসিক"):
        assert main(["score", str(EXAMPLE), "--as-of", as_of, "--format", "json"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]
    assert '"quarter": 1' in outputs[0]


def test_a_plugin_that_raises_while_scoring_is_named(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from apacore.plugins.contract import CalculationMethod

    def explode(indicator: object, quarters: object) -> object:
        raise ZeroDivisionError("division by zero")

    class Boom:
        @apacore.hookimpl
        def register_calculation_methods(
            self, register: Callable[[CalculationMethod], None]
        ) -> None:
            register(CalculationMethod(name="boom", calculate=explode))  # type: ignore[arg-type]

    _edit(
        office / "agreement.toml", 'method = "sum"\nweight = 2\n', 'method = "boom"\nweight = 2\n'
    )
    with apacore.using_plugin(Boom(), name="boom-plugin"):
        _fails(
            capsys,
            ["score", str(office)],
            "plugin boom-plugin: calculation method 'boom' raised ZeroDivisionError on egov/2.1.1",
        )


def test_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["score"])
    assert info.value.code == 2
    assert main([]) == 2


def test_python_m_apacore_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "apacore", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"apacore {apacore.__version__}"


def test_import_command_writes_a_report_and_lists_rows_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from apacore.loading.agreements import load_report

    seed = Path(__file__).parent / "data" / "seeds" / "003_7d9e1e7956252ea9.txt"
    out = tmp_path / "report.toml"
    assert main(["import", str(seed), "--annex", "egov", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "9 entries from 1 table(s), 1 row(s) not read" in err
    assert 'line 21: total (মোট অর্জন) cell: cannot read "২৮/০৮/২ ৪"' in err
    report = load_report(out)
    assert report.quarter == 2 and len(report.entries) == 9
    assert main(["import", str(seed), "--annex", "egov", "-o", str(out)]) == 2
    assert "exists already" in capsys.readouterr().err


def test_import_without_a_progress_table_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    seed = Path(__file__).parent / "data" / "seeds" / "002_61fea8d3656e8689.txt"
    _fails(capsys, ["import", str(seed)], "no progress table found")


def test_explain_in_bengali_has_no_english_status_or_ruleset_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``explain --lang bn``: the id, the status, the rounding and the ruleset line are
    Bengali (the rule's key, the hash and the version's ``v`` are codes)."""
    dakop = EXAMPLE.parent / "dakop-2024-25"
    assert main(["explain", str(dakop), "2.2.3", "--lang", "bn"]) == 0
    out = capsys.readouterr().out
    first, *_ = out.splitlines()
    assert first.startswith("২.২.৩ ")
    for english in ("scored", "half-up", "ruleset ", "2024-25"):
        assert english not in out, english
    assert "অবস্থা মূল্যায়িত" in out and "নিয়মাবলি ২০২৪-২৫ v১." in out
    assert main(["explain", str(dakop), "2.2.3"]) == 0
    english_out = capsys.readouterr().out
    assert english_out.startswith("2.2.3 ") and "status scored" in english_out


def test_explain_in_bengali_names_quarters_as_the_forms_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The forms (and score, need, report) say কোয়ার্টার; explain says the same."""
    assert main(["explain", str(EXAMPLE.parent / "dakop-2024-25"), "2.2.3", "--lang", "bn"]) == 0
    out = capsys.readouterr().out
    assert "১ম কোয়ার্টার '১০%(৫)', ২য় কোয়ার্টার '১১% (৫)'" in out
    assert "প্রান্তিক" not in out
