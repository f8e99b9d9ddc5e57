"""The on-disk cache of a loaded and checked office (:func:`apacore.loading.agreements.load_office`).

Reading an office is most of a cold ``apacore score``: parsing its TOML, structuring it
into the model (cattrs) and checking it against its ruleset and the plugins. None of that
changes while the files, apacore and the plugins stay the same, so the checked agreement
and report are kept in the on-disk cache (:mod:`apacore.cache`: checksummed, atomic,
off with ``APACORE_NO_CACHE``) under a key that hashes

- the bytes of ``agreement.toml`` and of ``report.toml`` (or that there is none),
- Python's version and apacore's own code (:func:`apacore.cache.code_fingerprint`),
- the plugins registered (:func:`apacore.plugins.host.plugins_fingerprint`),

with the content hash of the ruleset they were checked against stored beside them: the
ruleset is always loaded (and pinned) afresh, and an entry checked against another
ruleset is not used. Only what was read is kept, never a score: the scorecard is computed
on every run. A plugin registered at run time (:func:`apacore.plugins.host.register_plugin`,
tests and notebooks) may be an object that changes without its file changing, so while
one is registered the cache is not used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from apacore import cache

if TYPE_CHECKING:
    from apacore.models import Agreement, ProgressReport

__all__ = ["KIND", "fetch", "key", "store"]

KIND = "offices"
"""The cache folder's sub-folder for offices."""


def key(agreement_path: Path, report_path: Path | None) -> str | None:
    """The cache key of an office's files, or None (cache off, a run-time plugin, a file
    that cannot be read: the loader then reads the files and says what is wrong)."""
    if not cache.enabled():
        return None
    import sys

    from apacore.plugins.host import plugins_fingerprint, registered_at_run_time

    if registered_at_run_time():
        return None
    files = (agreement_path,) if report_path is None else (agreement_path, report_path)
    try:
        return cache.files_key(
            KIND,
            sys.version,
            cache.code_fingerprint(),
            plugins_fingerprint(),
            report_path is not None,
            files=files,
        )
    except OSError:
        return None


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
    *,
    files: tuple[Path, Path | None],
) -> None:
    """Keep a checked agreement and report under ``office_key``, the key of ``files``
    (agreement, report) before they were read. Nothing is kept without a key, nor if the
    files changed while they were read (their key now differs)."""
    if office_key is not None and key(*files) == office_key:
        cache.store(KIND, office_key, (agreement, report, ruleset_sha256))
