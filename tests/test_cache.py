"""The on-disk cache: a validated ruleset is kept by the hash of what it depends on, and
a damaged, altered or switched-off cache never changes an answer."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from apacore import cache
from apacore.errors import RulesetError
from apacore.loading import rulesets
from apacore.loading.rulesets import load_ruleset

DATA = Path(__file__).parent / "data"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(folder))
    monkeypatch.delenv(cache.ENV_NO_CACHE, raising=False)
    rulesets.clear_cache()
    yield folder
    rulesets.clear_cache()


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / "rulesets").glob("*.pickle"))


def _copy_ruleset(tmp_path: Path) -> Path:
    target = tmp_path / "ruleset"
    shutil.copytree(DATA / "mini-ruleset", target)
    return target


def test_a_validated_ruleset_is_kept_and_read_back(cache_dir: Path, tmp_path: Path) -> None:
    folder = _copy_ruleset(tmp_path)
    first = load_ruleset(folder)
    assert len(_entries(cache_dir)) == 1
    rulesets.clear_cache()  # as a new process would start
    second = load_ruleset(folder)
    assert second == first and second is not first
    assert second.sha256 == first.sha256 and second.path == folder


def test_a_changed_file_is_a_new_key(cache_dir: Path, tmp_path: Path) -> None:
    folder = _copy_ruleset(tmp_path)
    first = load_ruleset(folder)
    main = folder / "ruleset.toml"
    main.write_text(main.read_text("utf-8") + "\n# a comment\n", "utf-8")
    rulesets.clear_cache()
    assert load_ruleset(folder).sha256 == first.sha256  # comments do not change the pin
    assert len(_entries(cache_dir)) == 2
    main.write_text(main.read_text("utf-8").replace("version =", "versio ="), "utf-8")
    rulesets.clear_cache()
    with pytest.raises(RulesetError):  # a broken file is never answered from the cache
        load_ruleset(folder)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-5] + b"XXXXX",  # altered payload: checksum differs
        lambda data: b"",  # empty
        lambda data: b"apacore-cache 1\nnot-a-digest\n" + data,  # wrong digest
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(
    cache_dir: Path, tmp_path: Path, damage: object
) -> None:
    folder = _copy_ruleset(tmp_path)
    first = load_ruleset(folder)
    (entry,) = _entries(cache_dir)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))  # type: ignore[operator]
    rulesets.clear_cache()
    assert load_ruleset(folder) == first
    assert entry.read_bytes() == good


def test_a_valid_pickle_of_something_else_is_not_trusted(cache_dir: Path, tmp_path: Path) -> None:
    folder = _copy_ruleset(tmp_path)
    first = load_ruleset(folder)
    (entry,) = _entries(cache_dir)
    key = entry.stem
    cache.store("rulesets", key, {"not": "a ruleset"})
    rulesets.clear_cache()
    assert load_ruleset(folder) == first


def test_the_cache_can_be_switched_off(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.ENV_NO_CACHE, "1")
    load_ruleset(_copy_ruleset(tmp_path))
    assert not cache_dir.exists()
    assert cache.fetch("rulesets", "anything") is None


def test_an_unwritable_cache_folder_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(blocker / "cache"))
    rulesets.clear_cache()
    assert load_ruleset(_copy_ruleset(tmp_path)).fiscal_year == "2024-25"
    rulesets.clear_cache()


def test_the_platform_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(cache.ENV_CACHE_DIR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "apacore"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "apacore"


def test_the_entry_point_scan_is_kept_with_the_state_of_sys_path(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import importlib.metadata

    from apacore.plugins import host as plugins

    first = plugins._installed_entry_points()
    assert list((cache_dir / "entry-points").glob("*.pickle"))

    def no_scan(**kwargs: object) -> object:
        raise AssertionError("scanned again")

    monkeypatch.setattr(importlib.metadata, "entry_points", no_scan)
    assert plugins._installed_entry_points() == first  # from the cache
    newly_installed = tmp_path / "site"
    newly_installed.mkdir()
    monkeypatch.syspath_prepend(str(newly_installed))
    with pytest.raises(AssertionError, match="scanned again"):  # another sys.path: scan
        plugins._installed_entry_points()


def test_old_entries_are_pruned(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 3)
    for i in range(5):
        cache.store("things", f"key{i}", i)
    kept = sorted(p.stem for p in (cache_dir / "things").glob("*.pickle"))
    assert len(kept) == 3 and "key4" in kept
    assert cache.fetch("things", "key4") == 4


def test_only_a_regular_file_is_read_as_an_entry(cache_dir: Path) -> None:
    """A named pipe in an entry's place once blocked ``apacore score`` for ever."""
    cache.store("kind", "key", [1, 2])
    entry = cache_dir / "kind" / "key.pickle"
    assert cache.fetch("kind", "key") == [1, 2]
    entry.unlink()
    os.mkfifo(entry)
    assert cache.fetch("kind", "key") is None  # at once: no writer is waited for
    entry.unlink()
    entry.mkdir()
    assert cache.fetch("kind", "key") is None


def test_keys_hold_apacore_s_version(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another version's entry-point entries (4-tuples where 3 were) gave a ValueError."""
    import apacore._version
    from apacore.plugins import host

    seen: list[tuple[object, ...]] = []
    monkeypatch.setattr(cache, "files_key", lambda *parts, **_: seen.append(parts) or "k")
    monkeypatch.setattr(cache, "fetch", lambda kind, key: [])
    host._installed_entry_points()
    monkeypatch.setattr(apacore._version, "__version__", "99.0")  # where the code reads it
    host._installed_entry_points()
    assert seen[0] != seen[1] and "99.0" in seen[1]
    cache.code_fingerprint.cache_clear()
    assert ("apacore 99.0", 0, 0) in cache.code_fingerprint()
    cache.code_fingerprint.cache_clear()


def _same_time_and_size(file: Path, text: str) -> None:
    """Rewrite ``file`` with ``text`` of the same length, its modification time kept."""
    before = file.stat()
    assert len(text.encode()) == before.st_size
    file.write_text(text, "utf-8")
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_plugin_module_edited_with_its_time_kept_is_a_new_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fingerprint of the plugins reads the bytes of every module of the plugin's
    package (a validator in a submodule), not their modification times."""
    import importlib

    from apacore.plugins import host

    package = tmp_path / "apacore_probe_plugin"
    package.mkdir()
    (package / "__init__.py").write_text("from apacore_probe_plugin.checks import *\n")
    (package / "checks.py").write_text("LIMIT = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("apacore_probe_plugin")
    host.reset()
    try:
        host.register_plugin(module, name="probe")
        before = host.plugins_fingerprint()
        _same_time_and_size(package / "checks.py", "LIMIT = 2\n")
        assert host.plugins_fingerprint() == before  # the code running is the code loaded
        host._files_digest.cache_clear()  # as a new process
        after = host.plugins_fingerprint()
        assert after != before
        assert [p for p in after if p[0] != "probe"] == [p for p in before if p[0] != "probe"]
    finally:
        host.reset()
        sys.modules.pop("apacore_probe_plugin", None)
        sys.modules.pop("apacore_probe_plugin.checks", None)


def test_an_edited_entry_points_file_is_a_new_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apacore.plugins import host

    dist = tmp_path / "probe-1.0.dist-info"
    dist.mkdir()
    (dist / "entry_points.txt").write_text("[apacore]\nprobe = probe.a:x\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    before = host._metadata_state()
    _same_time_and_size(dist / "entry_points.txt", "[apacore]\nprobe = probe.b:x\n")
    assert host._metadata_state() != before
