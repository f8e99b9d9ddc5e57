"""No silent surprises: warnings on standard error, the exit status unchanged."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from apacore.cli import main
from apacore.engine.scorecard import score_agreement
from apacore.loading.agreements import load_office
from apacore.models import Area
from apacore.office.notices import notices

ROOT = Path(__file__).resolve().parent.parent
DAKOP = ROOT / "examples" / "dakop-2024-25"
RANGPUR = ROOT / "examples" / "rangpur-sadar-2023-24"


def _warnings(capsys: pytest.CaptureFixture[str], *args: str, status: int = 0) -> list[str]:
    assert main(list(args)) == status
    err = capsys.readouterr().err
    return [line for line in err.splitlines() if line.startswith("apacore: warning: ")]


def test_as_of_past_the_reports_quarter(capsys: pytest.CaptureFixture[str]) -> None:
    (line,) = _warnings(capsys, "score", str(DAKOP), "--as-of", "Q3")
    assert "goes past the report's quarter (Q2): Q3 has no figures" in line
    assert _warnings(capsys, "score", str(DAKOP), "--as-of", "Q2") == []
    assert _warnings(capsys, "score", str(DAKOP)) == []


def test_as_of_date_rounded_to_its_quarter(capsys: pytest.CaptureFixture[str]) -> None:
    (line,) = _warnings(capsys, "score", str(DAKOP), "--as-of", "১৫/১১/২০২৪")
    assert "2024-11-15 is scored as of the end of its quarter, 31/12/2024 (Q2)" in line
    assert _warnings(capsys, "score", str(DAKOP), "--as-of", "2024-12-31") == []


def _marked(area: Area, notes: dict[str, str]) -> Area:
    return attrs.evolve(
        area,
        activities=tuple(
            attrs.evolve(
                act,
                indicators=tuple(
                    attrs.evolve(ind, note=notes.get(ind.id, ind.note)) for ind in act.indicators
                ),
            )
            for act in area.activities
        ),
    )


def test_template_values_and_unverified_grade(capsys: pytest.CaptureFixture[str]) -> None:
    """Indicators whose notes still say CARRIED OVER / DECIDED, as ``apacore new`` writes
    them from a template; a complete agreement's grade from unverified bands."""
    files = load_office(RANGPUR)
    notes = {"1.1.1": "Weight CARRIED OVER from X.", "1.1.2": "CARRIED OVER", "1.2.1": "DECIDED"}
    agreement = attrs.evolve(
        files.agreement, areas=tuple(_marked(a, notes) for a in files.agreement.areas)
    )
    marked = attrs.evolve(files, agreement=agreement)
    card = score_agreement(agreement, files.report, files.ruleset)
    lines = notices(marked, card)
    assert any("2 carried over from another office (1.1.1, 1.1.2)" in x for x in lines)
    assert any("1 decided by the template (1.2.1)" in x for x in lines)
    assert any("grade 'poor' comes from unverified bands" in x for x in lines)
    no_report, grade = _warnings(capsys, "score", str(RANGPUR))  # an agreement alone
    assert "no report.toml beside it: every indicator is scored as not reported" in no_report
    assert "unverified bands" in grade
    assert main(["score", str(RANGPUR)]) == 0
    assert "unverified bands" in capsys.readouterr().out  # the scorecard says so too


def test_warnings_also_for_need_and_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert _warnings(capsys, "need", str(DAKOP), "--as-of", "Q4")
    assert _warnings(capsys, "report", str(DAKOP), "-o", str(tmp_path / "r.html"), "--as-of", "4")


def test_warnings_in_the_language_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    """With ``--lang bn`` the officer reads the warnings in Bengali, Bengali digits and
    quarter names; only the ``apacore: warning:`` prefix and the option stay English."""
    (past,) = _warnings(capsys, "score", str(DAKOP), "--as-of", "Q3", "--lang", "bn")
    assert "--as-of ৩য় কোয়ার্টার প্রতিবেদনের কোয়ার্টার (২য় কোয়ার্টার) পেরিয়ে গেছে" in past
    (date,) = _warnings(capsys, "need", str(DAKOP), "--as-of", "2024-11-15", "--lang", "bn")
    assert "--as-of ১৫/১১/২০২৪ তার কোয়ার্টারের শেষ দিন ৩১/১২/২০২৪ (২য় কোয়ার্টার)" in date
    no_report, grade = _warnings(capsys, "score", str(RANGPUR), "--lang", "bn")
    assert no_report.endswith(
        "পাশে কোনো report.toml নেই: প্রতিটি সূচক প্রতিবেদিত নয় (০) ধরে মূল্যায়ন করা হয়েছে"
    )
    assert grade.startswith("apacore: warning: গ্রেড 'চলতি মানের নিম্নে' যাচাই না করা সীমা")
    for line in (past, date, grade):
        body = line.removeprefix("apacore: warning: ").replace("--as-of", "")
        assert not any(c.isascii() and c.isalnum() for c in body.replace("apacore", "")), line


def test_template_values_in_bengali() -> None:
    files = load_office(RANGPUR)
    notes = {"1.1.1": "CARRIED OVER", "1.2.1": "DECIDED"}
    agreement = attrs.evolve(
        files.agreement, areas=tuple(_marked(a, notes) for a in files.agreement.areas)
    )
    card = score_agreement(agreement, files.report, files.ruleset)
    lines = notices(attrs.evolve(files, agreement=agreement), card, lang="bn")
    assert any("১টি অন্য অফিস থেকে আনা (১.১.১); ১টি টেমপ্লেটের নির্ধারিত (১.২.১)" in x for x in lines)
