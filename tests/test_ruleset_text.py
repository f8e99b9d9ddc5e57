"""rulesets show|diff --lang bn: Bengali names, digits and dates; the hash in ASCII."""

from __future__ import annotations

import re

import pytest

from apacore.catalogue.diff import diff_rulesets
from apacore.cli import main
from apacore.formatting import localise_digits
from apacore.loading.rulesets import load_ruleset


def test_show_in_bengali(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rulesets", "show", "2024-25", "--lang", "bn"]) == 0
    out = capsys.readouterr().out
    rs = load_ruleset("2024-25")
    assert out.startswith(f"নিয়মাবলি ২০২৪-২৫ সংস্করণ {localise_digits(rs.version, 'bn')}")
    assert f"sha256 {rs.sha256}" in out
    assert "০১/০৭/২০২৪ থেকে ৩০/০৬/২০২৫" in out
    assert "সংযোজনী ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা: মোট মান ৫০, এপিএ মান ১০" in out
    assert "annex egov" not in out and "count/sum" not in out


def test_diff_in_bengali(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rulesets", "diff", "2023-24", "2024-25", "--lang", "bn"]) == 0
    lines = capsys.readouterr().out.splitlines()
    n = len(diff_rulesets(load_ruleset("2023-24"), load_ruleset("2024-25")))
    assert lines[0].endswith(f": {localise_digits(str(n), 'bn')}টি পরিবর্তন")
    assert len(lines) == 1 + n
    assert any(
        line.startswith("  মান পরিবর্তিত: সেবা প্রদান প্রতিশ্রুতি বিষয়ক কর্মপরিকল্পনা [১.১.১]")
        for line in lines
    )


def test_diff_in_bengali_names_methods_and_units(capsys: pytest.CaptureFixture[str]) -> None:
    """A changed method or unit shows by its Bengali name, as ``show --lang bn`` does, not
    by its key (``cumulative → date``)."""
    assert main(["rulesets", "diff", "2023-24", "2024-25", "--lang", "bn"]) == 0
    lines = capsys.readouterr().out.splitlines()
    egov = "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা [৪.১.১]"
    assert f"  গণনা পদ্ধতি: {egov}: ক্রমপুঞ্জিভূত → তারিখ" in lines
    assert f"  একক: {egov}: % → তারিখ" in lines
    assert not any("cumulative" in line or "percent" in line for line in lines)


def test_show_in_bengali_has_every_policy_and_no_english_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every policy is shown (the two of issue 12 too), in Bengali with ``--lang bn``; the
    office levels a row applies to are Bengali. Only the hash stays ASCII."""
    assert main(["rulesets", "show", "2023-24", "--lang", "bn"]) == 0
    out = capsys.readouterr().out
    policies = next(line for line in out.splitlines() if line.startswith("  নীতি: "))
    assert "সংযোজনীর ক্ষেত্রে পুরো সংযোজনী জুড়ে" in policies
    assert "কম-হলে-ভালো সূচকের অগ্রগতি নেই" in policies and "২ দশমিক ঘর" in policies
    assert "[জেলা]" in out and "[district]" not in out
    body = out.replace(f"sha256 {load_ruleset('2023-24').sha256}", "")
    assert re.search(r"[A-Za-z]{3,}", body) is None, re.findall(r"[A-Za-z]{3,}", body)[:5]
    assert main(["rulesets", "show", "2023-24"]) == 0
    english = capsys.readouterr().out
    assert "not_applicable_scope=annex lower_is_better_progress=none" in english
