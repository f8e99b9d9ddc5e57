"""Fiscal-year rulesets: loading, validating, pinning by content hash.

A ruleset is a folder: ``ruleset.toml`` (the year, its dates, the tier scale, the
policies, the 70/30 split, the annexes' APA weights, grades) and ``annexes/<kind>.toml``
(each annex's standard plan). Plugins offer folders of them through the
``ruleset_directories`` hook; apacore's own are shipped inside the package.

The pin is a SHA-256 of the ruleset's canonical content: the parsed, validated model as
JSON with sorted keys, so file order, whitespace and comments do not change it and
every value does.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apacore import cache
from apacore.errors import PinError, PluginError, RulesetError
from apacore.formatting import format_number
from apacore.models import Annex, RulesetSpec
from apacore.numbers import exact_sum, parse_fiscal_year
from apacore.plugins.contract import Ruleset
from apacore.plugins.host import (
    claim,
    generation,
    get_registry,
    plugins_fingerprint,
    ruleset_directories,
)

__all__ = [
    "Ruleset",
    "available_rulesets",
    "canonical_json",
    "clear_cache",
    "load_ruleset",
    "load_ruleset_dir",
    "offered_ruleset",
    "pin_hash",
    "ruleset_folder",
]

_FY_NAME = re.compile(r"^\d{4}-\d{2}$")


def _pruned(data: Any) -> Any:
    """Without absent values (None, "", empty lists and tables), so that a field a later
    apacore adds, absent from the files, does not change the hash of an old ruleset."""
    if isinstance(data, dict):
        out = {k: _pruned(v) for k, v in data.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(data, list):
        return [_pruned(v) for v in data]
    return data


_POLICIES_HASHED_WHEN_SET = {"not_applicable_scope": "annex", "lower_is_better_progress": "none"}
"""Policies added after rulesets were pinned: hashed only when a ruleset sets them otherwise."""


def canonical_json(spec: RulesetSpec, annexes: tuple[Annex, ...]) -> str:
    """The canonical content the pin hashes: sorted keys, no whitespace, annexes by kind,
    numbers in canonical form (6 and 6.0 are one value), absent values left out."""
    from apacore.loading.convert import unstructure  # cattrs: not needed when the cache answers

    ruleset = _pruned(unstructure(spec))
    policies = ruleset.get("policies", {})
    for key, default in _POLICIES_HASHED_WHEN_SET.items():
        if policies.get(key) == default:  # so that adding a policy keeps every pin valid
            del policies[key]
    content: dict[str, Any] = {
        "ruleset": ruleset,
        "annexes": {a.kind: _pruned(unstructure(a)) for a in annexes},
    }
    import json

    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _check_spec(spec: RulesetSpec, where: str) -> None:
    from apacore.loading.validation import check_fiscal_year  # not needed when the cache answers

    check_fiscal_year(spec, where=where, error=RulesetError)
    registry = get_registry()
    for kind, weight in spec.annex_weights.items():
        if kind not in registry.annex_types:
            raise RulesetError(
                f"unknown annex kind {kind!r} (known: {', '.join(sorted(registry.annex_types))})",
                where=where,
                path=f"$.annex_weights.{kind}",
            )
        if not weight > 0:
            raise RulesetError(
                f"must be > 0, got {weight}", where=where, path=f"$.annex_weights.{kind}"
            )
    total = exact_sum(spec.annex_weights.values())  # exact: never rounded at 28 digits
    if total != spec.governance_weight:
        raise RulesetError(
            f"annex weights add up to {format_number(total)}, but governance_weight is"
            f" {format_number(spec.governance_weight)}",
            where=where,
            path="$.annex_weights",
        )
    if spec.version not in spec.changelog:
        raise RulesetError(
            f"version {spec.version} has no changelog entry", where=where, path="$.changelog"
        )


def load_ruleset_dir(folder: Path, *, provider: str = "", sha256: str | None = None) -> Ruleset:
    """Load and validate the ruleset in ``folder`` (no cache); ``sha256`` pins its content
    (as :func:`load_ruleset`'s)."""
    if sha256 is not None:
        return _pinned(load_ruleset_dir(folder, provider=provider), sha256, str(folder))
    from apacore.loading.convert import read_toml, structure  # cattrs: not needed when cached
    from apacore.loading.validation import check_annex

    folder = Path(folder)
    if not folder.is_dir():
        raise RulesetError("not a ruleset folder (no such directory)", where=str(folder))
    main = folder / "ruleset.toml"
    if not main.is_file():
        raise RulesetError("not a ruleset folder (no ruleset.toml)", where=str(folder))
    where = str(main)
    spec = structure(
        read_toml(main, error=RulesetError), RulesetSpec, where=where, error=RulesetError
    )
    _check_spec(spec, where)
    if _FY_NAME.match(folder.name) and folder.name != spec.fiscal_year:
        raise RulesetError(
            f"says {spec.fiscal_year!r} but its folder is {folder.name!r}",
            where=where,
            path="$.fiscal_year",
        )
    registry = get_registry()
    annexes = []
    for file in sorted((folder / "annexes").glob("*.toml")):
        a_where = str(file)
        annex = structure(
            read_toml(file, error=RulesetError), Annex, where=a_where, error=RulesetError
        )
        if annex.kind != file.stem:
            raise RulesetError(
                f"kind {annex.kind!r} does not match the file name {file.name!r}",
                where=a_where,
                path="$.kind",
            )
        check_annex(
            annex,
            where=a_where,
            error=RulesetError,
            registry=registry,
            starts=spec.starts,
            ends=spec.ends,
        )
        expected = spec.annex_weights.get(annex.kind)
        if expected is None:
            raise RulesetError(
                f"annex {annex.kind!r} has no weight in ruleset.toml's [annex_weights]",
                where=a_where,
                path="$.kind",
            )
        if annex.apa_weight != expected:
            raise RulesetError(
                f"apa_weight {format_number(annex.apa_weight)} differs from ruleset.toml's"
                f" annex_weights.{annex.kind} = {format_number(expected)}",
                where=a_where,
                path="$.apa_weight",
            )
        annexes.append(annex)
    content = canonical_json(spec, tuple(annexes))
    import hashlib

    sha = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return Ruleset(spec=spec, annexes=tuple(annexes), sha256=sha, path=folder, provider=provider)


def available_rulesets() -> dict[str, tuple[str, Path]]:
    """Fiscal year → (plugin, folder) for every ruleset the plugins offer.

    Two plugins offering the same fiscal year is an error naming both.
    """
    found: dict[str, tuple[str, Path]] = {}
    for plugin, base in ruleset_directories():
        if not base.is_dir():
            raise PluginError(
                f"offers ruleset folder {base}, which does not exist", where=f"plugin {plugin}"
            )
        for sub in sorted(base.iterdir()):
            if (sub / "ruleset.toml").is_file():
                claim(found, sub.name, sub, plugin, "ruleset {}", shown=str, verb="offered")
    return found


@functools.lru_cache(maxsize=32)
def _load_cached(folder: str, provider: str, plugins_generation: int) -> Ruleset:
    """Loaded once per process; on disk, kept by the hash of everything it depends on: the
    folder's files, apacore's own code and the plugins registered (their checks and names)."""
    path = Path(folder)
    if not cache.enabled():
        return load_ruleset_dir(path, provider=provider)
    try:
        files = (path / "ruleset.toml", *sorted((path / "annexes").glob("*.toml")))
        key = cache.files_key(
            sys.version,
            str(path.resolve()),
            provider,
            cache.code_fingerprint(),
            plugins_fingerprint(),
            files=files,
        )
    except OSError:  # unreadable: let the loader say why
        return load_ruleset_dir(path, provider=provider)
    hit = cache.fetch("rulesets", key)
    if isinstance(hit, Ruleset) and hit.path == path and hit.provider == provider:
        return hit
    ruleset = load_ruleset_dir(path, provider=provider)
    cache.store("rulesets", key, ruleset)
    return ruleset


def _load(folder: Path, provider: str) -> Ruleset:
    """The ruleset in ``folder``, loaded once for the plugins registered now."""
    return _load_cached(str(folder), provider, generation())


def clear_cache() -> None:
    """Forget the loaded rulesets (in tests; a change of plugins is noticed by itself)."""
    _load_cached.cache_clear()
    _offered.clear()


_offered: dict[tuple[str, int], Ruleset] = {}
"""The rulesets :func:`offered_ruleset` found, by fiscal year and plugin generation."""


def offered_ruleset(fiscal_year: str, *, sha256: str | None = None) -> Ruleset | None:
    """The ruleset a plugin offers for ``fiscal_year`` (``2024-25``), pinned by ``sha256``
    as :func:`load_ruleset` pins it, or None when no plugin offers that year.

    Found and loaded once for the plugins registered now: a batch asks for every office,
    and listing the plugins' folders each time cost as much as checking a report. A year
    not found is looked for again at the next call; the pin is checked at every call."""
    key = (fiscal_year, generation())
    ruleset = _offered.get(key)
    if ruleset is None:
        offered = available_rulesets()
        if fiscal_year not in offered:
            return None
        plugin, folder = offered[fiscal_year]
        if any(k[1] != key[1] for k in _offered):  # the plugins changed: forget the others
            _offered.clear()
        ruleset = _offered[key] = _load(folder, plugin)
    return _pinned(ruleset, sha256, f"ruleset {fiscal_year}")


def ruleset_folder(
    name: str | os.PathLike[str], *, offered: Mapping[str, tuple[str, Path]] | None = None
) -> tuple[Path, str, str]:
    """Where the ruleset ``name`` is: (folder, the plugin offering it or ``""``, how an
    error names it). A fiscal year as :func:`apacore.numbers.parse_fiscal_year` reads it
    (``2024-25``, ``২০২৪-২৫``, ``২০২৪-২০২৫``) names a plugin's ruleset; anything else is
    a folder of one's own. ``offered``: :func:`available_rulesets`, if the caller has it."""
    fy = None if isinstance(name, os.PathLike) else parse_fiscal_year(name)
    if fy is None:
        return Path(name), "", str(name)
    if offered is None:
        offered = available_rulesets()
    if fy not in offered:
        known = ", ".join(sorted(offered)) or "none"
        raise RulesetError(
            f"no ruleset for fiscal year {fy!r} (available: {known})", argument="ruleset"
        )
    plugin, folder = offered[fy]
    return folder, plugin, f"ruleset {fy}"


def load_ruleset(
    name: str | os.PathLike[str],
    *,
    sha256: str | None = None,
    offered: Mapping[str, tuple[str, Path]] | None = None,
) -> Ruleset:
    """A fiscal year's ruleset (``"2024-25"``, ``"২০২৪-২০২৫"``) or a ruleset folder of
    one's own (a path).

    Loaded lazily, once, validated; ``sha256`` pins the content (64 hexadecimal digits,
    optionally after ``sha256:``): a ruleset whose hash differs is a
    :class:`~apacore.errors.PinError`. ``offered``: :func:`available_rulesets`, if the
    caller has it (a batch asks for every office).
    """
    folder, plugin, where = ruleset_folder(name, offered=offered)
    return _pinned(_load(folder, plugin), sha256, where)


_SHA256 = re.compile(r"[0-9a-f]{64}")


def pin_hash(text: str, *, where: str, path: str = "") -> str:
    """A pinned content hash as apacore compares it: 64 hexadecimal digits, any case,
    optionally after ``sha256:`` (as the score header and ``rulesets list`` write it).
    Anything else (a shortened hash, ``…``) is a :class:`~apacore.errors.PinError`
    saying it is not a SHA-256, never "the ruleset has changed"."""
    digest = text.strip().lower().removeprefix("sha256:").strip()
    if not _SHA256.fullmatch(digest):
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise PinError(
            f"{shown!r} is not a SHA-256: pin the full 64 hexadecimal digits"
            " (apacore rulesets list prints them), optionally after sha256:",
            where=where,
            path=path,
        )
    return digest


def _pinned(ruleset: Ruleset, sha256: str | None, where: str) -> Ruleset:
    """The one pin check: ``ruleset`` if its content hash is ``sha256`` (or none is
    pinned), else a :class:`~apacore.errors.PinError` naming ``where``."""
    if sha256 is None or sha256 == ruleset.sha256:  # pinned as apacore writes it
        return ruleset
    if pin_hash(sha256, where=where) != ruleset.sha256:
        raise PinError(
            f"content hash is {ruleset.sha256}, but {sha256} was pinned: the ruleset has changed",
            where=where,
        )
    return ruleset
