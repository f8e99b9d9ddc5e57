"""The built wheel ships the rulesets and loads them to the same hashes as the source tree.

The project is copied to a temporary folder first (pyproject.toml, src/ with its
``src/apacore/rulesets -> ../../rulesets`` symlink kept as a symlink, rulesets/), so that
building writes no ``build/`` or ``*.egg-info`` into the working tree other people use.
The wheel is installed with ``--no-deps --no-index`` into a fresh venv whose path ends
with the running environment's site-packages (attrs, cattrs, pluggy, python-dateutil), and is
imported from outside the repository with PYTHONPATH unset.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

from apacore import __version__
from apacore.errors import ApacoreError
from apacore.loading.rulesets import load_ruleset

REPO = Path(__file__).resolve().parents[1]
SHIPPED = ("2023-24", "2024-25")
TIMEOUT = 600

PROBE = """
import json, sys
import apacore
from apacore import __version__
from apacore.errors import ApacoreError
from apacore.loading.rulesets import available_rulesets
out = {"file": apacore.__file__, "rulesets": {}}
for fy in sys.argv[1:]:
    try:
        rs = apacore.load_ruleset(fy)
    except ApacoreError as exc:
        out["rulesets"][fy] = {"error": [exc.path, exc.why]}
    else:
        out["rulesets"][fy] = {"sha256": rs.sha256, "path": str(rs.path)}
out["available"] = sorted(available_rulesets())
print(json.dumps(out))
"""


def _clean_env() -> dict[str, str]:
    """The environment without PYTHONPATH: with ``src`` on it, pip would take a stray
    ``src/apacore.egg-info`` for an installed apacore and skip the wheel."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["APACORE_LOAD_PLUGINS"] = ""
    return env


def _run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd, env=_clean_env()
    )


def _copy_project(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    dest.mkdir()
    for name in ("pyproject.toml", "setup.cfg", "setup.py", "MANIFEST.in", "README.md", "LICENSE"):
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, dest / name)
    for name in ("src", "rulesets"):
        shutil.copytree(REPO / name, dest / name, symlinks=True, ignore=ignore)
    return dest


def _build_wheel(project: Path, outdir: Path) -> Path:
    cmd = [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(project)]
    done = _run(cmd)
    if done.returncode != 0:  # no index reachable for the isolated build env: use ours
        first = done
        done = _run([*cmd, "--no-isolation", "--skip-dependency-check"])
        assert done.returncode == 0, (
            f"building the wheel failed\n--- isolated:\n{first.stdout}{first.stderr}"
            f"\n--- not isolated:\n{done.stdout}{done.stderr}"
        )
    wheels = sorted(outdir.glob("apacore-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _source_results() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for fy in SHIPPED:
        try:
            out[fy] = {"sha256": load_ruleset(fy).sha256}
        except ApacoreError as exc:
            out[fy] = {"error": [exc.path, exc.why]}
    return out


def test_wheel_ships_the_rulesets(tmp_path: Path) -> None:
    link = REPO / "src" / "apacore" / "rulesets"
    assert link.is_symlink() and link.resolve() == (REPO / "rulesets").resolve()

    project = _copy_project(tmp_path / "project")
    assert (project / "src" / "apacore" / "rulesets").is_symlink()
    wheel = _build_wheel(project, tmp_path / "dist")

    names = set(zipfile.ZipFile(wheel).namelist())
    assert "apacore/rulesets/2024-25/ruleset.toml" in names, sorted(names)
    source_files = {
        "apacore/rulesets/" + p.relative_to(REPO / "rulesets").as_posix()
        for p in (REPO / "rulesets").glob("*/**/*.toml")
    }
    source_files |= {
        "apacore/" + p.relative_to(REPO / "src" / "apacore").as_posix()
        for p in (REPO / "src" / "apacore" / "scaffold" / "templates").glob("*.j2")
    }  # what `apacore plugins new` writes from
    missing = sorted(source_files - names)
    assert not missing, f"the wheel lacks {missing}; it holds {sorted(names)}"

    venv = tmp_path / "venv"
    done = _run([sys.executable, "-m", "venv", str(venv)])
    assert done.returncode == 0, done.stderr
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    done = _run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            str(wheel),
        ]
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Successfully installed apacore" in done.stdout, done.stdout
    # The dependencies come from the running environment (itself perhaps a venv, whose
    # packages --system-site-packages would not see): its site-packages go on the new
    # venv's path after the venv's own, so the wheel's apacore is the one imported (added
    # only now: before, pip would take the running environment's apacore as installed).
    done = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    assert done.returncode == 0, done.stderr
    parents = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(done.stdout.strip()) / "_running_env.pth").write_text("\n".join(parents) + "\n")

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    done = _run([str(python), "-c", PROBE, *SHIPPED], cwd=outside)
    assert done.returncode == 0, done.stderr
    probe = json.loads(done.stdout)

    installed = Path(probe["file"]).resolve()
    assert installed.is_relative_to(venv.resolve()), installed
    assert not installed.is_relative_to(REPO), installed
    assert set(SHIPPED) <= set(probe["available"])
    assert probe["rulesets"].keys() == set(SHIPPED)
    source = _source_results()
    for fy in SHIPPED:
        got = dict(probe["rulesets"][fy])
        path = got.pop("path", None)
        if path is not None:
            assert Path(path).resolve().is_relative_to(venv.resolve()), path
        assert got == source[fy], f"{fy}: installed {got} != source tree {source[fy]}"

    done = _run([str(bindir / "apacore"), "--version"], cwd=outside)
    assert (done.returncode, done.stdout.strip()) == (0, f"apacore {__version__}"), done.stderr
