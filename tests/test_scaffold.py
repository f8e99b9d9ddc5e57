"""``apacore plugins new``: the package it writes, its checks on names and folders, and (slow)
each kind of package installed into a fresh virtual environment with its own tests passing."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from apacore.cli import main
from apacore.loading.convert import tomllib
from apacore.scaffold import new_plugin, plugin_files, plugin_spec

KINDS = {
    "annex": ("apacore-procurement", ["--annex", "procurement"]),
    "method": ("apacore-best-quarter", ["--method", "best_quarter"]),
    "rule": ("apacore-target-met", ["--rule", "target_met"]),
}


def _fails(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == f"apacore: error: {message}\n", err


def test_it_writes_the_package_and_lists_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["plugins", "new", "apacore-procurement", "--annex", "procurement", "-o", str(tmp_path)]
    assert main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"wrote {tmp_path / 'apacore-procurement'}:"
    folder = tmp_path / "apacore-procurement"
    written = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert written == sorted(line.strip() for line in out[1:])
    assert written == [
        ".gitignore",
        "README.md",
        "example/agreement.toml",
        "example/report.toml",
        "pyproject.toml",
        "src/apacore_procurement/__init__.py",
        "src/apacore_procurement/py.typed",
        "tests/conftest.py",
        "tests/test_apacore_procurement.py",
    ]
    project = tomllib.loads((folder / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["entry-points"]["apacore"] == {"procurement": "apacore_procurement"}
    assert project["project"]["dependencies"] == ["apacore>=0.1,<0.2"]
    assert not list(tmp_path.glob(".apacore-*"))  # the staging folder is gone


@pytest.mark.parametrize(
    "flags",
    [
        {"annex": "procurement"},
        {"method": "best_quarter"},
        {"rule": "target_met"},
        {"annex": "procurement", "method": "best_quarter", "rule": "target_met"},
        {"annex": "procurement", "rule": "target_met"},
        {"method": "best_quarter", "rule": "target_met"},
    ],
    ids=lambda f: "+".join(f),
)
def test_every_combination_renders_valid_python_and_toml(flags: dict[str, str]) -> None:
    files = plugin_files(plugin_spec("apacore-ministry", **flags))
    for path, text in files.items():
        if path.endswith(".py"):
            ast.parse(text, filename=path)
        elif path.endswith(".toml"):
            tomllib.loads(text)
    module = files["src/apacore_ministry/__init__.py"]
    for what, name in flags.items():
        assert f'"{name}"' in module, what
    agreement = files["example/agreement.toml"]
    assert ('kind = "procurement"' in agreement) == ("annex" in flags)
    assert (f'method = "{flags.get("method", "sum")}"') in agreement


def test_it_never_overwrites_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["plugins", "new", "apacore-x", "--rule", "target_met", "-o", str(tmp_path)]
    assert main(argv) == 0
    readme = tmp_path / "apacore-x" / "README.md"
    readme.write_text("mine", "utf-8")
    (tmp_path / "apacore-x" / "notes.txt").write_text("kept", "utf-8")
    _fails(capsys, argv, f"{tmp_path / 'apacore-x'}: exists already; use --force to write over it")
    assert readme.read_text("utf-8") == "mine"
    assert main([*argv, "--force"]) == 0
    assert readme.read_text("utf-8") != "mine"
    assert (tmp_path / "apacore-x" / "notes.txt").read_text("utf-8") == "kept"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["Apacore_X", "--rule", "r"], "NAME: 'Apacore_X' is not a valid plugin name"),
        (["apacore--x", "--rule", "r"], "NAME: 'apacore--x' is not a valid plugin name"),
        (["apacore", "--rule", "r"], "NAME: 'apacore' is taken; choose another name"),
        (
            ["apacore-x"],
            "NAME: say what the plugin adds: --annex KIND, --method NAME and/or --rule NAME",
        ),
        (["apacore-x", "--annex", "egov"], "--annex: 'egov' is a built-in annex kind of apacore"),
        (["apacore-x", "--method", "sum"], "--method: 'sum' is a built-in calculation method"),
        (["apacore-x", "--rule", "tiers"], "--rule: 'tiers' is a built-in scoring rule"),
        (
            ["apacore-x", "--rule", "Target Met"],
            "--rule: 'Target Met' is not a valid scoring rule name",
        ),
        (["apacore-x", "--annex", "4ir"], "--annex: '4ir' is not a valid annex kind name"),
    ],
)
def test_bad_names_are_one_line_and_exit_2(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plugins", "new", *argv, "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"apacore: error: {message}") and err.count("\n") == 1, err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_missing_output_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    _fails(
        capsys,
        ["plugins", "new", "apacore-x", "--rule", "r", "-o", str(missing)],
        f"{missing}: no such folder",
    )


def test_bare_plugins_still_lists(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins"]) == 0
    assert capsys.readouterr().out.startswith("apacore.builtins.annexes 0.1.0 (built-in)\n")


def test_the_library_returns_the_folder(tmp_path: Path) -> None:
    folder, files = new_plugin("apacore-y", method="best_quarter", folder=tmp_path)
    assert folder == tmp_path / "apacore-y" and "pyproject.toml" in files


@pytest.mark.slow
def test_each_kind_installs_into_a_fresh_venv_and_its_own_tests_pass(tmp_path: Path) -> None:
    """``--annex``, ``--method``, ``--rule``: written, pip-installed (with build isolation:
    setuptools from the package index) into a fresh virtual environment that sees this
    environment's apacore and its dependencies through a ``.pth`` file (so nothing but
    the new packages is installed, and nothing is downloaded but setuptools), then each
    package's own tests and ``apacore score example``."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    ours = dict.fromkeys(p for p in sys.path if p.endswith("-packages") and Path(p).is_dir())
    lines = [f"import site; site.addsitedir({p!r})" for p in ours]
    Path(purelib, "apacore-under-test.pth").write_text("\n".join(lines) + "\n", "utf-8")
    packages = []
    for name, flags in KINDS.values():
        assert main(["plugins", "new", name, *flags, "-o", str(tmp_path)]) == 0
        packages.append(str(tmp_path / name))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("APACORE_LOAD", "PYTHONPATH"))}
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", "--no-deps", *packages],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr
    for kind, (name, _) in KINDS.items():
        folder = tmp_path / name
        tests = subprocess.run(
            [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=folder, env=env, capture_output=True, text=True,
        )  # fmt: skip
        assert tests.returncode == 0, f"{kind}:\n{tests.stdout[-3000:]}{tests.stderr[-3000:]}"
        assert " passed" in tests.stdout and "skipped" not in tests.stdout, tests.stdout
        entry_point = name.removeprefix("apacore-")
        score = subprocess.run(
            [str(python), "-m", "apacore", "score", "example", "--lang", "bn"],
            cwd=folder, env={**env, "APACORE_LOAD_PLUGINS": entry_point},
            capture_output=True, text=True,
        )  # fmt: skip
        assert score.returncode == 0, score.stderr
        if kind == "annex":
            assert "নতুন কর্মপরিকল্পনা: " in score.stdout, score.stdout
