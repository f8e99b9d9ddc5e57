"""A batch's results kept across runs, by everything that decides them.

A national batch is run again and again during a reporting window, and most offices have
not changed since the last run. The result of one office (:class:`~apacore.batch.OfficeRecord`,
a summary without the scorecard, or the :class:`~apacore.batch.OfficeError` of a mistake in
its files) is a pure function of

- the bytes of its ``agreement.toml``, ``report.toml`` and ``evaluation.toml`` (or that
  there is none),
- the folder as the batch names it (an error's line names its files),
- ``as_of``,
- every ruleset the plugins offer (fiscal year, folder, content hash),
- apacore's version and code, Python's version, and the plugins registered
  (:func:`apacore.plugins.host.plugins_fingerprint`),

so it is kept in the on-disk cache (:mod:`apacore.cache`: checksummed, committed whole,
off with ``APACORE_NO_CACHE``; a row of its database, not a file) under a key hashing all
of these (:func:`office_key`), and a batch reads it back instead of reading the office
again: a file changed, a ruleset or plugin changed, apacore upgraded, is another key,
never a stale result. The checked agreement is kept on its own
(:func:`apacore.loading.office_cache.agreement_key`), so an office whose report changed
reads and checks only its report.

Each file is read and hashed once (:func:`read_office`): an office that must be scored is
parsed from the very bytes its key hashes (:func:`apacore.loading.agreements.load_office`
with ``files``), so its result and its checked agreement are kept under the key of what
was scored without reading anything again. Only ``evaluation.toml``, which the scoring
reads itself, is checked again before a result is kept (that it is still absent, or
still has the contents the key holds).

Not kept: a bug in apacore or a plugin (an error with a traceback), whole scorecards, an
office whose files cannot be read as regular files (the loader then says why), anything
while a plugin registered at run time is in use (:func:`apacore.plugins.host.register_plugin`),
and a result whose files changed while it was computed. An office has one entry, named by
its folder, ``as_of`` and the environment, holding the digest of the contents it was
computed from: a new report replaces it, so the cache grows with the offices, not with the
runs. Entries are not pruned as they are written; :func:`prune` removes, once a batch has
finished, those unused for :data:`UNUSED_DAYS` days (a smaller batch never removes a
national run's).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from typing import NamedTuple

from apacore import cache
from apacore.errors import ApacoreError
from apacore.loading.office_cache import FilesRead, read_file

__all__ = [
    "KIND",
    "UNUSED_DAYS",
    "OfficeKey",
    "OfficeRead",
    "environment",
    "fetch",
    "fetch_pickled",
    "office_key",
    "prune",
    "read_office",
    "store",
    "unpickled",
]

KIND = "records"
"""The cache folder's sub-folder for batch results."""

AGREEMENT_FILE = "agreement.toml"
REPORT_FILE = "report.toml"
EVALUATION_FILE = "evaluation.toml"


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
    from apacore._version import __version__
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


OfficeKey = tuple[str, str]
"""An office's entry name (its folder as named, as_of, the environment) and the digest of
its files' contents, kept inside the entry: one entry per office, replaced when a file
changes, so that the cache does not grow as reports arrive."""


class OfficeRead(NamedTuple):
    """An office as read once to look it up: its key, its agreement and report (bytes
    and content hashes: what it is scored from if it must be), and the content hash of
    its ``evaluation.toml`` (None: there is none)."""

    key: OfficeKey
    files: FilesRead
    evaluation: str | None


def read_office(
    folder: str | os.PathLike[str], env: str | None, as_of: int | dt.date | None
) -> OfficeRead | None:
    """The office in ``folder`` (as the batch names it) read once, with its key: ``env``
    (:func:`environment`), ``as_of`` and its files' contents; None without ``env`` or when
    a file cannot be read as a regular file within the size limit (nothing is kept then:
    the loader reads it and says why)."""
    if env is None:
        return None
    place = os.fspath(folder)
    agreement = read_file(os.path.join(place, AGREEMENT_FILE))
    if agreement is None:
        return None
    optional: list[tuple[bytes, str] | None] = []  # the report and the evaluation, if any
    for file in (REPORT_FILE, EVALUATION_FILE):
        path = os.path.join(place, file)
        content = None
        if os.path.lexists(path):
            content = read_file(path)
            if content is None:
                return None
        optional.append(content)
    report = optional[0]
    hashes = [None if c is None else c[1] for c in optional]
    name = cache.files_key(KIND, env, place, repr(as_of))
    key = (name, cache.files_key(agreement[1], *hashes))
    files = FilesRead(*agreement, *(report or (None, None)))
    return OfficeRead(key, files, hashes[1])


def office_key(
    folder: str | os.PathLike[str], env: str | None, as_of: int | dt.date | None
) -> OfficeKey | None:
    """The key of :func:`read_office`; None without one."""
    read = read_office(folder, env, as_of)
    return None if read is None else read.key


def fetch_pickled(key: OfficeKey | None) -> bytes | None:
    """What was kept under ``key``, still pickled; None (no key, no entry, an entry of
    other contents, damaged). A worker looking offices up hands this on as it is: the
    process that orders the results unpickles it once (:mod:`apacore.batch`)."""
    if key is None:
        return None
    name, contents = key
    hit = cache.fetch(KIND, name, touch=True)
    if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == contents:
        pickled = hit[1]
        return pickled if isinstance(pickled, bytes) else None
    return None


def fetch(key: OfficeKey | None) -> object | None:
    """What was kept under ``key``, unpickled (:func:`fetch_pickled`); None also when it
    cannot be. The caller checks what it is (:mod:`apacore.batch`)."""
    return unpickled(fetch_pickled(key))


def unpickled(pickled: bytes | None) -> object | None:
    """A kept value from :func:`fetch_pickled`; None if it cannot be unpickled (kept by
    another apacore, classes that moved)."""
    if pickled is None:
        return None
    try:  # the C unpickler, as apacore.cache reads entries
        from _pickle import loads
    except ImportError:  # pragma: no cover - an interpreter without it
        from pickle import loads
    try:
        value: object = loads(pickled)
    except Exception:  # anything unreadable is simply not kept
        return None
    return value


def store(read: OfficeRead | None, value: object, *, folder: str | os.PathLike[str]) -> None:
    """Keep ``value``, computed from ``read`` (the office in ``folder`` as
    :func:`read_office` read it, parsed from its bytes), under its key: not if its
    ``evaluation.toml``, which the scoring reads itself, is not what the key holds."""
    if read is None:
        return
    evaluation = os.path.join(os.fspath(folder), EVALUATION_FILE)
    if read.evaluation is None:
        if os.path.lexists(evaluation):
            return
    else:
        now = read_file(evaluation)
        if now is None or now[1] != read.evaluation:
            return
    import pickle

    name, contents = read.key
    pickled = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    cache.store(KIND, name, (contents, pickled), keep=0)


UNUSED_DAYS = 30
"""A batch's entries (results, checked agreements) neither written nor read for this many
days are removed when a batch ends: another apacore's, a folder gone, a year closed."""


def prune() -> None:
    """Remove the results and checked agreements unused for :data:`UNUSED_DAYS` days
    (a batch, once it has finished: what it wrote or read is new); then move the
    database's log into it (:func:`apacore.cache.checkpoint`): what this batch wrote is
    then written where it belongs by this batch, not by the next one to open it."""
    from apacore.loading.office_cache import AGREEMENT_KIND

    for kind in (KIND, AGREEMENT_KIND):
        cache.prune_unused(kind, UNUSED_DAYS * 86400)
    cache.checkpoint()
    cache.close()
