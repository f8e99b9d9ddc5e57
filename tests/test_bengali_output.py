"""No English in Bengali output: what the commands print with --lang bn."""

from __future__ import annotations

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
