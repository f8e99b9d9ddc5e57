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

so it is kept in the on-disk cache (:mod:`apacore.cache`: checksummed, atomic, off with
``APACORE_NO_CACHE``) under a key hashing all of these (:func:`office_key`), and a batch
reads it back instead of reading the office again: a file changed, a ruleset or plugin
changed, apacore upgraded, is another key, never a stale result. The checked agreement is
kept on its own (:func:`apacore.loading.office_cache.agreement_key`), so an office whose
report changed reads and checks only its report.

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

from apacore import cache
from apacore.errors import ApacoreError
from apacore.limits import MAX_FILE_BYTES

__all__ = [
    "KIND",
    "UNUSED_DAYS",
    "OfficeKey",
    "environment",
    "fetch",
    "fetch_pickled",
    "office_key",
    "prune",
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


def _content(path: str) -> str | None:
    """The content hash of a regular file of at most :data:`MAX_FILE_BYTES`; None for
    anything else (a folder, a pipe, a device, a file too big or unreadable)."""
    read = cache.read_regular(path, MAX_FILE_BYTES)
    if read is None or len(read[0]) > MAX_FILE_BYTES:
        return None
    return cache.content_hash(read[0])


OfficeKey = tuple[str, str]
"""An office's entry name (its folder as named, as_of, the environment) and the digest of
its files' contents, kept inside the entry: one entry per office, replaced when a file
changes, so that the cache does not grow as reports arrive."""


def office_key(
    folder: str | os.PathLike[str], env: str | None, as_of: int | dt.date | None
) -> OfficeKey | None:
    """The key of the office in ``folder`` (as the batch names it): ``env``
    (:func:`environment`), ``as_of`` and its files' contents; None without ``env`` or when
    a file cannot be read as a regular file."""
    if env is None:
        return None
    place = os.fspath(folder)
    agreement = _content(os.path.join(place, AGREEMENT_FILE))
    if agreement is None:
        return None
    optional = []  # the report and the superior office's evaluation, where there are
    for file in (REPORT_FILE, EVALUATION_FILE):
        path = os.path.join(place, file)
        content = None
        if os.path.lexists(path):
            content = _content(path)
            if content is None:
                return None
        optional.append(content)
    name = cache.files_key(KIND, env, place, repr(as_of))
    return name, cache.files_key(agreement, *optional)


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


def store(
    key: OfficeKey | None,
    value: object,
    *,
    folder: str | os.PathLike[str],
    env: str | None,
    as_of: int | dt.date | None,
) -> None:
    """Keep ``value`` under ``key``, the :func:`office_key` of ``folder`` before its files
    were read: not if they changed since."""
    if key is None or office_key(folder, env, as_of) != key:
        return
    import pickle

    name, contents = key
    pickled = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    cache.store(KIND, name, (contents, pickled), keep=0)


UNUSED_DAYS = 30
"""A batch's entries (results, checked agreements) neither written nor read for this many
days are removed when a batch ends: another apacore's, a folder gone, a year closed."""


def prune() -> None:
    """Remove the results and checked agreements unused for :data:`UNUSED_DAYS` days
    (a batch, once it has finished: what it wrote or read is new)."""
    from apacore.loading.office_cache import AGREEMENT_KIND

    for kind in (KIND, AGREEMENT_KIND):
        cache.prune_unused(kind, UNUSED_DAYS * 86400)
