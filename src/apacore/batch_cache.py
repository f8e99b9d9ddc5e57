"""A batch's results kept across runs, by everything that decides them.

A national batch is run again and again during a reporting window, and most offices have
not changed since the last run. The result of one office (:class:`~apacore.batch.OfficeRecord`,
a summary without the scorecard, or the :class:`~apacore.batch.OfficeError` of a mistake in
its files) is a pure function of

- the bytes of its ``agreement.toml`` and ``report.toml`` (or that there is none),
- the folder as the batch names it (an error's line names its files),
- ``as_of``,
- every ruleset the plugins offer (fiscal year, folder, content hash),
- apacore's version and code, Python's version, and the plugins registered
  (:func:`apacore.plugins.host.plugins_fingerprint`),

so it is kept in the on-disk cache (:mod:`apacore.cache`: checksummed, atomic, off with
``APACORE_NO_CACHE``) under a key hashing all of these (:func:`office_key`), and a batch
reads it back instead of reading the office again: a file changed, a ruleset or plugin
changed, apacore upgraded, is another key, never a stale result. The checked agreement is
kept on its own (:func:`apacore.loading.office_cache.agreement_key`), so an office whose
report changed reads and checks only its report.

Not kept: a bug in apacore or a plugin (an error with a traceback), whole scorecards, an
office whose files cannot be read as regular files (the loader then says why), anything
while a plugin registered at run time is in use (:func:`apacore.plugins.host.register_plugin`),
and a result whose files changed while it was computed. Entries are written without
pruning; :func:`prune` keeps the newest (those written or read by the last runs) once a
batch has finished.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from apacore import cache
from apacore.errors import ApacoreError
from apacore.limits import MAX_FILE_BYTES

if TYPE_CHECKING:
    from apacore.batch import OfficeResult

__all__ = ["KIND", "environment", "fetch", "office_key", "prune", "store"]

KIND = "records"
"""The cache folder's sub-folder for batch results."""

AGREEMENT_FILE = "agreement.toml"
REPORT_FILE = "report.toml"


def environment() -> str | None:
    """What every result of this process depends on besides its office (apacore, Python,
    the plugins, the rulesets), as one key part; None when the cache is off or a plugin
    registered at run time is in use. Worked out once per set of plugins."""
    if not cache.enabled():
        return None
    from apacore.plugins.host import generation, registered_at_run_time

    if registered_at_run_time():
        return None
    return _environment(generation())


@functools.lru_cache(maxsize=4)
def _environment(plugins_generation: int) -> str | None:
    from apacore import __version__
    from apacore.loading.rulesets import available_rulesets, load_ruleset
    from apacore.plugins.host import plugins_fingerprint

    try:
        rulesets = []
        for fiscal_year, (plugin, folder) in sorted(available_rulesets().items()):
            try:
                sha256 = load_ruleset(fiscal_year).sha256
            except ApacoreError as exc:  # a broken ruleset: its offices' error, by its text
                sha256 = f"error: {exc}"
            rulesets.append((fiscal_year, plugin, str(folder), sha256))
        return cache.files_key(
            KIND,
            __version__,
            sys.version,
            cache.code_fingerprint(),
            plugins_fingerprint(),
            tuple(rulesets),
        )
    except (ApacoreError, OSError):  # a broken plugin: every office says so, uncached
        return None


def _content(path: Path) -> str | None:
    """The content hash of a regular file of at most :data:`MAX_FILE_BYTES`; None for
    anything else (a folder, a pipe, a device, a file too big or unreadable)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        return None
    return cache.content_hash(data)


def office_key(
    folder: str | os.PathLike[str], env: str | None, as_of: int | dt.date | None
) -> str | None:
    """The key of the office in ``folder`` (as the batch names it): its files' contents
    with ``env`` (:func:`environment`) and ``as_of``; None without ``env`` or when a file
    cannot be read as a regular file."""
    if env is None:
        return None
    place = Path(folder)
    agreement = _content(place / AGREEMENT_FILE)
    if agreement is None:
        return None
    report_path = place / REPORT_FILE
    report = None
    if os.path.lexists(report_path):
        report = _content(report_path)
        if report is None:
            return None
    return cache.files_key(KIND, env, os.fspath(folder), agreement, report, repr(as_of))


def fetch(key: str | None, path: str) -> OfficeResult | None:
    """The result kept under ``key``, named ``path``; None (no key, no entry, damaged)."""
    if key is None:
        return None
    from apacore.batch import OfficeError, OfficeRecord

    hit = cache.fetch(KIND, key, touch=True)
    if isinstance(hit, OfficeRecord) and hit.scorecard is None:
        return attrs.evolve(hit, path=path)
    if isinstance(hit, OfficeError) and hit.traceback is None:
        return attrs.evolve(hit, path=path)
    return None


def store(
    key: str | None,
    result: OfficeResult,
    *,
    folder: str | os.PathLike[str],
    env: str | None,
    as_of: int | dt.date | None,
) -> None:
    """Keep ``result`` under ``key``, the :func:`office_key` of ``folder`` before it was
    read: not if its files changed since, nor a scorecard, nor a bug's error."""
    if key is None:
        return
    from apacore.batch import OfficeError

    if isinstance(result, OfficeError):
        if result.traceback is not None:
            return
    elif result.scorecard is not None:
        return
    if office_key(folder, env, as_of) != key:
        return
    cache.store(KIND, key, attrs.evolve(result, path=""), keep=0)


def prune(offices: int) -> None:
    """After a batch of ``offices``: keep the results and checked agreements of about the
    last two runs of that size (what they wrote or read), drop older ones."""
    from apacore.loading.office_cache import AGREEMENT_KIND

    cache.prune(KIND, 2 * offices)
    cache.prune(AGREEMENT_KIND, 2 * offices)
