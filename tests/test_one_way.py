"""One way to do each thing: an office loads from texts through the same pipeline as from
its folder; one entry scores it with its notices; every JSON shape the command line
prints is a library function's data; an error is one line whoever says it."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import apacore
from apacore.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXAMPLES = Path(__file__).parent.parent / "examples"
DAKOP = EXAMPLES / "dakop-2024-25"


def _texts(folder: Path) -> tuple[str, str]:
    report = folder / "report.toml"
    return (
        (folder / "agreement.toml").read_text("utf-8"),
        report.read_text("utf-8") if report.exists() else "",
    )


def _printed(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    code = main(args)
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return out


@pytest.mark.parametrize(
    "name", sorted(p.name for p in EXAMPLES.iterdir() if (p / "agreement.toml").is_file())
)
def test_an_office_from_two_strings_scores_as_from_its_folder(name: str) -> None:
    folder = EXAMPLES / name
    agreement, report = _texts(folder)
    office = apacore.load_office_texts(agreement, report or None)
    evaluation = folder / "evaluation.toml"  # Dakop's illustrative one, given as text too
    given = evaluation.read_text("utf-8") if evaluation.exists() else False
    from_texts = apacore.score_office(office, evaluation=given).scorecard
    from_folder = apacore.score_office(folder).scorecard
    assert apacore.json_text(apacore.scorecard_to_dict(from_texts)) == apacore.json_text(
        apacore.scorecard_to_dict(from_folder)
    )


def test_an_office_from_mappings_scores_as_from_its_folder() -> None:
    agreement, report = (tomllib.loads(text, parse_float=Decimal) for text in _texts(DAKOP))
    office = apacore.load_office_texts(agreement, report)
    evaluation = tomllib.loads((DAKOP / "evaluation.toml").read_text("utf-8"), parse_float=Decimal)
    assert apacore.scorecard_to_dict(
        apacore.score_office(office, evaluation=evaluation).scorecard
    ) == apacore.scorecard_to_dict(apacore.score_path(DAKOP))


def test_an_error_in_a_string_names_the_name_given_and_the_path() -> None:
    agreement, report = _texts(DAKOP)
    broken = report.replace("quarter = 2", "quarter = 7", 1)
    assert broken != report
    with pytest.raises(apacore.ReportError) as info:
        apacore.load_office_texts(
            agreement, broken, agreement_name="request.agreement", report_name="request.report"
        )
    assert info.value.where == "request.report"
    assert info.value.path == "$.quarter"
    assert apacore.error_line(info.value).startswith("request.report:6: $.quarter: ")
    with pytest.raises(apacore.AgreementError) as bad:
        apacore.load_office_texts("office = [", agreement_name="upload")
    assert apacore.error_line(bad.value).startswith("upload: invalid TOML")


def test_a_report_given_as_an_agreement_is_named() -> None:
    _, report = _texts(DAKOP)
    with pytest.raises(apacore.AgreementError, match="is a progress report, not an agreement"):
        apacore.load_office_texts(report, agreement_name="a.toml")


def test_an_office_from_texts_without_a_report_has_the_notice() -> None:
    agreement, _ = _texts(DAKOP)
    scored = apacore.score_office(apacore.load_office_texts(agreement, agreement_name="mine"))
    assert any(line.startswith("mine: no report.toml") for line in scored.notices())


def test_an_argument_error_names_the_flag_whoever_prints_it() -> None:
    with pytest.raises(apacore.ApacoreError) as info:
        apacore.score_path(DAKOP, as_of=9)
    assert info.value.where == "as_of"
    assert apacore.error_line(info.value) == "--as-of: a quarter is 1 to 4, got 9"


def test_explain_and_audit_show_the_notices_score_shows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["score", str(DAKOP), "--as-of", "Q4"])
    notices = capsys.readouterr().err
    assert "goes past the report's quarter" in notices
    main(["explain", str(DAKOP), "1.1.1", "--as-of", "Q4"])
    assert capsys.readouterr().err == notices
    main(["audit", str(DAKOP), "--as-of", "Q4"])
    assert capsys.readouterr().err == notices


def test_every_json_the_command_line_prints_is_a_library_functions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    scored = apacore.score_office(DAKOP)
    card = scored.scorecard
    findings = apacore.audit_office(scored.office, card)
    from apacore.office.need import need

    needs = need(card, None, tier_scores=scored.office.ruleset.spec.tier_scores())
    old = apacore.load_ruleset("2023-24")
    new = apacore.load_ruleset("2024-25")
    expected = {
        ("score", str(DAKOP), "--format", "json"): apacore.scorecard_to_dict(card),
        ("audit", str(DAKOP), "--format", "json"): apacore.audit_to_dict(card, findings),
        ("need", str(DAKOP), "--format", "json"): apacore.need_to_dict(card, needs),
        ("plugins", "--format", "json"): apacore.plugins_to_dict(),
        ("rulesets", "list", "--format", "json"): apacore.rulesets_to_dict(),
        ("rulesets", "show", "2024-25", "--format", "json"): apacore.ruleset_to_dict(new),
        ("rulesets", "diff", "2023-24", "2024-25", "--format", "json"): apacore.changes_to_dict(
            apacore.diff_rulesets(old, new)
        ),
    }
    for args, data in expected.items():
        assert _printed(capsys, list(args)) == apacore.json_text(data), args


def test_batch_json_is_batch_to_dict(capsys: pytest.CaptureFixture[str]) -> None:
    from apacore.batch import find_offices
    from apacore.batch.rollup import rank_offices

    records = list(apacore.score_many(find_offices(EXAMPLES), root=EXAMPLES, workers=1))
    meta = {"apacore_version": apacore.__version__, "tree": str(EXAMPLES), "as_of": None}
    meta["group_by"] = None
    meta["skipped"] = []
    printed = _printed(capsys, ["batch", str(EXAMPLES), "--format", "json", "--workers", "1"])
    data = apacore.batch_to_dict(rank_offices(records), [], meta)
    assert json.loads(printed) == json.loads(apacore.json_text(data))


def test_explanation_as_data_has_the_texts_steps() -> None:
    card = apacore.score_path(DAKOP)
    data = apacore.explanation_to_dict(card, "1.1.1", "bn")
    text = apacore.explanation_text(card, "1.1.1", "bn")
    assert data["indicator"] == "1.1.1"
    assert all(step in text for step in data["steps"])
    assert data["ruleset"]["sha256"] in text


def test_a_file_named_like_an_argument_is_not_taken_for_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(apacore.ApacoreError) as info:
        apacore.load_office(Path("level"))
    assert apacore.error_line(info.value) == "level: no such file or folder"
    with pytest.raises(apacore.ApacoreError) as arg:
        apacore.load_ruleset("1999-00")
    assert arg.value.argument == "ruleset" and arg.value.where == "ruleset"
