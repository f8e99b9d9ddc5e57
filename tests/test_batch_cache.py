"""A batch's results kept across runs (apacore.batch.cache): a second run reads nothing it
read before, a changed report re-reads only the report, and nothing stale, unsafe or
buggy is ever read back."""

from __future__ import annotations

import os
import pickle
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import get_ident
from typing import Any

import attrs
import pytest

from apacore import batch, cache
from apacore.batch import OfficeError, OfficeRecord, find_offices, score_many
from apacore.batch import cache as batch_cache
from apacore.loading import agreements, office_cache
from apacore.plugins.host import using_plugin
from tests import cache_rows
from tests.synthetic_offices import write_synthetic_offices

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six synthetic offices and one broken, written once."""
    root = tmp_path_factory.mktemp("batch-cache") / "country"
    write_synthetic_offices(root, 6, seed=3)
    broken = root / "district-09" / "broken"
    shutil.copytree(root / "district-01" / "upazila-00001", broken)
    agreement = broken / "agreement.toml"
    agreement.write_text(agreement.read_text("utf-8").replace("[office]", "[office", 1), "utf-8")
    return root


@pytest.fixture
def tree(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the offices, and an empty cache of its own."""
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.ENV_NO_CACHE, raising=False)
    copy = tmp_path / "country"
    shutil.copytree(pristine, copy)
    return copy


def _run(tree: Path, **kwargs: Any) -> list[Any]:
    return list(score_many(find_offices(tree), root=tree, workers=1, **kwargs))


def _unscorable(monkeypatch: pytest.MonkeyPatch) -> None:
    def scored(*args: Any) -> Any:
        raise AssertionError("scored an office again")

    monkeypatch.setattr(batch, "_scored", scored)


def _entries(kind: str) -> list[str]:
    return cache_rows.keys(kind)


def test_a_second_run_reads_back_every_result(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(tree)
    assert [type(r) for r in first].count(OfficeError) == 1
    assert len(_entries(batch_cache.KIND)) == 7 and len(_entries("agreements")) == 6
    monkeypatch.setenv(cache.ENV_NO_CACHE, "1")
    uncached = _run(tree)
    monkeypatch.delenv(cache.ENV_NO_CACHE)
    _unscorable(monkeypatch)
    again = _run(tree)
    assert again == first == uncached  # records, and the broken office's error line
    assert [r.path for r in again] == [r.path for r in first]


def test_the_workers_look_their_offices_up(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-run is all looking up (reading and hashing): the executor's workers do it, each
    for its own chunk, not the process that orders the results."""
    with ThreadPoolExecutor(2) as pool:
        first = list(score_many(find_offices(tree), root=tree, executor=pool, chunk_size=2))
    _unscorable(monkeypatch)
    where: list[int] = []
    real = batch_cache.fetch_pickled
    monkeypatch.setattr(
        batch_cache, "fetch_pickled", lambda key: where.append(get_ident()) or real(key)
    )
    with ThreadPoolExecutor(2) as pool:
        again = list(score_many(find_offices(tree), root=tree, executor=pool, chunk_size=2))
    assert again == first and len(where) == len(first) == 7
    assert get_ident() not in where


def test_a_changed_report_reads_only_the_report(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = {r.path: r for r in _run(tree)}
    office = tree / "district-02" / "upazila-00002"
    report = office / "report.toml"
    text = report.read_text("utf-8")
    report.write_text(re.sub(r'(?m)^q4 = ".*"$', 'q4 = "-"', text), "utf-8")  # Q4 not in yet
    read: list[Path] = []
    real = agreements.load_agreement
    monkeypatch.setattr(
        agreements, "load_agreement", lambda path, **kw: read.append(path) or real(path, **kw)
    )
    scored: list[Path] = []
    real_scored = batch._scored
    monkeypatch.setattr(batch, "_scored", lambda f, *a: scored.append(f) or real_scored(f, *a))
    again = {r.path: r for r in _run(tree)}
    assert scored == [office]  # the others are read back
    assert read == []  # and its agreement came checked from the cache
    changed = "district-02/upazila-00002"
    assert again[changed] != first[changed]
    assert all(again[p] == first[p] for p in first if p != changed)
    monkeypatch.setenv(cache.ENV_NO_CACHE, "1")
    assert {r.path: r for r in _run(tree)} == again


def test_a_bug_is_not_kept(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = batch._scored

    def scored(folder: Path, as_of: Any, use_cache: bool, files: Any) -> Any:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(batch, "_scored", scored)
    bugs = _run(tree)
    assert all(isinstance(r, OfficeError) and r.traceback for r in bugs)
    monkeypatch.setattr(batch, "_scored", real)
    assert sum(isinstance(r, OfficeRecord) for r in _run(tree)) == 6


def test_no_scorecards_are_kept_nor_read(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(tree)
    kept = _run(tree, keep_scorecards=True)
    assert all(r.scorecard is not None for r in kept if isinstance(r, OfficeRecord))
    assert len(_entries(batch_cache.KIND)) == 7


def test_the_key_holds_everything_that_decides_a_result(tree: Path) -> None:
    office = tree / "district-01" / "upazila-00001"
    env = batch_cache.environment()
    assert env is not None
    key = batch_cache.office_key(office, env, None)
    assert key is not None and key == batch_cache.office_key(office, env, None)
    name, contents = key
    assert batch_cache.office_key(office, env + "x", None)[0] != name  # type: ignore[index]
    assert batch_cache.office_key(office, env, 2)[0] != name  # type: ignore[index]
    assert batch_cache.office_key(str(office) + "/", env, None)[0] != name  # type: ignore[index]
    agreement = office / "agreement.toml"
    agreement.write_text(agreement.read_text("utf-8") + "\n", "utf-8")
    assert batch_cache.office_key(office, env, None) == (name, _other(contents, office, env))
    (office / "report.toml").unlink()
    assert batch_cache.office_key(office, env, None)[1] not in (contents, None)  # type: ignore[index]
    assert batch_cache.office_key(office, None, None) is None


def _other(contents: str, office: Path, env: str) -> str:
    now = batch_cache.office_key(office, env, None)
    assert now is not None and now[1] != contents
    return now[1]


def test_a_new_report_replaces_the_office_s_entry(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(tree)
    before = _entries(batch_cache.KIND)
    for report in tree.glob("*/*/report.toml"):
        report.write_text(report.read_text("utf-8") + "\n# the next quarter\n", "utf-8")
    _run(tree)
    assert _entries(batch_cache.KIND) == before  # one an office, however many runs


@pytest.mark.allow_skip(reason="named pipes exist only on POSIX systems")
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_only_regular_files_are_keyed(tree: Path) -> None:
    office = tree / "district-01" / "upazila-00001"
    env = batch_cache.environment()
    report = office / "report.toml"
    report.unlink()
    os.mkfifo(report)  # reading it would block: it is never opened for reading
    assert batch_cache.office_key(office, env, None) is None
    report.unlink()
    report.mkdir()
    assert batch_cache.office_key(office, env, None) is None
    report.rmdir()
    report.symlink_to(office / "missing.toml")
    assert batch_cache.office_key(office, env, None) is None


def test_no_cache_while_a_plugin_is_registered_at_run_time(tree: Path) -> None:
    class Nothing:
        pass

    with using_plugin(Nothing(), name="nothing"):
        assert batch_cache.environment() is None
        _run(tree)
    assert _entries(batch_cache.KIND) == [] and _entries(office_cache.AGREEMENT_KIND) == []


@pytest.mark.allow_skip(reason="named pipes exist only on POSIX systems")
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_pipe_in_place_of_the_database_is_not_waited_on(tree: Path) -> None:
    first = _run(tree)
    database = cache_rows.database()
    for name in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        name.unlink(missing_ok=True)
    cache.reset()  # as a new process: the database is opened again
    os.mkfifo(database)
    office = tree / "district-01" / "upazila-00001"
    assert (
        batch_cache.fetch(batch_cache.office_key(office, batch_cache.environment(), None)) is None
    )
    assert _run(tree) == first


def test_shared_values_make_equal_records() -> None:
    from apacore.batch import SectionMarks, _Shared

    section = SectionMarks(
        kind="area", id="1", name_bn="ক্ষেত্র", name_en="Area", marks="1.00", max="2.00",
        converted_marks="1.00", converted_max="2.00",
    )  # fmt: skip
    record = OfficeRecord(
        path="a", name_bn="অফিস", name_en="", office_level="upazila", fiscal_year="2024-25",
        as_of={"quarter": 2, "date": "2024-12-31"}, scope="complete",
        ruleset={"fiscal_year": "2024-25"}, total={"marks": "1.00", "grade": None},
        grade_bn=None, sections=(section,),
    )  # fmt: skip
    shared = _Shared()
    one = shared.record(record)
    two = shared.record(attrs.evolve(record, path="b", sections=(attrs.evolve(section),)))
    assert one == record and two == attrs.evolve(record, path="b")
    assert one.sections[0] is two.sections[0] and one.ruleset is two.ruleset
    error = OfficeError(path="c", error="bad")
    assert shared.record(error) is error


def test_a_damaged_or_foreign_entry_is_not_trusted(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _run(tree)
    office = tree / "district-01" / "upazila-00001"
    key = batch_cache.office_key(office, batch_cache.environment(), None)
    assert key is not None
    name, contents = key
    cache_rows.damage(batch_cache.KIND, name)
    assert batch_cache.fetch(key) is None
    record = pickle.dumps(attrs.evolve(first[0], path=""))
    for other in (
        {"not": "a record"},
        (contents, "a record"),
        (contents, attrs.evolve(first[0], path="")),  # not pickled on its own
        (contents, b"not a pickle"),
        (contents, pickle.dumps({"not": "a record"})),
        ("other contents", record),
    ):
        cache.store(batch_cache.KIND, name, other)
        assert batch._kept(key, "x") is None
    # the worker hands on what passed its checksum; the results' process cannot use it,
    # so it scores the office itself and keeps its result again
    cache.store(batch_cache.KIND, name, (contents, pickle.dumps({"not": "a record"})))
    assert batch_cache.fetch_pickled(key) is not None
    scored: list[str] = []
    real = batch._score_and_keep
    monkeypatch.setattr(batch, "_score_and_keep", lambda *a: scored.append(a[1]) or real(*a))
    assert _run(tree) == first
    assert scored == ["district-01/upazila-00001"]
    monkeypatch.setattr(batch, "_score_and_keep", real)
    assert batch._kept(key, "x") == attrs.evolve(first[0], path="x")
    cache.store(batch_cache.KIND, name, (contents, record))
    assert batch._kept(key, "x") == attrs.evolve(first[0], path="x")
    assert _run(tree) == first


def test_a_finished_batch_removes_what_was_unused_for_long(tree: Path) -> None:
    for kind in (batch_cache.KIND, office_cache.AGREEMENT_KIND):
        for i in range(cache.KEEP + 5):
            cache.store(kind, f"old{i}", i, keep=0)
        cache_rows.age(kind, (batch_cache.UNUSED_DAYS + 1) * 86400)
    cache.store(batch_cache.KIND, "lately", 1)
    cache_rows.age(batch_cache.KIND, (batch_cache.UNUSED_DAYS - 1) * 86400, "lately")
    _run(tree)
    assert "lately" in _entries(batch_cache.KIND)
    cache_rows.execute("DELETE FROM entries WHERE key = 'lately'")
    assert len(_entries(batch_cache.KIND)) == 7 and len(_entries("agreements")) == 6
    small = tree / "district-01"  # a smaller batch afterwards: its office read back, none removed
    list(score_many(find_offices(small), root=small, workers=1))
    assert len(_entries(batch_cache.KIND)) == 7 and len(_entries("agreements")) == 6


def test_an_evaluation_added_or_changed_is_another_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The superior office's evaluation.toml decides what is ranked: a result kept before it
    was written (or before it changed) is never read back for it."""
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.ENV_NO_CACHE, raising=False)
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "examples" / "dakop-2024-25", tree / "dakop")
    evaluation = tree / "dakop" / "evaluation.toml"
    text = evaluation.read_text("utf-8")
    evaluation.unlink()
    (before,) = _run(tree)
    assert before.ranked_on == "self_assessed"
    evaluation.write_text(text, "utf-8")
    (after,) = _run(tree)
    assert after.ranked_on == "evaluated"
    env = batch_cache.environment()
    assert env is not None
    key = batch_cache.office_key(tree / "dakop", env, None)
    evaluation.write_text(text + "\n# checked again\n", "utf-8")
    again = batch_cache.office_key(tree / "dakop", env, None)
    assert key is not None and again is not None
    assert again[0] == key[0] and again[1] != key[1]
