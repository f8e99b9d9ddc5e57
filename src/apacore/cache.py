"""The on-disk cache: work that depends only on files, kept by a hash of those files.

A cold ``apacore score`` should not rebuild what it built last time: the validated
ruleset (:mod:`apacore.loading.rulesets`), the list of installed plugins
(:mod:`apacore.plugins.host`) and the checked agreement and report of an office
(:mod:`apacore.loading.office_cache`) are kept here, each under a key that hashes everything the
result depends on (the files' bytes, apacore's own code, the plugins registered), so a
changed input is a different key, never a stale answer.

Where: ``$APACORE_CACHE_DIR``, else ``$XDG_CACHE_HOME/apacore``, else ``~/.cache/apacore``
(``%LOCALAPPDATA%\\apacore\\Cache`` on Windows). Off when ``APACORE_NO_CACHE`` is set to
anything but ``""`` or ``0``. An entry holds a BLAKE2 digest of its payload: an entry that
is truncated, altered or unreadable is ignored (and rewritten), so the cache can only
make apacore faster, never wrong. Writes are atomic (a temporary file, then rename); a
cache folder that cannot be written is simply not used. The cache is yours alone:
entries are Python pickles, so never point ``APACORE_CACHE_DIR`` at a folder others
can write to.

The kinds a batch writes by the thousand (:data:`TABLE_KINDS`: a result per office,
:mod:`apacore.batch.cache`, and a checked agreement per office,
:mod:`apacore.loading.office_cache`) are rows of one SQLite database in the folder,
:data:`DATABASE` (the standard library's ``sqlite3``), not a file each: creating a file
costs this machine's disk 0.03 to 0.8 ms of system time, a row 0.05 to 0.1 ms, and a
re-run reads its rows without opening a file per office. Each row holds its payload's BLAKE2
digest (a damaged row is a miss, and rewritten) and when it was last written or read
(:func:`prune_unused`). A write is one transaction, committed at once, or with the other
rows of a :class:`together` block (a batch's worker, for its chunk of offices): a crash
leaves a row whole or absent, never half. The database is in WAL mode, so the workers of
a batch, and batches at once, read without waiting and write one after another. A write
that waits for the lock longer than :data:`BUSY_SECONDS` is dropped (the entry is simply
not kept), and a database that cannot be used (locked, unwritable, damaged, not a
database, a link, a folder) is left alone for :data:`PAUSE_SECONDS`: apacore works
without those entries meanwhile. A damaged database stays unused until it is deleted
(it is a cache: deleting the folder loses nothing but time). A Python without
``sqlite3`` keeps these kinds as files like the others.
"""

from __future__ import annotations

import _thread
import functools
import os
import stat
import sys
from pathlib import Path
from typing import Any

__all__ = [
    "DATABASE",
    "ENV_CACHE_DIR",
    "ENV_NO_CACHE",
    "TABLE_KINDS",
    "cache_dir",
    "checkpoint",
    "close",
    "code_fingerprint",
    "content_hash",
    "digest",
    "enabled",
    "fetch",
    "files_key",
    "prune_unused",
    "read_regular",
    "reset",
    "store",
    "together",
]

try:  # BLAKE2 without importing hashlib, which loads OpenSSL (milliseconds at start-up)
    from _blake2 import blake2b as _hash
except ImportError:  # pragma: no cover - another Python implementation
    from hashlib import blake2b as _hash

ENV_NO_CACHE = "APACORE_NO_CACHE"
ENV_CACHE_DIR = "APACORE_CACHE_DIR"
_MAGIC = b"apacore-cache 1\n"


def enabled() -> bool:
    """Whether the on-disk cache is in use (``APACORE_NO_CACHE`` unset, empty or ``0``)."""
    return os.environ.get(ENV_NO_CACHE, "") in ("", "0")


def cache_dir() -> Path:
    """The folder the cache lives in (it may not exist yet)."""
    explicit = os.environ.get(ENV_CACHE_DIR)
    if explicit:
        return Path(explicit)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "apacore" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "apacore"


TABLE_KINDS = frozenset({"records", "agreements"})
"""The kinds kept as rows of :data:`DATABASE` (when ``sqlite3`` can be imported)."""

DATABASE = "entries.sqlite3"
"""The database of :data:`TABLE_KINDS` in the cache folder (with its ``-wal`` and ``-shm``)."""

BUSY_SECONDS = 0.5
"""How long a write waits for another process's lock before it is dropped."""

PAUSE_SECONDS = 10.0
"""How long a process leaves :data:`DATABASE` alone after it could not use it."""


def _entry(kind: str, key: str) -> Path:
    return cache_dir() / kind / f"{key}.pickle"


TOUCHED_WITHIN = 86400
"""``fetch(touch=True)`` marks an entry used at most once in this many seconds (a write)."""


def read_regular(path: str, limit: int | None = None) -> tuple[bytes, int] | None:
    """The bytes (at most ``limit`` + 1 of them) and modification time (ns) of a regular
    file; None for anything else (absent, a folder, a pipe, which is never waited on, a
    device) or unreadable."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        left = None if limit is None else limit + 1
        chunks = []
        while left is None or left > 0:
            want = st.st_size + 1 if left is None else min(st.st_size + 1, left)
            chunk = os.read(fd, max(want, 1))
            if not chunk:
                break
            chunks.append(chunk)
            if left is not None:
                left -= len(chunk)
        return b"".join(chunks), st.st_mtime_ns
    except OSError:
        return None
    finally:
        os.close(fd)


def fetch(kind: str, key: str, *, touch: bool = False) -> object | None:
    """The object stored under ``kind``/``key``, or None (absent, disabled, damaged, not a
    regular file). ``touch``: a hit counts as used now, so that :func:`prune_unused`
    keeps it (a batch reads entries it wrote runs ago)."""
    if not enabled():
        return None
    if kind in TABLE_KINDS and _sqlite():
        table = _table()
        payload = None if table is None else table.fetch(kind, key, touch=touch)
        return None if payload is None else _unpickled(payload)
    path = os.path.join(cache_dir(), kind, f"{key}.pickle")
    read = read_regular(path)
    if read is None:
        return None
    data, mtime_ns = read
    head, _, rest = data.partition(b"\n")
    digest, _, payload = rest.partition(b"\n")
    if head + b"\n" != _MAGIC or _hash(payload).hexdigest().encode() != digest:
        return None
    value = _unpickled(payload)
    if value is None:
        return None
    if touch:
        import time

        if time.time_ns() - mtime_ns > TOUCHED_WITHIN * 10**9:
            try:
                os.utime(path)
            except OSError:
                pass
    return value


def _unpickled(payload: bytes) -> object | None:
    """``payload`` unpickled; None if it cannot be."""
    try:  # the C unpickler without pickle.py, which imports struct, re, codecs… (a warm start)
        from _pickle import loads
    except ImportError:  # pragma: no cover - an interpreter without it
        from pickle import loads
    try:
        value: object = loads(payload)
    except Exception:  # written by another apacore, or classes that moved: rebuild it
        return None
    return value


def digest(file: str | os.PathLike[str]) -> str:
    """A short digest (BLAKE2, 128 bits) of the bytes of ``file`` (an ``OSError`` if
    unreadable): what a key holds for a file that its result depends on."""
    with open(file, "rb") as f:
        return _hash(f.read(), digest_size=16).hexdigest()


def store(kind: str, key: str, value: object, *, keep: int | None = None) -> None:
    """Keep ``value`` under ``kind``/``key`` (nothing happens when disabled or unwritable);
    then the kind's :data:`KEEP` newest entries, or ``keep``'s; ``keep=0``: none pruned
    here (kinds a batch writes thousands of: :func:`prune_unused` at its end; the rows of
    :data:`TABLE_KINDS` are pruned by it alone)."""
    if not enabled():
        return
    import pickle

    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    if kind in TABLE_KINDS and _sqlite():
        table = _table()
        if table is not None:
            table.store(kind, key, payload)
        return
    digest = _hash(payload).hexdigest().encode()
    path = _entry(kind, key)
    # this process and thread alone write it: threads of one batch may keep the same entry
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{_thread.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(_MAGIC + digest + b"\n" + payload)
        os.replace(tmp, path)
        if keep != 0:
            _prune(path.parent, KEEP if keep is None else keep)
    except OSError:  # a read-only or missing home: work without the cache
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


KEEP = 64
"""Entries kept per kind: a new one beyond these replaces the least recently written."""


def _prune(folder: Path, keep: int) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda e: e.stat().st_mtime_ns)
    for old in entries[:-keep]:
        old.unlink(missing_ok=True)


def prune_unused(kind: str, seconds: float) -> None:
    """Remove the entries of ``kind`` neither written nor read (``fetch(touch=True)``) for
    ``seconds``; nothing happens when disabled or unwritable."""
    if not enabled():
        return
    import time

    if kind in TABLE_KINDS and _sqlite():
        table = _table()
        if table is not None:
            table.prune(kind, time.time() - seconds)
        return
    limit = time.time_ns() - int(seconds * 1e9)
    try:
        entries = list(os.scandir(cache_dir() / kind))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.name.endswith(".pickle") and entry.stat().st_mtime_ns < limit:
                os.unlink(entry.path)
        except OSError:  # removed meanwhile (another apacore pruning): nothing to do
            pass


_sqlite_module: Any = None
"""The ``sqlite3`` module once imported; False in a Python built without it."""


def _sqlite() -> Any:
    """``sqlite3``, imported the first time a kind of :data:`TABLE_KINDS` is used (~2 ms),
    or False (a Python without it: those kinds are files like the others)."""
    global _sqlite_module
    if _sqlite_module is None:
        try:
            import sqlite3
        except ImportError:
            _sqlite_module = False
        else:
            _sqlite_module = sqlite3
    return _sqlite_module


_SCHEMA = (
    # ``used`` before ``payload``: pruning reads no payload (nor its overflow pages)
    "CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL,"
    " used INTEGER NOT NULL, digest TEXT NOT NULL, payload BLOB NOT NULL,"
    " PRIMARY KEY (kind, key))",
    "CREATE INDEX IF NOT EXISTS entries_used ON entries (kind, used)",
)


class _Table:
    """This thread's connection to :data:`DATABASE` (sqlite3's connections belong to the
    thread and the process that opened them)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.pid = os.getpid()
        sqlite3 = _sqlite()
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        for name in (path, f"{path}-wal", f"{path}-shm"):
            try:
                mode = os.lstat(name).st_mode
            except FileNotFoundError:
                continue
            if not stat.S_ISREG(mode):  # a link, a folder, a pipe: not ours to open
                raise OSError(f"{name} is not a regular file")
        self.connection = sqlite3.connect(
            path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=True
        )
        import time

        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            try:
                self._set_up()
                break
            except sqlite3.OperationalError as exc:
                # two processes making the database at once: one may be told "busy" at
                # once, without the wait (the other is switching it to WAL)
                if _busy(exc) and time.monotonic() < deadline:
                    time.sleep(0.005)
                    continue
                self.connection.close()
                raise
            except BaseException:
                self.connection.close()
                raise
        self.writes_paused_until = 0.0
        self.pending: list[tuple[object, ...]] | None = None  # in a together block

    def _set_up(self) -> None:
        (mode,) = self.connection.execute("PRAGMA journal_mode=WAL").fetchone()
        if mode != "wal":
            raise _sqlite().DatabaseError(f"journal mode {mode}, not wal")
        # committed to the log at once; the log written to the disk at checkpoints: a
        # power cut may lose the last entries, never damage the database
        self.connection.execute("PRAGMA synchronous=NORMAL")
        for statement in _SCHEMA:
            self.connection.execute(statement)

    def fetch(self, kind: str, key: str, *, touch: bool) -> bytes | None:
        """The payload of ``kind``/``key`` if its digest holds; None otherwise."""
        import time

        try:
            row = self.connection.execute(
                "SELECT used, digest, payload FROM entries WHERE kind = ? AND key = ?",
                (kind, key),
            ).fetchone()
        except _sqlite().Error:
            _pause(self)
            return None
        if row is None:
            return None
        used, digest, payload = row
        if not isinstance(payload, bytes) or _hash(payload).hexdigest() != digest:
            return None  # damaged: a miss, rewritten by the next store
        now = time.time()
        if touch and isinstance(used, int) and now - used > TOUCHED_WITHIN:
            self._write(
                "UPDATE entries SET used = ? WHERE kind = ? AND key = ?", [(int(now), kind, key)]
            )
        return payload

    def store(self, kind: str, key: str, payload: bytes) -> None:
        """Keep ``payload`` (a row replacing any of the same kind and key): now, or with
        the others of a :class:`together` block."""
        import time

        row = (kind, key, int(time.time()), _hash(payload).hexdigest(), payload)
        if self.pending is None:
            self._write(_INSERT, [row])
            return
        self.pending.append(row)
        if len(self.pending) >= TOGETHER_ROWS:
            self.flush()

    def flush(self) -> None:
        """Commit the rows a :class:`together` block holds, in one transaction."""
        if self.pending:
            rows, self.pending = self.pending, []
            self._write(_INSERT, rows)

    def prune(self, kind: str, before: float) -> None:
        """Remove the rows of ``kind`` neither written nor read since ``before``."""
        self._write("DELETE FROM entries WHERE kind = ? AND used < ?", [(kind, before)])

    def _write(self, statement: str, rows: list[tuple[object, ...]]) -> None:
        """``statement`` for each of ``rows``, in one transaction: committed whole, or not
        at all. A lock held longer than :data:`BUSY_SECONDS` by another process drops
        them, and this process writes nothing for :data:`PAUSE_SECONDS` (a batch is never
        held up)."""
        import time

        started = time.monotonic()
        if started < self.writes_paused_until:
            return
        sqlite3 = _sqlite()
        connection = self.connection
        try:
            # the lock first, waited for (a statement that read first and then found the
            # database changed would fail at once, unwaited)
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.executemany(statement, rows)
                connection.execute("COMMIT")
            finally:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            if not _busy(exc):  # read-only, a full disk, damage: not used for a while
                _pause(self)
            elif time.monotonic() - started >= BUSY_SECONDS / 2:  # waited, in vain
                self.writes_paused_until = time.monotonic() + PAUSE_SECONDS
        except sqlite3.Error:
            _pause(self)

    def close(self) -> None:
        try:
            self.connection.close()
        except Exception:  # closing what could not be used: nothing to keep
            pass


_INSERT = "INSERT OR REPLACE INTO entries (kind, key, used, digest, payload) VALUES (?, ?, ?, ?, ?)"

TOGETHER_ROWS = 64
"""Rows a :class:`together` block commits at once, at the most."""


class together:  # a statement: ``with cache.together():``
    """Rows this thread stores meanwhile are committed together when the block ends (and
    every :data:`TOGETHER_ROWS` rows), not one transaction each: a batch's worker, for
    its chunk of offices (a commit costs about as much as the row it commits; the lock
    is held only while they are written). A process that dies in the block loses its
    rows, never half of one; an entry stored in the block is not read back before it
    ends (it is computed again). ``active=False``: nothing changes."""

    def __init__(self, active: bool = True) -> None:
        self.active = active

    def __enter__(self) -> None:
        if self.active and enabled() and _sqlite():
            table = _table()
            if table is not None and table.pending is None:
                table.pending = []
                self._table: _Table | None = table
                return
        self._table = None

    def __exit__(self, *exc: object) -> None:
        table = self._table
        if table is not None:
            try:
                table.flush()
            finally:
                table.pending = None


def _busy(exc: Exception) -> bool:
    """Whether ``exc`` says another connection holds the lock."""
    return "locked" in str(exc) or "busy" in str(exc)


_local = _thread._local()
_paused: dict[str, float] = {}
"""A database's path → until when (``time.monotonic``) it is left alone."""
_inherited: list[_Table] = []
"""Connections a forked process inherited (a caller's fork; apacore's pools fork after
:func:`close`): never used there (SQLite forbids it), kept referenced so that they are
not closed while the process runs."""


def _table() -> _Table | None:
    """This thread's connection to the cache folder's :data:`DATABASE`, opened (and the
    database made) at first use; None while it cannot be used."""
    import time

    path = os.path.join(cache_dir(), DATABASE)
    table: _Table | None = getattr(_local, "table", None)
    if table is not None:
        if table.pid == os.getpid() and table.path == path:
            return table
        if table.pid != os.getpid():
            _inherited.append(table)
        else:  # another cache folder (a test, a caller that set APACORE_CACHE_DIR)
            table.close()
        _local.table = None
    if time.monotonic() < _paused.get(path, 0.0):
        return None
    try:
        table = _Table(path)
    except (OSError, _sqlite().Error):
        _paused[path] = time.monotonic() + PAUSE_SECONDS
        return None
    _local.table = table
    return table


def checkpoint() -> None:
    """Move what :data:`DATABASE`'s log holds into the database now, and empty the log
    (a batch that has finished, so that the next one does not; waits at most
    :data:`BUSY_SECONDS` for another process writing or reading it, then leaves the rest
    to a later checkpoint). Nothing happens when it cannot be used."""
    if not (enabled() and _sqlite()):
        return
    table = _table()
    if table is None:
        return
    try:
        table.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except _sqlite().Error:  # busy, or gone: the next one to write checkpoints it
        pass


def close() -> None:
    """Close this thread's connection to :data:`DATABASE`, if it has one (it is opened
    again when next needed): before forking worker processes, which must not inherit
    an open connection."""
    table: _Table | None = getattr(_local, "table", None)
    _local.table = None
    if table is not None and table.pid == os.getpid():
        table.close()


def reset() -> None:
    """:func:`close`, and forget every pause, as a new process starts (tests that replace
    the database)."""
    close()
    _paused.clear()


def _pause(table: _Table) -> None:
    """``table``'s database could not be used: closed, and left alone for a while."""
    import time

    _paused[table.path] = time.monotonic() + PAUSE_SECONDS
    if getattr(_local, "table", None) is table:
        _local.table = None
    table.close()


def content_hash(data: bytes) -> str:
    """A file's bytes as a key part (BLAKE2, 512 bits): equal contents, equal hashes,
    wherever the files are."""
    return _hash(data).hexdigest()


def files_key(*parts: object, files: tuple[Path, ...] = ()) -> str:
    """A key hashing (BLAKE2, 512 bits) ``parts`` (their repr) and the names and bytes of
    ``files``."""
    h = _hash()
    for part in parts:
        h.update(repr(part).encode("utf-8") + b"\0")
    for file in files:
        h.update(str(file).encode("utf-8") + b"\0" + file.read_bytes() + b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> tuple[tuple[str, int, int], ...]:
    """apacore's version and own code as (file, mtime, size): another or an edited
    apacore is a new key. Read once per process (the ruleset and the office both ask):
    the code that runs is the code that was there when it started."""
    from apacore._version import __version__

    package = Path(__file__).parent
    out = [(f"apacore {__version__}", 0, 0)]
    for folder, dirs, names in os.walk(package):
        dirs[:] = [d for d in dirs if d != "__pycache__"]  # bytecode: never a module's source
        for name in names:
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                out.append((os.path.join(folder, name), st.st_mtime_ns, st.st_size))
    return tuple(sorted(out))
