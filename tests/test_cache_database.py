"""The cache's database (apacore.cache.DATABASE), where a batch keeps its results and
checked agreements: a database that is damaged, locked, unwritable or not a database
changes no answer and stops no batch; two processes write it safely; a process killed
mid-write leaves no half entry; a Python without sqlite3 keeps files; and each office
file is read once per office."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from apacore import batch, cache
from apacore.batch import OfficeError, find_offices, score_many
from apacore.batch import cache as batch_cache
from apacore.loading import office_cache
from tests import cache_rows
from tests.synthetic_offices import write_synthetic_offices

OFFICES = 4


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cache-database") / "country"
    write_synthetic_offices(root, OFFICES, seed=5)
    return root


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of the test's own, as a new process."""
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.ENV_NO_CACHE, raising=False)
    cache.reset()
    yield tmp_path / "cache"
    cache.reset()


@pytest.fixture
def tree(pristine: Path, tmp_path: Path, folder: Path) -> Path:
    """A copy of the offices, with an empty cache folder of its own."""
    copy = tmp_path / "country"
    shutil.copytree(pristine, copy)
    return copy


def _run(tree: Path) -> list[Any]:
    return list(score_many(find_offices(tree), root=tree, workers=1))


def _unscorable(monkeypatch: pytest.MonkeyPatch) -> None:
    def scored(*args: Any) -> Any:
        raise AssertionError("scored an office again")

    monkeypatch.setattr(batch, "_scored", scored)


def _uncached(tree: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    with monkeypatch.context() as m:
        m.setenv(cache.ENV_NO_CACHE, "1")
        return _run(tree)


def test_a_batch_creates_no_file_per_office(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(tree)
    assert len(cache_rows.keys(batch_cache.KIND)) == OFFICES
    assert len(cache_rows.keys(office_cache.AGREEMENT_KIND)) == OFFICES
    folder = cache.cache_dir()
    assert not (folder / batch_cache.KIND).exists()
    assert not (folder / office_cache.AGREEMENT_KIND).exists()
    assert first == _uncached(tree, monkeypatch)
    _unscorable(monkeypatch)
    cache.reset()  # a new process
    assert _run(tree) == first


def _spoil(database: Path, how: str) -> None:
    for name in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        name.unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    if how == "not a database":
        database.write_bytes(b"these are not the rows you are looking for\n" * 200)
    elif how == "damaged":
        good = sqlite3.connect(database)
        good.execute("CREATE TABLE entries (kind, key, used, digest, payload)")
        good.execute("INSERT INTO entries VALUES ('records', 'k', 0, 'd', zeroblob(50000))")
        good.commit()
        good.close()
        data = bytearray(database.read_bytes())
        data[100:4096] = b"\xff" * (4096 - 100)  # the schema's page
        database.write_bytes(bytes(data))
    elif how == "a folder":
        database.mkdir()
    elif how == "a link":
        elsewhere = database.parent / "elsewhere.sqlite3"
        sqlite3.connect(elsewhere).close()
        database.symlink_to(elsewhere)
    elif how == "a dangling link":
        database.symlink_to(database.parent / "missing.sqlite3")
    elif how == "a pipe":
        os.mkfifo(database)


@pytest.mark.parametrize(
    "how", ["not a database", "damaged", "a folder", "a link", "a dangling link", "a pipe"]
)
def test_a_database_that_cannot_be_used_changes_nothing(
    tree: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    expected = _uncached(tree, monkeypatch)
    database = cache_rows.database()
    _spoil(database, how)
    started = time.monotonic()
    assert _run(tree) == expected
    assert _run(tree) == expected
    assert time.monotonic() - started < 30  # nothing waited on
    if how in ("a link", "a dangling link"):
        assert database.is_symlink()
        elsewhere = database.parent / "elsewhere.sqlite3"
        assert not elsewhere.exists() or elsewhere.stat().st_size == 0  # never written
    if how == "a folder":
        assert list(database.iterdir()) == []


def test_an_unwritable_cache_folder_changes_nothing(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _uncached(tree, monkeypatch)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(blocker / "cache"))
    assert _run(tree) == expected


def test_a_read_only_database_changes_nothing(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(tree)
    cache.reset()
    real = cache._Table.__init__

    def read_only(self: Any, path: str) -> None:
        real(self, path)
        self.connection.execute("PRAGMA query_only = ON")  # every write fails

    monkeypatch.setattr(cache._Table, "__init__", read_only)
    for report in tree.glob("*/*/report.toml"):
        report.write_text(report.read_text("utf-8") + "\n# the next quarter\n", "utf-8")
    assert _run(tree) == first  # the same figures: a comment changed
    assert _run(tree) == first


@pytest.mark.parametrize("mode", ["a writer", "an exclusive lock"])
def test_a_locked_database_holds_no_batch_up(
    tree: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """Another process holds the lock for as long as it likes: the batch waits at most
    BUSY_SECONDS once, keeps nothing for PAUSE_SECONDS, and gives every result."""
    first = _run(tree)
    for report in tree.glob("*/*/report.toml"):
        report.write_text(report.read_text("utf-8") + "\n# the next quarter\n", "utf-8")
    monkeypatch.setattr(cache, "BUSY_SECONDS", 0.2)
    cache.reset()
    other = sqlite3.connect(cache_rows.database(), isolation_level=None)
    try:
        if mode == "an exclusive lock":  # readers wait too
            other.execute("PRAGMA locking_mode = EXCLUSIVE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("DELETE FROM entries WHERE kind = 'nothing'")
        started = time.monotonic()
        assert _run(tree) == first
        assert time.monotonic() - started < 3 * cache.BUSY_SECONDS + 2
    finally:
        other.execute("ROLLBACK")
        other.close()
    cache.reset()  # a later process, or this one after PAUSE_SECONDS
    assert _run(tree) == first
    _unscorable(monkeypatch)
    assert _run(tree) == first


def _write_many(folder: str, name: str, count: int) -> None:
    os.environ[cache.ENV_CACHE_DIR] = folder
    cache.reset()
    for i in range(count):
        cache.store(batch_cache.KIND, f"{name}-{i}", (name, i, b"x" * 20_000))
        cache.store(batch_cache.KIND, f"shared-{i}", ("shared", i, b"y" * 20_000))


def test_two_processes_write_at_once(folder: Path) -> None:
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_write_many, args=(str(folder), n, 150)) for n in "ab"]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
        assert writer.exitcode == 0
    for name in "ab":
        for i in range(150):
            assert cache.fetch(batch_cache.KIND, f"{name}-{i}") == (name, i, b"x" * 20_000)
            assert cache.fetch(batch_cache.KIND, f"shared-{i}") == ("shared", i, b"y" * 20_000)
    assert cache_rows.execute("PRAGMA integrity_check") == [("ok",)]


def test_two_batches_at_once(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _uncached(tree, monkeypatch)
    context = multiprocessing.get_context("fork")
    batches = [context.Process(target=_run, args=(tree,)) for _ in range(2)]
    for one in batches:
        one.start()
    for one in batches:
        one.join(120)
        assert one.exitcode == 0
    _unscorable(monkeypatch)
    cache.reset()
    assert _run(tree) == expected


def _store_for_ever(folder: str) -> None:
    os.environ[cache.ENV_CACHE_DIR] = folder
    cache.reset()
    i = 0
    while True:
        cache.store(batch_cache.KIND, f"k{i % 50}", (i, os.urandom(30_000)))
        i += 1


def _die_in_a_transaction(folder: str) -> None:
    connection = sqlite3.connect(Path(folder) / cache.DATABASE, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "INSERT OR REPLACE INTO entries VALUES ('records', 'half', 0, 'd', zeroblob(9))"
    )
    os._exit(1)


def test_a_process_killed_mid_write_leaves_no_half_entry(folder: Path) -> None:
    cache.store(batch_cache.KIND, "before", "kept")
    context = multiprocessing.get_context("fork")
    for _ in range(3):
        writer = context.Process(target=_store_for_ever, args=(str(folder),))
        writer.start()
        time.sleep(0.3)
        os.kill(writer.pid or 0, signal.SIGKILL)
        writer.join()
    dying = context.Process(target=_die_in_a_transaction, args=(str(folder),))
    dying.start()
    dying.join()
    cache.reset()
    assert cache_rows.execute("PRAGMA integrity_check") == [("ok",)]
    assert "half" not in cache_rows.keys(batch_cache.KIND)
    kept = [cache.fetch(batch_cache.KIND, key) for key in cache_rows.keys(batch_cache.KIND)]
    assert "kept" in kept and all(value is not None for value in kept)  # whole, or absent
    cache.store(batch_cache.KIND, "after", "kept too")  # the lock went with the process
    assert cache.fetch(batch_cache.KIND, "after") == "kept too"


def test_rows_are_pruned_when_unused_and_touched_once_a_day(folder: Path) -> None:
    for key in ("old", "read", "new"):
        cache.store(batch_cache.KIND, key, key)
    cache.store(office_cache.AGREEMENT_KIND, "old", "an agreement")
    cache_rows.age(batch_cache.KIND, 40 * 86400, "old")
    cache_rows.age(batch_cache.KIND, 40 * 86400, "read")
    cache_rows.age(office_cache.AGREEMENT_KIND, 40 * 86400)

    def used(key: str) -> object:
        ((when,),) = cache_rows.execute(
            "SELECT used FROM entries WHERE kind = 'records' AND key = ?", (key,)
        )
        return when

    before = used("new")
    assert cache.fetch(batch_cache.KIND, "read", touch=True) == "read"
    assert cache.fetch(batch_cache.KIND, "new", touch=True) == "new"
    assert used("new") == before  # read within a day: not written
    assert isinstance(used("read"), int) and time.time() - used("read") < 60  # type: ignore[operator]
    cache.prune_unused(batch_cache.KIND, 30 * 86400)
    assert cache_rows.keys(batch_cache.KIND) == ["new", "read"]
    assert cache_rows.keys(office_cache.AGREEMENT_KIND) == ["old"]  # another kind
    batch_cache.prune()
    assert cache_rows.keys(office_cache.AGREEMENT_KIND) == []


def test_a_python_without_sqlite3_keeps_files(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sqlite3", None)  # import sqlite3: ImportError
    monkeypatch.setattr(cache, "_sqlite_module", None)
    first = _run(tree)
    folder = cache.cache_dir()
    assert len(list((folder / batch_cache.KIND).glob("*.pickle"))) == OFFICES
    assert len(list((folder / office_cache.AGREEMENT_KIND).glob("*.pickle"))) == OFFICES
    assert not (folder / cache.DATABASE).exists()
    _unscorable(monkeypatch)
    assert _run(tree) == first


def test_the_cache_switched_off_touches_no_database(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _uncached(tree, monkeypatch)
    assert not cache.cache_dir().exists()


_opened: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], str | bytes | Path):
        _opened.append(os.fsdecode(args[0]))


@pytest.fixture
def opened() -> Iterator[list[str]]:
    """Every file this process opens meanwhile (an audit hook: os.open and open alike)."""
    global _opened
    if not getattr(sys, "_apacore_test_audit", False):
        sys.addaudithook(_audit)
        sys._apacore_test_audit = True  # type: ignore[attr-defined]
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def test_each_office_file_is_read_once(
    tree: Path, opened: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    offices = sorted(str(p.parent) for p in tree.rglob("agreement.toml"))

    def reads() -> dict[str, int]:
        counts = {}
        for office in offices:
            for name in ("agreement.toml", "report.toml", "evaluation.toml"):
                counts[f"{office}/{name}"] = opened.count(os.path.join(office, name))
        opened.clear()
        return counts

    once = {f"{o}/{n}": 1 for o in offices for n in ("agreement.toml", "report.toml")}
    once |= {f"{o}/evaluation.toml": 0 for o in offices}
    first = _run(tree)  # cold: read once, parsed from those bytes
    assert reads() == once
    assert _run(tree) == first  # warm: read once to look it up
    assert reads() == once
    for report in tree.glob("*/*/report.toml"):
        report.write_text(report.read_text("utf-8") + "\n# the next quarter\n", "utf-8")
    opened.clear()
    assert _run(tree) == first  # a report changed: the agreement comes checked from the cache
    assert reads() == once
    assert not any(isinstance(r, OfficeError) for r in first)


def _die_in_a_together_block(folder: str) -> None:
    os.environ[cache.ENV_CACHE_DIR] = folder
    cache.reset()
    with cache.together():
        for i in range(cache.TOGETHER_ROWS + 3):
            cache.store(batch_cache.KIND, f"row{i}", i)
        os._exit(1)


def test_a_together_block_commits_its_rows_at_its_end(folder: Path) -> None:
    with cache.together():
        cache.store(batch_cache.KIND, "a", 1)
        cache.store(batch_cache.KIND, "b", 2)
        assert cache_rows.keys(batch_cache.KIND) == []  # not yet: no other process sees them
    assert cache_rows.keys(batch_cache.KIND) == ["a", "b"]
    cache.store(batch_cache.KIND, "c", 3)  # outside a block: at once
    assert cache_rows.keys(batch_cache.KIND) == ["a", "b", "c"]
    context = multiprocessing.get_context("fork")
    dying = context.Process(target=_die_in_a_together_block, args=(str(folder),))
    dying.start()
    dying.join()
    committed = [k for k in cache_rows.keys(batch_cache.KIND) if k.startswith("row")]
    assert len(committed) == cache.TOGETHER_ROWS  # the first full set; the rest died with it
    assert all(cache.fetch(batch_cache.KIND, k) == int(k[3:]) for k in committed)
    with cache.together(False):
        cache.store(batch_cache.KIND, "d", 4)
        assert "d" in cache_rows.keys(batch_cache.KIND)


def test_a_pool_is_forked_without_a_connection(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite forbids using a connection in a forked child: the pool is made after this
    process's connection (opened to look the first office up) is closed."""
    import concurrent.futures as cf

    first = _run(tree)
    assert cache._table() is not None  # open, as a caller's may be
    seen: list[object] = []
    real = cf.ProcessPoolExecutor.__init__

    def made(self: Any, *args: Any, **kwargs: Any) -> None:
        seen.append(getattr(cache._local, "table", None))
        real(self, *args, **kwargs)

    monkeypatch.setattr(cf.ProcessPoolExecutor, "__init__", made)
    again = list(score_many(find_offices(tree), root=tree, workers=2, chunk_size=1))
    assert again == first and seen == [None]


def test_a_finished_batch_leaves_no_log_for_the_next(tree: Path) -> None:
    """What a batch wrote is moved from the database's log into the database by that
    batch (a cold national run left 4 MiB of log for the next run to read and move),
    though another process still has the database open."""
    assert cache._table() is not None  # the database made
    other = sqlite3.connect(cache_rows.database())
    other.execute("SELECT count(*) FROM entries").fetchall()  # now it has it open too
    try:
        _run(tree)
    finally:
        log = Path(f"{cache_rows.database()}-wal")
        size = log.stat().st_size if log.exists() else 0
        other.close()
    assert size == 0
    assert len(cache_rows.keys(batch_cache.KIND)) == OFFICES
