"""The on-disk cache of a loaded and checked evaluation, as
:mod:`apacore.loading.office_cache` keeps an office: scoring an office with an
``evaluation.toml`` a second time reads no TOML and imports no cattrs. The key hashes the
evaluation's bytes with the agreement's and the report's (it is checked against both),
Python's version, apacore's code and the plugins; the ruleset's content hash is stored
beside it and an entry checked against another ruleset is not used."""

from __future__ import annotations

from pathlib import Path

from apacore import cache
from apacore.evaluation.model import Evaluation

__all__ = ["KIND", "fetch", "key", "store"]

KIND = "evaluations"


def key(evaluation_path: Path, agreement_path: Path, report_path: Path | None) -> str | None:
    """The cache key of an evaluation with the office's files, or None (cache off, a
    run-time plugin, a file that cannot be read)."""
    if not cache.enabled():
        return None
    import sys

    from apacore.plugins.host import plugins_fingerprint, registered_at_run_time

    if registered_at_run_time():
        return None
    files = tuple(p for p in (evaluation_path, agreement_path, report_path) if p is not None)
    try:
        return cache.files_key(
            KIND, sys.version, cache.code_fingerprint(), plugins_fingerprint(), files=files
        )
    except OSError:
        return None


def fetch(evaluation_key: str | None, ruleset_sha256: str) -> Evaluation | None:
    """The evaluation kept under ``evaluation_key`` and checked against this ruleset."""
    if evaluation_key is None:
        return None
    hit = cache.fetch(KIND, evaluation_key)
    if isinstance(hit, tuple) and len(hit) == 2 and hit[1] == ruleset_sha256:
        evaluation = hit[0]
        if isinstance(evaluation, Evaluation):
            return evaluation
    return None


def store(
    evaluation_key: str | None,
    evaluation: Evaluation,
    ruleset_sha256: str,
    *,
    files: tuple[Path, Path, Path | None],
) -> None:
    """Keep a checked evaluation, unless the files changed while they were read."""
    if evaluation_key is not None and key(*files) == evaluation_key:
        cache.store(KIND, evaluation_key, (evaluation, ruleset_sha256))
