"""A national run: N synthetic offices scored by ``apacore batch``, against tomllib.

    python benchmarks/national.py N [--workers W] [--keep DIR]

Writes N valid offices of 60 indicators (benchmarks/synthetic.py) into a temporary
folder (or DIR), then, in the same run:

* the reference: the time ``tomllib`` takes, in this one process, to read and parse the
  same 2 × N files;
* ``apacore batch TREE --format json -o OUT --quiet`` as a separate command: its wall
  time, offices per second, and its peak memory (the resident memory of the command and
  its worker processes summed, sampled every 50 ms; and the largest single process);
* the ratio of batch wall time per office to tomllib's time per office (issue 9 asks for
  ≤ 0.6 on a 2-core machine).

Prints figures; asserts only that every office was scored exactly once. ``--broken K``
adds K broken offices (they must be listed under ``errors``, exit status 1); ``--check``
then compares every office's total with ``apacore score``'s JSON and checks the ranks.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_offices


def _children(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(entry))
        except OSError:
            continue
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(parents.get(p, []))
    return found


def _rss(pid: int) -> int:
    """Resident memory of ``pid`` in bytes (0 if it has gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PeakMemory(threading.Thread):
    """Samples the summed resident memory of a process tree until it ends."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, sum(_rss(p) for p in _children(self.pid)))
            self.done.wait(0.05)


def _tomllib_seconds(folders: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds to read and parse every office's two files, here."""
    start, cpu = time.perf_counter(), time.process_time()
    for folder in folders:
        for name in ("agreement.toml", "report.toml"):
            tomllib.loads((folder / name).read_text(encoding="utf-8"))
    return time.perf_counter() - start, time.process_time() - cpu


BREAKAGES = (
    ("agreement.toml", "[office]", "[office"),  # invalid TOML
    ("report.toml", 'q1 = "', 'q1 = "বারো কোটি'),  # a figure that is not one
    ("agreement.toml", 'fiscal_year = "2024-25"', 'fiscal_year = "2031-32"'),  # no ruleset
)


def _break(folders: list[Path], tree: Path, count: int) -> list[str]:
    """Copy ``count`` offices to ``broken/broken-i`` and break each one a different way."""
    broken = []
    for i in range(count):
        target = tree / "broken" / f"broken-{i + 1}"
        shutil.copytree(folders[i], target, dirs_exist_ok=True)
        name, old, new = BREAKAGES[i % len(BREAKAGES)]
        text = (target / name).read_text(encoding="utf-8")
        (target / name).write_text(text.replace(old, new, 1), encoding="utf-8")
        broken.append(target.relative_to(tree).as_posix())
    return broken


def _check(tree: Path, data: dict[str, Any]) -> None:
    """Every total as ``apacore score --format json`` gives it; competition ranks."""
    from apacore import score_path
    from apacore.render.formats import scorecard_to_dict

    totals = [Decimal(o["total"]["marks"]) for o in data["offices"]]
    for office, total in zip(data["offices"], totals):
        score = scorecard_to_dict(score_path(tree / office["path"]))
        assert office["total"] == score["total"], office["path"]
        assert office["rank"] == 1 + sum(1 for t in totals if t > total), office["path"]
    ties = len(totals) - len(set(totals))
    print(
        f"check: {len(totals)} totals equal apacore score's; competition ranks hold"
        f" ({ties} offices share a rank with another)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many offices")
    parser.add_argument("--workers", help="passed to apacore batch (default: its own)")
    parser.add_argument("--keep", help="write the offices here and keep them")
    parser.add_argument("--broken", type=int, default=0, help="add this many broken offices")
    parser.add_argument("--check", action="store_true", help="compare with apacore score")
    args = parser.parse_args()

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="apacore-national-"))
    tree = root / "offices"
    try:
        start = time.perf_counter()
        shutil.rmtree(tree, ignore_errors=True)  # written afresh: pinned to today's rulesets
        folders = write_offices(tree, args.n)
        broken = _break(folders, tree, args.broken)
        size = sum(
            (f / n).stat().st_size for f in folders for n in ("agreement.toml", "report.toml")
        )
        print(
            f"{args.n} offices of 60 indicators ready in {time.perf_counter() - start:.1f} s"
            f" ({size / args.n / 1024:.1f} KiB of TOML per office); {os.cpu_count()} cores"
        )
        before = _tomllib_seconds(folders)
        out = root / "batch.json"
        command = [
            sys.executable, "-m", "apacore", "batch", str(tree),
            "--format", "json", "-o", str(out), "--force", "--quiet",
        ]  # fmt: skip
        if args.workers:
            command += ["--workers", args.workers]
        start = time.perf_counter()
        process = subprocess.Popen(command)
        sampler = PeakMemory(process.pid)
        sampler.start()
        status = process.wait()
        wall = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        largest, cpu = usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime
        after = _tomllib_seconds(folders)  # before and after: the machine's load changes
        toml_s, toml_cpu = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2
        data = json.loads(out.read_text(encoding="utf-8"))
        scored = sorted(o["path"] for o in data["offices"])
        assert status == (1 if broken else 0), status
        assert len(scored) == len(set(scored)) == args.n, len(scored)
        assert sorted(e["path"] for e in data["errors"]) == sorted(broken), data["errors"][:3]
        n = args.n + len(broken)
        per_office, toml_per_office = wall / n, toml_s / args.n
        print(
            f"tomllib, one process: {toml_s:.2f} s ({toml_per_office * 1e3:.2f} ms per office;"
            f" mean of a run before and one after the batch)"
        )
        print(
            f"apacore batch: {wall:.2f} s wall, {n / wall:.0f} offices/s"
            f" ({per_office * 1e3:.2f} ms per office; {cpu / n * 1e3:.2f} ms of CPU per office,"
            f" command and workers)"
        )
        print(
            f"peak memory: {sampler.peak / 2**20:.0f} MiB summed over the command and its"
            f" workers (sampled); largest single process {largest / 2**20:.0f} MiB"
        )
        print(f"ratio: batch per office / tomllib per office = {per_office / toml_per_office:.2f}")
        print(
            f"CPU ratio: batch CPU per office / tomllib CPU per office ="
            f" {cpu / n / (toml_cpu / args.n):.2f} (on an idle machine, wall ≈ this / cores)"
        )
        if broken:
            print(f"exit status {status}; {len(broken)} broken offices listed under errors:")
            for error in data["errors"]:
                print(f"  {error['path']}: {error['error']}")
        if args.check:
            _check(tree, data)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
