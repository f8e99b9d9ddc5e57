"""The on-disk cache of a loaded and checked office (:func:`apacore.loading.agreements.load_office`).

Reading an office is most of a cold ``apacore score``: parsing its TOML, structuring it
into the model (cattrs) and checking it against its ruleset and the plugins. None of that
changes while the files, apacore and the plugins stay the same, so the checked agreement
and report are kept in the on-disk cache (:mod:`apacore.cache`: checksummed, atomic,
off with ``APACORE_NO_CACHE``) under a key that hashes

- the content hashes of ``agreement.toml`` and of ``report.toml`` (or that there is
  none), and their paths,
- Python's version and apacore's own code (:func:`apacore.cache.code_fingerprint`),
- the plugins registered (:func:`apacore.plugins.host.plugins_fingerprint`),

with the content hash of the ruleset they were checked against stored beside them: the
ruleset is always loaded (and pinned) afresh, and an entry checked against another
ruleset is not used. Only what was read is kept, never a score: the scorecard is computed
on every run. A plugin registered at run time (:func:`apacore.plugins.host.register_plugin`,
tests and notebooks) may be an object that changes without its file changing, so while
one is registered the cache is not used.

Each file is read once (:func:`read_files`): its content hash is the key, and the loader
parses those very bytes, so what is kept is always what its key says, however the files
change meanwhile (nothing is read again to check).

A checked agreement is also kept on its own (:data:`AGREEMENT_KIND`), keyed by its bytes
alone (not its path: copies share an entry) with apacore's version and code and the
plugins: agreements are fixed at signing and reports change every quarter, so an office
whose report changed reads and checks only its report. These are not pruned as they are
written (a national batch keeps one per office, :mod:`apacore.batch.cache` a summary of
each office instead of the whole office; they are rows of the cache's database,
:data:`apacore.cache.TABLE_KINDS`): a batch removes those unused for a while when it ends.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from apacore import cache
from apacore.limits import MAX_FILE_BYTES

if TYPE_CHECKING:
    from apacore.models import Agreement, ProgressReport

__all__ = [
    "AGREEMENT_KIND",
    "KIND",
    "FilesRead",
    "agreement_key",
    "fetch",
    "fetch_agreement",
    "in_use",
    "key",
    "read_file",
    "read_files",
    "store",
    "store_agreement",
]

KIND = "offices"
"""The cache folder's sub-folder for offices."""
AGREEMENT_KIND = "agreements"
"""The cache folder's sub-folder for checked agreements on their own."""


def in_use() -> bool:
    """The cache is on and no plugin registered at run time is in use."""
    if not cache.enabled():
        return False
    from apacore.plugins.host import registered_at_run_time

    return not registered_at_run_time()


class FilesRead(NamedTuple):
    """An office's ``agreement.toml`` and ``report.toml`` as read once: the bytes the loader
    parses and their content hashes (:func:`apacore.cache.content_hash`), which its keys
    hold."""

    agreement: bytes
    agreement_hash: str
    report: bytes | None
    report_hash: str | None


def read_file(path: str) -> tuple[bytes, str] | None:
    """The bytes and content hash of a regular file of at most :data:`MAX_FILE_BYTES`;
    None for anything else (a folder, a pipe, a device, a file too big or unreadable:
    the loader reads it and says what is wrong)."""
    read = cache.read_regular(path, MAX_FILE_BYTES)
    if read is None or len(read[0]) > MAX_FILE_BYTES:
        return None
    return read[0], cache.content_hash(read[0])


def read_files(agreement_path: Path, report_path: Path | None) -> FilesRead | None:
    """The office's files read once (:class:`FilesRead`), or None if one cannot be read as
    a regular file within the size limit."""
    agreement = read_file(str(agreement_path))
    if agreement is None:
        return None
    if report_path is None:
        return FilesRead(agreement[0], agreement[1], None, None)
    report = read_file(str(report_path))
    if report is None:
        return None
    return FilesRead(agreement[0], agreement[1], report[0], report[1])


def key(agreement_path: Path, report_path: Path | None, files: FilesRead | None) -> str | None:
    """The cache key of an office's files as read (``files``), or None (cache off, a
    run-time plugin, a file that could not be read: the loader then reads the files and
    says what is wrong)."""
    if files is None or not in_use():
        return None
    import sys

    from apacore.plugins.host import plugins_fingerprint

    return cache.files_key(
        KIND,
        sys.version,
        cache.code_fingerprint(),
        plugins_fingerprint(),
        str(agreement_path),
        files.agreement_hash,
        None if report_path is None else str(report_path),
        files.report_hash,
    )


def fetch(office_key: str | None) -> tuple[Agreement, ProgressReport | None, str] | None:
    """The agreement, report and ruleset content hash kept under ``office_key``, or None
    (no key, no entry, a damaged entry or one that holds something else)."""
    if office_key is None:
        return None
    hit = cache.fetch(KIND, office_key)
    if not (isinstance(hit, tuple) and len(hit) == 3):
        return None
    from apacore.models import Agreement, ProgressReport

    agreement, report, ruleset_sha256 = hit
    if (
        isinstance(agreement, Agreement)
        and (report is None or isinstance(report, ProgressReport))
        and isinstance(ruleset_sha256, str)
    ):
        return agreement, report, ruleset_sha256
    return None


def store(
    office_key: str | None,
    agreement: Agreement,
    report: ProgressReport | None,
    ruleset_sha256: str,
) -> None:
    """Keep a checked agreement and report under ``office_key``, the :func:`key` of the
    files they were parsed from; nothing without a key."""
    if office_key is not None:
        cache.store(KIND, office_key, (agreement, report, ruleset_sha256))


def agreement_key(files: FilesRead | None) -> str | None:
    """The key of a checked agreement: its content hash (``files``, as read), Python's and
    apacore's version and code, the plugins registered; or None (cache off, a run-time
    plugin, a file that could not be read)."""
    if files is None or not in_use():
        return None
    from apacore.plugins.host import generation

    return cache.files_key(AGREEMENT_KIND, _environment(generation()), files.agreement_hash)


@functools.lru_cache(maxsize=4)
def _environment(plugins_generation: int) -> str:
    """apacore's version and code, Python's version and the plugins, hashed once per set
    of plugins (a batch asks for every office)."""
    import sys

    from apacore._version import __version__
    from apacore.plugins.host import plugins_fingerprint

    return cache.files_key(
        __version__, sys.version, cache.code_fingerprint(), plugins_fingerprint()
    )


def fetch_agreement(entry_key: str | None) -> tuple[Agreement, str] | None:
    """The checked agreement kept under ``entry_key`` (:func:`agreement_key`) with the
    content hash of the ruleset it was checked against, or None."""
    if entry_key is None:
        return None
    hit = cache.fetch(AGREEMENT_KIND, entry_key, touch=True)
    if not (isinstance(hit, tuple) and len(hit) == 2):
        return None
    from apacore.models import Agreement

    agreement, ruleset_sha256 = hit
    if isinstance(agreement, Agreement) and isinstance(ruleset_sha256, str):
        return agreement, ruleset_sha256
    return None


def store_agreement(entry_key: str | None, agreement: Agreement, ruleset_sha256: str) -> None:
    """Keep a checked agreement under ``entry_key``, the :func:`agreement_key` of the
    bytes it was parsed from. Not pruned here (a national batch keeps one per office): a
    batch removes those unused for :data:`apacore.batch.cache.UNUSED_DAYS` days when it
    ends."""
    if entry_key is not None:
        cache.store(AGREEMENT_KIND, entry_key, (agreement, ruleset_sha256), keep=0)
