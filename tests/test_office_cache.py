"""The on-disk office cache (apacore.loading.office_cache): a checked agreement and report are
read back instead of parsed again, and a changed file, a damaged entry, another
ruleset or a switched-off cache never change an answer. Also: what a warm
``apacore score`` imports, and display widths computed without wcwidth."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apacore import cache
from apacore.engine.scorecard import score_agreement
from apacore.errors import PinError, ReportError
from apacore.loading import office_cache, rulesets
from apacore.loading.agreements import load_office
from apacore.plugins.host import using_plugin
from apacore.render.formats import display_width
from tests import cache_rows

ROOT = Path(__file__).resolve().parent.parent
DAKOP = ROOT / "examples" / "dakop-2024-25"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(folder))
    monkeypatch.delenv(cache.ENV_NO_CACHE, raising=False)
    rulesets.clear_cache()
    yield folder
    rulesets.clear_cache()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    target = tmp_path / "office"
    shutil.copytree(DAKOP, target)
    return target


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / office_cache.KIND).glob("*.pickle"))


def _score(files: object) -> object:
    return score_agreement(files.agreement, files.report, files.ruleset)  # type: ignore[attr-defined]


def test_a_checked_office_is_kept_and_read_back(cache_dir: Path, office: Path) -> None:
    first = load_office(office)
    assert len(_entries(cache_dir)) == 1
    second = load_office(office)  # from the cache: same values, new objects
    assert second.agreement == first.agreement and second.agreement is not first.agreement
    assert second.report == first.report and second.report is not first.report
    assert second.ruleset.sha256 == first.ruleset.sha256
    assert (second.agreement_path, second.report_path) == (
        first.agreement_path,
        first.report_path,
    )
    assert _score(second) == _score(first)  # the score itself is computed every time
    assert len(_entries(cache_dir)) == 1


def test_a_changed_file_is_read_and_checked_again(cache_dir: Path, office: Path) -> None:
    first = load_office(office)
    report = office / "report.toml"
    text = report.read_text("utf-8")
    report.write_text(text + "\n# a comment\n", "utf-8")
    assert load_office(office).report == first.report  # a new key, the same content
    assert len(_entries(cache_dir)) == 2
    report.write_text(text.replace("quarter = 2", "quarter = 1", 1), "utf-8")
    with pytest.raises(ReportError):  # a Q2 figure now: checked again, not answered
        load_office(office)
    assert len(_entries(cache_dir)) == 2


def test_a_removed_report_is_a_new_key(cache_dir: Path, office: Path) -> None:
    assert load_office(office).report is not None
    (office / "report.toml").unlink()
    assert load_office(office).report is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-5] + b"XXXXX",  # altered payload: checksum differs
        lambda data: b"",  # empty
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(
    cache_dir: Path, office: Path, damage: object
) -> None:
    first = load_office(office)
    (entry,) = _entries(cache_dir)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))  # type: ignore[operator]
    assert load_office(office).agreement == first.agreement
    assert office_cache.fetch(entry.stem) == (first.agreement, first.report, first.ruleset.sha256)


def test_an_entry_of_another_shape_or_ruleset_is_not_trusted(cache_dir: Path, office: Path) -> None:
    first = load_office(office)
    (entry,) = _entries(cache_dir)
    key = entry.stem
    for other in ({"not": "an office"}, (first.agreement, first.report), ("a", None, "b")):
        cache.store(office_cache.KIND, key, other)
        assert load_office(office).agreement == first.agreement
    # checked against another ruleset (the hash differs): checked again, then rewritten
    cache.store(office_cache.KIND, key, (first.agreement, first.report, "0" * 64))
    assert load_office(office).report == first.report
    assert office_cache.fetch(key) == (first.agreement, first.report, first.ruleset.sha256)


def test_a_pin_is_checked_on_a_cached_office(cache_dir: Path, office: Path) -> None:
    load_office(office)
    agreement = office / "agreement.toml"
    text = agreement.read_text("utf-8")
    assert "ruleset_sha256" not in text
    agreement.write_text(f'ruleset_sha256 = "{"0" * 64}"\n' + text, "utf-8")
    with pytest.raises(PinError, match="was pinned"):
        load_office(office)


def test_the_cache_can_be_switched_off(
    cache_dir: Path, office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.ENV_NO_CACHE, "1")
    load_office(office)
    load_office(office)
    assert _entries(cache_dir) == [] and cache_rows.keys(office_cache.AGREEMENT_KIND) == []
    files = office_cache.read_files(office / "agreement.toml", None)
    assert office_cache.key(office / "agreement.toml", None, files) is None
    assert office_cache.agreement_key(files) is None


def test_not_used_while_a_plugin_is_registered_at_run_time(cache_dir: Path, office: Path) -> None:
    class Nothing:
        pass

    paths = office / "agreement.toml", office / "report.toml"
    files = office_cache.read_files(*paths)
    with using_plugin(Nothing(), name="nothing"):
        assert office_cache.key(*paths, files) is None
        load_office(office)
        assert _entries(cache_dir) == []
    assert office_cache.key(*paths, files) is not None


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F)))
def test_ascii_display_width_is_what_wcwidth_says(text: str) -> None:
    from wcwidth import wcswidth, wcwidth

    width = wcswidth(text)
    expected = width if width >= 0 else sum(max(wcwidth(c), 0) for c in text)
    assert display_width(text) == expected


# What a warm score must not import: the work the cache exists to skip. Named by what they
# do, not by the standard-library modules a dependency happens to import today (wcwidth
# 0.9 imports ``dataclasses``, 0.2 did not; neither is a cost that matters here).
HEAVY = {
    "cattrs",  # structuring: the files are not read on a warm cache
    "tomllib",  # parsing TOML (Python 3.11+) ...
    "tomli",  # ... or its backport on 3.10
    "importlib.metadata",  # the entry points come from the cache
    "apacore.loading.convert",  # reading the files
    "apacore.loading.validation",  # the office and the ruleset were checked when they were kept
    "jinja2",  # the report's templates: score prints no report
    "openpyxl",  # spreadsheets: only the importer reads them
    "tqdm",  # the progress bar of batch
}


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_warm_score_imports_nothing_heavy(tmp_path: Path, fmt: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != cache.ENV_NO_CACHE}
    env[cache.ENV_CACHE_DIR] = str(tmp_path / "cache")
    env["APACORE_LOAD_PLUGINS"] = ""  # only the built-ins, whatever is installed
    code = (
        "import sys\n"
        "from apacore.cli import main\n"
        f"main(['score', '--format', {fmt!r}, {str(DAKOP)!r}])\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )

    def modules() -> set[str]:
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return {line for line in run.stderr.splitlines() if not line.startswith("apacore:")}

    cold = modules()
    assert "cattrs" in cold  # the first run reads and checks the files
    warm = modules()
    # JSON needs no display widths; a table of Bengali names does
    heavy = HEAVY | ({"wcwidth"} if fmt == "json" else set())
    # what the dependencies every score needs import of themselves is not apacore's doing
    # (pluggy 1.3 imports importlib.metadata; 1.5 does not)
    assert warm & (heavy - _imported_by("attrs", "dateutil", "pluggy")) == set()


def _imported_by(*packages: str) -> set[str]:
    code = f"import sys, {', '.join(packages)}; print('\\n'.join(sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(run.stdout.split())


def test_an_office_checked_against_another_ruleset_is_checked_again(
    cache_dir: Path, office: Path
) -> None:
    import attrs

    first = load_office(office)
    (entry,) = _entries(cache_dir)
    other = attrs.evolve(first.ruleset, sha256="f" * 64)  # the same year, other content
    again = load_office(office, ruleset=other)
    assert again.ruleset is other and again.agreement == first.agreement
    assert office_cache.fetch(entry.stem) == (first.agreement, first.report, "f" * 64)


def test_score_leaves_the_cycle_collector_as_it_found_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import gc

    from apacore.cli import main

    assert gc.isenabled()
    assert main(["score", "--format", "json", str(DAKOP)]) == 0
    assert gc.isenabled()
    assert main(["score", str(tmp_path / "missing")]) == 2  # an error on the way
    assert gc.isenabled()
    gc.disable()
    try:
        assert main(["score", "--format", "json", str(DAKOP)]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    capsys.readouterr()


def test_what_is_kept_is_what_was_parsed(
    cache_dir: Path, office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file is read once: its bytes are hashed for the keys and parsed, so a file
    that changes meanwhile changes neither what is loaded nor what is kept under them."""
    from apacore.loading import agreements

    paths = office / "agreement.toml", office / "report.toml"
    files = office_cache.read_files(*paths)
    assert files is not None
    report = paths[1]
    text = report.read_text("utf-8")
    report.write_text(text.replace("quarter = 2", "quarter = 1", 1), "utf-8")  # now wrong
    opened: list[str] = []
    real = cache.read_regular

    def read_regular(path: str, *args: int | None) -> tuple[bytes, int] | None:
        if path.startswith(str(office)):  # not the cache's own entries
            opened.append(path)
        return real(path, *args)

    monkeypatch.setattr(cache, "read_regular", read_regular)
    loaded = load_office(office, files=files)  # the report as read, not as it is now
    assert opened == []
    key = office_cache.key(*paths, files)
    assert office_cache.fetch(key) == (loaded.agreement, loaded.report, loaded.ruleset.sha256)
    with pytest.raises(ReportError):  # read now: the report as it is
        load_office(office)
    assert opened == [str(p) for p in paths]  # once each
    assert office_cache.fetch(key) is not None
    monkeypatch.setattr(agreements, "load_report", lambda *a, **k: pytest.fail("read"))
    (paths[1]).unlink()
    without = office_cache.read_files(paths[0], None)
    assert load_office(office, files=without).report is None  # as read: no report


def _agreement_entries(folder: Path) -> list[str]:
    return cache_rows.keys(office_cache.AGREEMENT_KIND)


def test_a_changed_report_reads_only_the_report(
    cache_dir: Path, office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apacore.loading import agreements

    first = load_office(office)
    assert len(_agreement_entries(cache_dir)) == 1
    report = office / "report.toml"
    report.write_text(report.read_text("utf-8") + "\n# the next quarter\n", "utf-8")

    def unread(path: Path, *args: object, **kwargs: object) -> None:
        raise AssertionError(f"read {path} again")

    monkeypatch.setattr(agreements, "load_agreement", unread)
    monkeypatch.setattr(agreements, "check_agreement", unread)
    again = load_office(office)
    assert again.agreement == first.agreement and again.report == first.report
    assert len(_entries(cache_dir)) == 2 and len(_agreement_entries(cache_dir)) == 1


def test_a_checked_agreement_is_keyed_by_its_bytes_not_its_place(
    cache_dir: Path, office: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(office, copy)
    load_office(office, whole_office=False)
    load_office(copy, whole_office=False)
    assert _entries(cache_dir) == []  # a batch keeps agreements only
    (entry,) = _agreement_entries(cache_dir)
    agreement = copy / "agreement.toml"
    agreement.write_text(agreement.read_text("utf-8") + "\n# signed\n", "utf-8")
    load_office(copy, whole_office=False)
    assert len(_agreement_entries(cache_dir)) == 2
    assert office_cache.agreement_key(office_cache.read_files(agreement, None)) != entry


def test_a_kept_agreement_of_another_shape_or_ruleset_is_checked_again(
    cache_dir: Path, office: Path
) -> None:
    first = load_office(office, whole_office=False)
    (key,) = _agreement_entries(cache_dir)
    for other in ({"not": "an agreement"}, (first.report, first.ruleset.sha256), ("a", "b")):
        cache.store(office_cache.AGREEMENT_KIND, key, other)
        assert load_office(office, whole_office=False).agreement == first.agreement
        assert office_cache.fetch_agreement(key) == (first.agreement, first.ruleset.sha256)
    # kept as checked against another ruleset: checked again (and its pin with it)
    cache.store(office_cache.AGREEMENT_KIND, key, (first.agreement, "0" * 64))
    assert load_office(office, whole_office=False).agreement == first.agreement
    assert office_cache.fetch_agreement(key) == (first.agreement, first.ruleset.sha256)
    cache_rows.damage(office_cache.AGREEMENT_KIND, key)  # damaged: ignored, rewritten
    assert office_cache.fetch_agreement(key) is None
    assert load_office(office, whole_office=False).agreement == first.agreement
    assert office_cache.fetch_agreement(key) == (first.agreement, first.ruleset.sha256)


def test_prune_unused_keeps_what_was_written_or_read_lately(cache_dir: Path) -> None:
    for i in range(cache.KEEP + 10):
        cache.store("things", f"k{i}", i, keep=0)  # none pruned as written
    for i in range(cache.KEEP + 10):
        os.utime(cache_dir / "things" / f"k{i}.pickle", ns=(10**9, 10**9))
    assert len(list((cache_dir / "things").glob("*.pickle"))) == cache.KEEP + 10
    assert cache.fetch("things", "k0", touch=True) == 0  # read now: in use
    cache.store("things", "k1", 1, keep=0)  # written now
    cache.prune_unused("things", 3600)
    assert {e.stem for e in (cache_dir / "things").glob("*.pickle")} == {"k0", "k1"}


def test_an_error_is_placed_in_the_text_that_was_read(cache_dir: Path, office: Path) -> None:
    """A mistake is named by its line in the bytes that were parsed, not in the file as it
    is when the message is written."""
    paths = office / "agreement.toml", office / "report.toml"
    report = paths[1]
    good = report.read_text("utf-8")
    report.write_text("# 1\n# 2\n# 3\n" + good.replace("quarter = 2", "quarter = 1", 1), "utf-8")
    files = office_cache.read_files(*paths)
    with pytest.raises(ReportError) as read_now:
        load_office(office)
    report.write_text(good, "utf-8")  # put right meanwhile
    with pytest.raises(ReportError) as as_read:
        load_office(office, files=files)
    assert read_now.value.line and as_read.value.line == read_now.value.line
    assert str(as_read.value) == str(read_now.value)
