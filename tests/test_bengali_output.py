"""No English in Bengali output: what the commands print with --lang bn."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from apacore.cli import main

ROOT = Path(__file__).resolve().parent.parent
DAKOP = ROOT / "examples" / "dakop-2024-25"


def test_the_audit_shows_apacores_percentage_with_its_sign(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The office wrote ২৪%: apacore's figure beside it is a percentage too, not ৩৫."""
    main(["audit", str(DAKOP), "--lang", "bn"])
    out = capsys.readouterr().out
    assert "দপ্তর ২৪%, apacore ৩৫% (৩৫.২৯%)" in out
    assert "apacore ৩৫ (" not in out


def test_the_report_says_what_it_wrote_in_the_reports_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "প্রতিবেদন.html"
    assert main(["report", str(DAKOP), "-o", str(out)]) == 0
    assert capsys.readouterr().err == f"লেখা হয়েছে: {out}\n"
    assert main(["report", str(DAKOP), "-o", str(out), "--force", "--lang", "en"]) == 0
    assert capsys.readouterr().err == f"wrote {out}\n"


EXAMPLES = ROOT / "examples"
OFFICES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "agreement.toml").is_file())
LATIN = re.compile(r"[A-Za-z][A-Za-z_]*[A-Za-z]")
ALLOWED = {"apacore", "warning", "sha"}
"""The Latin words a Bengali output keeps: the program's name, the ``apacore: warning:``
prefix every warning starts with (what scripts look for), the hash's name."""


def _english(text: str, written: Sequence[str] = ()) -> set[str]:
    """The Latin words of ``text`` that are English: not a file's name or path, a hash,
    an allowed word, nor in ``written`` (what an office or an evaluator wrote in a file)."""
    for words in written:
        text = text.replace(words, "")
    words = set()
    for token in text.split():
        token = token.removeprefix("sha256:")
        if (
            "/" in token
            or ".toml" in token
            or ".html" in token
            or re.fullmatch(r"[0-9a-f…:]+", token)
        ):
            continue
        words |= {w for w in LATIN.findall(token) if w not in ALLOWED}
    return words


def _evaluators_words(office: str) -> list[str]:
    from apacore.loading.convert import tomllib

    path = EXAMPLES / office / "evaluation.toml"
    if not path.is_file():
        return []
    data = tomllib.loads(path.read_text("utf-8"))
    return [row["reason"] for row in data.get("entries", []) if row.get("reason")]


@pytest.mark.parametrize("office", OFFICES)
def test_no_english_in_the_bengali_commands(
    office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """score, audit, need, explain (every indicator) and report with --lang bn: annex rows
    by the annex's Bengali name (never ``egov/১.১.১``), formulas and messages in Bengali."""
    from apacore.office import score_office

    folder = str(EXAMPLES / office)
    refs = [r.ref for r in score_office(folder).scorecard.indicators()]
    for args in (["score", folder], ["audit", folder], ["need", folder]):
        main([*args, "--lang", "bn"])
    for ref in refs:
        main(["explain", folder, ref, "--lang", "bn"])
    main(["report", folder, "-o", str(tmp_path / "r.html"), "--lang", "bn"])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "egov/" not in text and "integrity/" not in text
    assert not _english(text, _evaluators_words(office)), office


def test_no_english_in_the_bengali_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The batch's table with --lang bn, a skipped folder's warning and what it wrote."""
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLES, tree)
    (tree / "শুধু-প্রতিবেদন").mkdir()
    shutil.copy(EXAMPLES / "dakop-2024-25" / "report.toml", tree / "শুধু-প্রতিবেদন")
    main(["batch", str(tree), "--lang", "bn", "-o", str(tmp_path / "r.csv")])
    err = capsys.readouterr().err
    assert f"{tree}: বাদ পড়েছে শুধু-প্রতিবেদন: এতে report.toml আছে কিন্তু agreement.toml নেই" in err
    assert f"লেখা হয়েছে: {tmp_path / 'r.csv'}" in err
    main(["batch", str(tree), "--lang", "bn"])
    captured = capsys.readouterr()
    assert not _english(captured.out + captured.err), captured.out


def test_an_annex_column_and_row_are_named_by_the_annex_in_bengali() -> None:
    from apacore.batch.output import _section_head
    from apacore.render.formats import annex_short_name, indicator_ref

    assert indicator_ref("egov/1.1.1", "bn") == "ই-গভর্ন্যান্স ও উদ্ভাবন ১.১.১"
    assert indicator_ref("egov/1.1.1", "en") == "egov/1.1.1"
    assert indicator_ref("2.2.4", "bn") == "২.২.৪"
    assert annex_short_name("integrity", "bn") == "জাতীয় শুদ্ধাচার কৌশল"
    assert annex_short_name("procurement", "bn") == "‘procurement’ কর্মপরিকল্পনা"
    assert _section_head("egov", "bn", {"egov"}) == "ই-গভর্ন্যান্স ও উদ্ভাবন"
    assert _section_head("2", "bn", {"egov"}) == "২"
    assert _section_head("egov", "en", {"egov"}) == "egov"
