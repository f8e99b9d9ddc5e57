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
"""

from __future__ import annotations

import _thread
import functools
import os
import stat
import sys
from pathlib import Path

__all__ = [
    "ENV_CACHE_DIR",
    "ENV_NO_CACHE",
    "cache_dir",
    "code_fingerprint",
    "content_hash",
    "digest",
    "enabled",
    "fetch",
    "files_key",
    "prune_unused",
    "read_regular",
    "store",
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
    path = os.path.join(cache_dir(), kind, f"{key}.pickle")
    read = read_regular(path)
    if read is None:
        return None
    data, mtime_ns = read
    head, _, rest = data.partition(b"\n")
    digest, _, payload = rest.partition(b"\n")
    if head + b"\n" != _MAGIC or _hash(payload).hexdigest().encode() != digest:
        return None
    try:  # the C unpickler without pickle.py, which imports struct, re, codecs… (a warm start)
        from _pickle import loads
    except ImportError:  # pragma: no cover - an interpreter without it
        from pickle import loads
    try:
        value: object = loads(payload)
    except Exception:  # written by another apacore, or classes that moved: rebuild it
        return None
    if touch:
        import time

        if time.time_ns() - mtime_ns > TOUCHED_WITHIN * 10**9:
            try:
                os.utime(path)
            except OSError:
                pass
    return value


def digest(file: str | os.PathLike[str]) -> str:
    """A short digest (BLAKE2, 128 bits) of the bytes of ``file`` (an ``OSError`` if
    unreadable): what a key holds for a file that its result depends on."""
    with open(file, "rb") as f:
        return _hash(f.read(), digest_size=16).hexdigest()


def store(kind: str, key: str, value: object, *, keep: int | None = None) -> None:
    """Keep ``value`` under ``kind``/``key`` (nothing happens when disabled or unwritable);
    then the kind's :data:`KEEP` newest entries, or ``keep``'s; ``keep=0``: none pruned
    here (kinds a batch writes thousands of: :func:`prune_unused` at its end)."""
    if not enabled():
        return
    import pickle

    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
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
