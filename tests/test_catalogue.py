"""The catalogue of hostile input (issue 11): every case is one line and an exit status.

``tests/catalogue/<group>/<case>/`` holds the bad files of one case and a ``case.toml``:

* ``args``: the command line (``{dir}`` is the case's folder, copied to a temporary one);
* ``status``: the exit status (2 for a mistake in the input; 1 for ``import`` rows);
* ``stderr``: the exact standard error, with ``{dir}``: one ``apacore: error:`` line for
  status 2; for ``import`` with status 1, the summary and one line per row not read;
* ``base`` (optional): ``"office"`` (the default) first copies ``catalogue/_base``
  (a small valid office the case's files then replace), ``"none"`` copies nothing;
* ``env`` (optional): environment variables for the run;
* ``note`` (optional): what the case is about, where the name does not say it;
* ``stdout_has`` / ``stdout_lacks`` (optional): text standard output must / must not hold
  (what apacore writes for others to open: a CSV cell, a JSON string);
* ``rename`` (optional): folder → the bytes (hex) of its new name, for names git cannot
  hold everywhere (not UTF-8);
* ``nest`` (optional): folder → how many folders deep to move it;
* ``unreadable`` (optional): folders that cannot be listed (as for a user without the
  permission; the test may run as root, whom no permission stops);
* ``cache`` (optional): ``"fifo"`` runs the command once with the on-disk cache in a
  folder of the case's, puts a named pipe in the place of every entry it wrote (and of
  its database and the database's log), and runs it again (the run that is checked).

A ``plugin.py`` in the case folder is registered as a plugin for the run. A file that
must be a link is written in git as a link. Every case must fail the same way each time:
no traceback, no hang, no silent acceptance, no partial file (a case that writes with
``-o`` also checks that no temporary file is left beside the target).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from apacore.cli import main
from apacore.plugins import host as plugins

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CATALOGUE = Path(__file__).resolve().parent / "catalogue"
CASES = sorted(p.parent for p in CATALOGUE.glob("*/*/case.toml"))


def prepare(case: Path, work: Path) -> dict[str, Any]:
    """Copy the case (over the base office unless ``base = "none"``) to ``work``."""
    spec = tomllib.loads((case / "case.toml").read_text("utf-8"))
    if spec.get("base", "office") == "office":
        shutil.copytree(CATALOGUE / "_base", work)
    else:
        work.mkdir()
    for item in case.iterdir():  # the case's own files (or folders, or links) replace the base's
        target = work / item.name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif os.path.lexists(target):
            target.unlink()
    shutil.copytree(case, work, symlinks=True, dirs_exist_ok=True)
    (work / "case.toml").unlink()
    for name, hex_name in spec.get("rename", {}).items():
        os.rename(
            os.fsencode(work / name), os.path.join(os.fsencode(work), bytes.fromhex(hex_name))
        )
    for name, depth in spec.get("nest", {}).items():
        deep = work
        for _ in range(depth):  # one level at a time: os.makedirs recurses
            deep = deep / "x"
            deep.mkdir()
        os.rename(work / name, deep / name)
    return spec


def everything(folder: Path) -> set[Path]:
    """Every file and folder below ``folder``, without recursion (``rglob`` recurses)."""
    found, stack = set(), [folder]
    while stack:
        for entry in os.scandir(stack.pop()):
            found.add(Path(entry.path))
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
    return found


def remove_deep(folder: Path) -> None:
    """Remove a tree too deep for ``shutil.rmtree`` (which recurses), deepest first."""
    for path in sorted(everything(folder), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        else:
            path.unlink()
    folder.rmdir()


def run(
    work: Path, spec: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Run the case's command line in ``work``: (exit status, standard error, output)."""
    args = [a.replace("{dir}", str(work)) for a in spec["args"]]
    saved = {k: os.environ.get(k) for k in spec.get("env", {})}
    os.environ.update(spec.get("env", {}))
    plugin = None
    if (work / "plugin.py").exists():
        module_spec = importlib.util.spec_from_file_location("catalogue_plugin", work / "plugin.py")
        assert module_spec is not None and module_spec.loader is not None
        plugin = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(plugin)
    plugins.reset()
    try:
        if plugin is not None:
            try:
                plugins.register_plugin(plugin, name="catalogue-plugin")
            except Exception as exc:  # registering is part of the case
                from apacore.errors import ApacoreError

                assert isinstance(exc, ApacoreError), f"registering raised {exc!r}"
                print(f"apacore: error: {exc}", file=sys.stderr)
                return 2, capsys.readouterr().err, ""
        try:
            status = main(args)
        except SystemExit as exc:  # argparse
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return status, captured.err, captured.out
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        plugins.reset()


def _cache_of_pipes(
    work: Path, spec: dict[str, Any], capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> None:
    """Fill an on-disk cache by a first run; then a named pipe in each entry's place."""
    from apacore import cache
    from apacore.loading import rulesets

    folder = work.parent / "cache"
    mp.setenv(cache.ENV_CACHE_DIR, str(folder))
    mp.delenv(cache.ENV_NO_CACHE, raising=False)
    rulesets.clear_cache()
    assert run(work, spec, capsys)[0] == spec["status"]
    entries = list(folder.glob("*/*.pickle"))
    assert entries, "the first run wrote no cache entry"
    cache.reset()  # this process's connection to the database, which becomes a pipe too
    entries += list(folder.glob(f"{cache.DATABASE}*"))
    assert folder / cache.DATABASE in entries, "the first run kept no checked agreement"
    for entry in entries:
        entry.unlink()
        os.mkfifo(entry)
    rulesets.clear_cache()  # what this process loaded: the next run must read the disk


def test_the_catalogue_is_large() -> None:
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_case(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / case.name
    monkeypatch.chdir(tmp_path)
    spec = prepare(case, work)
    before = everything(work)
    locked = {str(work / name) for name in spec.get("unreadable", [])}
    if locked:
        scandir = os.scandir

        def unreadable(path: Any = ".") -> Any:
            if os.fspath(path) in locked:
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return scandir(path)

        monkeypatch.setattr(os, "scandir", unreadable)
    try:
        if spec.get("cache") == "fifo":
            _cache_of_pipes(work, spec, capsys, monkeypatch)
        status, err, out = run(work, spec, capsys)
    finally:
        monkeypatch.undo()
        if spec.get("nest"):  # pytest's clean-up recurses per level
            remove_deep(work / "x")
    expected = spec["stderr"].replace("{dir}", str(work))
    assert (status, err) == (spec["status"], expected)
    for text in spec.get("stdout_has", []):
        assert text in out
    for text in spec.get("stdout_lacks", []):
        assert text not in out
    if status == 2:
        assert err.count("\n") == 1 or spec["args"] == [], "one line"
        assert err.startswith("apacore: error: ") or spec["args"] == []
    assert "Traceback" not in err
    left = everything(work) - before
    assert not [p for p in left if p.name.startswith(".") and p.name.endswith(".tmp")]
    for written in (p for p in left if p.suffix == ".toml"):
        tomllib.loads(written.read_text("utf-8"))  # what apacore writes is always valid
