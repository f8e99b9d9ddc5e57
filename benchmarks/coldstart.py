"""Cold start of the command line, as ratios to a bare ``python -c pass`` in the same run.

    python benchmarks/coldstart.py [--runs 21] [--example examples/dakop-2024-25]

Prints, for ``apacore --version`` and ``apacore score EXAMPLE`` (as a table and as JSON;
``score`` with the on-disk cache switched off; and, as floors, importing attrs, the
model alone, and every module outside apacore that ``score`` imports), the median wall time of new processes run interleaved with
``python -c pass`` from the same interpreter, and the ratio of the medians; then the
modules that take longest to import (``python -X importtime``) for ``score``.

Every process starts cold (a new interpreter); the on-disk cache
(:mod:`apacore.cache`: the ruleset, the entry points and the checked office) lives in a
temporary folder that one warm-up run fills, as a first ``apacore score`` on a machine
would; the score itself is computed by every run. Bytecode is compiled first (as ``pip
install`` does), whatever ``PYTHONDONTWRITEBYTECODE`` says. Figures are printed,
never asserted: the machine's load changes them.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_THIRD_PARTY = {
    "attr",
    "attrs",
    "cattrs",
    "pluggy",
    "wcwidth",
    "tomli",
    "dateutil",
    "tqdm",
    "jinja2",
}


def _script() -> list[str]:
    """The installed ``apacore`` command next to this interpreter, else ``-m apacore``."""
    script = Path(sys.executable).parent / "apacore"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "apacore"]


def _run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _import_rows(cmd: list[str], env: dict[str, str]) -> list[tuple[int, str]]:
    """(cumulative µs, name indented by depth) of every module ``cmd`` imports, in the
    order ``python -X importtime`` reports them."""
    python_cmd = [
        sys.executable,
        "-X",
        "importtime",
        *(cmd[1:] if cmd[0] == sys.executable else cmd),
    ]
    err = subprocess.run(python_cmd, env=env, capture_output=True, text=True, check=True).stderr
    rows = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:") :].split("|")
        rows.append((int(cumulative), name.rstrip()))
    return rows


def _importtime(rows: list[tuple[int, str]], top: int) -> list[str]:
    """The ``top`` modules by cumulative import time, outermost first."""
    total = sum(c for c, name in rows if not name.startswith("  "))
    shown = [f"{c / 1000:7.1f} ms  {name}" for c, name in sorted(rows, reverse=True)[:top]]
    return [f"{total / 1000:7.1f} ms  (all top-level imports)", *shown]


def _outside_modules(rows: list[tuple[int, str]]) -> list[str]:
    """The modules imported that are not apacore's own (the standard library and the
    third-party packages), in the order they were imported."""
    names: list[str] = []
    for _, name in rows:
        name = name.strip()
        if name.partition(".")[0] not in ("apacore", "__main__") and name not in names:
            names.append(name)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--example", default=str(ROOT / "examples" / "dakop-2024-25"))
    parser.add_argument("--top", type=int, default=15, help="modules to list from -X importtime")
    args = parser.parse_args()

    compileall.compile_dir(str(ROOT / "src" / "apacore"), quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("APACORE_NO_CACHE", None)
    cache = tempfile.mkdtemp(prefix="apacore-coldstart-")
    env["APACORE_CACHE_DIR"] = cache
    no_cache = {**env, "APACORE_NO_CACHE": "1"}
    apacore = _script()
    # the floor of any score path built on the same libraries: importing, and doing nothing
    # else, every module outside apacore that ``apacore score`` imports
    _run([*apacore, "score", args.example], env)  # fills the cache first
    rows = _import_rows([*apacore, "score", args.example], env)
    outside = _outside_modules(rows)
    import_outside = f"for m in {outside!r}:\n try: __import__(m)\n except Exception: pass"
    third_party = sorted({n.partition(".")[0] for n in outside} & _THIRD_PARTY - {"attr"})
    import_third_party = f"import {', '.join(third_party)}" if third_party else "pass"
    commands = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "apacore --version": ([*apacore, "--version"], env),
        "apacore score": ([*apacore, "score", args.example], env),
        "apacore score --format json": ([*apacore, "score", "--format", "json", args.example], env),
        "apacore score (no cache)": ([*apacore, "score", args.example], no_cache),
        # floors for reference: attrs itself, then the model's attrs classes, before any work
        "python -c 'import attrs'": ([sys.executable, "-c", "import attrs"], env),
        "python -c 'import apacore.models'": ([sys.executable, "-c", "import apacore.models"], env),
        "score's third-party packages": ([sys.executable, "-c", import_third_party], env),
        "score's imports outside apacore": ([sys.executable, "-c", import_outside], env),
    }
    for cmd, cmd_env in commands.values():  # warm-up: fills the cache and the OS file cache
        _run(cmd, cmd_env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):  # interleaved, so that a busy moment hits every command
        for name, (cmd, cmd_env) in commands.items():
            times[name].append(_run(cmd, cmd_env))
    base = statistics.median(times["python -c pass"])
    print(f"cold start, median of {args.runs} interleaved runs ({sys.executable})")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:36} {median * 1000:7.1f} ms  {median / base:5.1f}x python -c pass")
    print(
        f"\n  (third-party: {import_third_party}; outside apacore: the {len(outside)} modules,"
        " standard library included, that score imports; imported, nothing else done)"
    )
    print(f"\npython -X importtime, apacore score {args.example} (cache filled):")
    for line in _importtime(rows, args.top):
        print("  " + line)


if __name__ == "__main__":
    main()
