"""Rulesets: strict loading of broken folders, the shipped years, caching, pinning, the CLI.

``tests/broken_rulesets/_valid/`` is a small ruleset that loads cleanly; every other
folder there is a copy of it with ONE defect and an ``expected.txt`` holding the exact
one-line message, the folder written as ``{dir}``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import apacore
from apacore.catalogue.diff import diff_rulesets
from apacore.cli import main
from apacore.errors import PinError, RulesetError
from apacore.loading.rulesets import (
    Ruleset,
    available_rulesets,
    canonical_json,
    load_ruleset,
    load_ruleset_dir,
    offered_ruleset,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BROKEN = Path(__file__).resolve().parent / "broken_rulesets"
VALID = BROKEN / "_valid"
CASES = sorted(p for p in BROKEN.iterdir() if p.is_dir() and not p.name.startswith("_"))
SHIPPED = ("2023-24", "2024-25")
BUILTIN_PLUGIN = "apacore.builtins.rulesets"


def _expected(case: Path) -> str:
    text = (case / "expected.txt").read_text(encoding="utf-8").rstrip("\n")
    assert "\n" not in text, f"{case.name}/expected.txt must hold one line"
    assert "{dir}" in text, f"{case.name}/expected.txt must name the folder as {{dir}}"
    return text.replace("{dir}", str(case))


def _shipped(fy: str) -> Ruleset:
    """The shipped ruleset ``fy``; skipped (with the loader's message) while it is invalid."""
    try:
        return load_ruleset(fy)
    except RulesetError as exc:
        pytest.skip(f"shipped ruleset {fy} is invalid right now: {exc}")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- broken folders


def test_there_are_enough_broken_cases() -> None:
    assert len(CASES) >= 18


def test_the_valid_ruleset_loads() -> None:
    rs = load_ruleset_dir(VALID)
    assert rs.fiscal_year == "2024-25"
    assert [a.kind for a in rs.annexes] == ["egov", "rti"]
    assert re.fullmatch(r"[0-9a-f]{64}", rs.sha256)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_ruleset_is_one_line_error(case: Path) -> None:
    with pytest.raises(RulesetError) as info:
        load_ruleset_dir(case)
    assert str(info.value) == _expected(case)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_validate_broken_ruleset(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "rulesets", "validate", str(case))
    assert (code, out, err) == (2, "", f"apacore: error: {_expected(case)}\n")


# --------------------------------------------------------------------------- shipped years


@pytest.mark.parametrize("fy", SHIPPED)
def test_shipped_ruleset_loads(fy: str) -> None:
    rs = _shipped(fy)
    assert rs.fiscal_year == fy
    assert rs.provider == BUILTIN_PLUGIN
    assert rs.path.name == fy
    assert rs.annexes, f"{fy} ships no annex plans"
    assert sum(rs.spec.annex_weights.values()) == rs.spec.governance_weight
    assert rs.identity() == {"fiscal_year": fy, "version": rs.version, "sha256": rs.sha256}


@pytest.mark.parametrize("fy", SHIPPED)
def test_cache_returns_the_same_object(fy: str) -> None:
    first = _shipped(fy)
    assert load_ruleset(fy) is first
    assert apacore.load_ruleset(fy) is first  # type: ignore[attr-defined]  # lazy export


def test_load_ruleset_from_a_folder() -> None:
    rs = load_ruleset(VALID)
    assert rs.path == VALID
    assert rs.provider == ""
    assert rs.sha256 == load_ruleset_dir(VALID).sha256
    assert load_ruleset(str(VALID)) == rs  # equal content; loaded once (path given back)


@pytest.mark.parametrize("fy", SHIPPED)
def test_pin_accepts_its_own_hash(fy: str) -> None:
    rs = _shipped(fy)
    assert load_ruleset(fy, sha256=rs.sha256) is rs
    assert load_ruleset(fy, sha256=rs.sha256.upper()) is rs


@pytest.mark.parametrize("fy", SHIPPED)
def test_pin_rejects_another_hash(fy: str) -> None:
    rs = _shipped(fy)
    wrong = "0" * 64
    with pytest.raises(PinError) as info:
        load_ruleset(fy, sha256=wrong)
    assert str(info.value) == (
        f"ruleset {fy}: content hash is {rs.sha256}, but {wrong} was pinned:"
        " the ruleset has changed"
    )


def test_pin_of_a_folder() -> None:
    rs = load_ruleset(VALID)
    assert load_ruleset(VALID, sha256=rs.sha256).sha256 == rs.sha256
    with pytest.raises(PinError) as info:
        load_ruleset(VALID, sha256="f" * 64)
    assert str(info.value) == (
        f"{VALID}: content hash is {rs.sha256}, but {'f' * 64} was pinned: the ruleset has changed"
    )


@pytest.mark.parametrize("fy", SHIPPED)
def test_an_offered_ruleset_is_found_once_and_pinned_every_time(
    fy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apacore.loading import rulesets

    rulesets.clear_cache()
    shipped = _shipped(fy)
    listed: list[int] = []
    listing = rulesets.available_rulesets

    def counted() -> dict[str, tuple[str, Path]]:
        listed.append(1)
        return listing()

    monkeypatch.setattr(rulesets, "available_rulesets", counted)
    rs = offered_ruleset(fy)
    assert rs is shipped
    for pin in (None, rs.sha256, rs.sha256.upper(), f"sha256:{rs.sha256}"):
        assert offered_ruleset(fy, sha256=pin) is rs
    assert len(listed) == 1  # the plugins' folders listed once
    for wrong, why in (
        ("0" * 64, f"content hash is {rs.sha256}, but {'0' * 64} was pinned"),
        ("abc", "'abc' is not a SHA-256"),
    ):
        with pytest.raises(PinError) as info:  # checked at every call, found or not
            offered_ruleset(fy, sha256=wrong)
        assert why in str(info.value)
    assert offered_ruleset("2019-20") is None
    assert offered_ruleset("2019-20") is None
    assert len(listed) == 3  # a year not offered is looked for again


def test_unknown_fiscal_year() -> None:
    known = ", ".join(sorted(available_rulesets()))
    assert "2023-24" in known and "2024-25" in known
    with pytest.raises(RulesetError) as info:
        load_ruleset("2019-20")
    assert str(info.value) == f"ruleset: no ruleset for fiscal year '2019-20' (available: {known})"


def test_unknown_fiscal_year_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    known = ", ".join(sorted(available_rulesets()))
    code, out, err = _run(capsys, "rulesets", "show", "2019-20")
    assert (code, out) == (2, "")
    assert err == (
        f"apacore: error: ruleset: no ruleset for fiscal year '2019-20' (available: {known})\n"
    )


# --------------------------------------------------------------------------- the content hash


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _inline(value: Any) -> str:
    """A TOML value on one line; tables with their keys in reverse order."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[ " + " ,  ".join(_inline(v) for v in value) + " ]"
    if isinstance(value, dict):
        return (
            "{ "
            + " , ".join(f"{_key(k)}  =  {_inline(v)}" for k, v in reversed(value.items()))
            + " }"
        )
    raise TypeError(value)


def _reformat(data: dict[str, Any]) -> str:
    """The same data written differently: keys reversed, comments, inline tables."""
    lines = ["# reformatted copy: other key order, other layout, comments", ""]
    tables = [(k, v) for k, v in data.items() if isinstance(v, dict)]
    for key, value in reversed(data.items()):
        if isinstance(value, dict):
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{_key(key)} = [   # an array of inline tables")
            for i, item in enumerate(value):
                lines.append(f"    # item {i}")
                lines.append(f"    {_inline(item)},")
            lines.append("]")
        else:
            lines.append(f"{_key(key)}    =    {_inline(value)}   # a comment")
        lines.append("")
    for key, value in reversed(tables):
        lines.append(f"[ {_key(key)} ]   # a table")
        for k, v in reversed(value.items()):
            lines.append(f"  {_key(k)} = {_inline(v)}")
        lines.append("")
    return "\n".join(lines)


def _copy_valid(dest: Path) -> Path:
    shutil.copytree(VALID, dest)
    return dest


def test_hash_ignores_comments_whitespace_key_order_and_file_order(tmp_path: Path) -> None:
    original = load_ruleset_dir(VALID)
    copy = _copy_valid(tmp_path / "reformatted")
    files = [copy / "ruleset.toml", *sorted((copy / "annexes").glob("*.toml"))]
    for file in files:
        old = file.read_text(encoding="utf-8")
        new = _reformat(tomllib.loads(old, parse_float=Decimal))
        assert new != old
        assert tomllib.loads(new, parse_float=Decimal) == tomllib.loads(old, parse_float=Decimal)
        file.write_text(new, encoding="utf-8")
    assert load_ruleset_dir(copy).sha256 == original.sha256
    assert load_ruleset(copy).sha256 == original.sha256
    reordered = canonical_json(original.spec, tuple(reversed(original.annexes)))
    assert reordered == canonical_json(original.spec, original.annexes)


EDITS = {
    "indicator_weight": [
        ("annexes/egov.toml", "weight = 6\n", "weight = 7\n"),
        ("annexes/egov.toml", "\nweight = 10\n", "\nweight = 11\n"),
        ("annexes/egov.toml", "total = 10\n", "total = 11\n"),
    ],
    "annex_weights": [
        ("ruleset.toml", "grs = 4\n", "grs = 5\n"),
        ("ruleset.toml", "charter = 3\n", "charter = 2\n"),
    ],
    "tier_score": [("ruleset.toml", "score = 90,", "score = 95,")],
    "grade_min": [("ruleset.toml", "min = 96\n", "min = 95\n")],
    "target": [("annexes/rti.toml", "target = 2024-12-31", "target = 2025-01-31")],
    "tier_value": [("annexes/egov.toml", '"৮০%", "৭৫%"', '"৮৫%", "৭৫%"')],
}


def _edited(tmp_path: Path, name: str) -> Path:
    copy = _copy_valid(tmp_path / name)
    for file, old, new in EDITS[name]:
        path = copy / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (file, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return copy


def test_hash_changes_with_every_value(tmp_path: Path) -> None:
    original = load_ruleset_dir(VALID).sha256
    hashes = {"original": original}
    for name in EDITS:
        hashes[name] = load_ruleset_dir(_edited(tmp_path, name)).sha256
    assert len(set(hashes.values())) == len(hashes), hashes


def test_cli_validate_pins_the_hash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = load_ruleset_dir(VALID).sha256
    code, out, err = _run(capsys, "rulesets", "validate", str(VALID), "--sha256", original)
    assert (code, err) == (0, "")
    assert out == (
        f"{VALID}: ruleset 2024-25 v1.0.0 is valid (2 annexes, 4 indicators); sha256 {original}\n"
    )
    copy = _edited(tmp_path, "indicator_weight")
    changed = load_ruleset_dir(copy).sha256
    code, out, err = _run(capsys, "rulesets", "validate", str(copy), "--sha256", original)
    assert (code, out) == (2, "")
    assert (
        err
        == f"apacore: error: {copy}: content hash is {changed}, but {original} was pinned: the ruleset has changed\n"
    )


# --------------------------------------------------------------------------- the command line


def test_cli_list(capsys: pytest.CaptureFixture[str]) -> None:
    rulesets = {fy: _shipped(fy) for fy in SHIPPED}
    code, out, err = _run(capsys, "rulesets", "list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    for fy, rs in rulesets.items():
        assert f"{fy}  v{rs.version}  {rs.sha256}  {BUILTIN_PLUGIN}" in lines
    code, out, err = _run(capsys, "rulesets", "list", "--format", "json")
    assert code == 0
    rows = {r["fiscal_year"]: r for r in json.loads(out)}
    for fy, rs in rulesets.items():
        assert rows[fy] == {
            "fiscal_year": fy,
            "version": rs.version,
            "sha256": rs.sha256,
            "plugin": BUILTIN_PLUGIN,
        }


@pytest.mark.parametrize("fy", SHIPPED)
def test_cli_show_json(fy: str, capsys: pytest.CaptureFixture[str]) -> None:
    rs = _shipped(fy)
    code, out, err = _run(capsys, "rulesets", "show", fy, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["identity"] == {"fiscal_year": fy, "version": rs.version, "sha256": rs.sha256}
    assert [a["kind"] for a in data["annexes"]] == [a.kind for a in rs.annexes]


def test_cli_show_folder(capsys: pytest.CaptureFixture[str]) -> None:
    rs = load_ruleset_dir(VALID)
    code, out, err = _run(capsys, "rulesets", "show", str(VALID), "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["identity"]["sha256"] == rs.sha256
    code, out, err = _run(capsys, "rulesets", "show", str(VALID))
    assert (code, err) == (0, "")
    assert out.startswith(f"ruleset 2024-25 v1.0.0  sha256 {rs.sha256}\n")
    assert "[1.1.1] w 6 percent/cumulative tiers 80 / 75 / 70 / 65 / 60" in out
    code, out, err = _run(capsys, "rulesets", "show", str(VALID), "--sha256", "0" * 64)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "was pinned" in err


def test_cli_diff_shipped_years(capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _shipped("2023-24"), _shipped("2024-25")
    code, out, err = _run(capsys, "rulesets", "diff", "2023-24", "2024-25")
    assert (code, err) == (0, "")
    changes = diff_rulesets(old, new)
    lines = out.splitlines()
    assert lines[0] == (f"2023-24 v{old.version} -> 2024-25 v{new.version}: {len(changes)} changes")
    assert len(lines) == 1 + len(changes)
    refs_old = {f"{a.kind}/{i.id}" for a in old.annexes for i in a.indicators()}
    refs_new = {f"{a.kind}/{i.id}" for a in new.annexes for i in a.indicators()}
    kinds_both = {a.kind for a in old.annexes} & {a.kind for a in new.annexes}
    added = {r for r in refs_new - refs_old if r.split("/")[0] in kinds_both}
    removed = {r for r in refs_old - refs_new if r.split("/")[0] in kinds_both}
    assert added or removed, "the two years have the same indicators: nothing to check"
    for ref in added:
        assert re.search(rf"^  indicator added +{re.escape(ref)}: ", out, re.M), ref
    for ref in removed:
        assert re.search(rf"^  indicator removed +{re.escape(ref)}: ", out, re.M), ref


def test_cli_diff_of_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = _edited(tmp_path, "indicator_weight")
    code, out, err = _run(capsys, "rulesets", "diff", str(VALID), str(copy))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "2024-25 v1.0.0 -> 2024-25 v1.0.0: 2 changes",
        "  annex total       egov: 10 -> 11",
        "  re-weighted       egov/1.1.1: 6 -> 7",
    ]
